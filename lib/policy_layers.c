/*
 * policy_layers.c - merge policy YAML documents, then load the result.
 *
 * Divisions: reading layers into libyaml documents; the recursive merge,
 * written out as emitter events; cl_policy_load_layers.
 */
#include "policy_layers.h"

#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "error.h"

#define LAYERS_MAX 8

struct layer_doc {
	yaml_document_t doc;
	int loaded;
};

struct merge {
	yaml_emitter_t emitter;
	struct cl_buf *out;
	struct layer_doc *docs;
};

static int layers_write(void *data, unsigned char *buffer, size_t size)
{
	return cl_buf_put(data, (const char *)buffer, size) == 0;
}

static yaml_node_t *layers_root(struct layer_doc *d)
{
	yaml_node_t *root = yaml_document_get_root_node(&d->doc);
	/* A file of comments only has no root: it is the empty mapping. */
	return root && root->type == YAML_MAPPING_NODE ? root : NULL;
}

static int emit(struct merge *m, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(&m->emitter, ev))
		return cl_error_set("cannot merge policies: %s",
			m->emitter.problem ? m->emitter.problem : "emitter failed");
	return 0;
}

static int emit_node(struct merge *m, yaml_document_t *doc, yaml_node_t *node);

static int emit_scalar(struct merge *m, yaml_node_t *node)
{
	yaml_event_t ev;
	/* Keep the writer's quoting: `"yes"` stays a string, `yes` a boolean. */
	int plain = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
		node->data.scalar.style == YAML_ANY_SCALAR_STYLE;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, node->data.scalar.value,
			(int)node->data.scalar.length, plain, !plain,
			plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE))
		return cl_error_set("out of memory");
	return emit(m, &ev);
}

static int emit_node(struct merge *m, yaml_document_t *doc, yaml_node_t *node)
{
	yaml_event_t ev;
	int error;

	switch (node->type) {
	case YAML_SCALAR_NODE:
		return emit_scalar(m, node);
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *item;
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		if ((error = emit(m, &ev)) < 0)
			return error;
		for (item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++)
			if ((error = emit_node(m, doc, yaml_document_get_node(doc, *item))) < 0)
				return error;
		yaml_sequence_end_event_initialize(&ev);
		return emit(m, &ev);
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *pair;
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
		if ((error = emit(m, &ev)) < 0)
			return error;
		for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++)
			if ((error = emit_node(m, doc, yaml_document_get_node(doc, pair->key))) < 0 ||
			    (error = emit_node(m, doc, yaml_document_get_node(doc, pair->value))) < 0)
				return error;
		yaml_mapping_end_event_initialize(&ev);
		return emit(m, &ev);
	}
	default:
		return cl_error_set("cannot merge policies: empty node");
	}
}

static yaml_node_t *mapping_get(yaml_document_t *doc, yaml_node_t *map, const yaml_node_t *key)
{
	yaml_node_pair_t *pair;

	if (!map || key->type != YAML_SCALAR_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == key->data.scalar.length &&
		    memcmp(k->data.scalar.value, key->data.scalar.value, k->data.scalar.length) == 0)
			return yaml_document_get_node(doc, pair->value);
	}
	return NULL;
}

/*
 * The merged mapping of `maps[0..n)` (each from docs[idx[i]], NULL when that
 * layer lacks it). Keys come in first-seen order; a key's value is the last
 * layer's, merged further when every layer from the last non-mapping on
 * holds a mapping there.
 */
