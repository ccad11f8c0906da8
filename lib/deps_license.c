/*
 * deps_license.c - a dependency's license: judging it (deps_license.h) and
 * reading it from vendored metadata.
 *
 * Divisions: 1. parsing and unknown markers  2. judging  3. metadata formats
 *            4. vendored metadata in a tree
 */
#include "deps_license.h"
#include "buf.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- 1. parsing and unknown markers ------------------------------------ */

/*
 * Words that stand where a license should and say there is none we can use:
 * SPDX's NOASSERTION and NONE, ClearlyDefined's "OTHER"/"non-standard", npm's
 * UNLICENSED (a private package) and "SEE LICENSE IN <file>".
 */
static const char *const unknown_words[] = {
	"NOASSERTION", "NONE", "non-standard", "nonstandard", "UNKNOWN", "UNLICENSED", "OTHER",
};

int cl_deps_license_is_unknown(const char *text)
{
	size_t i, len;

	if (!text)
		return 1;
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	len = strlen(text);
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r' ||
			text[len - 1] == '\n'))
		len--;
	if (len == 0)
		return 1;
	if (len >= 14 && strncasecmp(text, "SEE LICENSE IN", 14) == 0)
		return 1;
	for (i = 0; i < sizeof(unknown_words) / sizeof(unknown_words[0]); i++)
		if (strlen(unknown_words[i]) == len && strncasecmp(text, unknown_words[i], len) == 0)
			return 1;
	return 0;
}

/*
 * "(A OR B) WITH E" -> "(A OR B)": drop every "WITH <id>" that follows a
 * closing parenthesis. Returns 1 when something was dropped.
 */
static int strip_group_exceptions(struct cl_buf *out, const char *text)
{
	const char *p = text;
	int dropped = 0;

	while (*p) {
		if (*p == ')') {
			const char *q = p + 1;
			while (*q == ' ' || *q == '\t')
				q++;
			if (strncasecmp(q, "WITH", 4) == 0 && (q[4] == ' ' || q[4] == '\t')) {
				q += 4;
				while (*q == ' ' || *q == '\t')
					q++;
				while (*q && *q != ' ' && *q != '\t' && *q != ')' && *q != '(')
					q++;
				if (cl_buf_putc(out, ')') < 0)
					return -1;
				p = q;
				dropped = 1;
				continue;
			}
		}
		if (cl_buf_putc(out, *p++) < 0)
			return -1;
	}
	return dropped;
}

int cl_deps_license_parse(struct cl_spdx_expr **out, const char *text)
{
	struct cl_buf alt = CL_BUF_INIT;
	char first[256];
	int error, rc;

	error = cl_spdx_parse_ext(out, text, strlen(text), CL_SPDX_PARSE_LAX);
	if (error != CL_EINVALID)
		return error;
	snprintf(first, sizeof(first), "%s", cl_error_last());
	if ((rc = strip_group_exceptions(&alt, text)) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (rc == 0)
		goto restore;
	error = cl_spdx_parse_ext(out, cl_buf_cstr(&alt), alt.size, CL_SPDX_PARSE_LAX);
	if (error != CL_EINVALID)
		goto done;
restore:
	/* The message about what the user wrote, not about our rewrite. */
	error = cl_error_setc(CL_EINVALID, "%s", first);
done:
	cl_buf_dispose(&alt);
	return error;
}

/* ---- 2. judging -------------------------------------------------------- */

const char *cl_deps_license_verdict_name(enum cl_deps_license_verdict verdict)
{
	static const char *const names[] = { "allowed", "denied", "not-allowed", "unknown" };
	if ((unsigned)verdict >= sizeof(names) / sizeof(names[0]))
		CL_BUG("license verdict out of range");
	return names[verdict];
}

void cl_deps_license_result_dispose(struct cl_deps_license_result *result)
{
	if (!result)
		return;
	free(result->expression);
	free(result->detail);
	result->expression = NULL;
	result->detail = NULL;
}

struct judge_walk {
	const struct cl_pattern_list *allow, *deny;
	struct cl_pattern_list ok;     /* the ids found ok, as literal caseless patterns */
	struct cl_buf denied;          /* "A (denied by 'P'), B (...)" */
	struct cl_buf not_allowed;     /* "A, B" */
	struct cl_buf unknown;         /* ids not on the SPDX list */
	int error;
};

static int is_license_ref(const char *id)
{
	return strncasecmp(id, "LicenseRef-", 11) == 0 || strncasecmp(id, "DocumentRef-", 12) == 0;
}

/* Append ", " before all but the first item. */
static int list_put(struct cl_buf *b, const char *fmt, const char *a, const char *c)
{
	if (b->size && cl_buf_puts(b, ", ") < 0)
		return -1;
	return cl_buf_printf(b, fmt, a, c);
}

/* The first pattern of `list` that admits the single license `one`, or NULL. */
static int first_match(const char **out, const struct cl_spdx_expr *one, const struct cl_pattern_list *list)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < list->count; i++) {
		struct cl_pattern_list single = { &list->items[i], 1 };
		int rc = cl_spdx_satisfies(one, &single);
		if (rc < 0)
			return rc;
		if (rc) {
			*out = cl_pattern_text(list->items[i]);
			return 0;
		}
	}
	return 0;
}

