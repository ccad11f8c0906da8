/*
 * deps_yarn.c - yarn.lock, both flavours: classic v1 (yarn's own line
 * format, read by a small strict reader here) and berry (v2+, YAML with a
 * __metadata entry, read with libyaml).
 *
 * Neither flavour says which packages are dev-only. Classic has no root
 * entry either, so its relations are unknown; berry lists the projects as
 * "@workspace:" entries, whose dependencies are the direct ones.
 */
#include "deps_npm.h"
#include "deps_npm_priv.h"
#include "error.h"
#include "strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YARN_MAX_DEPTH 64

/* ---- classic (v1) ------------------------------------------------------- */

struct yarn_line {
	const char *p;        /* the line, without indentation and without "\r\n" */
	size_t len;
	size_t indent;
	unsigned int no;
};

static int yarn_fail(const char *path, unsigned int line, size_t col, const char *problem)
{
	return cl_deps_npm__fail("%s:%u:%zu: %s", path, line, col, problem);
}

/*
 * Read one token at *pos of `l`: a "quoted string" (yarn escapes only with
 * JSON-style backslashes, which never occur in names or versions; we keep
 * the text between quotes and refuse backslashes) or a bare word ending at
 * a space, ',' or ':'. Copies it into a NUL-terminated heap string.
 */
static int yarn_token(char **out, const char *path, const struct yarn_line *l, size_t *pos)
{
	size_t i = *pos, start, end;
	char *s;

	if (i < l->len && l->p[i] == '"') {
		start = ++i;
		while (i < l->len && l->p[i] != '"') {
			if (l->p[i] == '\\' || l->p[i] == '\0')
				return yarn_fail(path, l->no, l->indent + i + 1, "unsupported character in a string");
			i++;
		}
		if (i >= l->len)
			return yarn_fail(path, l->no, l->indent + i + 1, "unterminated string");
		end = i++;
	} else {
		start = i;
		while (i < l->len && l->p[i] != ' ' && l->p[i] != ',' && l->p[i] != ':') {
			if (l->p[i] == '"' || l->p[i] == '\0')
				return yarn_fail(path, l->no, l->indent + i + 1, "unexpected character");
			i++;
		}
		end = i;
		if (end == start)
			return yarn_fail(path, l->no, l->indent + i + 1, "expected a name or value");
	}
	s = malloc(end - start + 1);
	if (!s)
		return cl_error_set("out of memory");
	memcpy(s, l->p + start, end - start);
	s[end - start] = '\0';
	*out = s;
	*pos = i;
	return 0;
}

/* An entry being read: the first descriptor's name, whether it is a local link, its version. */
struct yarn_entry {
	char *name;
	char *version;
	unsigned int line;
	int local;
	int open;
};

static void yarn_entry_reset(struct yarn_entry *e)
{
	free(e->name);
	free(e->version);
	memset(e, 0, sizeof(*e));
}

static int yarn_entry_close(struct cl_npm_ctx *ctx, struct yarn_entry *e)
{
	int error = 0;

	if (!e->open)
		return 0;
	if (!e->version)
		error = yarn_fail(ctx->path, e->line, 1, "entry has no version");
	/* link: entries are directories of this checkout, not packages from a registry */
	else if (!e->local)
		error = cl_deps_npm__emit(ctx, e->name, e->version, CL_DEP_UNKNOWN, CL_DEP_RUNTIME, NULL, e->line);
	yarn_entry_reset(e);
	return error;
}

