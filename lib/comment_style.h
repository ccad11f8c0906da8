/*
 * comment_style.h - the comment syntax of each file type, from its name.
 *
 * Layer rule: a leaf module over a constant table. The table is data, not
 * code: data/comment-styles.tsv, compiled into the library at build time
 * by data/comment-styles.awk (mk/comment_styles.mk). Adding a language is
 * adding rows there. Nothing here allocates, fails or keeps state, so
 * every function is thread-safe.
 *
 * Name matching ignores ASCII case, as REUSE does: ".C" and ".H" get the
 * C style, whose block-comment header is valid C++ as well, and
 * "makefile" is "Makefile". A path is reduced to its last component, then
 * tried as a whole file name ("Dockerfile", ".gitignore"), then by its
 * extensions from the longest (".blade.php" before ".php", ".d.ts" before
 * ".ts"), then by name prefix ("Dockerfile.prod"). A leading dot belongs
 * to the name: ".bashrc" has no extension. ".tar.gz" and other archives
 * are not in the table: unknown files get NULL and the caller decides.
 */
#ifndef CL_COMMENT_STYLE_H
#define CL_COMMENT_STYLE_H

#include <stddef.h>

/* Most alternatives a style has of one kind (line prefixes, block pairs). */
#define CL_COMMENT_ALT_MAX 4

/* Style flags (struct cl_comment_style.flags). */
#define CL_COMMENT_NONE             (1u << 0)  /* no comment syntax at all (JSON) */
#define CL_COMMENT_WRITE_BLOCK      (1u << 1)  /* write headers as a block even with line prefixes */
#define CL_COMMENT_LINE_AT_START    (1u << 2)  /* line prefixes only at line start (indent allowed) */
#define CL_COMMENT_BLOCK_AT_START   (1u << 3)  /* block openers only at line start */
#define CL_COMMENT_CASELESS         (1u << 4)  /* line prefixes ignore ASCII case (REM, C) */
#define CL_COMMENT_SHEBANG          (1u << 5)  /* "#!" first line stays first */
#define CL_COMMENT_CODING           (1u << 6)  /* magic comments of lines 1-2 stay there */
#define CL_COMMENT_XML_PROLOG       (1u << 7)  /* <?xml ?> and <!DOCTYPE> stay first */
#define CL_COMMENT_PHP_OPEN         (1u << 8)  /* comments live after <?php */
#define CL_COMMENT_DOCKER_DIRECTIVE (1u << 9)  /* "# syntax=" parser directives stay first */
#define CL_COMMENT_TEX_MAGIC        (1u << 10) /* "% !TEX" lines stay first */
#define CL_COMMENT_FRONT_MATTER     (1u << 11) /* a leading --- ... --- block stays first */
#define CL_COMMENT_CABAL_VERSION    (1u << 12) /* a leading "cabal-version:" stays first */
#define CL_COMMENT_TEXINFO_INPUT    (1u << 13) /* a leading "\\input texinfo" stays first */

struct cl_comment_block {
	const char *start;   /* the opener; NULL ends the list */
	const char *end;     /* its closer */
};

struct cl_comment_style {
	const char *name;         /* stable id ("c", "python", "html"): --style, tests/headers/NAME/ */
	const char *description;  /* one line for people */
	/* line-comment prefixes, NULL-terminated; line[0] is the one written */
	const char *line[CL_COMMENT_ALT_MAX + 1];
	/* block comments, ended by a {NULL, NULL} entry; block[0] is the one written */
	struct cl_comment_block block[CL_COMMENT_ALT_MAX + 1];
	/*
	 * A header written as a block: its first line, the prefix of the lines
	 * inside ("" = none) and its last line. NULL when the style never
	 * writes a block (it may still read one, as Ruby reads =begin/=end).
	 */
	const char *write_start;
	const char *write_middle;
	const char *write_end;
	const char *quotes;       /* characters opening a one-line string in code ("" = none) */
	unsigned int flags;       /* CL_COMMENT_* */
};

enum cl_comment_map_kind {
	CL_COMMENT_MAP_NAME = 0,  /* the whole file name */
	CL_COMMENT_MAP_EXT,       /* an extension, dot included: ".c", ".blade.php" */
	CL_COMMENT_MAP_PREFIX     /* the start of the file name: "dockerfile." */
};

/* One row of the table: a file-name key, its language and its style. */
struct cl_comment_map {
	enum cl_comment_map_kind kind;
	const char *key;                       /* lower-case */
	const char *language;                  /* "C", "Makefile", "YAML" */
	const struct cl_comment_style *style;  /* never NULL */
};

/*
 * The style of the file at `path` (a repository path; only its last
 * component is looked at).
 * @return the style; the "none" style (CL_COMMENT_NONE) for formats that
 * cannot carry comments, such as JSON; NULL for an unknown file type.
 */
const struct cl_comment_style *cl_comment_style_for_path(const char *path);

/* The table row that decided cl_comment_style_for_path(path), or NULL. */
const struct cl_comment_map *cl_comment_map_for_path(const char *path);

/* The style called `name` ("python"), for a --style override; NULL if none. */
const struct cl_comment_style *cl_comment_style_by_name(const char *name);

/* Whether files of this style can carry a header at all (NULL: unknown, 0). */
int cl_comment_style_has_comments(const struct cl_comment_style *style);

/* Iteration, for tests and documentation: styles in table order. */
size_t cl_comment_style_count(void);
const struct cl_comment_style *cl_comment_style_at(size_t i);  /* NULL past the end */

/* Every row of the table: names, then extensions, then prefixes. */
size_t cl_comment_map_count(void);
const struct cl_comment_map *cl_comment_map_at(size_t i);      /* NULL past the end */

#endif
