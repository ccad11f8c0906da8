/*
 * deps_maven.c - dependencies declared in a Maven pom.xml.
 *
 * What is reported, and why:
 *   - project/dependencies/dependency: direct, "groupId:artifactId", the
 *     version as the POM requires it. Scope: compile/runtime (or none) ->
 *     runtime, test -> test, provided/system/import -> build; <optional>true
 *     -> optional, whatever the scope.
 *   - project/profiles/profile/dependencies: the same (a profile's
 *     dependencies enter the build when the profile is active).
 *   - project/dependencyManagement: each managed entry not also declared in
 *     <dependencies> is reported with relation unknown: it pins the version
 *     of some direct or transitive dependency (or imports a BOM), and a change
 *     to it changes what ships, but the POM alone cannot say which. A declared
 *     dependency without a <version> takes the managed one, as Maven does.
 *   - ${name} is replaced from <properties>, and ${project.version},
 *     ${project.groupId}, ${project.artifactId}, ${project.parent.version}
 *     (also the legacy pom.* and bare ${version} forms) from literals in the
 *     same file, falling back to <parent> for the inherited two. Nothing is
 *     fetched: a property defined only in a parent POM stays as written
 *     ("${junit.version}"), so the reader sees it is unresolved.
 *   - Plugins and their dependencies are build tooling and are not reported.
 *
 * Hostile input: the XML reader refuses a DOCTYPE before any entity can be
 * declared, never touches the network, keeps libxml2's depth (256) and text
 * size limits, and expansion of properties stops at 8 levels and 64 KiB.
 */
#include "deps_maven.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "error.h"

#define POM_EXPAND_DEPTH 8
#define POM_EXPAND_MAX ((size_t)64 << 10)

/* The SAX hooks a DOCTYPE reaches first: stop there, before any declaration. */
static void xml_refuse_subset(void *vctxt, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = vctxt;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	*(int *)ctxt->_private = xmlSAX2GetLineNumber(ctxt);
	xmlStopParser(ctxt);
}

static void xml_trim_message(char *msg, size_t size, const char *text)
{
	size_t n;

	char *p;

	snprintf(msg, size, "%s", text && *text ? text : "malformed XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* libxml2 writes some messages over two lines ("...!\nBytes: 0xFF"): keep one. */
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

int cl_deps_maven__read_xml(void **out, const char *path, const char *data, size_t len)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	int doctype_line = 0;
	int error = 0;

	if (len > CL_DEPS_XML_MAX || len > INT_MAX) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %zu bytes", path, CL_DEPS_XML_MAX);
		goto done;
	}
	ctxt = xmlNewParserCtxt();
	CL_CHECK_ALLOC(ctxt);
	ctxt->_private = &doctype_line;
	ctxt->sax->internalSubset = xml_refuse_subset;
	ctxt->sax->externalSubset = xml_refuse_subset;
	/*
	 * No NOENT, DTDLOAD, DTDATTR or HUGE: entities stay unexpanded, limits stay
	 * on. BIG_LINES only keeps line numbers past 65535 exact.
	 */
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	                        XML_PARSE_BIG_LINES);
	if (doctype_line) {
		error = cl_error_setc(CL_EINVALID, "%s:%d: DOCTYPE is not allowed in a manifest", path, doctype_line);
		goto done;
	}
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[256];

		xml_trim_message(msg, sizeof(msg), e ? e->message : NULL);
		if (e && e->line > 0)
			error = cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, e->line, e->int2 > 0 ? e->int2 : 1, msg);
		else
			error = cl_error_setc(CL_EINVALID, "%s: %s", path, msg);
		goto done;
	}
	if (!xmlDocGetRootElement(doc)) {
		error = cl_error_setc(CL_EINVALID, "%s: no root element", path);
		goto done;
	}
	*out = doc;
	doc = NULL;
done:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return error;
}

int cl_deps_maven__splice(struct cl_dep_list *out, struct cl_dep_list *tmp)
{
	size_t need = out->count + tmp->count;

	/*
	 * Move, not copy: one realloc is the only step that can fail, so `out`
	 * either gains every entry or stays exactly as it was.
	 */
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
	tmp->count = 0;
	return 0;
}

unsigned int cl_deps_maven__line(const void *node)
{
	long line = xmlGetLineNo((const xmlNode *)node);

	return line > 0 && line <= (long)UINT_MAX ? (unsigned int)line : 0;
}

