/*
 * deps_diff.c - reconcile manifests with their lock files, then diff two
 * dependency sets by sort and merge (no pairwise comparison: lock files of
 * thousands of packages must diff in milliseconds).
 *
 * Divisions: 1. keys and ordering  2. reconciliation  3. diff
 */
#include "deps_diff.h"

#include "error.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- 1. keys and ordering --------------------------------------------- */

/*
 * One input entry with what sorting needs precomputed: the comparator runs
 * n log n times, the directory scan and the format lookup only n times.
 */
struct diff_key {
	const struct cl_dep *dep;
	const char *dir;          /* points into dep->manifest, or "" */
	size_t dirlen;
	size_t index;             /* position in the input: the final tie-break */
	int lock;                 /* dep->manifest is a lock file */
};

/*
 * Versions in natural order: runs of digits compare as numbers, so 1.9 <
 * 1.10 and 2.0.0-rc.2 < 2.0.0-rc.10. This is not semver precedence (a
 * pre-release sorts after its release here) and need not be: it only decides
 * output order and which versions pair up as an upgrade, and it must be a
 * total order, hence the byte comparison when the numbers tie ("01" vs "1").
 * NULL (no version) sorts first.
 */
static int diff_version_cmp(const char *a, const char *b)
{
	const char *p = a, *q = b;

	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	while (*p && *q) {
		if (*p >= '0' && *p <= '9' && *q >= '0' && *q <= '9') {
			const char *pe, *qe;
			size_t pl, ql;
			int c;

			while (*p == '0' && p[1] >= '0' && p[1] <= '9')
				p++;
			while (*q == '0' && q[1] >= '0' && q[1] <= '9')
				q++;
			for (pe = p; *pe >= '0' && *pe <= '9'; pe++)
				;
			for (qe = q; *qe >= '0' && *qe <= '9'; qe++)
				;
			pl = (size_t)(pe - p);
			ql = (size_t)(qe - q);
			if (pl != ql)
				return pl < ql ? -1 : 1;
			if ((c = memcmp(p, q, pl)) != 0)
				return c < 0 ? -1 : 1;
			p = pe;
			q = qe;
			continue;
		}
		if (*p != *q)
			return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
		p++;
		q++;
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return strcmp(a, b);
}

/* Identity: directory of the manifest, ecosystem, name. */
static int diff_ident_cmp(const struct diff_key *a, const struct diff_key *b)
{
	size_t n = a->dirlen < b->dirlen ? a->dirlen : b->dirlen;
	int c = memcmp(a->dir, b->dir, n);

	if (c == 0 && a->dirlen != b->dirlen)
		c = a->dirlen < b->dirlen ? -1 : 1;
	if (c == 0)
		c = strcmp(a->dep->ecosystem, b->dep->ecosystem);
	if (c == 0)
		c = strcmp(a->dep->name, b->dep->name);
	return c;
}

static int diff_key_cmp(const void *pa, const void *pb)
{
	const struct diff_key *a = pa, *b = pb;
	int c = diff_ident_cmp(a, b);

	if (c == 0)
		c = diff_version_cmp(a->dep->version, b->dep->version);
	if (c == 0 && a->index != b->index)
		c = a->index < b->index ? -1 : 1;
	return c;
}

static int diff_same_version(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Fill and sort the keys of `list`; *out is NULL for an empty list. */
static int diff_keys_build(struct diff_key **out, const struct cl_dep_list *list)
{
	struct diff_key *keys = NULL;
	const char *prev_manifest = NULL;
	int prev_lock = 0;
	int error = 0;
	size_t i;

	if (list->count == 0) {
		*out = NULL;
		return 0;
	}
	keys = calloc(list->count, sizeof(*keys));
	CL_CHECK_ALLOC(keys);
	for (i = 0; i < list->count; i++) {
		const struct cl_dep *d = &list->items[i];
		const char *slash = d->manifest ? strrchr(d->manifest, '/') : NULL;

		/* A parser never emits these; a hand-built list that does is a bug. */
		assert(d->ecosystem && d->name);
		keys[i].dep = d;
		keys[i].index = i;
		keys[i].dir = slash ? d->manifest : "";
		keys[i].dirlen = slash ? (size_t)(slash - d->manifest) : 0;
		/* Entries of one file arrive together: look its format up once. */
		if (!d->manifest) {
			keys[i].lock = 0;
		} else if (prev_manifest && strcmp(prev_manifest, d->manifest) == 0) {
			keys[i].lock = prev_lock;
		} else {
			const struct cl_dep_format *f = cl_dep_format_for_path(d->manifest);
			keys[i].lock = f && f->lockfile;
			prev_manifest = d->manifest;
			prev_lock = keys[i].lock;
		}
	}
	qsort(keys, list->count, sizeof(*keys), diff_key_cmp);
	*out = keys;
	keys = NULL;
done:
	free(keys);
	return error;
}

/* ---- 2. reconciliation ------------------------------------------------ */

/* What the manifest entries of one identity say, to lay over its lock entries. */
struct reconcile_claim {
	int present;                   /* the directory's manifest declares it */
	enum cl_dep_relation claims;   /* which lock entries it claims (see the header) */
	int claims_all;
	enum cl_dep_scope scope;
	const char *license;
	size_t license_index;
};

static void reconcile_claim_init(struct reconcile_claim *c, const struct diff_key *keys, size_t g0, size_t g1)
{
	int any_direct = 0, any_unknown = 0;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = g0; i < g1; i++) {
		const struct cl_dep *d = keys[i].dep;

		if (keys[i].lock) {
			any_direct |= d->relation == CL_DEP_DIRECT;
			any_unknown |= d->relation == CL_DEP_UNKNOWN;
			continue;
		}
		if (!c->present || d->scope < c->scope)
			c->scope = d->scope;
		c->present = 1;
		/* Sorted by version first, so "first in input order" needs the index. */
		if (d->license && (!c->license || keys[i].index < c->license_index)) {
			c->license = d->license;
			c->license_index = keys[i].index;
		}
	}
	c->claims = any_direct ? CL_DEP_DIRECT : CL_DEP_UNKNOWN;
	c->claims_all = !any_direct && !any_unknown;
}

/* Reconcile one identity, keys[g0..g1), onto `out`. */
static int reconcile_group(struct cl_dep_list *out, const struct diff_key *keys, size_t g0, size_t g1)
{
	struct reconcile_claim claim;
	int has_lock = 0;
	size_t i, j;

	memset(&claim, 0, sizeof(claim));
	for (i = g0; i < g1 && !has_lock; i++)
		has_lock = keys[i].lock;
	if (has_lock)
		reconcile_claim_init(&claim, keys, g0, g1);

	/*
	 * Runs of one version. Merging starts at the run's first entry in input
	 * order that survives: with a lock present, the first lock entry.
	 */
	for (i = g0; i < g1; i = j) {
		struct cl_dep merged;
		int claimed;
		size_t k;

		if (has_lock && !keys[i].lock) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < g1 && diff_same_version(keys[j].dep->version, keys[i].dep->version); j++)
			;
		/*
		 * keys[i..j) share a version but, with a lock present, may mix in
		 * manifest entries that pin the same string; merge only the lock's.
		 */
		merged = *keys[i].dep;
		claimed = has_lock && claim.present &&
			  (claim.claims_all || keys[i].dep->relation == claim.claims);
		for (k = i + 1; k < j; k++) {
			const struct cl_dep *d = keys[k].dep;

			if (has_lock && !keys[k].lock)
				continue;
			if (has_lock && claim.present && (claim.claims_all || d->relation == claim.claims))
				claimed = 1;
			if (d->relation == CL_DEP_DIRECT ||
			    (d->relation == CL_DEP_TRANSITIVE && merged.relation == CL_DEP_UNKNOWN))
				merged.relation = d->relation;
			if (d->scope < merged.scope)
				merged.scope = d->scope;
			if (!merged.license)
				merged.license = d->license;
		}
		if (claimed) {
			merged.relation = CL_DEP_DIRECT;
			merged.scope = claim.scope;
			if (!merged.license)
				merged.license = claim.license;
		}
		if (cl_dep_list_add(out, &merged) < 0)
			return -1;
	}
	return 0;
}

