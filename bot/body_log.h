/*
 * body_log.h - the deliveries' payloads, in append-only files beside the
 * store.
 *
 * Why not in SQLite: a 25 KB payload kept in a row went through the store
 * three times (into the WAL, the checkpoint's copy into the database file,
 * and the read of the WAL for that copy), and its WAL frames of 4 KB plus a
 * header straddle the kernel's pages, so each write also zeroed a page.
 * Under bench/bot-intake.sh's load that was half of the server's CPU: the
 * same server with its payloads in a plain file spent 0.12 CPU ms per
 * delivery instead of 0.25, and took 11,000 deliveries/s instead of 6,200.
 * Here a payload is written once, with one write call per group commit,
 * and the delivery's row says where it is.
 *
 * Layout: the directory <store>-bodies/ holds segments NNNNNNNN.log of
 * about CL_BODY_LOG_SEGMENT_BYTES each. A record is a 16-byte header
 * ("CLB1", the payload's length, a 64-bit check of the payload) and the
 * payload.
 *
 * Records are only appended, inside the store's write transaction (so
 * that processes sharing the store take turns), at the file's real end.
 * Bytes that a failed or rolled-back batch left there belong to no row and
 * are never read. A batch's records are written, and with durability
 * `power` synced, before the transaction that refers to them commits.
 */
#ifndef CL_BODY_LOG_H
#define CL_BODY_LOG_H

#include <stddef.h>

#define CL_BODY_LOG_SEGMENT_BYTES ((long long)64 << 20)

struct cl_body_log;

/* Where a payload is: what a delivery's row keeps. */
struct cl_body_ref {
	long long segment;    /* NNNNNNNN of the file */
	long long offset;     /* of the record's header */
	long long length;     /* of the payload */
	long long check;      /* cl_hash_bytes of the payload, as stored */
};

/*
 * Open the log of the store at `store_path`, creating its directory.
 * @param sync nonzero: each batch is fdatasync'ed before it counts as written
 */
int cl_body_log_open(struct cl_body_log **out, const char *store_path, int sync);
void cl_body_log_close(struct cl_body_log *log);

/*
 * Start a batch. The caller holds the store's write transaction until the
 * batch is written and committed, or dropped.
 */
int cl_body_log_begin(struct cl_body_log *log);

/* Where `body` would go as the batch's next record: fills *ref, writes nothing. */
void cl_body_log_place(struct cl_body_log *log, struct cl_body_ref *ref, const char *body, size_t len);

/*
 * Make the record placed in *ref (by the last cl_body_log_place) part of
 * the batch. `body` is not copied: it must stay until cl_body_log_write.
 */
int cl_body_log_add(struct cl_body_log *log, const struct cl_body_ref *ref, const char *body);

/* Write the batch's records (and sync them when the log syncs). @return 0 or CL_ERROR */
int cl_body_log_write(struct cl_body_log *log);

/* Forget a batch that will not be written. */
void cl_body_log_abort(struct cl_body_log *log);

/*
 * Read the payload at `ref` into a new NUL-terminated buffer.
 * @return 0; CL_EINVALID when the record is missing or does not match its
 *   reference (a damaged or removed segment), with the place in the message;
 *   CL_ERROR when it cannot be read at all
 */
int cl_body_log_read(char **out, size_t *len, struct cl_body_log *log, const struct cl_body_ref *ref);

#endif
