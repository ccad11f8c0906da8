/*
 * deps_composer.c - composer.json and composer.lock (see deps_composer.h).
 */
#include "deps_composer.h"
#include "buf.h"
#include "error.h"
#include "json_arena.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A composer.lock of a large application is a few MB; 64 MiB is hostile. */
#define COMPOSER_MAX_SIZE (64u * 1024 * 1024)

static const char COMPOSER_ECO[] = "composer";

/*
 * Append every entry of `tmp` to `out` and empty `tmp`. The room is reserved
 * first so that a failure leaves `out` exactly as it was.
 */
static int composer_commit(struct cl_dep_list *out, struct cl_dep_list *tmp)
{
	size_t need = out->count + tmp->count;

	if (tmp->count == 0)
		return 0;
	if (need > out->alloc) {
		struct cl_dep *p = realloc(out->items, need * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		out->items = p;
		out->alloc = need;
	}
	memcpy(out->items + out->count, tmp->items, tmp->count * sizeof(*tmp->items));
	out->count = need;
	free(tmp->items);
	tmp->items = NULL;
	tmp->count = tmp->alloc = 0;
	return 0;
}

/*
 * Jansson's message quotes the offending input ("near '...'"), which may hold
 * newlines and control bytes; our messages are one printable line.
 */
static int composer_syntax_error(const char *path, const json_error_t *jerr)
{
	char text[JSON_ERROR_TEXT_LENGTH];
	size_t i;

	for (i = 0; i + 1 < sizeof(text) && jerr->text[i]; i++)
		text[i] = (unsigned char)jerr->text[i] < 0x20 || jerr->text[i] == 0x7f ? '?' : jerr->text[i];
	text[i] = '\0';
	return cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, jerr->line, jerr->column > 0 ? jerr->column : 1, text);
}

static int composer_load(json_t **out, const char *path, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *root;

	if (len > COMPOSER_MAX_SIZE)
		return cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, COMPOSER_MAX_SIZE);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return composer_syntax_error(path, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return cl_error_setc(CL_EINVALID, "%s: top level is not an object", path);
	}
	*out = root;
	return 0;
}

/* Platform requirements are not packages: see the header. */
static int composer_is_platform(const char *name)
{
	return strchr(name, '/') == NULL;
}

static int composer_require(struct cl_dep_list *tmp, const char *path, json_t *root, const char *key,
			    enum cl_dep_scope scope)
{
	json_t *obj = json_object_get(root, key), *v;
	const char *name;
	struct cl_dep dep;
	int error;

	if (!obj)
		return 0;
	if (!json_is_object(obj))
		return cl_error_setc(CL_EINVALID, "%s: \"%s\" is not an object", path, key);
	json_object_foreach(obj, name, v) {
		if (!json_is_string(v))
			return cl_error_setc(CL_EINVALID, "%s: \"%s\".\"%s\" is not a string", path, key, name);
		if (name[0] == '\0')
			return cl_error_setc(CL_EINVALID, "%s: empty package name in \"%s\"", path, key);
		if (composer_is_platform(name))
			continue;
		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = COMPOSER_ECO;
		dep.name = name;
		dep.version = json_string_value(v);
		dep.relation = CL_DEP_DIRECT;
		dep.scope = scope;
		dep.manifest = path;
		if ((error = cl_dep_list_add(tmp, &dep)) < 0)
			return error;
	}
	return 0;
}

int cl_deps_composer_json_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL;
	int error;

	if ((error = composer_load(&root, path, data, len)) < 0)
		goto done;
	if ((error = composer_require(&tmp, path, root, "require", CL_DEP_RUNTIME)) < 0 ||
	    (error = composer_require(&tmp, path, root, "require-dev", CL_DEP_DEV)) < 0)
		goto done;
	error = composer_commit(out, &tmp);
done:
	cl_dep_list_dispose(&tmp);
	json_decref(root);
	return error;
}

/* Composer package names are case-insensitive; the set keys are lowercase. */
static int composer_lower(struct cl_buf *b, const char *s)
{
	cl_buf_clear(b);
	for (; *s; s++)
		if (cl_buf_putc(b, (char)tolower((unsigned char)*s)) < 0)
			return CL_ERROR;
	return 0;
}

/* Collect the names every locked package requires, into the object `required`. */
static int composer_collect_required(json_t *required, const char *path, json_t *list, const char *key)
{
	struct cl_buf lower = CL_BUF_INIT;
	const char *name;
	json_t *pkg, *req, *v;
	size_t i;
	int error = 0;

	json_array_foreach(list, i, pkg) {
		if (!json_is_object(pkg)) {
			error = cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu] is not an object", path, key, i);
			goto done;
		}
		req = json_object_get(pkg, "require");
		if (!req)
			continue;
		/* an empty "require" is written [] by PHP's json_encode */
		if (json_is_array(req) && json_array_size(req) == 0)
			continue;
		if (!json_is_object(req)) {
			error = cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu].require is not an object", path, key, i);
			goto done;
		}
		json_object_foreach(req, name, v) {
			if (composer_lower(&lower, name) < 0 ||
			    json_object_set_new_nocheck(required, cl_buf_cstr(&lower), json_true()) < 0) {
				error = cl_error_set("out of memory");
				goto done;
			}
		}
	}
