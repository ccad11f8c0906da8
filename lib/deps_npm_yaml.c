/*
 * deps_npm_yaml.c - YAML to a compact tree, for the npm-family lock files
 * written in YAML: pnpm-lock.yaml and yarn berry's yarn.lock.
 *
 * Divisions: the tree (arena, member index, lookups); the loader (libyaml
 * tokens through the YAML block/flow grammar into the tree).
 */
#include "deps_npm_priv.h"
#include "error.h"
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- the tree --------------------------------------------------------------- */

/*
 * Everything becomes a string: pnpm and yarn berry quote inconsistently
 * ('9.0' vs 5.4), and callers compare text anyway.
 *
 * Why not Jansson: a Jansson object is a hash table of its own and every
 * string a separate value; building them cost as much as libyaml's parse
 * of the same bytes (issue 4: pnpm-lock.yaml at 29 MB/s against libyaml's
 * 56). Here a node, its key and its text come from one bump arena that is
 * dropped whole, children are a list in file order, and only mappings
 * of YTREE_INDEX_AT members or more get a hash index, built once they are
 * complete.
 */
#define YTREE_INDEX_AT 8

struct cl_ytree_chunk {
	struct cl_ytree_chunk *next;
};

/* Chunks after the first stay under glibc's mmap threshold (128 KiB), so they come from the heap. */
#define YTREE_CHUNK (120 * 1024)
/* The first chunk is sized from the input (cl_deps_npm__yaml_load), up to this. */
#define YTREE_FIRST_MAX ((size_t)64 << 20)

/* Make room for `n` bytes: a new chunk of t->next_size bytes, or of YTREE_CHUNK once that is used. */
static int ytree_grow(struct cl_ytree *t, size_t n)
{
	size_t size = t->next_size > YTREE_CHUNK ? t->next_size : YTREE_CHUNK;
	struct cl_ytree_chunk *c;

	t->next_size = 0;
	if (size < n + 16)
		size = n + 16;
	c = malloc(size);
	if (!c && size > YTREE_CHUNK && n + 16 <= YTREE_CHUNK)
		c = malloc(size = YTREE_CHUNK);   /* a first chunk too big for this machine: go on in small ones */
	if (!c)
		return -1;
	c->next = t->chunks;
	t->chunks = c;
	t->cur = (char *)c + 16;
	t->end = (char *)c + size;
	return 0;
}

static inline void *ytree_alloc(struct cl_ytree *t, size_t n)
{
	char *p;

	n = (n + 7) & ~(size_t)7;
	if ((size_t)(t->end - t->cur) < n && ytree_grow(t, n) < 0)
		return NULL;
	p = t->cur;
	t->cur += n;
	return p;
}

