/*
 * comment_style.c - file name to comment style, over the generated table.
 *
 * The rows live in $(BUILD)/gen/comment_styles_data.c, generated from
 * data/comment-styles.tsv; each map kind is sorted by its lower-case key
 * so a lookup is a binary search, not a walk over hundreds of rows (the
 * tree check asks once per file, tens of thousands of times).
 */
#include "comment_style.h"

#include <string.h>

/* Defined by the generated table (cl__ : shared between files, not public). */
extern const struct cl_comment_style cl__comment_styles[];
extern const size_t cl__comment_style_count;
extern const struct cl_comment_map cl__comment_names[];
extern const size_t cl__comment_names_count;
extern const struct cl_comment_map cl__comment_exts[];
extern const size_t cl__comment_exts_count;
extern const struct cl_comment_map cl__comment_prefixes[];
extern const size_t cl__comment_prefixes_count;

/* ASCII only: file names are bytes, and the locale must not change a lookup. */
static unsigned char style_fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Compare a lower-case key with s[0..n) folded; strcmp's sign convention. */
static int style_keycmp(const char *key, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char k = (unsigned char)key[i], c = style_fold((unsigned char)s[i]);
		if (k != c)
			return k < c ? -1 : 1;   /* a NUL key byte sorts first */
	}
	return key[n] ? 1 : 0;
}

static const struct cl_comment_map *style_search(const struct cl_comment_map *rows,
	size_t count, const char *s, size_t n)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = style_keycmp(rows[mid].key, s, n);
		if (c == 0)
			return &rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct cl_comment_map *cl_comment_map_for_path(const char *path)
{
	const char *base, *slash;
	const struct cl_comment_map *hit;
	size_t len, i;

	if (!path)
		return NULL;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	len = strlen(base);
	if (len == 0)
		return NULL;

	if ((hit = style_search(cl__comment_names, cl__comment_names_count, base, len)))
		return hit;
	/* from the first dot: ".blade.php" is more specific than ".php" */
	for (i = 1; i < len; i++)
		if (base[i] == '.' &&
		    (hit = style_search(cl__comment_exts, cl__comment_exts_count, base + i, len - i)))
			return hit;
	for (i = 0; i < cl__comment_prefixes_count; i++) {
		const struct cl_comment_map *row = &cl__comment_prefixes[i];
		size_t klen = strlen(row->key);
		if (klen <= len && style_keycmp(row->key, base, klen) == 0)
			return row;
	}
	return NULL;
}

const struct cl_comment_style *cl_comment_style_for_path(const char *path)
{
	const struct cl_comment_map *row = cl_comment_map_for_path(path);
	return row ? row->style : NULL;
}

const struct cl_comment_style *cl_comment_style_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < cl__comment_style_count; i++)
		if (strcmp(cl__comment_styles[i].name, name) == 0)
			return &cl__comment_styles[i];
	return NULL;
}

int cl_comment_style_has_comments(const struct cl_comment_style *style)
{
	return style != NULL && !(style->flags & CL_COMMENT_NONE);
}

size_t cl_comment_style_count(void)
{
	return cl__comment_style_count;
}

const struct cl_comment_style *cl_comment_style_at(size_t i)
{
	return i < cl__comment_style_count ? &cl__comment_styles[i] : NULL;
}

size_t cl_comment_map_count(void)
{
	return cl__comment_names_count + cl__comment_exts_count + cl__comment_prefixes_count;
}

const struct cl_comment_map *cl_comment_map_at(size_t i)
{
	if (i < cl__comment_names_count)
		return &cl__comment_names[i];
	i -= cl__comment_names_count;
	if (i < cl__comment_exts_count)
		return &cl__comment_exts[i];
	i -= cl__comment_exts_count;
	if (i < cl__comment_prefixes_count)
		return &cl__comment_prefixes[i];
	return NULL;
}