/* ---- the POM ---- */

struct pom_prop {
	const char *name;        /* points into the document (node name) */
	char *value;             /* owned, trimmed */
	size_t order;
};

struct pom {
	const char *path;
	struct pom_prop *props;
	size_t nprops;
	char *version, *group_id, *artifact_id, *parent_version, *parent_group_id;
};

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child_elem(const xmlNode *parent, const char *name)
{
	const xmlNode *n;

	for (n = parent->children; n; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

/* The trimmed text of an element, newly allocated; NULL when empty. */
static int elem_text(char **out, const xmlNode *n)
{
	xmlChar *raw;
	const char *s, *e;
	int error = 0;

	*out = NULL;
	if (!n)
		return 0;
	raw = xmlNodeGetContent(n);
	if (!raw)
		return 0;
	s = (const char *)raw;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (e > s) {
		*out = strndup(s, (size_t)(e - s));
		if (!*out)
			error = cl_error_set("out of memory");
	}
	xmlFree(raw);
	return error;
}

static int child_text(char **out, const xmlNode *parent, const char *name)
{
	return elem_text(out, child_elem(parent, name));
}

static int prop_cmp(const void *a, const void *b)
{
	const struct pom_prop *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static const char *pom_lookup(const struct pom *pom, const char *key, size_t klen)
{
	static const struct { const char *key; size_t off; } builtins[] = {
		{ "project.version", offsetof(struct pom, version) },
		{ "pom.version", offsetof(struct pom, version) },
		{ "version", offsetof(struct pom, version) },
		{ "project.groupId", offsetof(struct pom, group_id) },
		{ "pom.groupId", offsetof(struct pom, group_id) },
		{ "project.artifactId", offsetof(struct pom, artifact_id) },
		{ "pom.artifactId", offsetof(struct pom, artifact_id) },
		{ "project.parent.version", offsetof(struct pom, parent_version) },
		{ "project.parent.groupId", offsetof(struct pom, parent_group_id) },
	};
	size_t lo = 0, hi = pom->nprops, i;
	const char *found = NULL;

	/* <properties> win: Maven lets a POM define even "version" there. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(pom->props[mid].name, key, klen);

		if (c == 0 && pom->props[mid].name[klen] != '\0')
			c = 1;
		if (c < 0) {
			lo = mid + 1;
		} else {
			if (c == 0)
				found = pom->props[mid].value;
			hi = mid;
		}
	}
	/* duplicates: the last definition in the file counts */
	for (i = lo; found && i < pom->nprops && strncmp(pom->props[i].name, key, klen) == 0 &&
	             pom->props[i].name[klen] == '\0'; i++)
		found = pom->props[i].value;
	if (found)
		return found;
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strlen(builtins[i].key) == klen && memcmp(builtins[i].key, key, klen) == 0)
			return *(char *const *)((const char *)pom + builtins[i].off);
	return NULL;
}

static int pom_expand_into(struct cl_buf *b, const struct pom *pom, const char *s, int depth)
{
	int error = 0;

	while (*s) {
		const char *open = strstr(s, "${"), *close, *val;

		if (!open || !(close = strchr(open + 2, '}')))
			return cl_buf_puts(b, s);
		if ((error = cl_buf_put(b, s, (size_t)(open - s))) < 0)
			return error;
		val = pom_lookup(pom, open + 2, (size_t)(close - open - 2));
		if (val && depth < POM_EXPAND_DEPTH)
			error = pom_expand_into(b, pom, val, depth + 1);
		else
			error = cl_buf_put(b, open, (size_t)(close + 1 - open));
		if (error < 0)
			return error;
		s = close + 1;
	}
	return 0;
}

/* Replace `*s` by its expansion (in place; NULL stays NULL). */
static int pom_expand(struct pom *pom, char **s, unsigned int line)
{
	struct cl_buf b;
	int error = 0;

	if (!*s || !strstr(*s, "${"))
		return 0;
	cl_buf_init(&b, POM_EXPAND_MAX);
	if ((error = pom_expand_into(&b, pom, *s, 0)) < 0) {
		if (error == CL_ETOOBIG)
			error = cl_error_setc(CL_EINVALID, "%s:%u: property expansion exceeds %zu bytes",
			                      pom->path, line, POM_EXPAND_MAX);
		goto done;
	}
	free(*s);
	*s = cl_buf_detach(&b);
	CL_CHECK_ALLOC(*s);
done:
	cl_buf_dispose(&b);
	return error;
}

static void pom_dispose(struct pom *pom)
{
	size_t i;

	for (i = 0; i < pom->nprops; i++)
		free(pom->props[i].value);
	free(pom->props);
	free(pom->version);
	free(pom->group_id);
	free(pom->artifact_id);
	free(pom->parent_version);
	free(pom->parent_group_id);
}

static int pom_load_header(struct pom *pom, const xmlNode *project)
{
	const xmlNode *parent = child_elem(project, "parent"), *props = child_elem(project, "properties"), *n;
	size_t count = 0;
	int error = 0;

	if ((error = child_text(&pom->version, project, "version")) < 0 ||
	    (error = child_text(&pom->group_id, project, "groupId")) < 0 ||
	    (error = child_text(&pom->artifact_id, project, "artifactId")) < 0)
		return error;
	if (parent && ((error = child_text(&pom->parent_version, parent, "version")) < 0 ||
	               (error = child_text(&pom->parent_group_id, parent, "groupId")) < 0))
		return error;
	/* version and groupId are inherited from <parent> when not given */
	if (!pom->version && pom->parent_version && !(pom->version = strdup(pom->parent_version)))
		return cl_error_set("out of memory");
	if (!pom->group_id && pom->parent_group_id && !(pom->group_id = strdup(pom->parent_group_id)))
		return cl_error_set("out of memory");
	if (!props)
		return 0;
	for (n = props->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			count++;
	if (!count)
		return 0;
	pom->props = calloc(count, sizeof(*pom->props));
	if (!pom->props)
		return cl_error_set("out of memory");
	for (n = props->children; n; n = n->next) {
		struct pom_prop *p;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		p = &pom->props[pom->nprops++];
		p->name = (const char *)n->name;
		p->order = pom->nprops;
		if ((error = elem_text(&p->value, n)) < 0)
			return error;
		if (!p->value && !(p->value = strdup("")))
			return cl_error_set("out of memory");
	}
	qsort(pom->props, pom->nprops, sizeof(*pom->props), prop_cmp);
	return 0;
}

struct pom_entry {
	char *name, *version, *scope, *optional;
	unsigned int line;
};

static void entry_dispose(struct pom_entry *e)
{
	free(e->name);
	free(e->version);
	free(e->scope);
	free(e->optional);
}

static int pom_read_entry(struct pom_entry *out, struct pom *pom, const xmlNode *dep)
{
	char *group = NULL, *artifact = NULL;
	size_t n;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->line = cl_deps_maven__line(dep);
	if ((error = child_text(&group, dep, "groupId")) < 0 || (error = child_text(&artifact, dep, "artifactId")) < 0 ||
	    (error = child_text(&out->version, dep, "version")) < 0 || (error = child_text(&out->scope, dep, "scope")) < 0 ||
	    (error = child_text(&out->optional, dep, "optional")) < 0)
		goto done;
	if (!group || !artifact) {
		error = cl_error_setc(CL_EINVALID, "%s:%u: dependency without %s", pom->path, out->line,
		                      group ? "artifactId" : "groupId");
		goto done;
	}
	if ((error = pom_expand(pom, &group, out->line)) < 0 || (error = pom_expand(pom, &artifact, out->line)) < 0 ||
	    (error = pom_expand(pom, &out->version, out->line)) < 0 ||
	    (error = pom_expand(pom, &out->scope, out->line)) < 0 ||
	    (error = pom_expand(pom, &out->optional, out->line)) < 0)
		goto done;
	n = strlen(group) + strlen(artifact) + 2;
	out->name = malloc(n);
	CL_CHECK_ALLOC(out->name);
	snprintf(out->name, n, "%s:%s", group, artifact);
done:
	free(group);
	free(artifact);
	if (error < 0)
		entry_dispose(out);
	return error;
}

static enum cl_dep_scope pom_scope(const struct pom_entry *e)
{
	static const struct { const char *name; enum cl_dep_scope scope; } scopes[] = {
		{ "compile", CL_DEP_RUNTIME }, { "runtime", CL_DEP_RUNTIME }, { "test", CL_DEP_TEST },
		{ "provided", CL_DEP_BUILD }, { "system", CL_DEP_BUILD }, { "import", CL_DEP_BUILD },
	};
	size_t i;

	if (e->optional && strcmp(e->optional, "true") == 0)
		return CL_DEP_OPTIONAL;
	/* an unknown or unresolved ${scope} is treated as Maven's default */
	for (i = 0; e->scope && i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcmp(e->scope, scopes[i].name) == 0)
			return scopes[i].scope;
	return CL_DEP_RUNTIME;
}

struct pom_entries {
	struct pom_entry *items;
	size_t count, alloc;
};

static void entries_dispose(struct pom_entries *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		entry_dispose(&l->items[i]);
	free(l->items);
}

/* Append each <dependency> of `deps` (a <dependencies> element or NULL). */
static int pom_collect(struct pom_entries *l, struct pom *pom, const xmlNode *deps)
{
	const xmlNode *n;
	int error = 0;

	if (!deps)
		return 0;
	for (n = deps->children; n; n = n->next) {
		if (!is_elem(n, "dependency"))
			continue;
		if (l->count == l->alloc) {
			size_t a = l->alloc ? l->alloc * 2 : 16;
			struct pom_entry *p = realloc(l->items, a * sizeof(*p));

			if (!p)
				return cl_error_set("out of memory");
			l->items = p;
			l->alloc = a;
		}
		if ((error = pom_read_entry(&l->items[l->count], pom, n)) < 0)
			return error;
		l->count++;
	}
	return 0;
}

static const struct pom_entry *entries_find(const struct pom_entries *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

int cl_deps_maven_parse_pom(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct pom_entries direct = { NULL, 0, 0 }, managed = { NULL, 0, 0 };
	struct pom pom;
	xmlDocPtr doc = NULL;
	const xmlNode *root, *dm, *profiles, *n;
	size_t i;
	int error = 0;

	memset(&pom, 0, sizeof(pom));
	pom.path = path;
	if ((error = cl_deps_maven__read_xml((void **)&doc, path, data, len)) < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	if (!is_elem(root, "project")) {
		error = cl_error_setc(CL_EINVALID, "%s:%u: root element is '%s', not a Maven 'project'", path,
		                      cl_deps_maven__line(root), (const char *)root->name);
		goto done;
	}
	if ((error = pom_load_header(&pom, root)) < 0 ||
	    (error = pom_collect(&direct, &pom, child_elem(root, "dependencies"))) < 0)
		goto done;
	profiles = child_elem(root, "profiles");
	for (n = profiles ? profiles->children : NULL; n; n = n->next)
		if (is_elem(n, "profile") && (error = pom_collect(&direct, &pom, child_elem(n, "dependencies"))) < 0)
			goto done;
	dm = child_elem(root, "dependencyManagement");
	if (dm && (error = pom_collect(&managed, &pom, child_elem(dm, "dependencies"))) < 0)
		goto done;

	for (i = 0; i < direct.count; i++) {
		const struct pom_entry *e = &direct.items[i], *m = NULL;
		struct cl_dep d = { "maven", e->name, e->version, CL_DEP_DIRECT, pom_scope(e), NULL, path, e->line };

		/* Maven fills a missing version and scope from dependencyManagement */
		if (!e->version || !e->scope)
			m = entries_find(&managed, e->name);
		if (m && !e->version)
			d.version = m->version;
		if (m && !e->scope && m->scope) {
			struct pom_entry merged = *e;

			merged.scope = m->scope;
			d.scope = pom_scope(&merged);
		}
		if ((error = cl_dep_list_add(&tmp, &d)) < 0)
			goto done;
	}
	for (i = 0; i < managed.count; i++) {
		const struct pom_entry *e = &managed.items[i];
		struct cl_dep d = { "maven", e->name, e->version, CL_DEP_UNKNOWN, pom_scope(e), NULL, path, e->line };

		if (entries_find(&direct, e->name))
			continue;
		if ((error = cl_dep_list_add(&tmp, &d)) < 0)
			goto done;
	}
	error = cl_deps_maven__splice(out, &tmp);
done:
	entries_dispose(&direct);
	entries_dispose(&managed);
	pom_dispose(&pom);
	cl_dep_list_dispose(&tmp);
	xmlFreeDoc(doc);
	return error;
}

const struct cl_dep_format cl_deps_maven_formats[] = {
	{ "pom.xml", "pom.xml", 0, cl_deps_maven_parse_pom },
	{ "*.pom", "*.pom", 0, cl_deps_maven_parse_pom },
	{ NULL, NULL, 0, NULL },
};
