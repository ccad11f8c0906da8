/*
 * deps_online_priv.h - the system-call table of deps_online.c, for tests.
 *
 * Layer rule: only deps_online.c and its tests include this.
 */
#ifndef CL_DEPS_ONLINE_PRIV_H
#define CL_DEPS_ONLINE_PRIV_H

#include "buf.h"
#include "deps_online.h"

#include <time.h>

/*
 * What the source does that a test may replace. NULL members mean the real
 * ones: libcurl and time().
 */
struct cl_deps_online_sys {
	/*
	 * GET `url` within `timeout_ms`, the body into `body` (its cap set by
	 * the caller). @return 0 with *status set, or CL_ERROR with a message
	 * (transport failure, timeout), or CL_ETOOBIG past the body's cap.
	 */
	int (*http_get)(long *status, struct cl_buf *body, const char *url, long timeout_ms, void *ctx);
	time_t (*now)(void *ctx);
	void *ctx;
};

/* Replace the table (copied); NULL restores the real calls. */
void cl_deps_online__set_sys(struct cl_deps_online *o, const struct cl_deps_online_sys *sys);

#endif
