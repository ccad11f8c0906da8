/*
 * deps_actions.c - GitHub Actions workflows and action.yml (see
 * deps_actions.h).
 */
#include "deps_actions.h"
#include "buf.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Workflows are a few KB; 64 MiB is hostile. */
#define ACTIONS_MAX_SIZE (64u * 1024 * 1024)
/* Real workflows nest about 8 deep; libyaml's own stacks grow without bound. */
#define ACTIONS_MAX_DEPTH 64

static const char ACTIONS_ECO[] = "githubactions";
static const char DOCKER_ECO[] = "docker";

struct actions_ctx {
	const char *path;
	yaml_document_t *doc;
	struct cl_dep_list *tmp;
	unsigned char *seen;     /* per node: this steps list was read already (aliases) */
	struct cl_buf name, ver;
};

/* Append `tmp` to `out` with the room reserved first: failure leaves `out` as it was. */
static int actions_commit(struct cl_dep_list *out, struct cl_dep_list *tmp)
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

static int actions_yaml_error(const char *path, const yaml_parser_t *parser)
{
	const yaml_mark_t *m = parser->problem ? &parser->problem_mark : &parser->context_mark;

	if (parser->error == YAML_MEMORY_ERROR)
		return cl_error_set("out of memory");
	return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s%s%s", path, m->line + 1, m->column + 1,
			     parser->problem ? parser->problem : "invalid YAML",
			     parser->context ? " " : "", parser->context ? parser->context : "");
}

static int actions_node_error(struct actions_ctx *c, const yaml_node_t *n, const char *what)
{
	return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s", c->path, n->start_mark.line + 1,
			     n->start_mark.column + 1, what);
}

/* Bound the nesting before libyaml builds a tree of it. */
static int actions_check_depth(const char *path, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, error = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return cl_error_set("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			error = actions_yaml_error(path, &parser);
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > ACTIONS_MAX_DEPTH) {
				error = cl_error_setc(CL_EINVALID, "%s:%zu:%zu: nested deeper than %d levels", path,
						      ev.start_mark.line + 1, ev.start_mark.column + 1, ACTIONS_MAX_DEPTH);
				done = 1;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		} else if (ev.type == YAML_STREAM_END_EVENT) {
			done = 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return error;
}

/* The value of `key` in the mapping node `map`, or NULL. */
static yaml_node_t *actions_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
			return yaml_document_get_node(doc, pair->value);
	}
	return NULL;
}

static int actions_add(struct actions_ctx *c, const char *eco, const yaml_node_t *at)
{
	struct cl_dep dep;

	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = eco;
	dep.name = cl_buf_cstr(&c->name);
	dep.version = c->ver.size ? cl_buf_cstr(&c->ver) : NULL;
	dep.relation = CL_DEP_DIRECT;
	dep.scope = CL_DEP_BUILD;
	dep.manifest = c->path;
	dep.line = (unsigned int)at->start_mark.line + 1;
	return cl_dep_list_add(c->tmp, &dep);
}

/* "image[:tag|@digest]" after "docker://". */
static int actions_docker(struct actions_ctx *c, const yaml_node_t *at, const char *s, size_t n)
{
	const char *at_sign = memchr(s, '@', n), *slash, *colon = NULL;
	size_t name_len = n, i;

	if (at_sign) {
		name_len = (size_t)(at_sign - s);
	} else {
		/* a ':' after the last '/' is the tag; one before it is a registry port */
		slash = NULL;
		for (i = 0; i < n; i++)
			if (s[i] == '/')
				slash = s + i;
		for (i = slash ? (size_t)(slash - s) : 0; i < n; i++)
			if (s[i] == ':')
				colon = s + i;
		if (colon)
			name_len = (size_t)(colon - s);
	}
	if (name_len == 0)
		return actions_node_error(c, at, "docker:// reference without an image name");
	if (cl_buf_put(&c->name, s, name_len) < 0 ||
	    (name_len < n && cl_buf_put(&c->ver, s + name_len + 1, n - name_len - 1) < 0))
		return cl_error_set("out of memory");
	return actions_add(c, DOCKER_ECO, at);
}

static int actions_uses(struct actions_ctx *c, const yaml_node_t *v)
{
	const char *s, *at;
	size_t n;

	if (v->type != YAML_SCALAR_NODE)
		return actions_node_error(c, v, "\"uses\" is not a string");
	s = (const char *)v->data.scalar.value;
	n = v->data.scalar.length;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return actions_node_error(c, v, "empty \"uses\"");
	if (memchr(s, '\0', n))
		return actions_node_error(c, v, "NUL byte in \"uses\"");
	if (s[0] == '.')
		return 0;   /* ./local or ../local: code of this repository */
	cl_buf_clear(&c->name);
	cl_buf_clear(&c->ver);
	if (n > 9 && memcmp(s, "docker://", 9) == 0)
		return actions_docker(c, v, s + 9, n - 9);
	at = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '@')
			at = s + i;
	if (at == s)
		return actions_node_error(c, v, "\"uses\" without an action name");
	if (cl_buf_put(&c->name, s, at ? (size_t)(at - s) : n) < 0 ||
	    (at && cl_buf_put(&c->ver, at + 1, n - (size_t)(at - s) - 1) < 0))
		return cl_error_set("out of memory");
	return actions_add(c, ACTIONS_ECO, v);
}