static int judge_id(const char *id, int is_exception, void *payload)
{
	struct judge_walk *w = payload;
	struct cl_spdx_expr *one = NULL;
	const char *denied_by = NULL;
	int allowed, error = 0;

	/* An exception adds permissions; it never makes a license worse. */
	if (is_exception)
		return 0;
	if (!cl_spdx_license_find(id) && !is_license_ref(id)) {
		error = list_put(&w->unknown, "%s%s", id, "");
		goto done;
	}
	if ((error = cl_spdx_parse_ext(&one, id, strlen(id), CL_SPDX_PARSE_LAX)) < 0)
		goto done;
	if ((error = first_match(&denied_by, one, w->deny)) < 0)
		goto done;
	if (denied_by) {
		error = list_put(&w->denied, "%s matches '%s'", id, denied_by);
		goto done;
	}
	if (w->allow->count == 0) {
		allowed = 1;
	} else if ((allowed = cl_spdx_satisfies(one, w->allow)) < 0) {
		error = allowed;
		goto done;
	}
	if (allowed) {
		error = cl_pattern_list_add(&w->ok, id, CL_PATTERN_CASELESS);
		goto done;
	}
	/*
	 * The walk drops "+": "GPL-2.0+" arrives as "GPL-2.0". When only the
	 * "or later" form is allowed (allow: [GPL-2.0-or-later]), the literal
	 * "L+" joins the ok set, so that the expression's "L+" passes and a
	 * plain "L" elsewhere still does not.
	 */
	if (!is_license_ref(id)) {
		struct cl_buf plus = CL_BUF_INIT;
		cl_spdx_expr_free(one);
		one = NULL;
		if ((error = cl_buf_printf(&plus, "%s+", id)) >= 0 &&
		    (error = cl_spdx_parse_ext(&one, plus.ptr, plus.size, CL_SPDX_PARSE_LAX)) >= 0 &&
		    (allowed = cl_spdx_satisfies(one, w->allow)) > 0)
			error = cl_pattern_list_add(&w->ok, plus.ptr, CL_PATTERN_CASELESS);
		else if (error >= 0 && allowed < 0)
			error = allowed;
		cl_buf_dispose(&plus);
		if (error < 0 || allowed)
			goto done;
	}
	error = list_put(&w->not_allowed, "%s%s", id, "");
done:
	cl_spdx_expr_free(one);
	if (error < 0) {
		w->error = error;
		return 1;
	}
	return 0;
}

