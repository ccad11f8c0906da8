/*
 * Trailer parsing (lib/trailer.c) against git's own `interpret-trailers`.
 *
 * 1. A hand-picked table of {message, expected "Key: value" lines}; the
 *    expectations were produced by git 2.39 and are kept here so the table
 *    still runs where git is missing.
 * 2. Line numbers, bounds (a message that is not NUL-terminated, a NUL in
 *    the middle) and the git 2.39 scissors-after-divider hang.
 * 3. A generated table: several hundred messages built from tricky pieces
 *    (subjects, bodies, trailer-ish lines, continuations, comments, dividers,
 *    scissors, CRLF, missing final newline), each parsed by the real
 *    `git interpret-trailers --parse` and by us; any difference fails.
 *
 * The library never runs git; this test may.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "trailer.h"

#define GIT_TIMEOUT_MS 5000

/* ---- helpers ---------------------------------------------------------- */

/* Our trailers in git's --parse format: "key: value\n" per trailer. */
static void format_trailers(struct cl_buf *out, const char *msg, size_t len)
{
	struct cl_trailers t = CL_TRAILERS_INIT;
	size_t i;

	cl_buf_clear(out);
	if (cl_trailers_parse(&t, msg, len) < 0)
		fail_msg("cl_trailers_parse failed: %s", cl_error_last());
	for (i = 0; i < t.count; i++)
		assert_int_equal(cl_buf_printf(out, "%s: %s\n", t.items[i].key, t.items[i].value), 0);
	cl_trailers_dispose(&t);
}

