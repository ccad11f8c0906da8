/* Writes kept for an accepted push: order, each once, failures, freeing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pending.h"

struct log {
	char order[16];
	size_t applied, freed;
};

struct action {
	struct log *log;
	char name;
	int fail;
};

static int apply(void *payload)
{
	struct action *a = payload;
	size_t n = strlen(a->log->order);

	a->log->order[n] = a->name;
	a->log->applied++;
	return a->fail ? cl_error_set("action %c failed", a->name) : 0;
}

static void release(void *payload)
{
	struct action *a = payload;

	a->log->freed++;
	free(a);
}

static void add(struct cl_pending *p, struct log *log, char name, int fail)
{
	struct action *a = calloc(1, sizeof(*a));

	assert_non_null(a);
	a->log = log;
	a->name = name;
	a->fail = fail;
	assert_int_equal(cl_pending_add(p, apply, release, a), 0);
}

static void test_applied_in_order_once(void **state)
{
	struct cl_pending *p = NULL;
	struct log log;
	char c;
	(void)state;

	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_pending_new(&p), 0);
	for (c = 'a'; c <= 'f'; c++)   /* more than the first allocation holds */
		add(p, &log, c, 0);
	assert_int_equal(cl_pending_count(p), 6);
	assert_int_equal(cl_pending_apply(p), 0);
	assert_string_equal(log.order, "abcdef");
	assert_int_equal(log.freed, 6);
	/* applying again makes no write twice */
	assert_int_equal(cl_pending_apply(p), 0);
	assert_int_equal(log.applied, 6);
	cl_pending_free(p);
	assert_int_equal(log.freed, 6);
}

static void test_failure_does_not_stop_the_rest(void **state)
{
	struct cl_pending *p = NULL;
	struct log log;
	(void)state;

	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_pending_new(&p), 0);
	add(p, &log, 'a', 0);
	add(p, &log, 'b', 1);
	add(p, &log, 'c', 1);
	add(p, &log, 'd', 0);
	assert_true(cl_pending_apply(p) < 0);
	assert_string_equal(cl_error_last(), "action b failed");
	assert_string_equal(log.order, "abcd");
	cl_pending_free(p);
	assert_int_equal(log.freed, 4);
}

static void test_refused_push_writes_nothing(void **state)
{
	struct cl_pending *p = NULL;
	struct log log;
	(void)state;

	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_pending_new(&p), 0);
	add(p, &log, 'a', 0);
	add(p, &log, 'b', 0);
	cl_pending_free(p);
	assert_int_equal(log.applied, 0);
	assert_int_equal(log.freed, 2);
	cl_pending_free(NULL);
	assert_int_equal(cl_pending_count(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_applied_in_order_once),
		cmocka_unit_test(test_failure_does_not_stop_the_rest),
		cmocka_unit_test(test_refused_push_writes_nothing),
	};
	return cmocka_run_group_tests_name("pending", tests, NULL, NULL);
}