static int set_detail(char **out, const char *fmt, const char *a)
{
	struct cl_buf b = CL_BUF_INIT;
	if (cl_buf_printf(&b, fmt, a) < 0) {
		cl_buf_dispose(&b);
		return cl_error_set("out of memory");
	}
	*out = cl_buf_detach(&b);
	return 0;
}

int cl_deps_license_judge(struct cl_deps_license_result *out, const char *text,
	const struct cl_pattern_list *allow, const struct cl_pattern_list *deny)
{
	struct cl_deps_license_result r = { CL_DEPS_LICENSE_UNKNOWN, NULL, NULL };
	struct judge_walk w;
	struct cl_spdx_expr *expr = NULL;
	struct cl_buf canon = CL_BUF_INIT;
	int error = 0, rc;

	memset(&w, 0, sizeof(w));
	w.allow = allow;
	w.deny = deny;
	if (text && (r.expression = strdup(text)) == NULL) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (cl_deps_license_is_unknown(text)) {
		error = set_detail(&r.detail, "%s", text && *text ? text : "no license declared");
		goto finish;
	}
	if ((rc = cl_deps_license_parse(&expr, text)) < 0) {
		if (rc != CL_EINVALID && rc != CL_ETOOBIG) {
			error = rc;
			goto done;
		}
		error = set_detail(&r.detail, "not an SPDX expression: %s", cl_error_last());
		cl_error_clear();
		goto finish;
	}
	if ((error = cl_spdx_expr_to_string(&canon, expr)) < 0)
		goto done;
	free(r.expression);
	r.expression = cl_buf_detach(&canon);
	CL_CHECK_ALLOC(r.expression);
	cl_spdx_expr_foreach_id(expr, judge_id, &w);
	if ((error = w.error) < 0)
		goto done;
	if ((rc = cl_spdx_satisfies(expr, &w.ok)) < 0) {
		error = rc;
		goto done;
	}
	if (rc) {
		r.verdict = CL_DEPS_LICENSE_ALLOWED;
	} else if (w.denied.size) {
		r.verdict = CL_DEPS_LICENSE_DENIED;
		error = set_detail(&r.detail, "%s", cl_buf_cstr(&w.denied));
	} else if (w.unknown.size) {
		r.verdict = CL_DEPS_LICENSE_UNKNOWN;
		error = set_detail(&r.detail, "not on the SPDX license list: %s", cl_buf_cstr(&w.unknown));
	} else {
		r.verdict = CL_DEPS_LICENSE_NOT_ALLOWED;
		error = set_detail(&r.detail, "%s", cl_buf_cstr(&w.not_allowed));
	}
finish:
	if (error < 0)
		goto done;
	*out = r;
	memset(&r, 0, sizeof(r));
done:
	cl_deps_license_result_dispose(&r);
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&canon);
	cl_pattern_list_dispose(&w.ok);
	cl_buf_dispose(&w.denied);
	cl_buf_dispose(&w.not_allowed);
	cl_buf_dispose(&w.unknown);
	return error;
}

/* The canonical text of `text`, or NULL when it does not parse (or no memory). */
static char *canonical(const char *text)
{
	struct cl_spdx_expr *expr = NULL;
	struct cl_buf b = CL_BUF_INIT;
	char *s = NULL;

	if (cl_deps_license_parse(&expr, text) == 0 && cl_spdx_expr_to_string(&b, expr) == 0)
		s = cl_buf_detach(&b);
	cl_error_clear();
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&b);
	return s;
}

int cl_deps_license_equal(const char *a, const char *b)
{
	char *ca, *cb;
	int eq;

	if (!a || !b)
		return a == b;
	if (strcasecmp(a, b) == 0)
		return 1;
	ca = canonical(a);
	cb = canonical(b);
	eq = ca && cb && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return eq;
}

/* ---- 3. metadata formats ------------------------------------------------ */

/* A license entry of package.json: "MIT", or the old {"type": "MIT", "url": ...}. */
static const char *pkg_license_text(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_object(v) && json_is_string(json_object_get(v, "type")))
		return json_string_value(json_object_get(v, "type"));
	return NULL;
}

