/*
 * spdx-gen - compile the SPDX license list (the .tsv files of data/spdx/) into the C table
 * lib/spdx.c searches, so the program carries the list with it and the build
 * needs no network (the .tsv files are committed; tools/spdx-update.sh
 * regenerates them).
 *
 * usage: spdx-gen OUT.c LICENSES.tsv EXCEPTIONS.tsv REPLACEMENTS.tsv
 *
 * Input: '#' lines are comments, except "# source: TEXT", which is recorded;
 * other lines are tab-separated:
 *   licenses:      id, deprecated (0/1), osi (0/1/-), name
 *   exceptions:    id, deprecated (0/1), name
 *   replacements:  deprecated id, replacement, replacement with "+" ("-": none)
 *
 * Besides copying, it derives the replacement of the deprecated GNU-style ids
 * from the list itself: a deprecated X whose "X-only" is in the list is
 * replaced by X-only, and X+ by "X-or-later" when the list has it. The table
 * of replacements.tsv covers the rest and wins over the rule.
 *
 * The output is sorted by id, ASCII case-folded: the order lib/spdx.c's binary
 * search assumes (its fold is the same as fold_cmp here). Any malformed line,
 * duplicate id or stale replacement is an error: the build stops rather than
 * compile a list it cannot trust.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *id;
	char *name;
	int deprecated;
	int osi;             /* licenses: 1, 0, -1 unknown */
	char *replacement;   /* NULL: none */
	char *replacement_plus;
	int has_table_entry;
};

struct list {
	struct entry *items;
	size_t count, alloc;
};

static const char *prog = "spdx-gen";
static char sources[1024];

static void die(const char *file, size_t line, const char *msg, const char *what)
{
	if (line)
		fprintf(stderr, "%s: %s:%zu: %s%s%s%s\n", prog, file, line, msg,
			what ? " '" : "", what ? what : "", what ? "'" : "");
	else
		fprintf(stderr, "%s: %s: %s%s%s%s\n", prog, file, msg,
			what ? " '" : "", what ? what : "", what ? "'" : "");
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Must order exactly as lib/spdx.c's spdx_casecmp does. */
static int fold_cmp(const char *a, const char *b)
{
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b)) {
		a++;
		b++;
	}
	return fold((unsigned char)*a) - fold((unsigned char)*b);
}

static int entry_cmp(const void *a, const void *b)
{
	return fold_cmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

static int idstring_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static char *read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, alloc = 0, n;

	if (!fp)
		die(path, 0, strerror(errno), NULL);
	do {
		if (alloc - len < 4096) {
			char *bigger;
			alloc = alloc ? alloc * 2 : 65536;
			bigger = realloc(data, alloc + 1);
			if (!bigger)
				die(path, 0, "out of memory", NULL);
			data = bigger;
		}
		n = fread(data + len, 1, alloc - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp))
		die(path, 0, "read error", NULL);
	fclose(fp);
	data[len] = '\0';
	if (strlen(data) != len)
		die(path, 0, "contains a NUL byte", NULL);
	return data;
}

/*
 * Split `line` (modified in place) at tabs into exactly `want` fields.
 * A '\r' before the line end is dropped so a CRLF checkout still builds.
 */