/* Printable form of a message for failure output. */
static const char *show(struct cl_buf *tmp, const char *s, size_t len)
{
	size_t i;

	cl_buf_clear(tmp);
	cl_buf_putc(tmp, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			cl_buf_puts(tmp, "\\n");
		else if (c == '\r')
			cl_buf_puts(tmp, "\\r");
		else if (c == '\t')
			cl_buf_puts(tmp, "\\t");
		else if (c == '"' || c == '\\')
			cl_buf_printf(tmp, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			cl_buf_printf(tmp, "\\x%02x", c);
		else
			cl_buf_putc(tmp, (char)c);
	}
	cl_buf_putc(tmp, '"');
	return cl_buf_cstr(tmp);
}

/* ---- 1. the hand-picked table ----------------------------------------- */

struct trailer_case {
	const char *name;
	const char *input;
	const char *expected;   /* git's --parse output */
};

static const struct trailer_case cases[] = {
	{ "subject only",
	  "Fix the frobnicator\n",
	  "" },
	{ "subject that looks like a trailer",
	  "Signed-off-by: A U Thor <a@example.com>\n",
	  "" },
	{ "simple sign-off",
	  "Fix it\n\nSigned-off-by: A U Thor <a@example.com>\n",
	  "Signed-off-by: A U Thor <a@example.com>\n" },
	{ "no trailing newline",
	  "Fix it\n\nSigned-off-by: A U Thor <a@example.com>",
	  "Signed-off-by: A U Thor <a@example.com>\n" },
	{ "two trailers",
	  "Fix it\n\nBody.\n\nReviewed-by: R <r@x>\nSigned-off-by: A <a@x>\n",
	  "Reviewed-by: R <r@x>\nSigned-off-by: A <a@x>\n" },
	{ "body only, not trailers",
	  "Fix it\n\nThis is prose.\nMore prose.\n",
	  "" },
	{ "key space colon",
	  "Fix it\n\nKey : value\nOther\t:\tv2\n",
	  "Key: value\nOther: v2\n" },
	{ "no space after colon",
	  "Fix it\n\nKey:value\n",
	  "Key: value\n" },
	{ "empty value",
	  "Fix it\n\nKey:\nOther: x\n",
	  "Key: \nOther: x\n" },
	{ "continuation folded",
	  "Fix it\n\nKey: first\n  second\n\tthird\nNext: n\n",
	  "Key: first second third\nNext: n\n" },
	{ "inner spaces kept",
	  "Fix it\n\nKey: a   b\n",
	  "Key: a   b\n" },
	{ "25% rule with sign-off",
	  "Fix it\n\nline one\nline two\nline three\nSigned-off-by: A <a@x>\n",
	  "Signed-off-by: A <a@x>\n" },
	{ "25% rule fails",
	  "Fix it\n\nline one\nline two\nline three\nline four\nSigned-off-by: A <a@x>\n",
	  "" },
	{ "no git prefix, mixed",
	  "Fix it\n\nprose\nKey: v\n",
	  "" },
	{ "cherry-pick counts as git prefix",
	  "Fix it\n\nprose\nKey: v\n(cherry picked from commit 1234567)\n",
	  "Key: v\n" },
	{ "url line is a trailer",
	  "Fix it\n\nhttp://example.com/x\n",
	  "http: //example.com/x\n" },
	{ "multi word key is not",
	  "Fix it\n\nMulti Word: v\n",
	  "" },
	{ "last paragraph only",
	  "Fix it\n\nA: 1\n\nprose after\n",
	  "" },
	{ "trailing comments ignored",
	  "Fix it\n\nA: 1\n# a comment\n# another\n",
	  "A: 1\n" },
	{ "comment inside block",
	  "Fix it\n\nA: 1\n# comment\nB: 2\n",
	  "A: 1\nB: 2\n" },
	{ "divider",
	  "Fix it\n\nA: 1\n---\nB: 2\n",
	  "A: 1\n" },
	{ "divider needs whitespace",
	  "Fix it\n\nA: 1\n---x\n",
	  "" },
	{ "divider with text",
	  "Fix it\n\nA: 1\n--- a/file\n+++ b/file\n",
	  "A: 1\n" },
	{ "scissors",
	  "Fix it\n\nA: 1\n# ------------------------ >8 ------------------------\nB: 2\n",
	  "A: 1\n" },
	{ "conflicts block",
	  "Fix it\n\nA: 1\n\nConflicts:\n\tfile.c\n\tother.c\n",
	  "A: 1\n" },
	{ "blank lines at end",
	  "Fix it\n\nA: 1\n\n\n\n",
	  "A: 1\n" },
	{ "whitespace line at end",
	  "Fix it\n\nA: 1\n   \n",
	  "A: 1\n" },
	{ "crlf",
	  "Fix it\r\n\r\nA: 1\r\nB: 2\r\n",
	  "A: 1\nB: 2\n" },
	{ "leading blank line",
	  "\nA: 1\n",
	  "A: 1\n" },
	{ "title has comment lines",
	  "# c\nFix it\n\nA: 1\n",
	  "A: 1\n" },
	{ "separator first",
	  "Fix it\n\n: value\n",
	  "" },
	{ "dash key",
	  "Fix it\n\n-: v\nKey-With-Dash: w\n",
	  "-: v\nKey-With-Dash: w\n" },
	{ "indented line in block of trailers",
	  "Fix it\n\n  A: 1\nB: 2\n",
	  "" },
	{ "continuation of non-trailer",
	  "Fix it\n\nSigned-off-by: A <a@x>\nprose\n  more\nB: 2\n",
	  "Signed-off-by: A <a@x>\nB: 2\n" },
	{ "lowercase sign-off is not a git prefix",
	  "Fix it\n\nprose\nsigned-off-by: A <a@x>\n",
	  "" },
	{ "vertical tab is not space",
	  "Fix it\n\nA: 1\n\vB\n",
	  "" },
	{ "value with trailing spaces",
	  "Fix it\n\nA: value   \n",
	  "A: value\n" },
	{ "folded then empty",
	  "Fix it\n\nA: one\n \nB: two\n",
	  "B: two\n" },
};

static void test_table(void **state)
{
	struct cl_buf got = CL_BUF_INIT, a = CL_BUF_INIT, b = CL_BUF_INIT, c = CL_BUF_INIT;
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_trailers(&got, cases[i].input, strlen(cases[i].input));
		if (strcmp(cl_buf_cstr(&got), cases[i].expected) != 0) {
			print_error("case '%s': input %s\n  expected %s\n  got      %s\n", cases[i].name,
				show(&a, cases[i].input, strlen(cases[i].input)),
				show(&b, cases[i].expected, strlen(cases[i].expected)),
				show(&c, cl_buf_cstr(&got), got.size));
			failures++;
		}
	}
	cl_buf_dispose(&got);
	cl_buf_dispose(&a);
	cl_buf_dispose(&b);
	cl_buf_dispose(&c);
	if (failures)
		fail_msg("%zu table case(s) differ", failures);
}

/* ---- 2. line numbers and bounds --------------------------------------- */

