/*
 * The push-event spool (lib/spool.h) and its reader (lib/push_event.h):
 * events come out in the order they went in; half-written temporary files
 * are never taken for events; a corrupt file is set aside without losing
 * the others; a failed delivery stops the flush and keeps the order; and
 * an event delivered twice (a crash between delivery and removal) is stored
 * once by the bot's queue (exactly once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bot/events.h"
#include "../../bot/queue.h"
#include "buf.h"
#include "error.h"
#include "push_event.h"
#include "spool.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cl-test-spool-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define SHA_A "1111111111111111111111111111111111111111"
#define SHA_B "2222222222222222222222222222222222222222"

static char *event_text(const char *id)
{
	struct cl_buf b = CL_BUF_INIT;
	cl_buf_printf(&b, "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"%s\", "
		"\"repository\": \"/srv/git/app.git\", \"name\": \"app\", \"pusher\": \"ann\", "
		"\"override\": {\"reason\": \"hotfix\", \"pusher\": \"ann\", \"findings\": 2}, "
		"\"refs\": [{\"ref\": \"refs/heads/main\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_B "\", "
		"\"findings\": [{\"check\": \"deps\", \"severity\": \"review\", \"key\": \"deps:npm:left-pad\", "
		"\"message\": \"new\", \"line\": 3}], \"deps\": [\"npm:left-pad\"], "
		"\"commits\": [{\"id\": \"" SHA_B "\", \"author\": \"Ann\", \"email\": \"ann@example.com\", "
		"\"time\": 1700000000}]}]}", id);
	return b.ptr;
}

static void put(const char *subdir, const char *id)
{
	char path[128], *text = event_text(id);
	snprintf(path, sizeof(path), "%s/%s", dir, subdir);
	assert_int_equal(cl_spool_put(NULL, path, id, text, strlen(text)), 0);
	free(text);
}

struct seen {
	char ids[16][64];
	int count;
	int fail_at;      /* delivery number that fails; -1: none */
	struct cl_queue *queue;
	int inserted;
};

static int record(const struct cl_push_event *ev, const char *data, size_t len, void *payload)
{
	struct seen *s = payload;
	if (s->count == s->fail_at)
		return cl_error_set("bot is down");
	snprintf(s->ids[s->count++], sizeof(s->ids[0]), "%s", ev->id);
	if (s->queue) {
		struct cl_queue_insert item;
		memset(&item, 0, sizeof(item));
		item.forge = CL_EVENTS_FORGE;
		item.delivery_id = ev->id;
		item.event = "push";
		item.repo = ev->name;
		item.body = data;
		item.body_len = len;
		item.received_at = 1;
		if (cl_queue_insert_batch(s->queue, &item, 1) < 0)
			return -1;
		s->inserted += item.inserted;
	}
	return 0;
}

static void write_raw(const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/q/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void test_order_and_atomicity(void **state)
{
	struct cl_spool_stats stats;
	struct seen s;
	char qdir[128];
	(void)state;

	snprintf(qdir, sizeof(qdir), "%s/q", dir);
	put("q", "push-c");
	put("q", "push-a");
	put("q", "push-b");
	/* what cl_file_write_atomic leaves while writing, and the lock: never events */
	write_raw("00000000000000000000-1-push-z.event.tmp.123", "{half");
	write_raw(".lock", "");
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	assert_int_equal(cl_spool_flush(&stats, qdir, record, NULL, &s), 0);
	assert_int_equal(stats.delivered, 3);
	assert_int_equal(stats.bad, 0);
	assert_int_equal(s.count, 3);
	/* spool order, not name order of the ids */
	assert_string_equal(s.ids[0], "push-c");
	assert_string_equal(s.ids[1], "push-a");
	assert_string_equal(s.ids[2], "push-b");
	/* delivered files are gone; a second flush delivers nothing */
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	assert_int_equal(cl_spool_flush(&stats, qdir, record, NULL, &s), 0);
	assert_int_equal(s.count, 0);
}

static void test_failure_keeps_order(void **state)
{
	struct cl_spool_stats stats;
	struct cl_spool_status st;
	struct seen s;
	char qdir[128];
	(void)state;

	snprintf(qdir, sizeof(qdir), "%s/f", dir);
	put("f", "push-1");
	put("f", "push-2");
	put("f", "push-3");
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;   /* the bot goes away after the first */
	assert_true(cl_spool_flush(&stats, qdir, record, NULL, &s) < 0);
	assert_string_equal(cl_error_last(), "bot is down");
	assert_int_equal(stats.delivered, 1);
	assert_int_equal(stats.pending, 2);
	assert_int_equal(cl_spool_status(&st, qdir, NULL, NULL), 0);
	assert_int_equal(st.pending, 2);
	assert_true(st.oldest > 1600000000);
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	assert_int_equal(cl_spool_flush(&stats, qdir, record, NULL, &s), 0);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.ids[0], "push-2");
	assert_string_equal(s.ids[1], "push-3");
}

