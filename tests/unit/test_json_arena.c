/*
 * The Jansson arena (lib/json_arena.c): scopes, what is freed where, and
 * that values from outside a scope still free normally inside it. The
 * parsers' own tests (test_deps_npm, _composer, _python, _nuget) install
 * the arena too, so every fixture runs through it under ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "json_arena.h"

static void test_scope(void **state)
{
	struct cl_json_arena a = CL_JSON_ARENA_INIT, inner = CL_JSON_ARENA_INIT;
	json_t *outside = json_pack("{s:s}", "kept", "across the scope");
	json_t *obj;
	size_t i;

	(void)state;
	assert_non_null(outside);
	cl_json_arena_begin(&a);
	assert_true(a.active);
	/* scopes do not nest: the inner one is inactive and its values live in `a` */
	cl_json_arena_begin(&inner);
	assert_false(inner.active);
	obj = json_object();
	assert_non_null(obj);
	for (i = 0; i < 20000; i++) {   /* several chunks, and rehashes freeing old buckets */
		char key[32];
		snprintf(key, sizeof(key), "key-%zu", i);
		assert_int_equal(json_object_set_new(obj, key, json_string(key)), 0);
	}
	cl_json_arena_end(&inner);
	assert_non_null(a.chunks);
	assert_string_equal(json_string_value(json_object_get(obj, "key-19999")), "key-19999");
	json_decref(obj);
	/* a value made before the scope is freed with free(), not ignored (ASan/LSan would tell) */
	json_decref(outside);
	cl_json_arena_end(&a);
	assert_null(a.chunks);
	assert_false(a.active);

	/* after the scope, allocations are the heap's again */
	obj = json_string("heap");
	assert_non_null(obj);
	json_decref(obj);

	/* an arena may be begun again */
	cl_json_arena_begin(&a);
	assert_true(a.active);
	obj = json_loads("{\"a\": [1, 2, {\"b\": \"c\"}]}", 0, NULL);
	assert_non_null(obj);
	json_decref(obj);
	cl_json_arena_end(&a);
}

static void test_big_allocation(void **state)
{
	struct cl_json_arena a = CL_JSON_ARENA_INIT;
	char *big = malloc(1 << 20);
	json_t *s;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	cl_json_arena_begin(&a);
	s = json_stringn(big, 1 << 20);   /* bigger than a first chunk */
	assert_non_null(s);
	assert_int_equal(json_string_length(s), 1 << 20);
	json_decref(s);
	cl_json_arena_end(&a);
	free(big);
}

static void test_another_allocator(void **state)
{
	struct cl_json_arena a = CL_JSON_ARENA_INIT;

	(void)state;
	/* someone else's allocator (here the plain heap's): scopes stay inactive */
	json_set_alloc_funcs(malloc, free);
	cl_json_arena_begin(&a);
	assert_false(a.active);
	cl_json_arena_end(&a);
	cl_json_arena_install();
	cl_json_arena_begin(&a);
	assert_true(a.active);
	cl_json_arena_end(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_big_allocation),
		cmocka_unit_test(test_another_allocator),
	};

	cl_json_arena_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
