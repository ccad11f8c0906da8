/*
 * The webhook payload decoder and signatures (lib/webhook.c), the intake's
 * judge (bot/intake.c) and bot.yml (bot/config.c): tables of inputs and
 * what each must give. Bodies are the published GitHub examples in
 * tests/bot/webhooks/github/ and the Gitea bodies in tests/bot/webhooks/gitea/.
 */
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
#include "config.h"
#include "error.h"
#include "intake.h"
#include "webhook.h"

static char *slurp(const char *path, size_t *len)
{
	struct cl_buf buf = CL_BUF_INIT;
	cl_buf_init(&buf, 0);
	assert_int_equal(cl_buf_read_path(&buf, path), 0);
	*len = buf.size;
	return cl_buf_detach(&buf);
}

/* ---- signatures ---- */

static void test_signature_spellings(void **state)
{
	static const char body[] = "{\"zen\":\"Keep it logically awesome.\"}";
	char gh[72], bare[72], upper[72];
	size_t i;

	(void)state;
	cl_webhook_sign(gh, "s3cret", 6, body, strlen(body), 1);
	cl_webhook_sign(bare, "s3cret", 6, body, strlen(body), 0);
	assert_int_equal(strncmp(gh, "sha256=", 7), 0);
	assert_string_equal(gh + 7, bare);
	assert_int_equal(cl_webhook_verify("s3cret", 6, body, strlen(body), gh), 0);
	assert_int_equal(cl_webhook_verify("s3cret", 6, body, strlen(body), bare), 0);
	for (i = 0; bare[i]; i++)
		upper[i] = (char)(bare[i] >= 'a' && bare[i] <= 'f' ? bare[i] - 32 : bare[i]);
	upper[i] = '\0';
	assert_int_equal(cl_webhook_verify("s3cret", 6, body, strlen(body), upper), 0);

	/* a known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") */
	assert_int_equal(cl_webhook_verify("key", 3, "The quick brown fox jumps over the lazy dog", 43,
		"f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"), 0);
}

static void test_signature_refusals(void **state)
{
	static const char body[] = "{}";
	char good[72], flipped[72];
	static const char *const bad[] = {
		"", "sha256=", "sha1=0123", "sha256=zz", "sha256=0",
		"sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
		"f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8ff",
		"g7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
	};
	size_t i;

	(void)state;
	assert_int_equal(cl_webhook_verify("k", 1, body, 2, NULL), CL_EINVALID);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cl_webhook_verify("k", 1, body, 2, bad[i]), CL_EINVALID);
	cl_webhook_sign(good, "k", 1, body, 2, 1);
	memcpy(flipped, good, sizeof(good));
	flipped[20] = flipped[20] == '0' ? '1' : '0';
	assert_int_equal(cl_webhook_verify("k", 1, body, 2, flipped), CL_EINVALID);
	/* the same body under another secret, and another body under this one */
	assert_int_equal(cl_webhook_verify("K", 1, body, 2, good), CL_EINVALID);
	assert_int_equal(cl_webhook_verify("k", 1, "{} ", 3, good), CL_EINVALID);
}

/* ---- depth ---- */

static void test_depth(void **state)
{
	struct {
		const char *json;
		int ok;
	} cases[] = {
		{ "{}", 1 },
		{ "[[[[]]]]", 1 },
		{ "[[[[[]]]]]", 0 },                         /* 5 > 4 */
		{ "{\"a\":\"[[[[[[[[[[\"}", 1 },             /* brackets inside a string */
		{ "{\"a\":\"\\\"[[[[[[[[\"}", 1 },          /* after an escaped quote */
		{ "[\"\\\\\",[[[[]]]]]", 0 },               /* an escaped backslash ends the escape */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cl_webhook_check_depth(cases[i].json, strlen(cases[i].json), 4) == 0,
			cases[i].ok);
}

/* ---- decoder ---- */

