/* The string map under the header check's per-run lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "strmap.h"

static void test_put_get(void **state)
{
	struct cl_strmap map = CL_STRMAP_INIT;
	const char *stored = NULL;
	void **slot;
	(void)state;

	assert_null(cl_strmap_get(&map, "a", 1));
	assert_int_equal(cl_strmap_put(&slot, &stored, &map, "src/a.c", 7), 1);
	assert_null(*slot);
	assert_string_equal(stored, "src/a.c");
	*slot = (void *)&map;
	assert_int_equal(cl_strmap_put(&slot, NULL, &map, "src/a.c", 7), 0);
	assert_ptr_equal(*slot, &map);
	assert_ptr_equal(*cl_strmap_get(&map, "src/a.c", 7), &map);
	/* Lengths, not NULs, delimit keys: a prefix and an embedded NUL are other keys. */
	assert_null(cl_strmap_get(&map, "src/a", 5));
	assert_int_equal(cl_strmap_put(&slot, NULL, &map, "src/a.c\0x", 9), 1);
	assert_int_equal(cl_strmap_put(&slot, NULL, &map, "", 0), 1);
	assert_non_null(cl_strmap_get(&map, "", 0));
	assert_int_equal(map.count, 3);
	cl_strmap_dispose(&map);
	assert_int_equal(map.count, 0);
	cl_strmap_dispose(&map);   /* twice is harmless */
}

static void count_values(const char *key, size_t len, void *value, void *payload)
{
	size_t *sum = payload;
	char want[32];
	snprintf(want, sizeof(want), "key-%zu", (size_t)(uintptr_t)value - 1);
	assert_int_equal(len, strlen(want));
	assert_string_equal(key, want);
	*sum += (size_t)(uintptr_t)value;
}

static void test_grow_and_foreach(void **state)
{
	struct cl_strmap map = CL_STRMAP_INIT;
	const char *first = NULL;
	size_t i, sum = 0;
	char key[32];
	void **slot;
	(void)state;

	/* Enough keys to grow the table several times and fill more than one key block. */
	for (i = 0; i < 20000; i++) {
		const char *stored;
		snprintf(key, sizeof(key), "key-%zu", i);
		assert_int_equal(cl_strmap_put(&slot, &stored, &map, key, strlen(key)), 1);
		*slot = (void *)(uintptr_t)(i + 1);
		if (i == 0)
			first = stored;
	}
	/* Stored keys do not move when the table grows. */
	assert_string_equal(first, "key-0");
	for (i = 0; i < 20000; i += 997) {
		snprintf(key, sizeof(key), "key-%zu", i);
		slot = cl_strmap_get(&map, key, strlen(key));
		assert_non_null(slot);
		assert_int_equal((uintptr_t)*slot, i + 1);
	}
	cl_strmap_foreach(&map, count_values, &sum);
	assert_int_equal(sum, (size_t)20000 * 20001 / 2);
	cl_strmap_dispose(&map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_grow_and_foreach),
	};
	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