done:
	cl_buf_dispose(&lower);
	return error;
}

/* The "license" field: an array of SPDX ids (a disjunction) or, in old locks, a string. */
static int composer_license(struct cl_buf *out, const char *path, const char *key, size_t idx, json_t *lic)
{
	json_t *v;
	size_t i, n;

	cl_buf_clear(out);
	if (!lic || json_is_null(lic))
		return 0;
	if (json_is_string(lic))
		return cl_buf_puts(out, json_string_value(lic));
	if (!json_is_array(lic))
		return cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu].license is not an array", path, key, idx);
	n = json_array_size(lic);
	json_array_foreach(lic, i, v) {
		const char *s = json_string_value(v);
		/* a compound element keeps its meaning inside the disjunction */
		int wrap = n > 1 && s && strchr(s, ' ') != NULL;

		if (!s)
			return cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu].license[%zu] is not a string", path, key, idx, i);
		if ((i > 0 && cl_buf_puts(out, " OR ") < 0) || (wrap && cl_buf_putc(out, '(') < 0) ||
		    cl_buf_puts(out, s) < 0 || (wrap && cl_buf_putc(out, ')') < 0))
			return cl_error_set("out of memory");
	}
	return 0;
}

static int composer_packages(struct cl_dep_list *tmp, const char *path, json_t *list, const char *key,
			     enum cl_dep_scope scope, json_t *required)
{
	struct cl_buf lic = CL_BUF_INIT, lower = CL_BUF_INIT;
	struct cl_dep dep;
	json_t *pkg;
	size_t i;
	int error = 0;

	json_array_foreach(list, i, pkg) {
		const char *name = json_string_value(json_object_get(pkg, "name"));
		json_t *ver = json_object_get(pkg, "version");

		if (!name || name[0] == '\0') {
			error = cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu] has no \"name\" string", path, key, i);
			goto done;
		}
		if (ver && !json_is_string(ver)) {
			error = cl_error_setc(CL_EINVALID, "%s: \"%s\"[%zu].version is not a string", path, key, i);
			goto done;
		}
		if ((error = composer_license(&lic, path, key, i, json_object_get(pkg, "license"))) < 0)
			goto done;
		if (composer_lower(&lower, name) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = COMPOSER_ECO;
		dep.name = name;
		dep.version = json_string_value(ver);
		dep.relation = json_object_get(required, cl_buf_cstr(&lower)) ? CL_DEP_UNKNOWN : CL_DEP_DIRECT;
		dep.scope = scope;
		dep.license = lic.size ? cl_buf_cstr(&lic) : NULL;
		dep.manifest = path;
		if ((error = cl_dep_list_add(tmp, &dep)) < 0)
			goto done;
	}
done:
	cl_buf_dispose(&lic);
	cl_buf_dispose(&lower);
	return error;
}

int cl_deps_composer_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	static const struct {
		const char *key;
		enum cl_dep_scope scope;
	} lists[] = { { "packages", CL_DEP_RUNTIME }, { "packages-dev", CL_DEP_DEV } };
	struct cl_json_arena arena = CL_JSON_ARENA_INIT;
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *required = NULL, *arr[2];
	size_t i;
	int error;

	cl_json_arena_begin(&arena);
	if ((error = composer_load(&root, path, data, len)) < 0)
		goto done;
	required = json_object();
	CL_CHECK_ALLOC(required);
	for (i = 0; i < 2; i++) {
		arr[i] = json_object_get(root, lists[i].key);
		/* `composer install --no-dev` style locks may write null */
		if (arr[i] && !json_is_null(arr[i]) && !json_is_array(arr[i])) {
			error = cl_error_setc(CL_EINVALID, "%s: \"%s\" is not an array", path, lists[i].key);
			goto done;
		}
		if (arr[i] && (error = composer_collect_required(required, path, arr[i], lists[i].key)) < 0)
			goto done;
	}
	if (!json_object_get(root, "packages") && !json_object_get(root, "packages-dev")) {
		error = cl_error_setc(CL_EINVALID, "%s: no \"packages\" array: not a composer.lock", path);
		goto done;
	}
	for (i = 0; i < 2; i++)
		if (arr[i] && (error = composer_packages(&tmp, path, arr[i], lists[i].key, lists[i].scope, required)) < 0)
			goto done;
	error = composer_commit(out, &tmp);
done:
	cl_dep_list_dispose(&tmp);
	json_decref(required);
	json_decref(root);
	cl_json_arena_end(&arena);
	return error;
}

const struct cl_dep_format cl_deps_composer_formats[] = {
	{ "composer.json", "composer.json", 0, cl_deps_composer_json_parse },
	{ "composer.lock", "composer.lock", 1, cl_deps_composer_lock_parse },
	{ NULL, NULL, 0, NULL }
};