static void test_decode_github_fixtures(void **state)
{
	struct cl_webhook_event *ev = NULL;
	size_t len;
	char *body;

	(void)state;
	body = slurp("tests/bot/webhooks/github/pull_request.opened.json", &len);
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "pull_request", body, len), 0);
	assert_string_equal(ev->event, "pull_request");
	assert_string_equal(ev->action, "opened");
	assert_string_equal(ev->repo_full_name, "Codertocat/Hello-World");
	assert_string_equal(ev->clone_url, "https://github.com/Codertocat/Hello-World.git");
	assert_string_equal(ev->sender, "Codertocat");
	assert_int_equal(ev->pr_number, 2);
	assert_string_equal(ev->base_ref, "master");
	assert_int_equal(strlen(ev->base_sha), 40);
	assert_string_equal(ev->head_ref, "changes");
	assert_int_equal(strlen(ev->head_sha), 40);
	cl_webhook_event_free(ev);
	free(body);

	body = slurp("tests/bot/webhooks/github/push.json", &len);
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "push", body, len), 0);
	assert_string_equal(ev->push_ref, "refs/tags/simple-tag");
	assert_string_equal(ev->push_before, "0000000000000000000000000000000000000000");
	assert_int_equal(strlen(ev->push_after), 40);
	assert_null(ev->action);
	cl_webhook_event_free(ev);
	free(body);

	body = slurp("tests/bot/webhooks/github/issue_comment.created.json", &len);
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "issue_comment", body, len), 0);
	assert_string_equal(ev->comment_author, "Codertocat");
	assert_non_null(ev->comment_body);
	assert_int_equal(ev->pr_number, 1);
	cl_webhook_event_free(ev);
	free(body);

	/* an event we do not act on still decodes its common fields */
	body = slurp("tests/bot/webhooks/github/ping.json", &len);
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "ping", body, len), 0);
	assert_null(ev->push_ref);
	cl_webhook_event_free(ev);
	free(body);
}

static void test_decode_gitea(void **state)
{
	struct cl_webhook_event *ev = NULL;
	size_t len;
	char *body = slurp("tests/bot/webhooks/gitea/pull_request.opened.json", &len);

	(void)state;
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITEA, "pull_request", body, len), 0);
	assert_int_equal(ev->forge, CL_FORGE_GITEA);
	assert_string_equal(ev->repo_full_name, "ospo/widget");
	assert_int_equal(ev->pr_number, 5);
	assert_string_equal(ev->head_sha, "2222222222222222222222222222222222222222");
	assert_int_equal(ev->installation_id, 0);
	cl_webhook_event_free(ev);
	free(body);
}