int cl_deps_license_from_package_json(char **out, const char *data, size_t len)
{
	struct cl_buf b = CL_BUF_INIT;
	json_t *root, *v;
	const char *s;
	int error = CL_ENOTFOUND;

	root = json_loadb(data ? data : "", data ? len : 0, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return cl_error_setc(CL_EINVALID, "package.json is not a JSON object");
	}
	if ((s = pkg_license_text(json_object_get(root, "license"))) != NULL && *s) {
		error = cl_buf_puts(&b, s);
	} else if (json_is_array(v = json_object_get(root, "licenses"))) {
		size_t i;
		/* The old "licenses" array offered a choice: any one of them. */
		for (i = 0; i < json_array_size(v); i++) {
			if ((s = pkg_license_text(json_array_get(v, i))) == NULL || !*s)
				continue;
			if ((error = cl_buf_printf(&b, "%s%s", b.size ? " OR " : "", s)) < 0)
				break;
		}
		if (error >= 0 && b.size == 0)
			error = CL_ENOTFOUND;
	}
	if (error >= 0) {
		if ((*out = cl_buf_detach(&b)) == NULL)
			error = cl_error_set("out of memory");
	} else if (error == CL_ENOTFOUND) {
		cl_error_setc(CL_ENOTFOUND, "package.json declares no license");
	}
	cl_buf_dispose(&b);
	json_decref(root);
	return error;
}

/*
 * Trove classifiers that name exactly one SPDX license. Umbrella ones
 * ("BSD License", "GNU General Public License (GPL)") name none: several
 * licenses fit, so they are not guessed at.
 */
static const struct {
	const char *classifier;   /* the text after "License :: [OSI Approved :: ]" */
	const char *spdx;
} classifiers[] = {
	{ "MIT License", "MIT" },
	{ "MIT No Attribution License (MIT-0)", "MIT-0" },
	{ "Apache Software License", "Apache-2.0" },
	{ "ISC License (ISCL)", "ISC" },
	{ "Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0" },
	{ "Python Software Foundation License", "PSF-2.0" },
	{ "The Unlicense (Unlicense)", "Unlicense" },
	{ "Boost Software License 1.0 (BSL-1.0)", "BSL-1.0" },
	{ "zlib/libpng License", "Zlib" },
	{ "Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0" },
	{ "GNU General Public License v2 (GPLv2)", "GPL-2.0-only" },
	{ "GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later" },
	{ "GNU General Public License v3 (GPLv3)", "GPL-3.0-only" },
	{ "GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later" },
	{ "GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only" },
	{ "GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later" },
	{ "GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only" },
	{ "GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later" },
	{ "GNU Affero General Public License v3", "AGPL-3.0-only" },
	{ "GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later" },
	{ "European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2" },
	{ "Universal Permissive License (UPL)", "UPL-1.0" },
};

static const char *classifier_spdx(const char *v, size_t len)
{
	static const char osi[] = "OSI Approved :: ";
	size_t i;

	if (len >= sizeof(osi) - 1 && memcmp(v, osi, sizeof(osi) - 1) == 0) {
		v += sizeof(osi) - 1;
		len -= sizeof(osi) - 1;
	}
	for (i = 0; i < sizeof(classifiers) / sizeof(classifiers[0]); i++)
		if (strlen(classifiers[i].classifier) == len && memcmp(classifiers[i].classifier, v, len) == 0)
			return classifiers[i].spdx;
	return NULL;
}

/* Does `v` (len bytes) parse as an SPDX expression on its own? */
static int is_expression(const char *v, size_t len)
{
	struct cl_spdx_expr *expr = NULL;
	char *s = strndup(v, len);
	int ok;

	if (!s)
		return 0;
	ok = !cl_deps_license_is_unknown(s) && cl_deps_license_parse(&expr, s) == 0;
	cl_error_clear();
	cl_spdx_expr_free(expr);
	free(s);
	return ok;
}

