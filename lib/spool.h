/*
 * spool.h - push events waiting for the bot, one file each, in a directory
 * next to the repository (`<repo>/clearance-spool/`).
 *
 * Layer rule: leaf module over POSIX, fileio.h and push_event.h. The hook
 * never fails a push because the bot is away: it spools the event first,
 * then delivers what the spool holds, oldest first; the next push (or
 * `clearance spool flush`) retries what is left.
 *
 *   <dir>/<20-digit unix ns>-<pid>-<event id>.event   one event, written atomically
 *   <dir>/bad/<same name>                             one that could not be read
 *   <dir>/.lock                                       held (flock) by whoever delivers
 *
 * Names sort in the order the events were spooled. A file is removed only
 * after its delivery was acknowledged, so a crash in between delivers it
 * again; the event id is the bot's delivery id, and the bot stores each
 * delivery id once, so the repeat is not processed twice (exactly once).
 */
#ifndef CL_SPOOL_H
#define CL_SPOOL_H

#include <stddef.h>

#include "push_event.h"

#define CL_SPOOL_DIR "clearance-spool"
#define CL_SPOOL_SUFFIX ".event"

/*
 * Write one event into `dir` (created when missing), under a name that
 * sorts after every event spooled before. `*name` (malloc'd, may be NULL)
 * gets the file's name.
 * @return 0 or CL_ERROR (the directory or the file cannot be written)
 */
int cl_spool_put(char **name, const char *dir, const char *event_id, const char *data, size_t len);

/*
 * Deliver one event. @return 0 when the receiver has it durably (the file
 * is then removed); < 0 to stop (the file and every later one stay).
 */
typedef int (*cl_spool_deliver_cb)(const struct cl_push_event *ev, const char *data, size_t len,
	void *payload);

/* A spool file that could not be read, moved aside (for reports). */
typedef void (*cl_spool_bad_cb)(const char *name, const char *problem, void *payload);

struct cl_spool_stats {
	size_t delivered;   /* removed after an acknowledged delivery */
	size_t bad;         /* moved to bad/ by this flush */
	size_t pending;     /* still waiting (after a failed delivery) */
};

/*
 * Deliver the spooled events of `dir` in order, under the spool's lock (a
 * concurrent flush waits). A file that is not a valid event is moved to
 * bad/ and reported through `bad` (may be NULL); the rest go on. The first
 * failed delivery stops the flush, so nothing is ever delivered out of order.
 * @return 0 (all delivered, or the directory does not exist); the callback's
 *   error when a delivery failed (stats->pending > 0); CL_ERROR when the
 *   directory cannot be read or locked.
 */
int cl_spool_flush(struct cl_spool_stats *stats, const char *dir, cl_spool_deliver_cb deliver,
	cl_spool_bad_cb bad, void *payload);

/* What a spool holds, for `clearance doctor`; nothing is moved. */
struct cl_spool_status {
	size_t pending;     /* valid events waiting */
	size_t corrupt;     /* files in the spool that would be moved to bad/ */
	size_t bad;         /* files already in bad/ */
	long long oldest;   /* unix seconds of the oldest pending file; 0 when none */
};

/* `bad` reports each corrupt pending file (may be NULL). @return 0 or CL_ERROR */
int cl_spool_status(struct cl_spool_status *out, const char *dir, cl_spool_bad_cb bad, void *payload);

#endif