static void test_decode_refusals(void **state)
{
	static const char sha[] = "\"0123456789abcdef0123456789abcdef01234567\"";
	char pr_ok[512], deep[20016];
	struct {
		const char *event, *body;
		const char *message;   /* a part of the error */
	} cases[] = {
		{ "push", "not json", "invalid JSON" },
		{ "push", "{\"ref\":\"refs/heads/main\",\"before\":", "invalid JSON" },   /* truncated */
		{ "push", "[1,2]", "not a JSON object" },
		{ "push", "{\"repository\":{\"full_name\":\"a/b\"},\"ref\":\"r\",\"before\":\"x\",\"after\":\"y\"}",
		  "not a commit id" },
		{ "push", "{\"repository\":{\"full_name\":\"a/b\"},\"ref\":\"r\"}", "no 'before'" },
		{ "pull_request", "{\"repository\":{\"full_name\":\"a/b\"},\"number\":\"7\"}", "not a whole number" },
		{ "pull_request", "{\"repository\":{\"full_name\":\"a/b\"},\"number\":-1}", "not a whole number" },
		{ "push", "{\"ref\":\"a\",\"ref\":\"b\"}", "payload has 'ref' twice" },
		{ "push", "{\"ref\":\"a\\u0000b\"}", "without NUL" },
		{ "push", "{\"ref\":\"\\ud800\"}", "high surrogate" },
		{ "push", "{\"ref\":\"\xff\"}", "not UTF-8" },
		{ "push", "{\"x\":01}", "expected ',' or '}'" },
		{ "push", "{\"x\":1.}", "invalid number" },
		{ "push", "{} x", "text after" },
		{ "push", "{\"ref\":\"a\tb\"}", "control character" },
		{ "push", "{\"repository\":{\"full_name\":[\"a/b\"]}}", "not a scalar" },
		{ "push", "", "empty input" },
		{ "Push", "{}", "is not [a-z0-9_]" },
		{ "", "{}", "missing" },
		{ "push", deep, "nested deeper" },
	};
	size_t i;

	(void)state;
	/* {"x": 10,000 arrays deep}: refused at level 64, without recursing further */
	memcpy(deep, "{\"x\":", 5);
	for (i = 0; i < 10000; i++) {
		deep[5 + i] = '[';
		deep[5 + 10000 + i] = ']';
	}
	memcpy(deep + 20005, "}", 2);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_webhook_event *ev = NULL;
		int rc = cl_webhook_decode(&ev, CL_FORGE_GITHUB, cases[i].event, cases[i].body,
			strlen(cases[i].body));
		if (rc != CL_EINVALID || !strstr(cl_error_last(), cases[i].message))
			fail_msg("case %zu: rc %d, '%s'", i, rc, cl_error_last());
		assert_null(ev);
	}

	/* escaped keys match too; NUL and surrogate pairs in strings we do not read are fine */
	snprintf(pr_ok, sizeof(pr_ok), "{\"x\":\"\\u0000\\ud83d\\ude00\",\"repository\":{\"full_name\":\"a/\\u00e9\"},\"n\\u0075mber\":7,"
		"\"pull_request\":{\"base\":{\"ref\":\"main\",\"sha\":%s},\"head\":{\"ref\":\"f\",\"sha\":%s}}}",
		sha, sha);
	{
		struct cl_webhook_event *ev = NULL;
		assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "pull_request", pr_ok, strlen(pr_ok)), 0);
		assert_int_equal(ev->pr_number, 7);
		assert_string_equal(ev->repo_full_name, "a/\xc3\xa9");
		cl_webhook_event_free(ev);
	}
}

/* ---- the judge ---- */

static void test_judge(void **state)
{
	static const char body[] = "{\"zen\":\"Design for failure.\",\"hook_id\":1}";
	char sig[72];
	struct cl_intake_headers h = { NULL, "ping", "d-1" };
	struct cl_intake_verdict v;

	(void)state;
	cl_webhook_sign(sig, "s", 1, body, strlen(body), 1);
	cl_intake_judge(&v, CL_FORGE_GITHUB, NULL, &h, body, strlen(body));
	assert_int_equal(v.outcome, CL_INTAKE_UNAUTHORIZED);   /* no secret configured */
	cl_intake_verdict_dispose(&v);
	cl_intake_judge(&v, CL_FORGE_GITHUB, "s", &h, body, strlen(body));
	assert_int_equal(v.outcome, CL_INTAKE_UNAUTHORIZED);   /* no signature */
	cl_intake_verdict_dispose(&v);
	h.signature = sig;
	cl_intake_judge(&v, CL_FORGE_GITHUB, "s", &h, body, strlen(body));
	assert_int_equal(v.outcome, CL_INTAKE_PING);
	assert_string_equal(v.zen, "Design for failure.");
	cl_intake_verdict_dispose(&v);
	h.delivery = "bad id with spaces";
	cl_intake_judge(&v, CL_FORGE_GITHUB, "s", &h, body, strlen(body));
	assert_int_equal(v.outcome, CL_INTAKE_BAD_REQUEST);
	cl_intake_verdict_dispose(&v);
	h.delivery = "d-1";
	h.event = NULL;
	cl_intake_judge(&v, CL_FORGE_GITHUB, "s", &h, body, strlen(body));
	assert_int_equal(v.outcome, CL_INTAKE_BAD_REQUEST);
	assert_non_null(strstr(v.message, "X-GitHub-Event"));
	cl_intake_verdict_dispose(&v);
	assert_int_equal(cl_intake_outcome_status(CL_INTAKE_ACCEPTED), 202);
	assert_int_equal(cl_intake_outcome_status(CL_INTAKE_TOO_LARGE), 413);
}

