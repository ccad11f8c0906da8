/*
 * deps_diff.h - what a push changes in a set of dependencies: added, removed,
 * version-changed and license-changed (issue 4, item 2).
 *
 * Layer rule: pure functions over struct cl_dep_list. Nothing here reads git,
 * the policy or the network; the caller parses the "before" and "after"
 * manifests (lib/deps.h) and hands both lists over.
 *
 * Identity. A dependency is (manifest directory, ecosystem, name): the
 * directory part of cl_dep.manifest (everything before the last '/', "" at
 * the top of the tree). The same package in two projects of a monorepo
 * ("web/package.json" and "api/package.json") is two dependencies, and a
 * manifest and its lock file in one directory describe the same ones. Names
 * are compared byte for byte: the parsers already normalise the ecosystems
 * whose names are case-insensitive (PyPI per PEP 503, Composer).
 *
 * Reconciliation (cl_deps_reconcile) folds a manifest and its lock file into
 * one entry per locked version; see there for the exact rules.
 */
#ifndef CL_DEPS_DIFF_H
#define CL_DEPS_DIFF_H

#include <stddef.h>

#include "deps.h"

enum cl_dep_change_kind {
	CL_DEP_ADDED = 0,           /* only `after` is set */
	CL_DEP_REMOVED,             /* only `before` is set */
	CL_DEP_VERSION_CHANGED,     /* both set; the versions differ, the licenses do not */
	/*
	 * Both set; both licenses are known and differ. The versions may differ
	 * too (a relicensing upgrade: BSD-3-Clause 1.0 -> SSPL-1.0 2.0 is this
	 * kind, never VERSION_CHANGED) or be equal (the lock file's declared
	 * license changed in place).
	 */
	CL_DEP_LICENSE_CHANGED
};

struct cl_dep_change {
	enum cl_dep_change_kind kind;
	const struct cl_dep *before;   /* points into cl_dep_changes.before; NULL for ADDED */
	const struct cl_dep *after;    /* points into cl_dep_changes.after; NULL for REMOVED */
};

struct cl_dep_changes {
	struct cl_dep_change *items;
	size_t count, alloc;
	/*
	 * The reconciled copies of the two inputs that the changes point into.
	 * They are owned here so that the caller may dispose of its own lists
	 * as soon as cl_deps_diff returns.
	 */
	struct cl_dep_list before, after;
};

#define CL_DEP_CHANGES_INIT { NULL, 0, 0, CL_DEP_LIST_INIT, CL_DEP_LIST_INIT }

/* "added", "removed", "version-changed", "license-changed". */
const char *cl_dep_change_kind_name(enum cl_dep_change_kind kind);

/*
 * Reconcile a dependency list: merge the manifest and lock-file entries of
 * each (directory, ecosystem, name) so that a direct dependency appears once,
 * with its locked version, and drop exact duplicates.
 *
 * A file is a lock file when cl_dep_format_for_path() says so
 * (cl_dep_format.lockfile); any other path, known or not, counts as a
 * manifest. Within one (directory, ecosystem, name):
 *
 *  - With no lock entries, the manifest entries are kept, one per distinct
 *    version string (two manifests of one directory may pin differently).
 *  - With lock entries, the manifest entries are absorbed and one entry per
 *    distinct locked version remains; npm nesting (foo@2 at the top,
 *    foo@1 under bar/node_modules) therefore stays two entries. The version,
 *    manifest path and line are the lock file's, so a reconciled list
 *    reconciles to itself. Each lock entry that the manifest "claims"
 *    becomes CL_DEP_DIRECT with the manifest's scope; the claimed ones are
 *    the lock entries marked DIRECT, else (none marked) those marked
 *    UNKNOWN, else all of them (a lock that disagrees with its manifest is
 *    stale, and the manifest is what a human wrote). The others keep the
 *    lock's relation and scope.
 *  - The license is the lock entry's, else the claiming manifest's.
 *  - Entries with the same version (NULL is a version of its own) merge
 *    into one: DIRECT beats TRANSITIVE beats UNKNOWN, the widest scope
 *    (lowest enum cl_dep_scope: runtime before dev) wins, and the first
 *    non-NULL license and first path in input order are kept.
 *
 * Output is sorted by directory, ecosystem, name, then version in natural
 * order (digit runs compare as numbers: 1.9 < 1.10), ties in input order.
 *
 * @param out  an initialised, empty list; filled only on success
 * @param in   the parsed dependencies, not modified
 * @return 0, or -1 (out of memory) leaving `out` empty
 *
 * Cost: O(n log n) time, O(n) memory. Thread-safe on distinct lists.
 */
int cl_deps_reconcile(struct cl_dep_list *out, const struct cl_dep_list *in);

/*
 * Compare two dependency sets. Both are reconciled first (into
 * out->before and out->after), then walked together in key order.
 *
 * Within one (directory, ecosystem, name), entries with equal versions are
 * the same dependency; among the rest, the before and after versions are
 * paired from the highest down (natural order), each pair being a version
 * change, and the leftovers are removed (before) or added (after). So
 * 1.0 -> 2.0 is one VERSION_CHANGED, and {1.0, 3.0} -> {2.0, 3.0} is
 * 1.0 -> 2.0.
 *
 * Licenses: a change is LICENSE_CHANGED only when both licenses are known
 * (non-NULL) and differ, compared case-insensitively as SPDX ids are.
 * Unknown -> known is information arriving, not a relicensing, and known ->
 * unknown is the policy layer's "unknown license" finding; with equal
 * versions neither is reported, and with different versions they are a
 * plain VERSION_CHANGED carrying both licenses. Changes of relation or scope
 * alone are not reported.
 *
 * Changes are ordered by directory, ecosystem, name, then the version of
 * `after` (of `before` for a removal).
 *
 * @param out     an initialised, empty struct; filled only on success
 * @param before  the dependencies at the old tip (not reconciled necessarily)
 * @param after   the dependencies at the new tip
 * @return 0, or -1 (out of memory) leaving `out` empty
 *
 * Cost: O(n log n) in the total number of entries; 5,000 against 5,000
 * take a few milliseconds.
 */
int cl_deps_diff(struct cl_dep_changes *out, const struct cl_dep_list *before,
		 const struct cl_dep_list *after);

/* Free the changes and the reconciled lists; the struct is left empty. */
void cl_dep_changes_dispose(struct cl_dep_changes *changes);

#endif