static int bad_calls;
static void on_bad(const char *name, const char *problem, void *payload)
{
	(void)payload;
	assert_non_null(strstr(name, "broken"));
	assert_non_null(strstr(problem, "push event"));
	bad_calls++;
}

static void test_corrupt_file_set_aside(void **state)
{
	struct cl_spool_stats stats;
	struct cl_spool_status st;
	struct seen s;
	char qdir[128], bad[256];
	DIR *d;
	(void)state;

	snprintf(qdir, sizeof(qdir), "%s/q", dir);
	put("q", "push-x");
	write_raw("00000000000000000001-1-broken.event", "{\"type\": \"clearance.push\", \"version\"");
	put("q", "push-y");
	bad_calls = 0;
	assert_int_equal(cl_spool_status(&st, qdir, on_bad, NULL), 0);
	assert_int_equal(st.pending, 2);
	assert_int_equal(st.corrupt, 1);
	assert_int_equal(bad_calls, 1);
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	assert_int_equal(cl_spool_flush(&stats, qdir, record, on_bad, &s), 0);
	assert_int_equal(stats.bad, 1);
	assert_int_equal(stats.delivered, 2);
	assert_int_equal(bad_calls, 2);
	assert_string_equal(s.ids[0], "push-x");
	assert_string_equal(s.ids[1], "push-y");
	snprintf(bad, sizeof(bad), "%s/bad/00000000000000000001-1-broken.event", qdir);
	assert_int_equal(access(bad, F_OK), 0);
	assert_int_equal(cl_spool_status(&st, qdir, NULL, NULL), 0);
	assert_int_equal(st.pending + st.corrupt, 0);
	assert_int_equal(st.bad, 1);
	assert_non_null(d = opendir(qdir));
	closedir(d);
}

static void test_exactly_once_with_queue(void **state)
{
	struct cl_spool_stats stats;
	struct cl_queue *q = NULL;
	struct cl_queue_counts counts;
	struct seen s;
	char qdir[128], store[128], *text;
	sqlite3 *db = NULL;
	(void)state;

	snprintf(qdir, sizeof(qdir), "%s/once", dir);
	snprintf(store, sizeof(store), "%s/clearance.db", dir);
	assert_int_equal(cl_queue_open(&q, store, CL_DB_SYNC_NORMAL, NULL), 0);
	put("once", "push-once");
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	s.queue = q;
	assert_int_equal(cl_spool_flush(&stats, qdir, record, NULL, &s), 0);
	assert_int_equal(s.inserted, 1);
	/* a crash after the delivery, before the removal: the file is back */
	text = event_text("push-once");
	assert_int_equal(cl_spool_put(NULL, qdir, "push-once", text, strlen(text)), 0);
	free(text);
	assert_int_equal(cl_spool_flush(&stats, qdir, record, NULL, &s), 0);
	assert_int_equal(stats.delivered, 1);   /* delivered: the bot has it */
	assert_int_equal(s.inserted, 1);        /* but stored once */
	assert_int_equal(cl_queue_counts(&counts, q), 0);
	assert_int_equal(counts.queued, 1);
	cl_queue_close(q);

	/* the rows it leads to are idempotent too */
	{
		struct cl_push_event *ev = NULL;
		sqlite3_stmt *st = NULL;
		text = event_text("push-once");
		assert_int_equal(cl_push_event_parse(&ev, text, strlen(text)), 0);
		free(text);
		assert_int_equal(cl_events_store_open(&db, store, 1), 0);
		assert_int_equal(cl_events_record(db, ev), 0);
		assert_int_equal(cl_events_record(db, ev), 0);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM overrides), "
			"(SELECT count(*) FROM outbound_commits)", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_int_equal(sqlite3_column_int(st, 1), 1);
		sqlite3_finalize(st);
		cl_db_close(db);
		cl_push_event_free(ev);
	}
}