/* ---- bot.yml ---- */

static char cfg_path[64];

static void write_cfg(const char *text)
{
	FILE *fp;
	snprintf(cfg_path, sizeof(cfg_path), "/tmp/cl-test-botcfg-%ld.yml", (long)getpid());
	fp = fopen(cfg_path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_config_defaults(void **state)
{
	struct cl_bot_config *cfg = NULL;
	(void)state;
	unsetenv("CLEARANCE_GITHUB_WEBHOOK_SECRET");
	assert_int_equal(cl_bot_config_load(&cfg, NULL), 0);
	assert_string_equal(cfg->listen_address, "127.0.0.1");
	assert_int_equal(cfg->port, 8080);
	assert_string_equal(cfg->data_dir, "./clearance-data");
	assert_int_equal(cfg->max_body_bytes, 25 * 1024 * 1024);
	assert_int_equal(cfg->durability, CL_DB_SYNC_NORMAL);
	assert_null(cfg->github.webhook_secret);
	cl_bot_config_free(cfg);

	write_cfg("");   /* an empty file is the defaults too */
	assert_int_equal(cl_bot_config_load(&cfg, cfg_path), 0);
	assert_int_equal(cfg->port, 8080);
	cl_bot_config_free(cfg);
	unlink(cfg_path);
}

static void test_config_values(void **state)
{
	struct cl_bot_config *cfg = NULL;
	char secret_path[64], text[1024];
	FILE *fp;

	(void)state;
	snprintf(secret_path, sizeof(secret_path), "/tmp/cl-test-botsecret-%ld", (long)getpid());
	fp = fopen(secret_path, "w");
	assert_non_null(fp);
	fputs("from-a-file\n", fp);
	fclose(fp);
	snprintf(text, sizeof(text),
		"listen: \"[::1]:0\"\n"
		"data_dir: /var/lib/clearance\n"
		"durability: power\n"
		"limits:\n  max_body_bytes: 1048576\n  connections: 2000\n  http_threads: 2\n"
		"workers:\n  count: 3\n  max_attempts: 7\n"
		"github:\n  webhook_secret_file: %s\n  app_id: 12345\n  private_key_path: /etc/key.pem\n"
		"gitea:\n  kind: forgejo\n  webhook_secret: in-the-file\n  base_url: https://code.example/api/v1\n",
		secret_path);
	write_cfg(text);
	setenv("CLEARANCE_GITEA_WEBHOOK_SECRET", "from-env", 1);
	assert_int_equal(cl_bot_config_load(&cfg, cfg_path), 0);
	unsetenv("CLEARANCE_GITEA_WEBHOOK_SECRET");
	assert_string_equal(cfg->listen_address, "::1");
	assert_int_equal(cfg->port, 0);
	assert_int_equal(cfg->durability, CL_DB_SYNC_FULL);
	assert_int_equal(cfg->max_body_bytes, 1048576);
	assert_int_equal(cfg->connections, 2000);
	assert_int_equal(cfg->workers, 3);
	assert_int_equal(cfg->max_attempts, 7);
	assert_string_equal(cfg->github.webhook_secret, "from-a-file");
	assert_int_equal(cfg->github.app_id, 12345);
	assert_string_equal(cfg->gitea.kind, "forgejo");
	assert_string_equal(cfg->gitea.webhook_secret, "from-env");   /* the environment wins */
	cl_bot_config_free(cfg);
	unlink(secret_path);
	unlink(cfg_path);
}

/* The shipped sample is valid and says what the defaults are. */
static void test_config_sample(void **state)
{
	struct cl_bot_config *cfg = NULL, *defaults = NULL;
	(void)state;
	if (cl_bot_config_load(&cfg, "templates/bot.yml") < 0)
		fail_msg("%s", cl_error_last());
	assert_int_equal(cl_bot_config_load(&defaults, NULL), 0);
	assert_string_equal(cfg->listen_address, defaults->listen_address);
	assert_int_equal(cfg->port, defaults->port);
	assert_string_equal(cfg->data_dir, defaults->data_dir);
	assert_int_equal(cfg->durability, defaults->durability);
	assert_int_equal(cfg->max_body_bytes, defaults->max_body_bytes);
	assert_int_equal(cfg->connections, defaults->connections);
	assert_int_equal(cfg->connection_timeout, defaults->connection_timeout);
	assert_int_equal(cfg->request_timeout, defaults->request_timeout);
	assert_int_equal(cfg->http_threads, defaults->http_threads);
	assert_int_equal(cfg->connection_memory, defaults->connection_memory);
	assert_int_equal(cfg->workers, defaults->workers);
	assert_int_equal(cfg->max_attempts, defaults->max_attempts);
	assert_int_equal(cfg->retry_base_ms, defaults->retry_base_ms);
	assert_int_equal(cfg->retry_max_ms, defaults->retry_max_ms);
	assert_int_equal(cfg->lease_seconds, defaults->lease_seconds);
	cl_bot_config_free(cfg);
	cl_bot_config_free(defaults);
}

static void test_config_errors(void **state)
{
	struct {
		const char *yaml;
		const char *message;
	} cases[] = {
		{ "listen: 127.0.0.1\n", ":1:9: invalid listen address '127.0.0.1' (hint: write ADDRESS:PORT" },
		{ "limits:\n  max_body_bytes: 25MB\n", ":2:19: invalid value '25MB' for 'max_body_bytes' (hint: write a whole number" },
		{ "limits:\n  conections: 5\n", ":2:3: unknown key 'limits.conections' (hint: known keys: max_body_bytes, connections" },
		{ "durability: fast\n", ":1:13: invalid value 'fast' for 'durability' (hint: write process" },
		{ "github:\n  webhook_secret: a\n  webhook_secret_file: /nonexistent/x\n", ":3:24: cannot use 'webhook_secret_file'" },
		{ "github:\n\twebhook_secret: a\n", "invalid YAML" },
		{ "workers: 4\n", "expected a mapping for 'workers'" },
		{ "gitea:\n  kind: gitlab\n", "invalid value 'gitlab' for 'gitea.kind'" },
		{ "limits:\n  connections: 1\n", "invalid value '1' for 'connections' (hint: write a whole number from 4 to 100000" },
		{ "port: 8080\n", "unknown key 'port'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_bot_config *cfg = NULL;
		int rc;
		write_cfg(cases[i].yaml);
		rc = cl_bot_config_load(&cfg, cfg_path);
		if (rc >= 0 || !strstr(cl_error_last(), cases[i].message) ||
		    strncmp(cl_error_last(), cfg_path, strlen(cfg_path)) != 0)
			fail_msg("case %zu: rc %d, '%s'", i, rc, cl_error_last());
		assert_null(cfg);
	}
	unlink(cfg_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_spellings),
		cmocka_unit_test(test_signature_refusals),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_decode_github_fixtures),
		cmocka_unit_test(test_decode_gitea),
		cmocka_unit_test(test_decode_refusals),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_values),
		cmocka_unit_test(test_config_sample),
		cmocka_unit_test(test_config_errors),
	};
	return cmocka_run_group_tests_name("bot_webhook", tests, NULL, NULL);
}