/* "a@^1, "@s/b@npm:x@2":" -> the name of the first descriptor; link: if any descriptor is one. */
static int yarn_header(struct yarn_entry *e, const char *path, const struct yarn_line *l)
{
	size_t pos = 0;
	int error;

	e->open = 1;
	e->line = l->no;
	for (;;) {
		char *desc = NULL;
		long at;

		if ((error = yarn_token(&desc, path, l, &pos)) < 0)
			return error;
		at = cl_deps_npm__split_at(desc);
		if (at <= 0) {
			free(desc);
			return yarn_fail(path, l->no, l->indent + pos, "descriptor has no '@range'");
		}
		if (strncmp(desc + at + 1, "link:", 5) == 0)
			e->local = 1;
		if (!e->name) {
			/* an alias "b@npm:real@^1" installs package "real" */
			const char *range = desc + at + 1;
			long rat = strncmp(range, "npm:", 4) == 0 ? cl_deps_npm__split_at(range + 4) : -1;
			if (rat > 0) {
				memmove(desc, range + 4, (size_t)rat);
				desc[rat] = '\0';
			} else {
				desc[at] = '\0';
			}
			e->name = desc;
		} else {
			free(desc);
		}
		if (pos < l->len && l->p[pos] == ',') {
			pos++;
			if (pos < l->len && l->p[pos] == ' ')
				pos++;
			continue;
		}
		if (pos + 1 == l->len && l->p[pos] == ':')
			return 0;
		return yarn_fail(path, l->no, l->indent + pos + 1, "expected ',' or ':' ending the entry header");
	}
}

/* "  key value" or "  key:" (a nested block follows); only "version" matters. */
static int yarn_field(struct yarn_entry *e, int *nested, const char *path, const struct yarn_line *l)
{
	char *key = NULL, *value = NULL;
	size_t pos = 0;
	int error;

	*nested = 0;
	if ((error = yarn_token(&key, path, l, &pos)) < 0)
		goto done;
	if (pos + 1 == l->len && l->p[pos] == ':') {
		*nested = 1;
		goto done;
	}
	if (pos >= l->len || l->p[pos] != ' ') {
		error = yarn_fail(path, l->no, l->indent + pos + 1, "expected a space and a value");
		goto done;
	}
	pos++;
	if ((error = yarn_token(&value, path, l, &pos)) < 0)
		goto done;
	if (pos != l->len) {
		error = yarn_fail(path, l->no, l->indent + pos + 1, "unexpected text after the value");
		goto done;
	}
	if (strcmp(key, "version") == 0) {
		if (e->version) {
			error = yarn_fail(path, l->no, l->indent + 1, "duplicate version");
			goto done;
		}
		e->version = value;
		value = NULL;
	}
done:
	free(key);
	free(value);
	return error;
}

static int yarn_v1(struct cl_npm_ctx *ctx, const char *data, size_t len)
{
	struct yarn_entry e;
	size_t off = 0;
	unsigned int no = 0;
	int nested = 0, error = 0;

	memset(&e, 0, sizeof(e));
	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		struct yarn_line l;

		l.no = ++no;
		l.indent = 0;
		while (off + l.indent < end && data[off + l.indent] == ' ')
			l.indent++;
		l.p = data + off + l.indent;
		l.len = end - off - l.indent;
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		off = nl ? end + 1 : len;

		if (l.len == 0 || l.p[0] == '#')
			continue;
		if (l.p[0] == '\t' || memchr(l.p, '\t', l.len) != NULL) {
			error = yarn_fail(ctx->path, l.no, 1, "tab in yarn.lock");
			goto done;
		}
		switch (l.indent) {
		case 0:
			if ((error = yarn_entry_close(ctx, &e)) < 0 || (error = yarn_header(&e, ctx->path, &l)) < 0)
				goto done;
			nested = 0;
			break;
		case 2:
			if (!e.open) {
				error = yarn_fail(ctx->path, l.no, 3, "field outside an entry");
				goto done;
			}
			if ((error = yarn_field(&e, &nested, ctx->path, &l)) < 0)
				goto done;
			break;
		case 4:
			/* a dependency of the entry: "name range"; the graph is not needed */
			if (!e.open || !nested) {
				error = yarn_fail(ctx->path, l.no, 5, "unexpected indentation");
				goto done;
			}
			break;
		default:
			error = yarn_fail(ctx->path, l.no, l.indent + 1, "unexpected indentation");
			goto done;
		}
	}
	error = yarn_entry_close(ctx, &e);
done:
	yarn_entry_reset(&e);
	return error;
}

