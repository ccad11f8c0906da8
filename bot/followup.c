/*
 * followup.c - one issue per finding key: opened, updated, closed.
 *
 * Divisions: store rows; grouping findings into issues; rendering; what is
 * resolved; cl_followup_sync.
 */
#include "followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "deps_tree.h"
#include "error.h"
#include "headers.h"
#include "report.h"
#include "template.h"

const struct cl_db_migration cl_followup_schema[] = {
	{ "followup", 1,
	  "CREATE TABLE followup_issues ("
	  "  forge TEXT NOT NULL, tracker TEXT NOT NULL, key TEXT NOT NULL,"
	  "  number INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
	  "  source TEXT NOT NULL, ref TEXT NOT NULL, check_name TEXT NOT NULL,"
	  "  body TEXT NOT NULL, paths TEXT, updated_at INTEGER NOT NULL,"
	  "  PRIMARY KEY (forge, tracker, key));" },
};
const size_t cl_followup_schema_count = sizeof(cl_followup_schema) / sizeof(cl_followup_schema[0]);

#define FOLLOWUP_LABEL "clearance"

/* ---- store rows ---------------------------------------------------------- */

struct followup_row {
	long long number;
	int open;
	char *body;
	char *paths;   /* header issues: the files, one per line */
	char *ref;
	char *check;
	char *key;
};

static void row_dispose(struct followup_row *r)
{
	free(r->body);
	free(r->paths);
	free(r->ref);
	free(r->check);
	free(r->key);
	memset(r, 0, sizeof(*r));
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? strdup((const char *)s) : NULL;
}

static void tracker_name(char *out, size_t size, const struct cl_followup_target *t)
{
	snprintf(out, size, "%s/%s", t->tracker.owner, t->tracker.name);
}

