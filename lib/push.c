#include "push.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cl_push_new(struct cl_push **out)
{
	struct cl_push *push = calloc(1, sizeof(*push));
	if (!push)
		return cl_error_set("out of memory");
	*out = push;
	return 0;
}

void cl_push_free(struct cl_push *push)
{
	size_t i;
	if (!push)
		return;
	for (i = 0; i < push->count; i++)
		free(push->updates[i].refname);
	free(push->updates);
	free(push);
}

static int parse_oid(git_oid *out, const char *hex, size_t len)
{
	size_t i;
	if (len != GIT_OID_HEXSZ)
		return -1;
	for (i = 0; i < len; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	return git_oid_fromstrn(out, hex, len) < 0 ? -1 : 0;
}

static int push_append(struct cl_push *push, const char *refname, size_t reflen,
	const char *old_hex, size_t old_len, const char *new_hex, size_t new_len)
{
	struct cl_ref_update u, *grown;
	int valid = 0;

	memset(&u, 0, sizeof(u));
	if (push->count >= CL_PUSH_MAX_UPDATES)
		return cl_error_setc(CL_ETOOBIG, "more than %d ref updates in one push", CL_PUSH_MAX_UPDATES);
	if (parse_oid(&u.old_id, old_hex, old_len) < 0)
		return cl_error_setc(CL_EINVALID, "old value '%.*s' is not a full object id",
			(int)(old_len > 64 ? 64 : old_len), old_hex);
	if (parse_oid(&u.new_id, new_hex, new_len) < 0)
		return cl_error_setc(CL_EINVALID, "new value '%.*s' is not a full object id",
			(int)(new_len > 64 ? 64 : new_len), new_hex);
	if ((u.refname = strndup(refname, reflen)) == NULL)
		return cl_error_set("out of memory");
	if (memchr(refname, '\0', reflen) || git_reference_name_is_valid(&valid, u.refname) < 0 || !valid) {
		cl_error_setc(CL_EINVALID, "'%.200s' is not a valid ref name", u.refname);
		free(u.refname);
		return CL_EINVALID;
	}
	if (git_oid_is_zero(&u.old_id) && git_oid_is_zero(&u.new_id)) {
		free(u.refname);
		return cl_error_setc(CL_EINVALID, "both old and new are zero for '%.200s'", refname);
	}
	u.kind = git_oid_is_zero(&u.new_id) ? CL_UPDATE_DELETE :
		git_oid_is_zero(&u.old_id) ? CL_UPDATE_CREATE : CL_UPDATE_FAST_FORWARD;

	grown = realloc(push->updates, (push->count + 1) * sizeof(*grown));
	if (!grown) {
		free(u.refname);
		return cl_error_set("out of memory");
	}
	push->updates = grown;
	push->updates[push->count++] = u;
	return 0;
}

int cl_push_add(struct cl_push *push, const char *refname, const char *old_hex,
	const char *new_hex)
{
	return push_append(push, refname, strlen(refname), old_hex, strlen(old_hex),
		new_hex, strlen(new_hex));
}

int cl_push_parse(struct cl_push **out, const char *input, size_t len)
{
	struct cl_push *push = NULL;
	const char *line = input, *end = input + len;
	size_t lineno = 0;
	int error;

	if (len > CL_PUSH_MAX_INPUT)
		return cl_error_setc(CL_ETOOBIG, "hook input larger than %u bytes", CL_PUSH_MAX_INPUT);
	if ((error = cl_push_new(&push)) < 0)
		return error;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *sp1, *sp2;
		size_t n;

		if (!eol)
			eol = end;
		n = (size_t)(eol - line);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			line = eol + 1;
			continue;
		}
		sp1 = memchr(line, ' ', n);
		sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line + n - sp1 - 1)) : NULL;
		if (!sp1 || !sp2 || sp2 + 1 >= line + n) {
			error = cl_error_setc(CL_EINVALID,
				"line %zu: expected '<old> <new> <ref>'", lineno);
			goto done;
		}
		if ((error = push_append(push, sp2 + 1, (size_t)(line + n - sp2 - 1),
				line, (size_t)(sp1 - line), sp1 + 1, (size_t)(sp2 - sp1 - 1))) < 0) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s", cl_error_last());
			cl_error_setc(error, "line %zu: %s", lineno, msg);
			goto done;
		}
		line = eol + 1;
	}
	*out = push;
	push = NULL;
done:
	cl_push_free(push);
	return error;
}

/* Peel to a commit; GIT_ENOTFOUND-like results (a tag of a tree) give 0 with *ok = 0. */
static int peel_commit(git_oid *out, int *ok, git_repository *repo, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int error;

	*ok = 0;
	if ((error = git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		return cl_error_from_git(hex);
	}
	error = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (error == 0) {
		git_oid_cpy(out, git_object_id(peeled));
		*ok = 1;
	} else if (error == GIT_EINVALIDSPEC || error == GIT_ENOTFOUND || error == GIT_EPEEL) {
		git_error_clear();
		error = 0;
	} else {
		error = cl_error_from_git("cannot peel object");
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int cl_push_classify(struct cl_push *push, git_repository *repo)
{
	size_t i;
	int error;

	for (i = 0; i < push->count; i++) {
		struct cl_ref_update *u = &push->updates[i];
		git_oid old_c, new_c;
		int old_ok, new_ok;

		if (u->kind == CL_UPDATE_CREATE || u->kind == CL_UPDATE_DELETE)
			continue;
		if ((error = peel_commit(&old_c, &old_ok, repo, &u->old_id)) < 0 ||
		    (error = peel_commit(&new_c, &new_ok, repo, &u->new_id)) < 0)
			return error;
		if (!old_ok || !new_ok) {
			/* Tags of trees or blobs have no history to rewind. */
			u->kind = git_oid_equal(&u->old_id, &u->new_id) ? CL_UPDATE_FAST_FORWARD : CL_UPDATE_FORCE;
			continue;
		}
		if (git_oid_equal(&old_c, &new_c)) {
			u->kind = CL_UPDATE_FAST_FORWARD;
			continue;
		}
		error = git_graph_descendant_of(repo, &new_c, &old_c);
		if (error < 0)
			return cl_error_from_git("cannot compare history");
		u->kind = error ? CL_UPDATE_FAST_FORWARD : CL_UPDATE_FORCE;
	}
	return 0;
}

const char *cl_update_kind_name(enum cl_update_kind kind)
{
	switch (kind) {
	case CL_UPDATE_CREATE: return "create";
	case CL_UPDATE_FAST_FORWARD: return "fast-forward";
	case CL_UPDATE_FORCE: return "force";
	case CL_UPDATE_DELETE: return "delete";
	}
	CL_BUG("unknown update kind");
}