/* ---- berry (v2+) -------------------------------------------------------- */

/* Decode %XX in place (patch: descriptors URL-encode the base descriptor). */
static void berry_unescape(char *s)
{
	char *w = s;
	const char *hex = "0123456789abcdef";

	for (; *s; s++) {
		const char *h1, *h2;
		if (s[0] == '%' && s[1] && s[2] &&
		    (h1 = strchr(hex, s[1] | 0x20)) != NULL && (h2 = strchr(hex, s[2] | 0x20)) != NULL &&
		    s[1] != '\0' && s[2] != '\0') {
			*w++ = (char)(((h1 - hex) << 4) | (h2 - hex));
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/*
 * A scratch string for berry_name, reused from entry to entry: a strdup
 * and free per entry showed in profiles of big lock files.
 */
struct berry_buf {
	char *p;
	size_t cap;
};

/*
 * The package a descriptor or locator names: "a@npm:1", "@s/a@npm:^1",
 * "a@patch:a@npm%3A1#...": for patch: the base package. Sets *protocol to
 * the text after '@' (borrowed from the result). The result is in `b`,
 * valid until its next use. NULL when malformed or out of memory.
 */
static char *berry_name(struct berry_buf *b, const char *spec, const char **protocol)
{
	size_t len = strlen(spec);
	long at;

	if (len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < len + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return NULL;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p, spec, len + 1);
	at = cl_deps_npm__split_at(b->p);
	if (at <= 0)
		return NULL;
	b->p[at] = '\0';
	*protocol = b->p + at + 1;
	return b->p;
}

static int berry_is_local(const char *protocol)
{
	return strncmp(protocol, "workspace:", 10) == 0 || strncmp(protocol, "link:", 5) == 0 ||
	       strncmp(protocol, "portal:", 7) == 0;
}

/* Whether a trimmed descriptor of "a@npm:^1, a@npm:^1.2" is a key of `direct`. */
static int berry_is_direct(const struct cl_strmap *direct, const char *key)
{
	const char *p = key;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		while (n && (p[n - 1] == ' '))
			n--;
		if (n && cl_strmap_get(direct, p, n))
			return 1;
		p = comma ? comma + 1 : p + strlen(p);
		while (*p == ' ')
			p++;
	}
	return 0;
}

/*
 * entry fields that say nothing about identity or the graph (only a
 * workspace's "dependencies" says what is direct; peers are the
 * installer's to provide)
 */
static const char *const berry_skip[] = {
	"checksum", "bin", "conditions", "peerDependencies", "peerDependenciesMeta", "dependenciesMeta",
	"languageName", "linkType", NULL
};

static int yarn_berry(struct cl_npm_ctx *ctx, const char *data, size_t len)
{
	struct cl_ytree tree = { 0 };
	struct cl_strmap direct = CL_STRMAP_INIT;   /* workspace dependencies as descriptors "name@range" */
	const struct cl_ynode *root, *entry;
	struct cl_npm_yaml_opts yopts = { YARN_MAX_DEPTH, berry_skip, 2 };
	struct berry_buf nbuf = { NULL, 0 };
	int error;

	if ((error = cl_deps_npm__yaml_load(&tree, ctx->path, data, len, &yopts)) < 0)
		goto done;
	root = tree.root;
	if (!cl_deps_npm__yis_map(root)) {
		error = cl_deps_npm__fail("%s: top level is not a mapping", ctx->path);
		goto done;
	}
	/* pass 1: every workspace's dependencies, as descriptors "name@range" */
	for (entry = root->first; entry; entry = entry->next) {
		const char *key = entry->key, *res, *spec;
		const struct cl_ynode *deps, *range;
		long at;

		if (strcmp(key, "__metadata") == 0)
			continue;
		if (!cl_deps_npm__yis_map(entry)) {
			error = cl_deps_npm__fail("%s: entry '%s' is not a mapping", ctx->path, key);
			goto done;
		}
		res = cl_deps_npm__ystr(entry, "resolution");
		/* only the protocol matters here: berry_name's copy of the name is not needed */
		spec = res ? res : key;
		at = cl_deps_npm__split_at(spec);
		if (at <= 0) {
			error = cl_deps_npm__fail("%s: entry '%s' has no valid resolution", ctx->path, key);
			goto done;
		}
		if (strncmp(spec + at + 1, "workspace:", 10) != 0)
			continue;
		deps = cl_deps_npm__yget(entry, "dependencies");
		if (deps && !cl_deps_npm__yis_map(deps)) {
			error = cl_deps_npm__fail("%s: 'dependencies' of '%s' is not a mapping", ctx->path, key);
			goto done;
		}
		for (range = deps ? deps->first : NULL; range; range = range->next) {
			const char *dname = range->key;
			void **slot;
			char *d;
			size_t n;
			if (range->kind != CL_YNODE_SCALAR) {
				error = cl_deps_npm__fail("%s: dependency '%s' of '%s' is not a string", ctx->path, dname, key);
				goto done;
			}
			n = strlen(dname) + range->len + 6;
			d = malloc(n);
			CL_CHECK_ALLOC(d);
			/* ranges normally carry their protocol; a bare one means npm: */
			snprintf(d, n, "%s@%s%s", dname, strchr(range->str, ':') ? "" : "npm:", range->str);
			error = cl_strmap_put(&slot, NULL, &direct, d, strlen(d));   /* a set: values unused */
			free(d);
			if (error < 0)
				goto done;
			error = 0;
		}
	}
	for (entry = root->first; entry; entry = entry->next) {
		const char *key = entry->key, *res, *proto, *version;
		char *name;
		enum cl_dep_relation relation = CL_DEP_TRANSITIVE;

		if (strcmp(key, "__metadata") == 0)
			continue;
		res = cl_deps_npm__ystr(entry, "resolution");
		name = berry_name(&nbuf, res ? res : key, &proto);
		if (!name || berry_is_local(proto))
			continue;
		if (strncmp(proto, "patch:", 6) == 0) {
			/* "a@patch:a@npm%3A1.0.0#..." is package a, patched: attribute it to a */
			char *base = strdup(proto + 6), *hash;
			const char *bproto;
			CL_CHECK_ALLOC(base);
			if ((hash = strchr(base, '#')) != NULL)
				*hash = '\0';
			berry_unescape(base);
			/* the base's name replaces the entry's in the scratch buffer */
			name = berry_name(&nbuf, base, &bproto);
			free(base);
			if (!name || berry_is_local(bproto))
				continue;
		}
		version = cl_deps_npm__ystr(entry, "version");
		if (!version) {
			error = cl_deps_npm__fail("%s: entry '%s' has no version", ctx->path, key);
			goto done;
		}
		if (berry_is_direct(&direct, key))
			relation = CL_DEP_DIRECT;
		error = cl_deps_npm__emit(ctx, name, version, relation, CL_DEP_RUNTIME, NULL,
				entry->line);
		if (error < 0)
			goto done;
	}
done:
	free(nbuf.p);
	cl_strmap_dispose(&direct);
	cl_deps_npm__ytree_dispose(&tree);
	return error;
}

/* Berry files are YAML with a __metadata entry at the top level; classic files never have one. */
static int yarn_is_berry(const char *data, size_t len)
{
	static const char tag[] = "__metadata:";
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (end - off >= sizeof(tag) - 1 && memcmp(data + off, tag, sizeof(tag) - 1) == 0)
			return 1;
		off = end + 1;
	}
	return 0;
}

int cl_deps_yarn_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_npm_ctx ctx;
	int error;

	if ((error = cl_deps_npm__check_size(path, len)) < 0)
		return error;
	cl_deps_npm__init(&ctx, path, 1);
	if (yarn_is_berry(data, len))
		error = yarn_berry(&ctx, data, len);
	else
		error = yarn_v1(&ctx, data, len);
	if (error >= 0)
		error = cl_deps_npm__commit(out, &ctx);
	cl_deps_npm__dispose(&ctx);
	return error;
}