static int emit_merged(struct merge *m, yaml_node_t **maps, const size_t *idx, size_t n)
{
	yaml_event_t ev;
	size_t i, j;
	int error;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	if ((error = emit(m, &ev)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		yaml_document_t *doc_i = &m->docs[idx[i]].doc;
		yaml_node_pair_t *pair;

		if (!maps[i])
			continue;
		for (pair = maps[i]->data.mapping.pairs.start; pair < maps[i]->data.mapping.pairs.top; pair++) {
			yaml_node_t *key = yaml_document_get_node(doc_i, pair->key);
			yaml_node_t *sub[LAYERS_MAX] = { 0 };
			size_t last = i, first = i;
			int seen_earlier = 0;

			for (j = 0; j < i; j++)
				if (mapping_get(&m->docs[idx[j]].doc, maps[j], key))
					seen_earlier = 1;
			if (seen_earlier)
				continue;   /* emitted with the earlier layer that has it */
			for (j = i; j < n; j++) {
				sub[j] = mapping_get(&m->docs[idx[j]].doc, maps[j], key);
				if (sub[j])
					last = j;
			}
			if ((error = emit_node(m, doc_i, key)) < 0)
				return error;
			if (sub[last]->type != YAML_MAPPING_NODE) {
				error = emit_node(m, &m->docs[idx[last]].doc, sub[last]);
			} else {
				/* Merge from the last layer whose value here is not a mapping. */
				for (j = i; j < last; j++)
					if (sub[j] && sub[j]->type != YAML_MAPPING_NODE)
						first = j + 1;
				for (j = i; j < first; j++)
					sub[j] = NULL;
				error = emit_merged(m, sub + i, idx + i, n - i);
			}
			if (error < 0)
				return error;
		}
	}
	yaml_mapping_end_event_initialize(&ev);
	return emit(m, &ev);
}

static int layers_parse(struct layer_doc *d, const struct cl_policy_layer *layer)
{
	yaml_parser_t parser;
	int ok;

	if (!yaml_parser_initialize(&parser))
		return cl_error_set("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)layer->data, layer->len);
	ok = yaml_parser_load(&parser, &d->doc);
	yaml_parser_delete(&parser);
	/* The layer already loaded as a policy alone, so this cannot fail on syntax. */
	if (!ok)
		return cl_error_set("cannot merge policy '%s'", layer->name ? layer->name : "<policy>");
	d->loaded = 1;
	return 0;
}

int cl_policy_load_layers(struct cl_policy **out, const struct cl_policy_layer *layers,
	size_t count)
{
	struct layer_doc docs[LAYERS_MAX];
	yaml_node_t *roots[LAYERS_MAX];
	size_t idx[LAYERS_MAX];
	struct cl_buf merged = CL_BUF_INIT, name = CL_BUF_INIT;
	struct merge m;
	yaml_event_t ev;
	size_t i;
	int error = 0, emitter_ready = 0;

	if (count == 0 || count > LAYERS_MAX)
		return cl_error_setc(CL_EINVALID, "between 1 and %d policy layers, not %zu",
			LAYERS_MAX, count);
	memset(docs, 0, sizeof(docs));

	for (i = 0; i < count; i++) {
		struct cl_policy *alone = NULL;
		if ((error = cl_policy_load_buffer(&alone, layers[i].data, layers[i].len,
				layers[i].name)) < 0)
			goto done;
		cl_policy_free(alone);
		if ((error = layers_parse(&docs[i], &layers[i])) < 0)
			goto done;
		roots[i] = layers_root(&docs[i]);
		idx[i] = i;
		if ((error = cl_buf_printf(&name, "%s%s", i ? " + " : "",
				layers[i].name ? layers[i].name : "<policy>")) < 0)
			goto done;
	}

	cl_buf_init(&merged, CL_POLICY_MAX_SIZE);
	if (!yaml_emitter_initialize(&m.emitter)) {
		error = cl_error_set("out of memory");
		goto done;
	}
	emitter_ready = 1;
	m.out = &merged;
	m.docs = docs;
	yaml_emitter_set_output(&m.emitter, layers_write, &merged);
	yaml_emitter_set_unicode(&m.emitter, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if ((error = emit(&m, &ev)) < 0)
		goto done;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if ((error = emit(&m, &ev)) < 0 ||
	    (error = emit_merged(&m, roots, idx, count)) < 0)
		goto done;
	yaml_document_end_event_initialize(&ev, 1);
	if ((error = emit(&m, &ev)) < 0)
		goto done;
	yaml_stream_end_event_initialize(&ev);
	if ((error = emit(&m, &ev)) < 0)
		goto done;
	if (!yaml_emitter_flush(&m.emitter)) {
		error = cl_error_set("cannot merge policies: output too large");
		goto done;
	}
	error = cl_policy_load_buffer(out, merged.ptr ? merged.ptr : "", merged.size, name.ptr);
done:
	if (emitter_ready)
		yaml_emitter_delete(&m.emitter);
	for (i = 0; i < count; i++)
		if (docs[i].loaded)
			yaml_document_delete(&docs[i].doc);
	cl_buf_dispose(&merged);
	cl_buf_dispose(&name);
	return error;
}