static char *ytree_strdup(struct cl_ytree *t, const char *s, size_t len)
{
	char *p = ytree_alloc(t, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void cl_deps_npm__ytree_dispose(struct cl_ytree *t)
{
	struct cl_ytree_chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(t, 0, sizeof(*t));
}

/* A key's hash, for the indexes: strmap.c's, cut to the 32 bits a node keeps. */
static uint32_t ytree_hash(const char *s, size_t len)
{
	return (uint32_t)cl_hash_bytes(0, s, len);
}

static struct cl_ynode *ytree_find(const struct cl_ynode *map, const char *key, size_t len, uint32_t hash)
{
	const struct cl_ynode *c;

	if (map->index) {
		size_t mask = map->index_cap - 1, i = hash & mask;
		for (; (c = map->index[i]) != NULL; i = (i + 1) & mask)
			if (c->hash == hash && c->key_len == len && memcmp(c->key, key, len) == 0)
				return (struct cl_ynode *)c;
		return NULL;
	}
	for (c = map->first; c; c = c->next)
		if (c->key_len == len && memcmp(c->key, key, len) == 0)
			return (struct cl_ynode *)c;
	return NULL;
}

/*
 * Index the members of a complete mapping: a hash index when it has
 * YTREE_INDEX_AT members or more, sized once (it is at most half full).
 * A member whose key is already there is returned in *dup; NULL when the
 * keys are unique.
 */
static int ytree_index(struct cl_ynode **dup, struct cl_ytree *t, struct cl_ynode *map)
{
	struct cl_ynode *c, *d;
	size_t cap = 16;

	*dup = NULL;
	if (map->count < YTREE_INDEX_AT) {
		for (c = map->first; c; c = c->next)
			for (d = map->first; d != c; d = d->next)
				if (d->key_len == c->key_len && memcmp(d->key, c->key, c->key_len) == 0) {
					*dup = c;
					return 0;
				}
		return 0;
	}
	while (cap < 2 * (size_t)map->count)
		cap *= 2;
	map->index = ytree_alloc(t, cap * sizeof(*map->index));
	if (!map->index)
		return -1;
	memset(map->index, 0, cap * sizeof(*map->index));
	map->index_cap = (uint32_t)cap;
	for (c = map->first; c; c = c->next) {
		size_t mask = cap - 1, i;

		/* one probe both finds an earlier member of the same key and the slot for this one */
		c->hash = ytree_hash(c->key, c->key_len);
		for (i = c->hash & mask; (d = map->index[i]) != NULL; i = (i + 1) & mask)
			if (d->hash == c->hash && d->key_len == c->key_len && memcmp(d->key, c->key, c->key_len) == 0) {
				*dup = c;
				return 0;
			}
		map->index[i] = c;
	}
	return 0;
}

const struct cl_ynode *cl_deps_npm__ygetn(const struct cl_ynode *map, const char *key, size_t len)
{
	if (!map || map->kind != CL_YNODE_MAP)
		return NULL;
	return ytree_find(map, key, len, map->index ? ytree_hash(key, len) : 0);
}

const struct cl_ynode *cl_deps_npm__yget(const struct cl_ynode *map, const char *key)
{
	return cl_deps_npm__ygetn(map, key, strlen(key));
}

const char *cl_deps_npm__ystr(const struct cl_ynode *map, const char *key)
{
	const struct cl_ynode *v = cl_deps_npm__yget(map, key);
	return v && v->kind == CL_YNODE_SCALAR ? v->str : NULL;
}

/* ---- the loader ------------------------------------------------------------- */

/*
 * libyaml's tokens, not its events. The scanner does all the reading of
 * YAML (and refuses what is malformed at that level); the grammar over
 * its tokens is the one libyaml's parser walks (src/parser.c), walked here
 * with our own bounded stack, so hostile nesting costs memory we bound,
 * not C stack. Why: the event layer cost a sixth of a pnpm parse on top of
 * the scanner (issue 4: 57 MB/s for the event loop alone against 68 for
 * the tokens) and builds what this loader refuses or ignores anyway
 * (anchors, resolved tags, styles, marks).
 */

/* What the innermost open collection expects next (after libyaml's parser states). */
enum yl_state {
	YL_BSEQ_ENTRY,        /* block sequence: "- item" or its end */
	YL_ISEQ_ENTRY,        /* "key:\n- item": a sequence at its mapping's own indentation */
	YL_BMAP_KEY,
	YL_BMAP_VALUE,
	YL_FSEQ_FIRST,        /* flow sequence before its first entry: no ',' wanted */
	YL_FSEQ_ENTRY,
	YL_FPAIR_KEY,         /* "[a: b]": a one-pair mapping inside a flow sequence */
	YL_FPAIR_VALUE,
	YL_FPAIR_END,
	YL_FMAP_FIRST,
	YL_FMAP_KEY,
	YL_FMAP_VALUE,
	YL_FMAP_EMPTY_VALUE   /* "{a, b: c}": "a" has no ':', so an empty value */
};

struct yl_frame {
	struct cl_ynode *node;   /* NULL inside a dropped value (opts->skip) */
	enum yl_state state;
	int is_map;
	int has_key;             /* a mapping's key is read and its value not yet */
	/*
	 * The next value read here is dropped: always inside a dropped value,
	 * else decided per key of a mapping (opts->skip).
	 */
	int drop;
	/*
	 * The pending key of a stored mapping; points into the arena and
	 * becomes the member's key as it is, so a key costs one copy.
	 */
	const char *key;
	uint32_t key_len;
	uint32_t key_line;
};

/* A load in progress. */
struct yl {
	yaml_parser_t parser;
	yaml_token_t tok;        /* the next token, not yet consumed */
	struct cl_ytree t;
	struct yl_frame *stack;  /* opts->max_depth frames */
	size_t depth;
	const char *path;
	const struct cl_npm_yaml_opts *opts;
	/*
	 * By first byte, the lengths (bit 63: 63 or more) of the keys of
	 * opts->skip: nearly every key read is a package or field name
	 * that no skipped key matches in both, and so never walks the list.
	 */
	uint64_t skip_lens[256];
};

/* A set of token types, for "the token is one of". */
#define YL_T(type) (1u << (type))

static int yl_fail(struct yl *y, const yaml_mark_t *m, const char *problem)
{
	return cl_deps_npm__fail("%s:%lu:%lu: %s", y->path,
			(unsigned long)m->line + 1, (unsigned long)m->column + 1, problem);
}

/* Why the scan failed. libyaml zeroes the token before scanning: deleting it again is safe. */
static int yl_scan_error(struct yl *y)
{
	if (y->parser.error == YAML_MEMORY_ERROR)
		return cl_error_set("out of memory");
	return yl_fail(y, &y->parser.problem_mark, y->parser.problem ? y->parser.problem : "invalid YAML");
}

/*
 * Consume the current token and scan the next. Inline, with the failure
 * out of line: it runs once per token, and the call alone was about 1%
 * of a pnpm parse.
 */
static inline int yl_next(struct yl *y)
{
	/*
	 * Only these token types own memory; deleting the others would only
	 * zero them, which the scan does anyway (a call per token that showed).
	 */
	const unsigned int owning = YL_T(YAML_SCALAR_TOKEN) | YL_T(YAML_TAG_TOKEN) | YL_T(YAML_ANCHOR_TOKEN) |
		YL_T(YAML_ALIAS_TOKEN) | YL_T(YAML_TAG_DIRECTIVE_TOKEN);

	if (YL_T(y->tok.type) & owning)
		yaml_token_delete(&y->tok);
	if (yaml_parser_scan(&y->parser, &y->tok))
		return 0;
	return yl_scan_error(y);
}

static struct yl_frame *yl_top(struct yl *y)
{
	return y->depth ? &y->stack[y->depth - 1] : NULL;
}

static void yl_skip_filter(struct yl *y)
{
	const char *const *skip;

	for (skip = y->opts->skip; skip && *skip; skip++) {
		size_t len = strlen(*skip);
		y->skip_lens[(unsigned char)(*skip)[0]] |= (uint64_t)1 << (len < 63 ? len : 63);
	}
}

/* Whether `key` (`len` bytes, NUL-terminated) is in opts->skip. */
static int yl_skipped(const struct yl *y, const char *key, size_t len)
{
	const char *const *skip;

	if (!(y->skip_lens[(unsigned char)key[0]] >> (len < 63 ? len : 63) & 1))
		return 0;
	/* strncmp stops at the end of a shorter skip key, and no key holds a NUL (yl_scalar_token) */
	for (skip = y->opts->skip; *skip; skip++)
		if ((*skip)[0] == key[0] && strncmp(*skip, key, len) == 0 && (*skip)[len] == '\0')
			return 1;
	return 0;
}

/*
 * Whether the value about to be read is dropped: it is inside a dropped
 * value, or the value of a key in opts->skip deep enough. A dropped value
 * is still read and checked, but nothing of it is stored.
 */
static int yl_dropping(const struct yl_frame *top)
{
	return top && top->drop;
}

/* Make `v` the root, the next item of the top sequence or the value of the top mapping's pending key. */
static void yl_attach(struct yl *y, struct yl_frame *top, struct cl_ynode *v)
{
	struct cl_ynode *map;

	if (!top) {
		y->t.root = v;
		return;
	}
	map = top->node;
	if (top->is_map) {
		/* duplicate keys are looked for when the mapping is complete (yl_close) */
		top->has_key = 0;
		v->key = top->key;
		v->key_len = top->key_len;
		v->line = top->key_line;
	}
	if (map->last)
		map->last->next = v;
	else
		map->first = v;
	map->last = v;
	map->count++;
}

/*
 * A scalar (`len` bytes and a NUL) that starts on 0-based `line`: the
 * pending key of a mapping, or a value. Lines, not marks, are passed
 * around: a mark is three words to copy per token, and only a key's line
 * is kept.
 */
static int yl_scalar(struct yl *y, const char *text, size_t len, size_t line)
{
	struct yl_frame *top = yl_top(y);
	struct cl_ynode *v;
	char *s;

	if (top && top->is_map && !top->has_key) {
		top->has_key = 1;
		/* tested once per key, and the key of a dropped value is not kept */
		top->drop = !top->node || (y->depth == y->opts->skip_depth && yl_skipped(y, text, len));
		if (top->drop)
			return 0;
		if (!(s = ytree_strdup(&y->t, text, len)))
			return cl_error_set("out of memory");
		top->key = s;
		top->key_len = (uint32_t)len;
		top->key_line = (uint32_t)line + 1;
		return 0;
	}
	if (yl_dropping(top)) {
		top->has_key = 0;
		return 0;
	}
	s = ytree_strdup(&y->t, text, len);
	v = s ? ytree_alloc(&y->t, CL_YNODE_SCALAR_SIZE) : NULL;
	if (!v)
		return cl_error_set("out of memory");
	memset(v, 0, CL_YNODE_SCALAR_SIZE);
	v->kind = CL_YNODE_SCALAR;
	v->str = s;
	v->len = (uint32_t)len;
	yl_attach(y, top, v);
	return 0;
}

/* An empty value where the grammar allows one: "key:", "- ", "{a}". */
static int yl_empty(struct yl *y, size_t line)
{
	return yl_scalar(y, "", 0, line);
}

/* Open a mapping or sequence in the current place; `state` is what it expects first. */
static int yl_open(struct yl *y, enum cl_ynode_kind kind, enum yl_state state, const yaml_mark_t *m)
{
	struct yl_frame *top = yl_top(y), *f;
	struct cl_ynode *v = NULL;

	if (top && top->is_map && !top->has_key)
		return yl_fail(y, m, "mapping key is not a scalar");
	if (y->depth >= y->opts->max_depth)
		return yl_fail(y, m, "nesting too deep");
	if (yl_dropping(top)) {
		top->has_key = 0;
	} else {
		if (!(v = ytree_alloc(&y->t, sizeof(*v))))
			return cl_error_set("out of memory");
		memset(v, 0, sizeof(*v));
		v->kind = kind;
		yl_attach(y, top, v);
	}
	f = &y->stack[y->depth++];
	f->node = v;
	f->state = state;
	f->is_map = kind == CL_YNODE_MAP;
	f->has_key = 0;
	f->drop = v == NULL;
	return 0;
}

/*
 * Close the innermost collection, consuming its end token when it has
 * one. A mapping is indexed now that it is complete, once at its final
 * size: an index grown with the mapping rehashed every member at each
 * doubling and left the old arrays in the arena (two fifths of a pnpm
 * tree).
 */
static int yl_close(struct yl *y, int consume)
{
	struct yl_frame *f = &y->stack[--y->depth];
	struct cl_ynode *dup;

	if (f->is_map && f->node) {
		if (ytree_index(&dup, &y->t, f->node) < 0)
			return cl_error_set("out of memory");
		if (dup)
			return cl_deps_npm__fail("%s:%lu: duplicate mapping key '%s'", y->path,
					(unsigned long)dup->line, dup->key);
	}
	return consume ? yl_next(y) : 0;
}

/*
 * A tag: "!x", "!!str" and "!<verbatim>" mean nothing to a loader whose
 * scalars are all strings. Named handles ("!e!x") need a %TAG directive,
 * which is refused, so they are undefined.
 */
static int yl_tag(struct yl *y)
{
	const char *handle = (const char *)y->tok.data.tag.handle;

	if (handle[0] && strcmp(handle, "!") != 0 && strcmp(handle, "!!") != 0)
		return yl_fail(y, &y->tok.start_mark, "undefined YAML tag handle");
	return yl_next(y);
}

/* The scalar token at hand, which starts the node at `m`, then the next token. */
static int yl_scalar_token(struct yl *y, const yaml_mark_t *m)
{
	int error;

	/*
	 * libyaml's reader refuses a raw NUL byte (and what is not
	 * UTF-8), so only an escape ("\0") can put one in a scalar
	 */
	if (y->tok.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
	    memchr(y->tok.data.scalar.value, '\0', y->tok.data.scalar.length))
		return yl_fail(y, m, "NUL byte in a scalar");
	error = yl_scalar(y, (const char *)y->tok.data.scalar.value, y->tok.data.scalar.length, m->line);
	return error < 0 ? error : yl_next(y);
}

/*
 * A node at the current token: block and flow collections are allowed
 * where `block`, and `indentless` is a mapping value, where a sequence
 * may start at the mapping's own indentation.
 */
static int yl_node(struct yl *y, int block, int indentless)
{
	const yaml_mark_t *m = &y->tok.start_mark;   /* the node's start: the token's, or its tag's */
	yaml_mark_t tag_mark;
	int tagged = 0, error;

	if (y->tok.type == YAML_TAG_TOKEN) {
		tag_mark = y->tok.start_mark;
		m = &tag_mark;
		if ((error = yl_tag(y)) < 0)
			return error;
		tagged = 1;
	}
	switch (y->tok.type) {
	case YAML_ALIAS_TOKEN:
		return yl_fail(y, &y->tok.start_mark, "YAML aliases are not supported here");
	case YAML_ANCHOR_TOKEN:
		return yl_fail(y, &y->tok.start_mark, "YAML anchors are not supported here");
	case YAML_SCALAR_TOKEN:
		return yl_scalar_token(y, m);
	case YAML_FLOW_SEQUENCE_START_TOKEN:
		error = yl_open(y, CL_YNODE_SEQ, YL_FSEQ_FIRST, m);
		return error < 0 ? error : yl_next(y);
	case YAML_FLOW_MAPPING_START_TOKEN:
		error = yl_open(y, CL_YNODE_MAP, YL_FMAP_FIRST, m);
		return error < 0 ? error : yl_next(y);
	case YAML_BLOCK_SEQUENCE_START_TOKEN:
	case YAML_BLOCK_MAPPING_START_TOKEN:
		if (!block)
			break;
		if (y->tok.type == YAML_BLOCK_SEQUENCE_START_TOKEN)
			error = yl_open(y, CL_YNODE_SEQ, YL_BSEQ_ENTRY, m);
		else
			error = yl_open(y, CL_YNODE_MAP, YL_BMAP_KEY, m);
		return error < 0 ? error : yl_next(y);
	case YAML_BLOCK_ENTRY_TOKEN:
		/* the "-" is the first entry's: the sequence state consumes it */
		if (indentless)
			return yl_open(y, CL_YNODE_SEQ, YL_ISEQ_ENTRY, m);
		break;
	default:
		break;
	}
	if (tagged)
		return yl_empty(y, m->line);
	return yl_fail(y, &y->tok.start_mark, "did not find expected node content");
}

static int yl_at(const struct yl *y, unsigned int types)
{
	return (YL_T(y->tok.type) & types) != 0;
}

/*
 * After an entry's indicator ("-", "?", ":", ",") has been consumed: its
 * node, or an empty value when the next token is one of `ends` (the entry
 * has no node).
 */
static int yl_entry(struct yl *y, int block, int indentless, unsigned int ends, size_t line)
{
	/* most entries are a plain scalar, and no `ends` holds one: skip yl_node's checks */
	if (y->tok.type == YAML_SCALAR_TOKEN)
		return yl_scalar_token(y, &y->tok.start_mark);
	if (yl_at(y, ends))
		return yl_empty(y, line);
	return yl_node(y, block, indentless);
}

/* A block sequence, or an indentless one: "- item" or the end. */
static int yl_block_seq(struct yl *y, const struct yl_frame *f)
{
	const unsigned int ends = f->state == YL_ISEQ_ENTRY ?
		YL_T(YAML_BLOCK_ENTRY_TOKEN) | YL_T(YAML_KEY_TOKEN) | YL_T(YAML_VALUE_TOKEN) | YL_T(YAML_BLOCK_END_TOKEN) :
		YL_T(YAML_BLOCK_ENTRY_TOKEN) | YL_T(YAML_BLOCK_END_TOKEN);
	size_t line = y->tok.end_mark.line;   /* of an empty entry */
	int error;

	if (y->tok.type == YAML_BLOCK_ENTRY_TOKEN) {
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_entry(y, 1, 0, ends, line);
	}
	if (f->state == YL_ISEQ_ENTRY)
		return yl_close(y, 0);   /* it ends where its mapping's next key or end begins */
	if (y->tok.type == YAML_BLOCK_END_TOKEN)
		return yl_close(y, 1);
	return yl_fail(y, &y->tok.start_mark, "did not find expected '-' indicator");
}

/* A block mapping: "? key" (or an implicit key), ": value", or the end. */
static int yl_block_map(struct yl *y, struct yl_frame *f)
{
	const unsigned int ends = YL_T(YAML_KEY_TOKEN) | YL_T(YAML_VALUE_TOKEN) | YL_T(YAML_BLOCK_END_TOKEN);
	size_t line = y->tok.end_mark.line;   /* of an empty entry */
	int error;

	if (f->state == YL_BMAP_VALUE) {
		f->state = YL_BMAP_KEY;
		if (y->tok.type != YAML_VALUE_TOKEN)
			return yl_empty(y, y->tok.start_mark.line);   /* "? key" alone */
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_entry(y, 1, 1, ends, line);
	}
	if (y->tok.type == YAML_KEY_TOKEN) {
		f->state = YL_BMAP_VALUE;
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_entry(y, 1, 1, ends, line);
	}
	if (y->tok.type == YAML_BLOCK_END_TOKEN)
		return yl_close(y, 1);
	return yl_fail(y, &y->tok.start_mark, "did not find expected key");
}

/*
 * A flow sequence: entries separated by ',', and "[a: b]" entries, which
 * are one-pair mappings.
 */
static int yl_flow_seq(struct yl *y, struct yl_frame *f)
{
	int error;

	if (y->tok.type != YAML_FLOW_SEQUENCE_END_TOKEN) {
		if (f->state != YL_FSEQ_FIRST) {
			if (y->tok.type != YAML_FLOW_ENTRY_TOKEN)
				return yl_fail(y, &y->tok.start_mark, "did not find expected ',' or ']'");
			if ((error = yl_next(y)) < 0)
				return error;
		}
		f->state = YL_FSEQ_ENTRY;
		if (y->tok.type == YAML_KEY_TOKEN) {
			error = yl_open(y, CL_YNODE_MAP, YL_FPAIR_KEY, &y->tok.start_mark);
			return error < 0 ? error : yl_next(y);
		}
		/* "[a,]": a trailing ',' before the end */
		if (y->tok.type != YAML_FLOW_SEQUENCE_END_TOKEN)
			return yl_node(y, 0, 0);
	}
	return yl_close(y, 1);
}

/* The one-pair mapping of "[a: b]" (its "?" already consumed when explicit). */
static int yl_flow_pair(struct yl *y, struct yl_frame *f)
{
	const unsigned int ends = YL_T(YAML_FLOW_ENTRY_TOKEN) | YL_T(YAML_FLOW_SEQUENCE_END_TOKEN);
	size_t line = y->tok.end_mark.line;   /* of an empty entry */
	int error;

	switch (f->state) {
	case YL_FPAIR_KEY:
		f->state = YL_FPAIR_VALUE;
		if (!yl_at(y, YL_T(YAML_VALUE_TOKEN) | ends))
			return yl_node(y, 0, 0);
		/* as libyaml does: the token after an empty key is consumed with it */
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_empty(y, line);
	case YL_FPAIR_VALUE:
		f->state = YL_FPAIR_END;
		if (y->tok.type != YAML_VALUE_TOKEN)
			return yl_empty(y, y->tok.start_mark.line);
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_entry(y, 0, 0, ends, line);
	default:
		return yl_close(y, 0);
	}
}

/* A flow mapping: "key: value" entries separated by ','; "{a}" gives "a" an empty value. */
static int yl_flow_map(struct yl *y, struct yl_frame *f)
{
	const unsigned int ends = YL_T(YAML_FLOW_ENTRY_TOKEN) | YL_T(YAML_FLOW_MAPPING_END_TOKEN);
	int error;

	if (f->state == YL_FMAP_EMPTY_VALUE || f->state == YL_FMAP_VALUE) {
		int has_value = f->state == YL_FMAP_VALUE && y->tok.type == YAML_VALUE_TOKEN;
		f->state = YL_FMAP_KEY;
		if (!has_value)
			return yl_empty(y, y->tok.start_mark.line);
		if ((error = yl_next(y)) < 0)
			return error;
		return yl_entry(y, 0, 0, ends, y->tok.start_mark.line);
	}
	if (y->tok.type != YAML_FLOW_MAPPING_END_TOKEN) {
		if (f->state != YL_FMAP_FIRST) {
			if (y->tok.type != YAML_FLOW_ENTRY_TOKEN)
				return yl_fail(y, &y->tok.start_mark, "did not find expected ',' or '}'");
			if ((error = yl_next(y)) < 0)
				return error;
		}
		if (y->tok.type == YAML_KEY_TOKEN) {
			f->state = YL_FMAP_VALUE;
			if ((error = yl_next(y)) < 0)
				return error;
			return yl_entry(y, 0, 0, YL_T(YAML_VALUE_TOKEN) | ends, y->tok.start_mark.line);
		}
		/* "{a,}": a trailing ',' before the end */
		if (y->tok.type != YAML_FLOW_MAPPING_END_TOKEN) {
			f->state = YL_FMAP_EMPTY_VALUE;
			return yl_node(y, 0, 0);
		}
	}
	return yl_close(y, 1);
}

/* One step of the innermost open collection. */
static int yl_step(struct yl *y)
{
	struct yl_frame *f = &y->stack[y->depth - 1];

	switch (f->state) {
	case YL_BSEQ_ENTRY:
	case YL_ISEQ_ENTRY:
		return yl_block_seq(y, f);
	case YL_BMAP_KEY:
	case YL_BMAP_VALUE:
		return yl_block_map(y, f);
	case YL_FSEQ_FIRST:
	case YL_FSEQ_ENTRY:
		return yl_flow_seq(y, f);
	case YL_FPAIR_KEY:
	case YL_FPAIR_VALUE:
	case YL_FPAIR_END:
		return yl_flow_pair(y, f);
	default:
		return yl_flow_map(y, f);
	}
}

/*
 * "%YAML 1.1" or "1.2", at most once; %TAG directives are refused (no lock
 * file declares tag handles, and each would be a string to keep).
 */
static int yl_directives(struct yl *y, int *explicit)
{
	int version = 0, error;

	*explicit = 0;
	for (;;) {
		if (y->tok.type == YAML_TAG_DIRECTIVE_TOKEN)
			return yl_fail(y, &y->tok.start_mark, "YAML %TAG directives are not supported here");
		if (y->tok.type != YAML_VERSION_DIRECTIVE_TOKEN)
			return 0;
		if (version++)
			return yl_fail(y, &y->tok.start_mark, "duplicate %YAML directive");
		if (y->tok.data.version_directive.major != 1 ||
		    (y->tok.data.version_directive.minor != 1 && y->tok.data.version_directive.minor != 2))
			return yl_fail(y, &y->tok.start_mark, "incompatible YAML version");
		*explicit = 1;
		if ((error = yl_next(y)) < 0)
			return error;
	}
}

/*
 * The stream: one document, implicit or after directives and "---", its
 * node read to the end, then "..." lines and the stream end. No document
 * at all leaves the root NULL.
 */
static int yl_stream(struct yl *y)
{
	const unsigned int no_content = YL_T(YAML_VERSION_DIRECTIVE_TOKEN) | YL_T(YAML_TAG_DIRECTIVE_TOKEN) |
		YL_T(YAML_DOCUMENT_START_TOKEN) | YL_T(YAML_DOCUMENT_END_TOKEN) | YL_T(YAML_STREAM_END_TOKEN);
	int explicit, error;

	/* scan the stream start (always the first token) and step past it */
	if ((error = yl_next(y)) < 0 || (error = yl_next(y)) < 0 || (error = yl_directives(y, &explicit)) < 0)
		return error;
	if (y->tok.type == YAML_DOCUMENT_START_TOKEN) {
		if ((error = yl_next(y)) < 0)
			return error;
		error = yl_entry(y, 1, 0, no_content, y->tok.start_mark.line);
	} else if (explicit) {
		return yl_fail(y, &y->tok.start_mark, "did not find expected <document start>");
	} else if (y->tok.type != YAML_STREAM_END_TOKEN) {
		error = yl_node(y, 1, 0);
	}
	while (error >= 0 && y->depth)
		error = yl_step(y);
	while (error >= 0 && y->tok.type == YAML_DOCUMENT_END_TOKEN)
		error = yl_next(y);
	if (error < 0 || y->tok.type == YAML_STREAM_END_TOKEN)
		return error;
	if (yl_at(y, YL_T(YAML_DOCUMENT_START_TOKEN) | YL_T(YAML_VERSION_DIRECTIVE_TOKEN) |
			YL_T(YAML_TAG_DIRECTIVE_TOKEN)))
		return yl_fail(y, &y->tok.start_mark, "more than one YAML document");
	return yl_fail(y, &y->tok.start_mark, "did not find expected <document start>");
}

int cl_deps_npm__yaml_load(struct cl_ytree *out, const char *path, const char *data, size_t len,
		const struct cl_npm_yaml_opts *opts)
{
	struct yl y;
	int error = 0;

	/* every length in the tree is 32-bit; callers cap input far below */
	if (len > UINT32_MAX)
		return cl_deps_npm__fail("%s: too big for the YAML reader", path);
	memset(&y, 0, sizeof(y));
	y.path = path;
	y.opts = opts;
	yl_skip_filter(&y);
	if (!yaml_parser_initialize(&y.parser))
		return cl_error_set("out of memory");
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)data, len);
	/*
	 * The whole tree in one chunk, guessed from the input: two bytes of
	 * tree per byte of YAML (a pnpm-lock.yaml builds 1.97, a berry
	 * yarn.lock 1.5). One big block is one malloc where 120 KiB chunks
	 * were twenty, each making glibc consolidate its fast bins; and once
	 * it is freed glibc raises its mmap threshold to its size (mallopt(3)),
	 * so the next parses of the process, the tree and the lock readers'
	 * own tables alike, reuse heap pages instead of faulting in fresh ones
	 * (a pnpm parse in a loop: 730 page faults before, 100 after).
	 * Only touched pages cost memory, and the guess is capped.
	 */
	y.t.next_size = len < YTREE_FIRST_MAX / 2 ? 2 * len : YTREE_FIRST_MAX;
	y.stack = calloc(opts->max_depth + 1, sizeof(*y.stack));
	CL_CHECK_ALLOC(y.stack);
	if ((error = yl_stream(&y)) < 0)
		goto done;
	if (!y.t.root) {
		y.t.root = ytree_alloc(&y.t, sizeof(*y.t.root));
		CL_CHECK_ALLOC(y.t.root);
		memset(y.t.root, 0, sizeof(*y.t.root));
		y.t.root->kind = CL_YNODE_MAP;
	}
	*out = y.t;
	memset(&y.t, 0, sizeof(y.t));
done:
	yaml_token_delete(&y.tok);
	free(y.stack);
	cl_deps_npm__ytree_dispose(&y.t);
	yaml_parser_delete(&y.parser);
	return error;
}