int cl_deps_reconcile(struct cl_dep_list *out, const struct cl_dep_list *in)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct diff_key *keys = NULL;
	size_t g0, g1;
	int error;

	assert(out && in);
	if ((error = diff_keys_build(&keys, in)) < 0)
		goto done;
	for (g0 = 0; g0 < in->count; g0 = g1) {
		for (g1 = g0 + 1; g1 < in->count && diff_ident_cmp(&keys[g0], &keys[g1]) == 0; g1++)
			;
		if ((error = reconcile_group(&tmp, keys, g0, g1)) < 0)
			goto done;
	}
	*out = tmp;
	memset(&tmp, 0, sizeof(tmp));
done:
	free(keys);
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- 3. diff ---------------------------------------------------------- */

const char *cl_dep_change_kind_name(enum cl_dep_change_kind kind)
{
	static const char *const names[] = { "added", "removed", "version-changed", "license-changed" };

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		CL_BUG("dependency change kind out of range");
	return names[kind];
}

static int diff_push(struct cl_dep_changes *c, enum cl_dep_change_kind kind,
		     const struct cl_dep *before, const struct cl_dep *after)
{
	if (c->count == c->alloc) {
		size_t n = c->alloc ? c->alloc * 2 : 32;
		struct cl_dep_change *p = realloc(c->items, n * sizeof(*p));

		if (!p)
			return cl_error_set("out of memory");
		c->items = p;
		c->alloc = n;
	}
	c->items[c->count].kind = kind;
	c->items[c->count].before = before;
	c->items[c->count].after = after;
	c->count++;
	return 0;
}