static void test_line_numbers(void **state)
{
	static const char msg[] = "Subject\n\nBody line.\n\nA: 1\nB: two\n  folded\nC: 3\n";
	struct cl_trailers t = CL_TRAILERS_INIT;

	(void)state;
	assert_int_equal(cl_trailers_parse(&t, msg, strlen(msg)), 0);
	assert_int_equal(t.count, 3);
	assert_string_equal(t.items[0].key, "A");
	assert_int_equal(t.items[0].line, 5);
	assert_string_equal(t.items[1].value, "two folded");
	assert_int_equal(t.items[1].line, 6);
	assert_int_equal(t.items[2].line, 8);
	cl_trailers_dispose(&t);
	assert_null(t.items);
	assert_int_equal(t.count, 0);
}

static void test_not_nul_terminated(void **state)
{
	static const char text[] = "Subject\n\nSigned-off-by: A <a@x>\nKey: v";
	size_t len = sizeof(text) - 1, cut;
	struct cl_trailers t = CL_TRAILERS_INIT;

	(void)state;
	/* Every prefix, in a buffer of exactly that size: ASan sees any overread. */
	for (cut = 0; cut <= len; cut++) {
		char *copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, text, cut);
		assert_int_equal(cl_trailers_parse(&t, copy, cut), 0);
		cl_trailers_dispose(&t);
		free(copy);
	}
	assert_int_equal(cl_trailers_parse(&t, NULL, 0), 0);
	assert_int_equal(t.count, 0);
}

static void test_embedded_nul(void **state)
{
	/* git reads a C string: a NUL ends the message for it, and for us. */
	static const char msg[] = "Subject\n\nA: 1\n\0B: 2\n";
	struct cl_trailers t = CL_TRAILERS_INIT;

	(void)state;
	assert_int_equal(cl_trailers_parse(&t, msg, sizeof(msg) - 1), 0);
	assert_int_equal(t.count, 1);
	assert_string_equal(t.items[0].key, "A");
	cl_trailers_dispose(&t);
}

static void test_scissors_after_divider(void **state)
{
	/*
	 * git 2.39 never returns on this message (wt_status_locate_end() finds
	 * the scissors past the end it was given). We clamp, as later git does:
	 * the divider ends the message and the scissors below it do not matter.
	 */
	static const char msg[] = "Subject\n\nA: 1\n---\nx\n# ------------------------ >8 "
		"------------------------\ny\n";
	struct cl_buf got = CL_BUF_INIT;

	(void)state;
	format_trailers(&got, msg, strlen(msg));
	assert_string_equal(cl_buf_cstr(&got), "A: 1\n");
	cl_buf_dispose(&got);
}

/* ---- 3. the generated table, judged by git ---------------------------- */

struct git_runner {
	char path[64];
	int fd;
	int available;
};

/*
 * Run `git interpret-trailers --parse` on `msg`. Returns 0 with git's output,
 * 1 when git did not answer in time, -1 when git could not be run.
 */