/* The reader: good events, and bad ones each with its reason. */
static void test_parse_table(void **state)
{
	static const struct { const char *body; const char *error; } cases[] = {
		{ "[]", "not a JSON object" },
		{ "{\"type\": \"x\"}", "'type'" },
		{ "{\"type\": \"clearance.push\", \"version\": 2}", "'version'" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"../x\", \"repository\": \"r\", "
		  "\"refs\": []}", "invalid id" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"refs\": []}", "'repository'" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/heads/x\", \"before\": \"zz\", \"after\": \"" SHA_A "\"}]}", "commit id" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"main\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\"}]}", "ref name" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/x\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\", "
		  "\"findings\": [{\"check\": \"deps\", \"severity\": \"fatal\"}]}]}", "severity" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"id\": \"b\"}", "not JSON" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"tracker\": \"nope\", \"refs\": []}", "tracker" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/x\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\", "
		  "\"license_change\": {\"file\": \"LICENSE\"}}]}", "'upstream'" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/x\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\", "
		  "\"license_change\": {\"upstream\": \"o/x\"}}]}", "names no upstream" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/x\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\", "
		  "\"license_change\": {\"upstream\": \"x\", \"ids\": [\"a\", \"b\", \"c\", \"d\", "
		  "\"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\", \"l\", \"m\", \"n\", \"o\", "
		  "\"p\", \"q\"]}}]}", "at most 16 ids" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": [{\"ref\": \"refs/x\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\", "
		  "\"license_change\": {\"upstream\": \"x\", \"ids\": [\"\"]}}]}", "not a license id" },
		{ "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", \"repository\": \"r\", "
		  "\"refs\": []}", NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_push_event *ev = NULL;
		int rc = cl_push_event_parse(&ev, cases[i].body, strlen(cases[i].body));
		if (!cases[i].error) {
			assert_int_equal(rc, 0);
			cl_push_event_free(ev);
			continue;
		}
		if (rc == 0 || !strstr(cl_error_last(), cases[i].error))
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, cl_error_last(),
				cases[i].error);
		assert_null(ev);
	}
	{
		struct cl_push_event *ev = NULL;
		char *text = event_text("push-ok");
		assert_int_equal(cl_push_event_parse(&ev, text, strlen(text)), 0);
		assert_string_equal(ev->id, "push-ok");
		assert_int_equal(ev->has_override, 1);
		assert_int_equal(ev->override_findings, 2);
		assert_int_equal(ev->ref_count, 1);
		assert_int_equal(ev->refs[0].deps_known, 1);
		assert_int_equal(ev->refs[0].headers_known, 0);
		assert_int_equal(cl_findings_count(ev->refs[0].findings), 1);
		assert_int_equal(cl_findings_get(ev->refs[0].findings, 0)->severity, CL_SEVERITY_REVIEW);
		assert_int_equal(cl_findings_get(ev->refs[0].findings, 0)->line, 3);
		assert_string_equal(ev->refs[0].commits[0].email, "ann@example.com");
		cl_push_event_free(ev);
		free(text);
	}
	{
		static const char body[] = "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"a\", "
			"\"repository\": \"r\", \"refs\": [{\"ref\": \"refs/heads/main\", \"before\": \""
			SHA_A "\", \"after\": \"" SHA_A "\", \"license_change\": {\"upstream\": \"redis\", "
			"\"file\": \"LICENSE\", \"ids\": [\"SSPL-1.0\", \"BUSL-1.1\"]}}, {\"ref\": "
			"\"refs/heads/b\", \"before\": \"" SHA_A "\", \"after\": \"" SHA_A "\"}]}";
		struct cl_push_event *ev = NULL;
		assert_int_equal(cl_push_event_parse(&ev, body, strlen(body)), 0);
		assert_string_equal(ev->refs[0].license_upstream, "redis");
		assert_string_equal(ev->refs[0].license.file, "LICENSE");
		assert_int_equal(ev->refs[0].license.id_count, 2);
		assert_string_equal(ev->refs[0].license.ids[1], "BUSL-1.1");
		assert_null(ev->refs[1].license_upstream);
		cl_push_event_free(ev);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_atomicity),
		cmocka_unit_test(test_failure_keeps_order),
		cmocka_unit_test(test_corrupt_file_set_aside),
		cmocka_unit_test(test_exactly_once_with_queue),
		cmocka_unit_test(test_parse_table),
	};
	return cmocka_run_group_tests_name("spool", tests, setup, teardown);
}