int cl_deps_license_from_metadata(char **out, const char *data, size_t len)
{
	struct cl_buf expr = CL_BUF_INIT, license = CL_BUF_INIT, trove = CL_BUF_INIT;
	const char *p = data, *end = data + len;
	int error = 0;

	/* Headers end at the first empty line; the description follows. */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *v;
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p), vlen;

		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break;
		v = memchr(p, ':', n);
		if (v && p[0] != ' ' && p[0] != '\t') {
			size_t klen = (size_t)(v - p);
			v++;
			while (v < p + n && (*v == ' ' || *v == '\t'))
				v++;
			vlen = (size_t)(p + n - v);
			if (klen == 18 && strncasecmp(p, "License-Expression", 18) == 0 && !expr.size) {
				error = cl_buf_put(&expr, v, vlen);
			} else if (klen == 7 && strncasecmp(p, "License", 7) == 0 && !license.size &&
				   vlen && is_expression(v, vlen)) {
				error = cl_buf_put(&license, v, vlen);
			} else if (klen == 10 && strncasecmp(p, "Classifier", 10) == 0 &&
				   vlen > 11 && memcmp(v, "License :: ", 11) == 0) {
				const char *spdx = classifier_spdx(v + 11, vlen - 11);
				if (spdx)
					error = cl_buf_printf(&trove, "%s%s", trove.size ? " OR " : "", spdx);
			}
			if (error < 0)
				goto done;
		}
		p = eol ? eol + 1 : end;
	}
	if (expr.size)
		*out = cl_buf_detach(&expr);
	else if (license.size)
		*out = cl_buf_detach(&license);
	else if (trove.size)
		*out = cl_buf_detach(&trove);
	else {
		error = cl_error_setc(CL_ENOTFOUND, "METADATA declares no license");
		goto done;
	}
	if (!*out)
		error = cl_error_set("out of memory");
done:
	cl_buf_dispose(&expr);
	cl_buf_dispose(&license);
	cl_buf_dispose(&trove);
	return error;
}

/* ---- 4. vendored metadata in a tree ------------------------------------ */

/* Read the blob at `path` of `tree` (at most the metadata cap); CL_ENOTFOUND if absent. */
static int read_blob(struct cl_buf *out, git_repository *repo, git_tree *tree, const char *path)
{
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int error = CL_ENOTFOUND;

	if (git_tree_entry_bypath(&entry, tree, path) < 0) {
		git_error_clear();
		goto done;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		goto done;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		error = cl_error_from_git(path);
		goto done;
	}
	if ((size_t)git_blob_rawsize(blob) > CL_DEPS_LICENSE_MAX_METADATA)
		goto done;
	error = cl_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	return error;
}

static size_t dir_len(const struct cl_dep *dep)
{
	const char *slash = dep->manifest ? strrchr(dep->manifest, '/') : NULL;
	return slash ? (size_t)(slash + 1 - dep->manifest) : 0;
}

static int vendored_npm(char **out, git_repository *repo, git_tree *tree, const struct cl_dep *dep)
{
	struct cl_buf path = CL_BUF_INIT, data = CL_BUF_INIT;
	int error;

	if ((error = cl_buf_printf(&path, "%.*snode_modules/%s/package.json", (int)dir_len(dep),
			dep->manifest ? dep->manifest : "", dep->name)) < 0)
		goto done;
	if ((error = read_blob(&data, repo, tree, cl_buf_cstr(&path))) < 0)
		goto done;
	error = cl_deps_license_from_package_json(out, data.ptr, data.size);
	if (error == CL_EINVALID)
		error = CL_ENOTFOUND;
done:
	cl_buf_dispose(&path);
	cl_buf_dispose(&data);
	return error;
}

