/*
 * checkpointer.h - the thread that copies the store's WAL into the database
 * file and keeps the WAL from growing without end.
 *
 * Layer rule: a bot/ module over queue.h. The server starts one; it is the
 * only connection that checkpoints (the writers' own checkpoints are off,
 * intake.c), so a checkpoint's copy and fsync stay out of the commits that
 * requests wait for.
 *
 * Why more than passive passes: SQLite starts the WAL over only when a
 * pass has copied all of it before the next commit begins, which never
 * happens while commits keep coming. The WAL then grew by gigabytes a
 * minute, and the commit that finally cut it back (journal_size_limit)
 * stalled every waiting request for a second while the kernel finished
 * writing back what it was about to free. So:
 *   - every round, a passive pass copies what is committed; while the WAL
 *     is not starting over, the database file is synced after it (a pass
 *     that never reaches the WAL's end never syncs it, and the first one
 *     that did then waited a second for gigabytes to reach the disk);
 *   - past restart_bytes, when that pass was quick (the load is
 *     moderate, so little came in meanwhile) or the WAL is past
 *     hard_bytes (whatever the load), writers wait for one
 *     more pass that copies only what the first missed (about 10 ms at
 *     1,000 deliveries/s); the next commit then starts the WAL over, in
 *     the file's first pages;
 *   - the file itself is cut back only after idle_ms without a commit,
 *     when nobody waits for it.
 */
#ifndef CL_CHECKPOINTER_H
#define CL_CHECKPOINTER_H

#include <pthread.h>

#include "db.h"

/* The policy's numbers; CL_CHECKPOINTER_OPTIONS_INIT holds the server's. */
struct cl_checkpointer_options {
	int every_ms;               /* between rounds: 100 */
	long long restart_bytes;    /* a WAL this big starts over when the load allows: 16 MB */
	int quick_pass_ms;          /* a pass this short says the load allows: 20 */
	long long hard_bytes;       /* a WAL this big starts over whatever the load: 4 GB */
	int idle_ms;                /* no commit for this long is idle: 5000 */
	long long keep_bytes;       /* a WAL file this small is not cut back when idle: 64 MB */
};
#define CL_CHECKPOINTER_OPTIONS_INIT { 100, 16LL << 20, 20, 4LL << 30, 5000, 64LL << 20 }

struct cl_checkpointer;

/*
 * Open a connection to the store at `db_path` and start the thread.
 * `write_lock` is the one every writer of the store holds while it writes.
 * @param opts NULL for CL_CHECKPOINTER_OPTIONS_INIT
 * @return 0 or an error
 */
int cl_checkpointer_start(struct cl_checkpointer **out, const char *db_path,
	enum cl_db_sync sync, pthread_mutex_t *write_lock, const struct cl_checkpointer_options *opts);

/* Stop the thread, make a last pass (leaving a short WAL) and free; NULL is fine. */
void cl_checkpointer_stop(struct cl_checkpointer *c);

#endif