/* Every steps[].uses of the sequence `steps` (`where` names it for errors). */
static int actions_steps(struct actions_ctx *c, yaml_node_t *steps, const char *where)
{
	yaml_node_item_t *item;
	int error;

	if (!steps)
		return 0;
	if (steps->type != YAML_SEQUENCE_NODE) {
		if (steps->type == YAML_SCALAR_NODE && steps->data.scalar.length == 0)
			return 0;   /* `steps:` with nothing after it: null */
		return actions_node_error(c, steps, where);
	}
	if (c->seen[steps - c->doc->nodes.start])
		return 0;   /* an alias of a list read already: same dependencies */
	c->seen[steps - c->doc->nodes.start] = 1;
	for (item = steps->data.sequence.items.start; item < steps->data.sequence.items.top; item++) {
		yaml_node_t *step = yaml_document_get_node(c->doc, *item), *uses;

		if (!step)
			continue;
		if (step->type != YAML_MAPPING_NODE)
			return actions_node_error(c, step, "a step is not a mapping");
		uses = actions_get(c->doc, step, "uses");
		if (uses && (error = actions_uses(c, uses)) < 0)
			return error;
	}
	return 0;
}

static int actions_document(struct actions_ctx *c, yaml_node_t *root)
{
	yaml_node_t *jobs, *runs, *image;
	yaml_node_pair_t *pair;
	int error;

	if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return actions_node_error(c, root, "top level is not a mapping");
	jobs = actions_get(c->doc, root, "jobs");
	if (jobs && jobs->type != YAML_MAPPING_NODE)
		return actions_node_error(c, jobs, "\"jobs\" is not a mapping");
	if (jobs) {
		for (pair = jobs->data.mapping.pairs.start; pair < jobs->data.mapping.pairs.top; pair++) {
			yaml_node_t *job = yaml_document_get_node(c->doc, pair->value), *uses;

			if (!job)
				continue;
			if (job->type != YAML_MAPPING_NODE)
				return actions_node_error(c, job, "a job is not a mapping");
			if (c->seen[job - c->doc->nodes.start])
				continue;   /* an aliased job */
			c->seen[job - c->doc->nodes.start] = 1;
			uses = actions_get(c->doc, job, "uses");
			if (uses && (error = actions_uses(c, uses)) < 0)
				return error;
			if ((error = actions_steps(c, actions_get(c->doc, job, "steps"),
						   "a job's \"steps\" is not a sequence")) < 0)
				return error;
		}
	}
	runs = actions_get(c->doc, root, "runs");
	if (runs && runs->type == YAML_MAPPING_NODE) {
		if ((error = actions_steps(c, actions_get(c->doc, runs, "steps"),
					   "\"runs.steps\" is not a sequence")) < 0)
			return error;
		image = actions_get(c->doc, runs, "image");
		if (image && image->type == YAML_SCALAR_NODE && image->data.scalar.length > 9 &&
		    memcmp(image->data.scalar.value, "docker://", 9) == 0 &&
		    (error = actions_uses(c, image)) < 0)
			return error;
	}
	return 0;
}

int cl_deps_actions_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct actions_ctx c;
	yaml_parser_t parser;
	yaml_document_t doc;
	int have_parser = 0, have_doc = 0, error = 0;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.tmp = &tmp;
	c.doc = &doc;
	if (len > ACTIONS_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, ACTIONS_MAX_SIZE);
		goto done;
	}
	if ((error = actions_check_depth(path, data, len)) < 0)
		goto done;
	if (!yaml_parser_initialize(&parser)) {
		error = cl_error_set("out of memory");
		goto done;
	}
	have_parser = 1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	for (;;) {
		yaml_node_t *root;
		size_t nnodes;

		if (!yaml_parser_load(&parser, &doc)) {
			error = actions_yaml_error(path, &parser);
			goto done;
		}
		have_doc = 1;
		root = yaml_document_get_root_node(&doc);
		if (!root)
			break;   /* the end of the stream */
		nnodes = (size_t)(doc.nodes.top - doc.nodes.start);
		free(c.seen);
		c.seen = calloc(nnodes ? nnodes : 1, 1);
		CL_CHECK_ALLOC(c.seen);
		if ((error = actions_document(&c, root)) < 0)
			goto done;
		yaml_document_delete(&doc);
		have_doc = 0;
	}
	error = actions_commit(out, &tmp);
done:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	free(c.seen);
	cl_buf_dispose(&c.name);
	cl_buf_dispose(&c.ver);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_actions_formats[] = {
	{ "action.yml", "action.yml", 0, cl_deps_actions_parse },
	{ "action.yaml", "action.yaml", 0, cl_deps_actions_parse },
	{ "github-workflow", ".github/workflows/*.yml", 0, cl_deps_actions_parse },
	{ "github-workflow", ".github/workflows/*.yaml", 0, cl_deps_actions_parse },
	{ NULL, NULL, 0, NULL }
};