static int diff_relicensed(const struct cl_dep *before, const struct cl_dep *after)
{
	return before->license && after->license && strcasecmp(before->license, after->license) != 0;
}

static int diff_change_cmp(const void *pa, const void *pb)
{
	const struct cl_dep_change *a = pa, *b = pb;
	const struct cl_dep *da = a->after ? a->after : a->before;
	const struct cl_dep *db = b->after ? b->after : b->before;
	int c = diff_version_cmp(da->version, db->version);

	if (c == 0 && a->kind != b->kind)
		c = a->kind < b->kind ? -1 : 1;
	return c;
}

/*
 * The key of a reconciled list: its entries are sorted and unique per
 * (identity, version), so the entry itself is the key, and index is unused.
 */
static void diff_key_of(struct diff_key *k, const struct cl_dep *d)
{
	const char *slash = d->manifest ? strrchr(d->manifest, '/') : NULL;

	k->dep = d;
	k->dir = slash ? d->manifest : "";
	k->dirlen = slash ? (size_t)(slash - d->manifest) : 0;
	k->index = 0;
	k->lock = 0;
}

/* Scratch space reused by every identity, sized for the largest lists. */
struct diff_scratch {
	const struct cl_dep **ub, **ua;   /* unmatched before / after, ascending */
};

