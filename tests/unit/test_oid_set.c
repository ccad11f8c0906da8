/* The blob-once set: membership across growth, duplicates, disposal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "oid_set.h"

static void make_id(git_oid *id, unsigned int n)
{
	/* Ids that share their first bytes, to exercise probing as well. */
	memset(id, 0, sizeof(*id));
	id->id[0] = (unsigned char)(n & 3);
	memcpy(id->id + 8, &n, sizeof(n));
}

static void test_add_contains(void **state)
{
	struct cl_oid_set set = CL_OID_SET_INIT;
	git_oid id;
	unsigned int i;
	(void)state;

	make_id(&id, 1);
	assert_int_equal(cl_oid_set_contains(&set, &id), 0);
	for (i = 0; i < 5000; i++) {
		make_id(&id, i);
		assert_int_equal(cl_oid_set_add(&set, &id), 1);
	}
	for (i = 0; i < 5000; i++) {
		make_id(&id, i);
		assert_int_equal(cl_oid_set_add(&set, &id), 0);
		assert_int_equal(cl_oid_set_contains(&set, &id), 1);
	}
	make_id(&id, 5000);
	assert_int_equal(cl_oid_set_contains(&set, &id), 0);
	assert_int_equal(set.count, 5000);
	cl_oid_set_dispose(&set);
	assert_int_equal(set.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_contains),
	};
	return cmocka_run_group_tests_name("oid_set", tests, NULL, NULL);
}