/* "Foo_Bar-1.2.dist-info" for pypi name "foo-bar" (version: any when NULL). */
static int dist_info_matches(const char *entry, const struct cl_dep *dep)
{
	static const char suffix[] = ".dist-info";
	size_t len = strlen(entry), i, j;
	const char *dash, *name = dep->name;

	if (len <= sizeof(suffix) - 1 || strcmp(entry + len - (sizeof(suffix) - 1), suffix) != 0)
		return 0;
	len -= sizeof(suffix) - 1;
	/* Wheel directory names escape '-' in the name as '_', so the first '-' ends it. */
	if ((dash = memchr(entry, '-', len)) == NULL)
		return 0;
	for (i = 0, j = 0; entry + i < dash; i++, j++) {
		char a = entry[i], b = name[j];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a == '_' || a == '.')
			a = '-';
		if (b == '\0' || a != b)
			return 0;
	}
	if (name[j] != '\0')
		return 0;
	if (!dep->version)
		return 1;
	return strlen(dep->version) == (size_t)(entry + len - dash - 1) &&
	       memcmp(dep->version, dash + 1, strlen(dep->version)) == 0;
}

static int vendored_pypi(char **out, git_repository *repo, git_tree *tree, const struct cl_dep *dep)
{
	static const char *const places[] = { "", "vendor/", "_vendor/", "site-packages/" };
	struct cl_buf path = CL_BUF_INIT, data = CL_BUF_INIT;
	git_tree *sub = NULL;
	git_tree_entry *te = NULL;
	size_t p, i;
	int error = CL_ENOTFOUND;

	for (p = 0; p < sizeof(places) / sizeof(places[0]) && error == CL_ENOTFOUND; p++) {
		git_tree *dir = tree;

		cl_buf_clear(&path);
		if ((error = cl_buf_printf(&path, "%.*s%s", (int)dir_len(dep),
				dep->manifest ? dep->manifest : "", places[p])) < 0)
			goto done;
		if (path.size) {
			path.ptr[--path.size] = '\0';   /* the directory, without its '/' */
			if (git_tree_entry_bypath(&te, tree, cl_buf_cstr(&path)) < 0 ||
			    git_tree_entry_type(te) != GIT_OBJECT_TREE ||
			    git_tree_lookup(&sub, repo, git_tree_entry_id(te)) < 0) {
				git_error_clear();
				git_tree_entry_free(te);
				te = NULL;
				error = CL_ENOTFOUND;
				continue;
			}
			git_tree_entry_free(te);
			te = NULL;
			dir = sub;
			cl_buf_putc(&path, '/');
		}
		error = CL_ENOTFOUND;
		for (i = 0; i < git_tree_entrycount(dir) && error == CL_ENOTFOUND; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(dir, i);
			size_t keep = path.size;

			if (git_tree_entry_type(e) != GIT_OBJECT_TREE || !dist_info_matches(git_tree_entry_name(e), dep))
				continue;
			if ((error = cl_buf_printf(&path, "%s/METADATA", git_tree_entry_name(e))) < 0)
				goto done;
			cl_buf_clear(&data);
			error = read_blob(&data, repo, tree, cl_buf_cstr(&path));
			if (error == 0)
				error = cl_deps_license_from_metadata(out, data.ptr, data.size);
			path.size = keep;
			path.ptr[keep] = '\0';
		}
		git_tree_free(sub);
		sub = NULL;
	}
done:
	git_tree_free(sub);
	git_tree_entry_free(te);
	cl_buf_dispose(&path);
	cl_buf_dispose(&data);
	return error;
}

int cl_deps_license_vendored(char **out, git_repository *repo, git_tree *tree,
	const struct cl_dep *dep)
{
	int error;

	if (!tree)
		return CL_ENOTFOUND;
	if (!strcmp(dep->ecosystem, "npm"))
		error = vendored_npm(out, repo, tree, dep);
	else if (!strcmp(dep->ecosystem, "pypi"))
		error = vendored_pypi(out, repo, tree, dep);
	else
		error = CL_ENOTFOUND;
	if (error == CL_ENOTFOUND)
		cl_error_clear();
	return error;
}