/* Compare one identity: b[0..nb) against a[0..na), both ascending by version. */
static int diff_group(struct cl_dep_changes *c, struct diff_scratch *s,
		      const struct cl_dep *b, size_t nb, const struct cl_dep *a, size_t na)
{
	size_t i = 0, j = 0, nub = 0, nua = 0, first = c->count;

	while (i < nb || j < na) {
		int cmp = i == nb ? 1 : j == na ? -1 : diff_version_cmp(b[i].version, a[j].version);

		if (cmp < 0) {
			s->ub[nub++] = &b[i++];
		} else if (cmp > 0) {
			s->ua[nua++] = &a[j++];
		} else {
			if (diff_relicensed(&b[i], &a[j]) && diff_push(c, CL_DEP_LICENSE_CHANGED, &b[i], &a[j]) < 0)
				return -1;
			i++;
			j++;
		}
	}
	/* Pair from the top: the newest old version became the newest new one. */
	while (nub && nua) {
		const struct cl_dep *ob = s->ub[--nub], *oa = s->ua[--nua];
		enum cl_dep_change_kind kind = diff_relicensed(ob, oa) ? CL_DEP_LICENSE_CHANGED : CL_DEP_VERSION_CHANGED;

		if (diff_push(c, kind, ob, oa) < 0)
			return -1;
	}
	while (nub)
		if (diff_push(c, CL_DEP_REMOVED, s->ub[--nub], NULL) < 0)
			return -1;
	while (nua)
		if (diff_push(c, CL_DEP_ADDED, NULL, s->ua[--nua]) < 0)
			return -1;
	if (c->count - first > 1)
		qsort(c->items + first, c->count - first, sizeof(*c->items), diff_change_cmp);
	return 0;
}

/* Length of the identity starting at list[i]. */
static size_t diff_group_len(const struct cl_dep_list *list, size_t i)
{
	struct diff_key k0, k;
	size_t j;

	diff_key_of(&k0, &list->items[i]);
	for (j = i + 1; j < list->count; j++) {
		diff_key_of(&k, &list->items[j]);
		if (diff_ident_cmp(&k0, &k) != 0)
			break;
	}
	return j - i;
}

int cl_deps_diff(struct cl_dep_changes *out, const struct cl_dep_list *before,
		 const struct cl_dep_list *after)
{
	struct cl_dep_changes tmp = CL_DEP_CHANGES_INIT;
	struct diff_scratch s = { NULL, NULL };
	size_t i = 0, j = 0;
	int error;

	assert(out && before && after);
	if ((error = cl_deps_reconcile(&tmp.before, before)) < 0 ||
	    (error = cl_deps_reconcile(&tmp.after, after)) < 0)
		goto done;
	/* +1: calloc(0) may return NULL, which is not an allocation failure. */
	s.ub = calloc(tmp.before.count + 1, sizeof(*s.ub));
	CL_CHECK_ALLOC(s.ub);
	s.ua = calloc(tmp.after.count + 1, sizeof(*s.ua));
	CL_CHECK_ALLOC(s.ua);

	while (i < tmp.before.count || j < tmp.after.count) {
		size_t nb = 0, na = 0;
		int cmp;

		if (i == tmp.before.count) {
			cmp = 1;
		} else if (j == tmp.after.count) {
			cmp = -1;
		} else {
			struct diff_key kb, ka;

			diff_key_of(&kb, &tmp.before.items[i]);
			diff_key_of(&ka, &tmp.after.items[j]);
			cmp = diff_ident_cmp(&kb, &ka);
		}
		if (cmp <= 0)
			nb = diff_group_len(&tmp.before, i);
		if (cmp >= 0)
			na = diff_group_len(&tmp.after, j);
		error = diff_group(&tmp, &s, tmp.before.items + i, nb, tmp.after.items + j, na);
		if (error < 0)
			goto done;
		i += nb;
		j += na;
	}
	*out = tmp;
	memset(&tmp, 0, sizeof(tmp));
done:
	free(s.ub);
	free(s.ua);
	cl_dep_changes_dispose(&tmp);
	return error;
}

void cl_dep_changes_dispose(struct cl_dep_changes *changes)
{
	if (!changes)
		return;
	free(changes->items);
	changes->items = NULL;
	changes->count = changes->alloc = 0;
	cl_dep_list_dispose(&changes->before);
	cl_dep_list_dispose(&changes->after);
}