static int git_parse(struct git_runner *g, struct cl_buf *out, const char *msg, size_t len)
{
	int pipefd[2], status, rc = 0;
	pid_t pid;
	char chunk[4096];
	struct pollfd pfd;

	cl_buf_clear(out);
	if (ftruncate(g->fd, 0) < 0 || lseek(g->fd, 0, SEEK_SET) < 0 ||
	    write(g->fd, msg, len) != (ssize_t)len || lseek(g->fd, 0, SEEK_SET) < 0)
		return -1;
	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(g->fd, 0);
		dup2(pipefd[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(pipefd[0]);
		/* No repository and no user or system config: git's defaults only. */
		if (chdir("/") < 0)
			_exit(126);
		setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
		setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
		unsetenv("GIT_DIR");
		unsetenv("GIT_CONFIG_PARAMETERS");
		unsetenv("GIT_CONFIG_COUNT");
		execlp("git", "git", "interpret-trailers", "--parse", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	pfd.fd = pipefd[0];
	pfd.events = POLLIN;
	for (;;) {
		ssize_t n;
		int pr = poll(&pfd, 1, GIT_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			kill(pid, SIGKILL);
			rc = 1;
			break;
		}
		n = read(pipefd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		cl_buf_put(out, chunk, (size_t)n);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		return -1;
	return rc;
}

/* Pieces, each a whole number of lines ending in "\n". */
static const char *const heads[] = {
	"Fix the frobnicator\n\n",
	"Fix the frobnicator\n\nA body paragraph\nthat goes on.\n\n",
	"Fix the frobnicator\nsecond title line\n\n",
	"Fix the frobnicator\n",           /* the block may join the title */
	"\n",                               /* empty subject line */
	"# comment before subject\nSubject\n\n",
	"Key: in the title\n\n",
	"# ------------------------ >8 ------------------------\n",
	"Subject\n\n---\nnot a divider in the body? it is\n\n",
	"",
};

static const char *const lines[] = {
	"Signed-off-by: A U Thor <author@example.com>\n",
	"Signed-off-by: Other Person <other@example.org>\n",
	"signed-off-by: lower case <lc@example.com>\n",
	"Signed-off-by:no-space <ns@example.com>\n",
	"Reviewed-by: R <r@example.com>\n",
	"Key : spaced\n",
	"Key\t:\ttabbed\n",
	"Key:nospace\n",
	"Key:\n",
	"Key: trailing spaces   \n",
	"Key: inner   spaces\n",
	"Key-With-Dash: v\n",
	"-: dash key\n",
	": no key\n",
	"Bug #42\n",
	"Multi Word: not a trailer\n",
	"http://example.com/a/b\n",
	"(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n",
	"  continued with spaces\n",
	"\tcontinued with a tab\n",
	" \n",                                /* whitespace-only */
	"Prose that is not a trailer.\n",
	"# a comment line\n",
	"Link: https://example.com/issue/1\n",
	"Co-authored-by: C <c@example.com>\n",
	"Key: value\r\n",
	"\x0bvertical tab line\n",
	"Conflicts:\n",
	"\tsrc/file.c\n",
	"Fixes: 123 (\"a: b\")\n",
	"Key:: double colon\n",
	"a:b\n",
	"\xc3\xa9t\xc3\xa9: non-ASCII key\n",
	"\t: tab then colon\n",
	"---\n",
	"# ------------------------ >8 ------------------------\n",
	"# ------------------------ >8 ------------------------ not quite\n",
	"\n",
};

static const char *const tails[] = {
	"",
	"\n",
	"\n\n\n",
	"# comment\n",
	"\n# comment\n# more comment\n",
	"---\n diff --git a/x b/x\n",
	"--- a/file\n+++ b/file\n",
	"---\n",
	"---",
	"# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n",
	"\nConflicts:\n\tfile.c\n\tother.c\n",
	"   \n",
	"\nTrailing prose paragraph.\n",
	"Signed-off-by: Tail Person <tail@example.com>\n",
	"# ------------------------ >8 ------------------------",
	"# ------------------------ >8 ------------------------\r\nx\n",
	"\n---\nx\n# ------------------------ >8 ------------------------\ny\n",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A fixed-seed generator: the same messages on every run. */
static uint32_t rng_next(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/*
 * git 2.39 hangs when its scissors line (the whole line, as
 * wt_status_locate_end() looks for it) comes after a "---" divider; such
 * messages are skipped rather than sent to git. The timeout in git_parse()
 * is only the safety net.
 */
static int hangs_git(const char *msg, size_t len)
{
	static const char scissors[] = "\n# ------------------------ >8 ------------------------\n";
	const char *hit = NULL, *p;
	size_t i;

	for (i = 0; i + sizeof(scissors) - 1 <= len; i++)
		if (memcmp(msg + i, scissors, sizeof(scissors) - 1) == 0) {
			hit = msg + i + 1;
			break;
		}
	if (!hit || strncmp(msg, scissors + 1, sizeof(scissors) - 2) == 0)
		return 0;
	for (p = msg; p && p < hit; p = memchr(p, '\n', (size_t)(hit - p)), p = p ? p + 1 : NULL)
		if (strncmp(p, "---", 3) == 0 && (p[3] == ' ' || p[3] == '\t' || p[3] == '\n' ||
		    p[3] == '\r'))
			return 1;
	return 0;
}

static void crlf(struct cl_buf *out, const struct cl_buf *in)
{
	size_t i;

	cl_buf_clear(out);
	for (i = 0; i < in->size; i++) {
		if (in->ptr[i] == '\n')
			cl_buf_putc(out, '\r');
		cl_buf_putc(out, in->ptr[i]);
	}
}

struct gen_stats {
	size_t compared, differ, skipped;
};

static void compare_one(struct git_runner *g, struct gen_stats *st, const char *msg, size_t len)
{
	struct cl_buf want = CL_BUF_INIT, got = CL_BUF_INIT, a = CL_BUF_INIT, b = CL_BUF_INIT,
		c = CL_BUF_INIT;
	int rc;

	if (hangs_git(msg, len)) {
		st->skipped++;
		return;
	}
	rc = git_parse(g, &want, msg, len);
	if (rc < 0)
		fail_msg("git interpret-trailers failed on %s", show(&a, msg, len));
	if (rc == 1) {
		print_message("git did not answer in time on %s; skipped\n", show(&a, msg, len));
		st->skipped++;
		goto done;
	}
	format_trailers(&got, msg, len);
	st->compared++;
	if (want.size != got.size || memcmp(cl_buf_cstr(&want), cl_buf_cstr(&got), got.size) != 0) {
		st->differ++;
		print_error("differs from git: message %s\n  git: %s\n  us:  %s\n", show(&a, msg, len),
			show(&b, cl_buf_cstr(&want), want.size), show(&c, cl_buf_cstr(&got), got.size));
	}
done:
	cl_buf_dispose(&want);
	cl_buf_dispose(&got);
	cl_buf_dispose(&a);
	cl_buf_dispose(&b);
	cl_buf_dispose(&c);
}

static int git_setup(void **state)
{
	static struct git_runner g;
	struct cl_buf out = CL_BUF_INIT;

	memset(&g, 0, sizeof(g));
	snprintf(g.path, sizeof(g.path), "/tmp/clearance-trailer-XXXXXX");
	g.fd = mkstemp(g.path);
	if (g.fd < 0)
		return -1;
	unlink(g.path);
	g.available = git_parse(&g, &out, "s\n\nA: b\n", 7) == 0 &&
		strcmp(cl_buf_cstr(&out), "A: b\n") == 0;
	cl_buf_dispose(&out);
	*state = &g;
	return 0;
}

static int git_teardown(void **state)
{
	struct git_runner *g = *state;

	if (g && g->fd >= 0)
		close(g->fd);
	return 0;
}

static void test_generated_against_git(void **state)
{
	struct git_runner *g = *state;
	struct gen_stats st = { 0, 0, 0 };
	struct cl_buf msg = CL_BUF_INIT, alt = CL_BUF_INIT;
	uint32_t seed = 20230101u;
	size_t h, l, l2, t, n;

	if (!g->available) {
		print_message("trailer: generated table SKIPPED: `git interpret-trailers` not runnable\n");
		skip();
	}

	/* Systematic: every head x tail around a one- and a two-line block. */
	for (h = 0; h < COUNT(heads); h++) {
		for (t = 0; t < COUNT(tails); t++) {
			for (l = 0; l < COUNT(lines); l += 4) {
				l2 = (l * 7 + h + t) % COUNT(lines);
				cl_buf_clear(&msg);
				cl_buf_puts(&msg, heads[h]);
				cl_buf_puts(&msg, lines[l]);
				cl_buf_puts(&msg, lines[l2]);
				cl_buf_puts(&msg, tails[t]);
				compare_one(g, &st, msg.ptr, msg.size);
			}
		}
	}

	/* Random blocks of 1..6 lines, some CRLF, some without a final newline. */
	for (n = 0; n < 600; n++) {
		size_t k, nlines = 1 + rng_next(&seed) % 6;

		cl_buf_clear(&msg);
		cl_buf_puts(&msg, heads[rng_next(&seed) % COUNT(heads)]);
		for (k = 0; k < nlines; k++) {
			if (rng_next(&seed) % 8 == 0)
				cl_buf_putc(&msg, '\n');   /* a paragraph break inside */
			cl_buf_puts(&msg, lines[rng_next(&seed) % COUNT(lines)]);
		}
		cl_buf_puts(&msg, tails[rng_next(&seed) % COUNT(tails)]);
		switch (rng_next(&seed) % 6) {
		case 0:
			crlf(&alt, &msg);
			compare_one(g, &st, alt.ptr, alt.size);
			break;
		case 1:
			while (msg.size && msg.ptr[msg.size - 1] == '\n')
				msg.size--;
			compare_one(g, &st, msg.ptr, msg.size);
			break;
		default:
			compare_one(g, &st, msg.ptr, msg.size);
			break;
		}
	}

	print_message("trailer: %zu generated messages compared with git, %zu differ, %zu skipped\n",
		st.compared, st.differ, st.skipped);
	cl_buf_dispose(&msg);
	cl_buf_dispose(&alt);
	if (st.differ)
		fail_msg("%zu generated message(s) parse differently from git", st.differ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_scissors_after_divider),
		cmocka_unit_test_setup_teardown(test_generated_against_git, git_setup, git_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