static int row_get(struct followup_row *out, sqlite3 *db, const struct cl_followup_target *t,
	const char *key)
{
	sqlite3_stmt *st = NULL;
	char tracker[512];
	int rc, error = 0;

	tracker_name(tracker, sizeof(tracker), t);
	if (sqlite3_prepare_v2(db, "SELECT number, state, body, paths, ref, check_name FROM "
			"followup_issues WHERE forge = ?1 AND tracker = ?2 AND key = ?3", -1, &st,
			NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "follow-up store");
	sqlite3_bind_text(st, 1, t->forge_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tracker, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->number = sqlite3_column_int64(st, 0);
		out->open = !strcmp((const char *)sqlite3_column_text(st, 1), "open");
		out->body = col_dup(st, 2);
		out->paths = col_dup(st, 3);
		out->ref = col_dup(st, 4);
		out->check = col_dup(st, 5);
		out->key = strdup(key);
		if (!out->body || !out->ref || !out->check || !out->key) {
			row_dispose(out);
			error = cl_error_set("out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		error = CL_ENOTFOUND;
	} else {
		error = cl_error_from_sqlite(db, "follow-up store");
	}
	sqlite3_finalize(st);
	return error;
}

static int row_put(sqlite3 *db, const struct cl_followup_target *t, const char *key,
	long long number, int open, const char *ref, const char *check, const char *body,
	const char *paths)
{
	sqlite3_stmt *st = NULL;
	char tracker[512];
	int error = 0;

	tracker_name(tracker, sizeof(tracker), t);
	if (sqlite3_prepare_v2(db, "INSERT INTO followup_issues (forge, tracker, key, number, state, "
			"source, ref, check_name, body, paths, updated_at) VALUES "
			"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (forge, tracker, key) "
			"DO UPDATE SET number = ?4, state = ?5, ref = ?7, body = ?9, paths = ?10, "
			"updated_at = ?11", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "follow-up store");
	sqlite3_bind_text(st, 1, t->forge_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tracker, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, number);
	sqlite3_bind_text(st, 5, open ? "open" : "closed", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, t->source ? t->source : tracker, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, check, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, body, -1, SQLITE_STATIC);
	if (paths)
		sqlite3_bind_text(st, 10, paths, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "follow-up store");
	sqlite3_finalize(st);
	return error;
}

/* ---- grouping ------------------------------------------------------------- */

struct followup_item {
	char *key;
	const char *check;
	struct cl_findings *findings;   /* this item's, copied */
	struct cl_buf paths;            /* header items: the files, one per line */
};

struct followup_items {
	struct followup_item *items;
	size_t count, alloc;
};

static void items_dispose(struct followup_items *l)
{
	size_t i;
	for (i = 0; i < l->count; i++) {
		free(l->items[i].key);
		cl_findings_free(l->items[i].findings);
		cl_buf_dispose(&l->items[i].paths);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* DCO and header problems belong to the push that made them; the rest to their key. */
static int item_key(struct cl_buf *out, const struct cl_finding *f, const char *ref,
	const char *before, const char *after)
{
	int new_branch = strspn(before, "0") == strlen(before);

	if (f->key && strcmp(f->check, "dco") && strcmp(f->check, "header"))
		return cl_buf_puts(out, f->key);
	if (new_branch)
		return cl_buf_printf(out, "%s:%s@%.10s", f->check, ref, after);
	return cl_buf_printf(out, "%s:%s@%.10s..%.10s", f->check, ref, before, after);
}

static int items_add(struct followup_items *l, const struct cl_finding *f, const char *key)
{
	struct followup_item *it = NULL;
	size_t i;
	int error;

	for (i = 0; i < l->count && !it; i++)
		if (!strcmp(l->items[i].key, key))
			it = &l->items[i];
	if (!it) {
		if (l->count == l->alloc) {
			size_t n = l->alloc ? l->alloc * 2 : 8;
			struct followup_item *p = realloc(l->items, n * sizeof(*p));
			if (!p)
				return cl_error_set("out of memory");
			l->items = p;
			l->alloc = n;
		}
		it = &l->items[l->count];
		memset(it, 0, sizeof(*it));
		if (!(it->key = strdup(key)))
			return cl_error_set("out of memory");
		if ((error = cl_findings_new(&it->findings)) < 0) {
			free(it->key);
			return error;
		}
		it->check = f->check;
		l->count++;
	}
	if (f->path && !strcmp(f->check, "header") &&
	    (error = cl_buf_printf(&it->paths, "%s\n", f->path)) < 0)
		return error;
	return cl_findings_add(it->findings, f);
}

/* ---- rendering ------------------------------------------------------------- */

static const char *check_title(const char *check)
{
	if (!strcmp(check, "dco"))
		return "commits without a DCO sign-off";
	if (!strcmp(check, "header"))
		return "files without a valid license header";
	if (!strcmp(check, "cla"))
		return "a contributor without a CLA";
	if (!strcmp(check, "deps"))
		return "a dependency to review";
	return "a policy problem";
}

static int render_title(struct cl_buf *out, const struct followup_item *it, const char *ref)
{
	const struct cl_finding *f = cl_findings_get(it->findings, 0);
	size_t n = cl_findings_count(it->findings);
	const char *branch = strncmp(ref, "refs/heads/", 11) ? ref : ref + 11;

	if (!strcmp(it->check, "deps") && f->key && !strncmp(f->key, "deps:", 5))
		return cl_buf_printf(out, "clearance: review dependency %s (%s)", f->key + 5,
			f->rule ? f->rule : "deps");
	if (!strcmp(it->check, "cla") && f->key && !strncmp(f->key, "cla:", 4))
		return cl_buf_printf(out, "clearance: %s is not covered by a CLA", f->key + 4);
	return cl_buf_printf(out, "clearance: %s pushed to %s (%zu problem%s)",
		check_title(it->check), branch, n, n == 1 ? "" : "s");
}

static int render_body(struct cl_buf *out, const struct cl_followup_target *t,
	const struct followup_item *it, const char *ref, const char *before, const char *after)
{
	struct cl_buf marker = CL_BUF_INIT, holder = CL_BUF_INIT, url = CL_BUF_INIT;
	json_t *doc = NULL, *list;
	const char *tmpl;
	size_t tlen, i;
	char range[32];
	int error;

	if (strspn(before, "0") == strlen(before))
		range[0] = '\0';
	else
		snprintf(range, sizeof(range), "%.10s..%.10s", before, after);
	if ((error = cl_forge_marker(&marker, it->key)) < 0)
		goto done;
	if (t->commit_url_base && (error = cl_buf_printf(&url, "%s%s", t->commit_url_base, after)) < 0)
		goto done;
	if (!(doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:[]}", "marker", marker.ptr,
			"check", it->check, "source", t->source ? t->source : "", "ref", ref,
			"range", range, "commit_url", url.ptr, "findings"))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	list = json_object_get(doc, "findings");
	for (i = 0; i < cl_findings_count(it->findings); i++) {
		const struct cl_finding *f = cl_findings_get(it->findings, i);
		json_t *o = NULL;
		char short_id[11];

		if ((error = cl_finding_to_json(&o, f)) < 0)
			goto done;
		if (f->commit) {
			snprintf(short_id, sizeof(short_id), "%.10s", f->commit);
			json_object_set_new(o, "short", json_string(short_id));
		}
		if (json_array_append_new(list, o) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if ((error = cl_template_find(&tmpl, &tlen, &holder, "issue.md")) < 0)
		goto done;
	error = cl_template_render(out, "issue.md", tmpl, tlen, doc, 0);
done:
	json_decref(doc);
	cl_buf_dispose(&marker);
	cl_buf_dispose(&holder);
	cl_buf_dispose(&url);
	return error;
}

/* ---- what is resolved ------------------------------------------------------ */

static int tree_at(git_tree **out, git_repository *repo, const char *hex)
{
	git_oid id;
	git_commit *c = NULL;
	int error = 0;

	if (git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&c, repo, &id) < 0 ||
	    git_commit_tree(out, c) < 0)
		error = cl_error_from_git("cannot read the pushed tree");
	git_commit_free(c);
	return error;
}

/* "deps:npm:left-pad": is that package still declared anywhere in the tree? */
static int deps_present(int *present, const struct cl_dep_list *deps, const char *key)
{
	const char *eco = key + 5, *colon = strchr(eco, ':');
	size_t i;

	*present = 0;
	if (!colon)
		return 0;
	for (i = 0; i < deps->count && !*present; i++)
		*present = strlen(deps->items[i].ecosystem) == (size_t)(colon - eco) &&
			!strncmp(deps->items[i].ecosystem, eco, (size_t)(colon - eco)) &&
			!strcmp(deps->items[i].name, colon + 1);
	return 0;
}

static int skip_problem(const char *path, int code, const char *message, void *payload)
{
	(void)path;
	(void)code;
	(void)message;
	(void)payload;
	return 0;   /* an unreadable manifest does not decide what is resolved */
}

/* Is any of `paths` (one per line) still reported at the tip? */
static int headers_still_bad(int *bad, const struct cl_findings *tree_findings, const char *paths)
{
	size_t i;

	*bad = 0;
	for (i = 0; i < cl_findings_count(tree_findings) && !*bad; i++) {
		const struct cl_finding *f = cl_findings_get(tree_findings, i);
		const char *p = paths;
		size_t len;

		if (!f->path || f->severity != CL_SEVERITY_ERROR)
			continue;
		len = strlen(f->path);
		while ((p = strstr(p, f->path)) != NULL) {
			if ((p == paths || p[-1] == '\n') && p[len] == '\n') {
				*bad = 1;
				break;
			}
			p += len;
		}
	}
	return 0;
}

/* The facts' answer for a row: 1 resolved, 0 not (or not known). */
static int facts_resolved(const struct cl_followup_facts *facts, const struct followup_row *row)
{
	size_t i;

	if (!facts)
		return 0;
	if (!strncmp(row->key, "deps:", 5)) {
		if (!facts->deps_known)
			return 0;
		for (i = 0; i < facts->dep_count; i++)
			if (!strcmp(facts->deps[i], row->key + 5))
				return 0;
		return 1;
	}
	if (!strcmp(row->check, "header") && row->paths) {
		if (!facts->headers_known)
			return 0;
		for (i = 0; i < facts->header_failing_count; i++) {
			const char *p = row->paths, *path = facts->header_failing[i];
			size_t len = strlen(path);
			while ((p = strstr(p, path)) != NULL) {
				if ((p == row->paths || p[-1] == '\n') && p[len] == '\n')
					return 0;
				p += len;
			}
		}
		return 1;
	}
	return 0;   /* DCO history is not rewritten on a protected branch: a person closes it */
}

struct resolver {
	const struct cl_followup_facts *facts;
	git_repository *repo;
	const struct cl_policy *policy;
	const char *after;
	git_tree *tree;
	struct cl_dep_list deps;
	int deps_loaded;
	struct cl_findings *headers;
};

/* @return 1 resolved, 0 not (or cannot tell), < 0 error */
static int is_resolved(struct resolver *r, const struct followup_row *row)
{
	int error, flag;

	/* one decision for both: the facts are what a repository would have told */
	if (!r->repo)
		return facts_resolved(r->facts, row);
	if (!r->tree && (error = tree_at(&r->tree, r->repo, r->after)) < 0)
		return error;
	if (!strncmp(row->key, "deps:", 5)) {
		if (!r->deps_loaded) {
			if ((error = cl_deps_from_tree(&r->deps, r->repo, r->tree, skip_problem, NULL)) < 0)
				return error;
			r->deps_loaded = 1;
		}
		if ((error = deps_present(&flag, &r->deps, row->key)) < 0)
			return error;
		return !flag;
	}
	if (!strcmp(row->check, "header") && row->paths) {
		if (!r->headers) {
			git_oid id;
			if ((error = cl_findings_new(&r->headers)) < 0)
				return error;
			git_oid_fromstr(&id, r->after);
			if ((error = cl_headers_check_tree(r->headers, NULL, r->repo,
					cl_policy_headers(r->policy), &id, row->ref)) < 0)
				return error;
		}
		headers_still_bad(&flag, r->headers, row->paths);
		return !flag;
	}
	/* DCO history cannot be rewritten on a protected branch: a person closes it. */
	return 0;
}

/* Open rows of this tracker opened for `ref`, to see which are resolved. */
static int open_rows(struct followup_row **out, size_t *count, sqlite3 *db,
	const struct cl_followup_target *t, const char *ref)
{
	sqlite3_stmt *st = NULL;
	struct followup_row *rows = NULL;
	size_t n = 0, alloc = 0;
	char tracker[512];
	int rc, error = 0;

	tracker_name(tracker, sizeof(tracker), t);
	if (sqlite3_prepare_v2(db, "SELECT key, number, body, paths, check_name FROM followup_issues "
			"WHERE forge = ?1 AND tracker = ?2 AND ref = ?3 AND state = 'open' "
			"AND source = ?4 ORDER BY key", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "follow-up store");
	sqlite3_bind_text(st, 1, t->forge_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tracker, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->source ? t->source : tracker, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == alloc) {
			size_t a = alloc ? alloc * 2 : 8;
			struct followup_row *p = realloc(rows, a * sizeof(*p));
			if (!p) {
				error = cl_error_set("out of memory");
				break;
			}
			rows = p;
			alloc = a;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].key = col_dup(st, 0);
		rows[n].number = sqlite3_column_int64(st, 1);
		rows[n].open = 1;
		rows[n].body = col_dup(st, 2);
		rows[n].paths = col_dup(st, 3);
		rows[n].check = col_dup(st, 4);
		rows[n].ref = strdup(ref);
		n++;
		if (!rows[n - 1].key || !rows[n - 1].body || !rows[n - 1].check || !rows[n - 1].ref) {
			error = cl_error_set("out of memory");
			break;
		}
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "follow-up store");
	sqlite3_finalize(st);
	*out = rows;
	*count = n;
	return error;
}

/* ---- cl_followup_sync ------------------------------------------------------ */

static int sync_item(struct cl_followup_stats *stats, sqlite3 *db,
	const struct cl_followup_target *t, const struct followup_item *it, const char *ref,
	const char *before, const char *after)
{
	const char **labels = NULL;
	size_t nlabels = 0, extra = 0;
	struct cl_buf title = CL_BUF_INIT, body = CL_BUF_INIT, label = CL_BUF_INIT;
	struct cl_forge_issue_spec spec;
	struct followup_row row;
	struct cl_forge_issue found;
	uint64_t number = 0;
	int error, have_row;

	memset(&row, 0, sizeof(row));
	memset(&found, 0, sizeof(found));
	while (t->labels && t->labels[extra])
		extra++;
	if (!(labels = calloc(extra + 3, sizeof(*labels)))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = cl_buf_printf(&label, "%s:%s", FOLLOWUP_LABEL, it->check)) < 0 ||
	    (error = render_title(&title, it, ref)) < 0 ||
	    (error = render_body(&body, t, it, ref, before, after)) < 0)
		goto done;
	/* clearance and clearance:<check> always: the store loses nothing a person filters on */
	labels[nlabels++] = FOLLOWUP_LABEL;
	labels[nlabels++] = label.ptr;
	for (extra = 0; t->labels && t->labels[extra]; extra++)
		if (strcmp(t->labels[extra], FOLLOWUP_LABEL) && strcmp(t->labels[extra], label.ptr))
			labels[nlabels++] = t->labels[extra];
	memset(&spec, 0, sizeof(spec));
	spec.title = title.ptr;
	spec.body = body.ptr;
	spec.labels = labels;
	spec.assignees = t->assignees;

	error = row_get(&row, db, t, it->key);
	if (error < 0 && error != CL_ENOTFOUND)
		goto done;
	have_row = error == 0;
	if (!have_row) {
		/* The store may have been lost: the marker is the forge's own record. */
		error = cl_forge_issue_find(&found, t->forge, &t->tracker, it->key, FOLLOWUP_LABEL);
		if (error < 0 && error != CL_ENOTFOUND)
			goto done;
		if (error == 0) {
			row.number = (long long)found.number;
			row.open = found.open;
			row.body = found.body;
			found.body = NULL;
			have_row = 1;
		}
	}
	if (!have_row) {
		if ((error = cl_forge_issue_create(&number, t->forge, &t->tracker, &spec)) < 0)
			goto done;
		stats->opened++;
		error = row_put(db, t, it->key, (long long)number, 1, ref, it->check, body.ptr,
			it->paths.ptr);
		goto done;
	}
	if (!row.open) {
		if ((error = cl_forge_issue_reopen(t->forge, &t->tracker, (uint64_t)row.number)) < 0)
			goto done;
		stats->reopened++;
	}
	if (!row.body || strcmp(row.body, body.ptr) != 0) {
		spec.labels = NULL;
		if ((error = cl_forge_issue_edit(t->forge, &t->tracker, (uint64_t)row.number, &spec)) < 0)
			goto done;
		stats->updated++;
	} else if (row.open) {
		stats->unchanged++;
	}
	error = row_put(db, t, it->key, row.number, 1, ref, it->check, body.ptr, it->paths.ptr);
done:
	cl_forge_issue_dispose(&found);
	row_dispose(&row);
	free(labels);
	cl_buf_dispose(&title);
	cl_buf_dispose(&body);
	cl_buf_dispose(&label);
	return error;
}

int cl_followup_sync(struct cl_followup_stats *stats, sqlite3 *db,
	const struct cl_followup_target *t, git_repository *repo,
	const struct cl_policy *policy, const char *ref, const char *before, const char *after,
	const struct cl_findings *findings)
{
	struct followup_items items = { NULL, 0, 0 };
	struct followup_row *rows = NULL;
	struct resolver res;
	size_t i, j, nrows = 0;
	int error = 0;

	memset(stats, 0, sizeof(*stats));
	memset(&res, 0, sizeof(res));
	res.repo = repo;
	res.facts = t->facts;
	res.policy = policy;
	res.after = after;

	for (i = 0; i < cl_findings_count(findings); i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);
		struct cl_buf key = CL_BUF_INIT;

		if (f->severity != CL_SEVERITY_ERROR && f->severity != CL_SEVERITY_REVIEW)
			continue;
		if ((error = item_key(&key, f, ref, before, after)) == 0)
			error = items_add(&items, f, key.ptr);
		cl_buf_dispose(&key);
		if (error < 0)
			goto done;
	}
	for (i = 0; i < items.count; i++)
		if ((error = sync_item(stats, db, t, &items.items[i], ref, before, after)) < 0)
			goto done;

	/* Everything still open for this ref that this push did not report again. */
	if ((error = open_rows(&rows, &nrows, db, t, ref)) < 0)
		goto done;
	for (i = 0; i < nrows; i++) {
		int reported = 0, resolved;
		char comment[256];

		for (j = 0; j < items.count && !reported; j++)
			reported = !strcmp(items.items[j].key, rows[i].key);
		if (reported)
			continue;
		if ((resolved = is_resolved(&res, &rows[i])) < 0) {
			error = resolved;
			goto done;
		}
		if (!resolved)
			continue;
		snprintf(comment, sizeof(comment), "Resolved as of commit %.10s: %s", after,
			!strncmp(rows[i].key, "deps:", 5) ? "the dependency is no longer in the tree." :
			"every file listed now has a valid license header.");
		if ((error = cl_forge_issue_close(t->forge, &t->tracker, (uint64_t)rows[i].number,
				comment)) < 0)
			goto done;
		if ((error = row_put(db, t, rows[i].key, rows[i].number, 0, ref, rows[i].check,
				rows[i].body, rows[i].paths)) < 0)
			goto done;
		stats->closed++;
	}
done:
	for (i = 0; i < nrows; i++)
		row_dispose(&rows[i]);
	free(rows);
	items_dispose(&items);
	git_tree_free(res.tree);
	cl_dep_list_dispose(&res.deps);
	cl_findings_free(res.headers);
	return error;
}
