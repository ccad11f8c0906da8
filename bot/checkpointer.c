/*
 * checkpointer.c - passive passes, a short waited-for pass to start the
 * WAL over, and cutting the file back when idle.
 */
#include "checkpointer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "queue.h"

struct cl_checkpointer {
	struct cl_checkpointer_options opts;
	struct cl_queue *queue;
	pthread_mutex_t *write_lock;
	char *wal_path;
	pthread_t thread;
	int started, stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	long long last_wal;   /* the WAL's size after the last pass */
	long long locked_at;  /* its size at the last pass writers waited for */
	long long idle_ms;    /* how long it has not changed */
};

static long long wal_file_bytes(const struct cl_checkpointer *c)
{
	struct stat st;
	return stat(c->wal_path, &st) == 0 ? (long long)st.st_size : 0;
}

/* A pass writers wait for: nothing new can come in, so it copies everything. */
static int locked_pass(struct cl_checkpointer *c, int truncate)
{
	int error;

	pthread_mutex_lock(c->write_lock);
	error = truncate ? cl_queue_checkpoint_truncate(c->queue) :
		cl_queue_checkpoint(c->queue, NULL, NULL);
	pthread_mutex_unlock(c->write_lock);
	return error;
}

static int round_once(struct cl_checkpointer *c)
{
	long long wal = 0, t0 = cl_queue_now_ms(), pass_ms;
	int error;

	if ((error = cl_queue_checkpoint(c->queue, &wal, NULL)) < 0)
		return error;
	pass_ms = cl_queue_now_ms() - t0;
	/* the WAL did not start over, so its passes left the database file unsynced */
	if (wal >= c->opts.restart_bytes && (error = cl_queue_sync_db(c->queue)) < 0)
		return error;
	/*
	 * Once such a pass copied everything, the WAL keeps its size until the
	 * next commit starts it over: another pass would only hold writers up.
	 */
	if (wal >= c->opts.restart_bytes && wal != c->locked_at &&
	    (pass_ms <= c->opts.quick_pass_ms || wal >= c->opts.hard_bytes)) {
		c->idle_ms = 0;
		c->last_wal = c->locked_at = wal;
		return locked_pass(c, 0);
	}
	if (wal != c->last_wal) {
		c->last_wal = wal;
		c->idle_ms = 0;
		return 0;
	}
	c->idle_ms += c->opts.every_ms + pass_ms;
	if (c->idle_ms >= c->opts.idle_ms && wal_file_bytes(c) > c->opts.keep_bytes) {
		c->idle_ms = 0;
		return locked_pass(c, 1);
	}
	return 0;
}

static void *checkpointer_main(void *arg)
{
	struct cl_checkpointer *c = arg;

	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += c->opts.every_ms * 1000000L;
		while (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->wake, &c->lock, &ts);
		if (c->stop)
			break;
		pthread_mutex_unlock(&c->lock);
		if (round_once(c) < 0)
			fprintf(stderr, "level=error component=store msg=\"%s\"\n", cl_error_last());
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int cl_checkpointer_start(struct cl_checkpointer **out, const char *db_path,
	enum cl_db_sync sync, pthread_mutex_t *write_lock, const struct cl_checkpointer_options *opts)
{
	static const struct cl_checkpointer_options defaults = CL_CHECKPOINTER_OPTIONS_INIT;
	struct cl_checkpointer *c = calloc(1, sizeof(*c));
	size_t n = strlen(db_path);
	int error;

	if (!c || !(c->wal_path = malloc(n + 5))) {
		free(c);
		return cl_error_set("out of memory");
	}
	memcpy(c->wal_path, db_path, n);
	memcpy(c->wal_path + n, "-wal", 5);
	c->opts = opts ? *opts : defaults;
	c->write_lock = write_lock;
	c->last_wal = c->locked_at = -1;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if ((error = cl_queue_open(&c->queue, db_path, sync, NULL)) < 0)
		goto fail;
	if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
		error = cl_error_set("cannot start the checkpointer thread");
		goto fail;
	}
	c->started = 1;
	*out = c;
	return 0;
fail:
	cl_checkpointer_stop(c);
	return error;
}

void cl_checkpointer_stop(struct cl_checkpointer *c)
{
	if (!c)
		return;
	if (c->started) {
		pthread_mutex_lock(&c->lock);
		c->stop = 1;
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->thread, NULL);
		cl_queue_checkpoint(c->queue, NULL, NULL);   /* leave a short WAL behind */
	}
	cl_queue_close(c->queue);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c->wal_path);
	free(c);
}
