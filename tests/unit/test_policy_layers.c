/*
 * Policy layers: a repository's .clearance.yml merged over the server's
 * default: mappings merge, scalars and lists replace, each layer's errors
 * point into that layer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dco.h"
#include "error.h"
#include "headers.h"
#include "policy_layers.h"

static int load(struct cl_policy **out, const char *a, const char *b, const char *c)
{
	struct cl_policy_layer layers[3] = {
		{ a, strlen(a), "server default" },
		{ b, b ? strlen(b) : 0, "acme/widget:.clearance.yml@main" },
		{ c, c ? strlen(c) : 0, "third" },
	};
	return cl_policy_load_layers(out, layers, c ? 3 : b ? 2 : 1);
}

static void test_mappings_merge_scalars_replace(void **state)
{
	struct cl_policy *p = NULL;
	const struct cl_header_options *h;
	(void)state;

	assert_int_equal(load(&p,
		"dco:\n  enabled: true\n  merge_commits: check\n"
		"headers:\n  enabled: true\n  window_bytes: 8192\n  licenses: [MIT, Apache-2.0]\n",
		"# the repository's own\n"
		"dco:\n  enabled: false\n"
		"headers:\n  licenses: [GPL-2.0-only]\n", NULL), 0);
	assert_int_equal(cl_policy_dco(p)->enabled, 0);        /* replaced */
	assert_int_equal(cl_policy_dco(p)->check_merges, 1);   /* kept from below */
	h = cl_policy_headers(p);
	assert_int_equal(h->enabled, 1);
	assert_int_equal(h->window_bytes, 8192);
	assert_int_equal(h->licenses.count, 1);                 /* a list replaces whole */
	assert_non_null(strstr(cl_policy_source(p), "server default + acme/widget"));
	cl_policy_free(p);
}

static void test_three_layers_and_empty_ones(void **state)
{
	struct cl_policy *p = NULL;
	(void)state;

	assert_int_equal(load(&p, "headers:\n  enabled: true\n  window_bytes: 100\n",
		"# nothing but a comment\n", "headers:\n  window_bytes: 200\n"), 0);
	assert_int_equal(cl_policy_headers(p)->enabled, 1);
	assert_int_equal(cl_policy_headers(p)->window_bytes, 200);
	cl_policy_free(p);

	assert_int_equal(load(&p, "", "dco:\n  enabled: false\n", NULL), 0);
	assert_int_equal(cl_policy_dco(p)->enabled, 0);
	cl_policy_free(p);
}

static void test_quoting_survives_the_merge(void **state)
{
	struct cl_policy *p = NULL;
	(void)state;

	/* A quoted "true" is a string: a type error in the merged text as alone. */
	assert_int_equal(load(&p, "dco:\n  enabled: true\n", "dco:\n  enabled: \"true\"\n", NULL),
		CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "acme/widget:.clearance.yml@main:2:"));
	assert_null(p);
}

static void test_errors_name_their_layer(void **state)
{
	struct cl_policy *p = NULL;
	(void)state;

	assert_int_equal(load(&p, "dco:\n  enabled: true\n", "dco:\n  enabeld: true\n", NULL),
		CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "acme/widget:.clearance.yml@main:2:3"));
	assert_int_equal(load(&p, "dco: [\n", "", NULL), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "server default:"));
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mappings_merge_scalars_replace),
		cmocka_unit_test(test_three_layers_and_empty_ones),
		cmocka_unit_test(test_quoting_survives_the_merge),
		cmocka_unit_test(test_errors_name_their_layer),
	};
	return cmocka_run_group_tests_name("policy_layers", tests, NULL, NULL);
}