static void split(char **fields, size_t want, char *line, const char *file, size_t lineno)
{
	size_t n = 0, len = strlen(line);
	char *p = line;

	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	for (;;) {
		char *tab = strchr(p, '\t');
		if (n == want)
			die(file, lineno, "too many fields", NULL);
		fields[n++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	if (n != want)
		die(file, lineno, "too few fields", NULL);
}

static int flag(const char *s, int allow_unknown, const char *file, size_t lineno)
{
	if (strcmp(s, "0") == 0)
		return 0;
	if (strcmp(s, "1") == 0)
		return 1;
	if (allow_unknown && strcmp(s, "-") == 0)
		return -1;
	die(file, lineno, "expected 0 or 1, not", s);
	return 0;
}

static void add_source(const char *text)
{
	size_t used = strlen(sources);
	snprintf(sources + used, sizeof(sources) - used, "%s%s", used ? " " : "", text);
}

/* Call `row` for each data line of `path`. */
static void each_line(const char *path, size_t want,
	void (*row)(char **fields, const char *file, size_t lineno, void *payload), void *payload)
{
	char *data = read_all(path), *line = data, *fields[8];
	size_t lineno = 0;

	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (strncmp(line, "# source: ", 10) == 0)
			add_source(line + 10);
		else if (*line && *line != '#' && strcmp(line, "\r") != 0) {
			split(fields, want, line, path, lineno);
			row(fields, path, lineno, payload);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	free(data);
}

static struct entry *list_push(struct list *l)
{
	if (l->count == l->alloc) {
		struct entry *bigger;
		l->alloc = l->alloc ? l->alloc * 2 : 1024;
		bigger = realloc(l->items, l->alloc * sizeof(*bigger));
		if (!bigger)
			die("list", 0, "out of memory", NULL);
		l->items = bigger;
	}
	memset(&l->items[l->count], 0, sizeof(l->items[0]));
	return &l->items[l->count++];
}

static void license_row(char **f, const char *file, size_t lineno, void *payload)
{
	struct entry *e = list_push(payload);

	if (!idstring_ok(f[0]))
		die(file, lineno, "not an SPDX idstring:", f[0]);
	e->id = xstrndup(f[0], strlen(f[0]));
	e->deprecated = flag(f[1], 0, file, lineno);
	e->osi = flag(f[2], 1, file, lineno);
	e->name = xstrndup(f[3], strlen(f[3]));
}

static void exception_row(char **f, const char *file, size_t lineno, void *payload)
{
	struct entry *e = list_push(payload);

	if (!idstring_ok(f[0]))
		die(file, lineno, "not an SPDX idstring:", f[0]);
	e->id = xstrndup(f[0], strlen(f[0]));
	e->deprecated = flag(f[1], 0, file, lineno);
	e->osi = -1;
	e->name = xstrndup(f[2], strlen(f[2]));
}

static struct entry *find(struct list *l, const char *id)
{
	struct entry key;
	key.id = (char *)id;
	return l->count ? bsearch(&key, l->items, l->count, sizeof(key), entry_cmp) : NULL;
}

struct lists {
	struct list licenses, exceptions;
};

static char *optional(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : xstrndup(s, strlen(s));
}

static void replacement_row(char **f, const char *file, size_t lineno, void *payload)
{
	struct lists *lists = payload;
	struct entry *e = find(&lists->licenses, f[0]);
	int is_exception = 0;

	if (!e) {
		e = find(&lists->exceptions, f[0]);
		is_exception = 1;
	}
	if (!e)
		die(file, lineno, "replacement for an id the list does not have:", f[0]);
	if (!e->deprecated)
		die(file, lineno, "replacement for an id that is not deprecated:", f[0]);
	if (strcmp(e->id, f[0]) != 0)
		die(file, lineno, "write the id as the list spells it:", e->id);
	if (e->has_table_entry)
		die(file, lineno, "second replacement for", f[0]);
	if (is_exception && strcmp(f[2], "-") != 0)
		die(file, lineno, "an exception cannot be written with '+':", f[0]);
	if (!*f[1] || !*f[2])
		die(file, lineno, "empty replacement (write '-' for none) for", f[0]);
	e->has_table_entry = 1;
	e->replacement = optional(f[1]);
	e->replacement_plus = optional(f[2]);
}

static void check_unique(struct list *l, const char *what)
{
	size_t i;
	for (i = 1; i < l->count; i++)
		if (fold_cmp(l->items[i - 1].id, l->items[i].id) == 0)
			die(what, 0, "duplicate id", l->items[i].id);
}

/* Deprecated X with X-only in the list: X -> X-only, X+ -> X-or-later. */
static void derive_gnu_rule(struct list *l)
{
	char buf[256];
	size_t i;

	for (i = 0; i < l->count; i++) {
		struct entry *e = &l->items[i], *only, *later;

		if (!e->deprecated || e->has_table_entry)
			continue;
		snprintf(buf, sizeof(buf), "%s-only", e->id);
		only = find(l, buf);
		if (!only || only->deprecated)
			continue;
		e->replacement = xstrndup(only->id, strlen(only->id));
		snprintf(buf, sizeof(buf), "%s-or-later", e->id);
		later = find(l, buf);
		if (later && !later->deprecated)
			e->replacement_plus = xstrndup(later->id, strlen(later->id));
	}
}

/* A C string literal; bytes outside printable ASCII as 3-digit octal. */
static void put_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		/* '?' too: -std=c11 still honours trigraphs such as "??)". */
		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

int main(int argc, char **argv)
{
	struct lists lists;
	char tmp[4096];
	FILE *out;
	size_t i;

	if (argc != 5) {
		fprintf(stderr, "usage: %s OUT.c LICENSES.tsv EXCEPTIONS.tsv REPLACEMENTS.tsv\n", prog);
		return 2;
	}
	memset(&lists, 0, sizeof(lists));
	each_line(argv[2], 4, license_row, &lists.licenses);
	each_line(argv[3], 3, exception_row, &lists.exceptions);
	qsort(lists.licenses.items, lists.licenses.count, sizeof(struct entry), entry_cmp);
	qsort(lists.exceptions.items, lists.exceptions.count, sizeof(struct entry), entry_cmp);
	check_unique(&lists.licenses, argv[2]);
	check_unique(&lists.exceptions, argv[3]);
	for (i = 0; i < lists.licenses.count; i++)
		if (find(&lists.exceptions, lists.licenses.items[i].id))
			die(argv[3], 0, "id is both a license and an exception:", lists.licenses.items[i].id);
	if (lists.licenses.count == 0 || lists.exceptions.count == 0)
		die(argv[2], 0, "empty list", NULL);
	each_line(argv[4], 3, replacement_row, &lists);
	derive_gnu_rule(&lists.licenses);

	/* Write to a temporary name: a half-written table must never look built. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]) >= (int)sizeof(tmp))
		die(argv[1], 0, "path too long", NULL);
	out = fopen(tmp, "w");
	if (!out)
		die(tmp, 0, strerror(errno), NULL);
	fprintf(out, "/* generated by tools/spdx-gen.c from data/spdx/; do not edit */\n"
		"#define CL_SPDX_TABLE_INTERNAL\n#include \"spdx.h\"\n\n"
		"const char cl_spdx__source[] = ");
	put_string(out, sources);
	fprintf(out, ";\n\nconst struct cl_spdx_license cl_spdx__licenses[] = {\n");
	for (i = 0; i < lists.licenses.count; i++) {
		struct entry *e = &lists.licenses.items[i];
		fputs("\t{ ", out);
		put_string(out, e->id);
		fputs(", ", out);
		put_string(out, e->name);
		fprintf(out, ", %d, %d, ", e->deprecated, e->osi);
		put_string(out, e->replacement);
		fputs(", ", out);
		put_string(out, e->replacement_plus);
		fputs(" },\n", out);
	}
	fprintf(out, "};\nconst size_t cl_spdx__license_count = %zu;\n\n"
		"const struct cl_spdx_exception cl_spdx__exceptions[] = {\n", lists.licenses.count);
	for (i = 0; i < lists.exceptions.count; i++) {
		struct entry *e = &lists.exceptions.items[i];
		fputs("\t{ ", out);
		put_string(out, e->id);
		fputs(", ", out);
		put_string(out, e->name);
		fprintf(out, ", %d, ", e->deprecated);
		put_string(out, e->replacement);
		fputs(" },\n", out);
	}
	fprintf(out, "};\nconst size_t cl_spdx__exception_count = %zu;\n", lists.exceptions.count);
	if (ferror(out) || fclose(out) != 0)
		die(tmp, 0, "write error", NULL);
	if (rename(tmp, argv[1]) != 0)
		die(argv[1], 0, strerror(errno), NULL);
	return 0;
}
