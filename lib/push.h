/*
 * push.h - the ref updates of one push, as typed records.
 *
 * Layer rule: hook input (pre-receive stdin "<old> SP <new> SP <ref> LF",
 * update's three arguments) is parsed here into records before anything is
 * judged (STYLE.md 3). classify() needs the repository to tell a fast-forward
 * from a rewind; nothing else here touches git.
 */
#ifndef CL_PUSH_H
#define CL_PUSH_H

#include <git2.h>
#include <stddef.h>

/* Input caps: a push names at most this many refs, stdin at most this size. */
#define CL_PUSH_MAX_UPDATES 100000
#define CL_PUSH_MAX_INPUT   (64u * 1024 * 1024)

enum cl_update_kind {
	CL_UPDATE_CREATE = 0,     /* old is all zeros */
	CL_UPDATE_FAST_FORWARD,   /* old is an ancestor of new (or equal) */
	CL_UPDATE_FORCE,          /* history rewritten: old is not an ancestor */
	CL_UPDATE_DELETE          /* new is all zeros */
};

struct cl_ref_update {
	char *refname;
	git_oid old_id;
	git_oid new_id;
	enum cl_update_kind kind;  /* CREATE/DELETE at parse; FF/FORCE after classify */
};

struct cl_push {
	struct cl_ref_update *updates;
	size_t count;
};

int cl_push_new(struct cl_push **out);
void cl_push_free(struct cl_push *push);

/*
 * Parse pre-receive input. Each line is "<old-hex> <new-hex> <refname>".
 * @return 0, or CL_EINVALID with "line N: problem" for malformed input.
 */
int cl_push_parse(struct cl_push **out, const char *input, size_t len);

/* Append one update given as hex ids (the update hook's arguments). */
int cl_push_add(struct cl_push *push, const char *refname, const char *old_hex,
	const char *new_hex);

/* Tell fast-forwards from forced updates (peeling tags to commits). */
int cl_push_classify(struct cl_push *push, git_repository *repo);

/* "create", "fast-forward", "force", "delete". */
const char *cl_update_kind_name(enum cl_update_kind kind);

#endif
