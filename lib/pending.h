/*
 * pending.h - writes a check asks for that must wait until the push is
 * accepted: a "one contribution" approval is used up by the push that
 * lands, not by one that another check (or a chained hook) refuses.
 *
 * Layer rule: leaf utility. A check adds an action with its own payload;
 * the front-end that knows the outcome applies the list (pre-receive,
 * once every check and the chained hooks accepted) or frees it unapplied
 * (a refused push, a local `clearance check`, which must write nothing).
 */
#ifndef CL_PENDING_H
#define CL_PENDING_H

#include <stddef.h>

struct cl_pending;

/* Make the write; 0 or < 0 with cl_error set. */
typedef int (*cl_pending_apply_fn)(void *payload);
typedef void (*cl_pending_free_fn)(void *payload);

int cl_pending_new(struct cl_pending **out);

/*
 * Queue an action. The list owns `payload` from here on, also when this
 * fails (it is freed with `free_fn` at once). @return 0 or CL_ERROR
 */
int cl_pending_add(struct cl_pending *p, cl_pending_apply_fn apply, cl_pending_free_fn free_fn,
	void *payload);

size_t cl_pending_count(const struct cl_pending *p);

/*
 * Apply every action in the order they were added; each is applied once
 * even when a later one fails. @return 0, or the first error (later
 * actions were still tried)
 */
int cl_pending_apply(struct cl_pending *p);

/* Free the list and the payloads of actions not applied. NULL is fine. */
void cl_pending_free(struct cl_pending *p);

#endif
