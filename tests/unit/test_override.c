/* Pusher identity, push options and the audit log, with a table for the environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "override.h"
#include "policy.h"

struct env_entry { const char *name, *value; };

static const char *table_env(const char *name, void *payload)
{
	const struct env_entry *e;
	for (e = payload; e->name; e++)
		if (!strcmp(e->name, name))
			return e->value;
	return NULL;
}

static void test_identity_order(void **state)
{
	char *env_names[] = { "GITHUB_USER_LOGIN", "GL_USERNAME", "GL_USER", "REMOTE_USER" };
	struct cl_policy_identity id = { env_names, 4 };
	struct env_entry gitolite[] = { { "GL_USER", "gina" }, { "REMOTE_USER", "web" }, { NULL, NULL } };
	struct env_entry ghe[] = { { "GITHUB_USER_LOGIN", "octo" }, { "GL_USER", "gina" }, { NULL, NULL } };
	struct env_entry empty_first[] = { { "GITHUB_USER_LOGIN", "" }, { "REMOTE_USER", "web" }, { NULL, NULL } };
	struct env_entry none[] = { { NULL, NULL } };
	char *who;
	(void)state;

	assert_int_equal(cl_identity_resolve(&who, &id, table_env, gitolite), 0);
	assert_string_equal(who, "gina");
	free(who);
	assert_int_equal(cl_identity_resolve(&who, &id, table_env, ghe), 0);
	assert_string_equal(who, "octo");
	free(who);
	assert_int_equal(cl_identity_resolve(&who, &id, table_env, empty_first), 0);
	assert_string_equal(who, "web");
	free(who);
	/* Falls back to the Unix user: never empty. */
	assert_int_equal(cl_identity_resolve(&who, &id, table_env, none), 0);
	assert_true(strlen(who) > 0);
	free(who);
}

static void test_override_option(void **state)
{
	struct cl_policy_overrides ov = { 1, NULL, 0, "clearance.override", "audit.log" };
	struct env_entry with_reason[] = { { "GIT_PUSH_OPTION_COUNT", "2" },
		{ "GIT_PUSH_OPTION_0", "ci.skip" },
		{ "GIT_PUSH_OPTION_1", "clearance.override=hotfix for outage #12" }, { NULL, NULL } };
	struct env_entry no_reason[] = { { "GIT_PUSH_OPTION_COUNT", "1" },
		{ "GIT_PUSH_OPTION_0", "clearance.override=  " }, { NULL, NULL } };
	struct env_entry prefix_only[] = { { "GIT_PUSH_OPTION_COUNT", "1" },
		{ "GIT_PUSH_OPTION_0", "clearance.overrideX=1" }, { NULL, NULL } };
	struct env_entry bad_count[] = { { "GIT_PUSH_OPTION_COUNT", "12abc" }, { NULL, NULL } };
	struct env_entry none[] = { { NULL, NULL } };
	char *reason = NULL;
	(void)state;

	assert_int_equal(cl_override_requested(&reason, &ov, table_env, with_reason), 1);
	assert_string_equal(reason, "hotfix for outage #12");
	free(reason);
	assert_int_equal(cl_override_requested(&reason, &ov, table_env, no_reason), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "an override needs a reason"));
	assert_int_equal(cl_override_requested(&reason, &ov, table_env, prefix_only), 0);
	assert_int_equal(cl_override_requested(&reason, &ov, table_env, bad_count), CL_EINVALID);
	assert_int_equal(cl_override_requested(&reason, &ov, table_env, none), 0);
}

static void test_audit_append(void **state)
{
	char path[] = "/tmp/clearance-audit-XXXXXX";
	struct cl_buf content = CL_BUF_INIT;
	json_t *rec;
	int fd;
	(void)state;

	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	rec = json_pack("{s:s,s:s}", "pusher", "alice", "reason", "line\nbreak");
	assert_int_equal(cl_audit_append(path, rec), 0);
	assert_int_equal(cl_audit_append(path, rec), 0);
	json_decref(rec);
	assert_int_equal(cl_buf_read_path(&content, path), 0);
	/* One record per line: the newline inside the reason is escaped. */
	assert_string_equal(cl_buf_cstr(&content),
		"{\"pusher\":\"alice\",\"reason\":\"line\\nbreak\"}\n"
		"{\"pusher\":\"alice\",\"reason\":\"line\\nbreak\"}\n");
	cl_buf_dispose(&content);
	unlink(path);
	rec = json_object();
	assert_true(cl_audit_append("/nonexistent-dir/audit.log", rec) < 0);
	assert_non_null(strstr(cl_error_last(), "cannot open audit log"));
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_order),
		cmocka_unit_test(test_override_option),
		cmocka_unit_test(test_audit_append),
	};
	return cmocka_run_group_tests_name("override", tests, NULL, NULL);
}
