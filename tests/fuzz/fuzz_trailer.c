/*
 * fuzz_trailer - the trailer parser and the DCO check on hostile messages.
 *
 * Input: one FLAGS byte, then up to four commit messages separated by NUL
 * bytes. The whole input after FLAGS (NULs included) is also parsed as one
 * message from an exact-size heap copy, so ASan sees any read past `len`.
 *
 * FLAGS bits: 0 lenient, 1 match name-and-email, 2 accept committer,
 * 3 individual remediation, 4 third-party remediation, 5 check merges,
 * 6 the first commit is a merge, 7 the last commit is a root.
 *
 * Beyond "no crash": every trailer has a key of letters, digits and '-', a
 * value with no newline and no surrounding blanks, and increasing line
 * numbers; the DCO check reports exactly one finding per failing commit,
 * each with a known rule and the key "dco:<id>".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dco.h"
#include "error.h"
#include "finding.h"
#include "pattern.h"
#include "trailer.h"

#define MAX_COMMITS 4

static const char *const ids[MAX_COMMITS] = {
	"1111111111111111111111111111111111111111",
	"2222222222222222222222222222222222222222",
	"3333333333333333333333333333333333333333",
	"4444444444444444444444444444444444444444",
};

static struct cl_pattern_list bots = CL_PATTERN_LIST_INIT;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cl_pattern_list_add(&bots, "*[bot]@users.noreply.github.com", CL_PATTERN_CASELESS) < 0)
		abort();
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check_trailers(const char *msg, size_t len)
{
	struct cl_trailers t = CL_TRAILERS_INIT;
	unsigned int last = 0;
	size_t i;

	if (cl_trailers_parse(&t, msg, len) < 0)
		abort();   /* only allocation can fail, and the fuzzer's malloc does not */
	for (i = 0; i < t.count; i++) {
		const char *k = t.items[i].key, *v = t.items[i].value;
		size_t vlen = strlen(v);

		if (!*k || t.items[i].line <= last)
			abort();
		for (; *k; k++)
			if (!((*k >= '0' && *k <= '9') || (*k >= 'a' && *k <= 'z') ||
			      (*k >= 'A' && *k <= 'Z') || *k == '-'))
				abort();
		if (strchr(v, '\n') || (vlen && (is_space(v[0]) || is_space(v[vlen - 1]))))
			abort();
		last = t.items[i].line;
	}
	cl_trailers_dispose(&t);
}

static void check_dco(const char *text, size_t len, uint8_t flags)
{
	struct cl_dco_options opts = CL_DCO_OPTIONS_INIT;
	struct cl_commit commits[MAX_COMMITS];
	struct cl_findings *findings = NULL;
	size_t n = 0, pos = 0, i;
	int rc;

	/* `text` is NUL-terminated at `len`: each message is a C string in it. */
	while (n < MAX_COMMITS && pos <= len) {
		struct cl_commit *c = &commits[n];

		memset(c, 0, sizeof(*c));
		memcpy(c->id, ids[n], sizeof(c->id));
		c->message = text + pos;
		c->author_name = "A U Thor";
		c->author_email = n == 2 ? "49699333+dependabot[bot]@users.noreply.github.com"
			: "author@example.com";
		c->committer_name = "C O Mitter";
		c->committer_email = "committer@example.com";
		c->parent_count = 1;
		pos += strlen(text + pos) + 1;
		n++;
	}
	if (flags & 0x40)
		commits[0].parent_count = 2;
	if (flags & 0x80)
		commits[n - 1].parent_count = 0;

	opts.lenient = !!(flags & 0x01);
	opts.match = (flags & 0x02) ? CL_DCO_MATCH_NAME_AND_EMAIL : CL_DCO_MATCH_EMAIL;
	opts.accept_committer = !!(flags & 0x04);
	opts.remediation_individual = !!(flags & 0x08);
	opts.remediation_third_party = !!(flags & 0x10);
	opts.check_merges = !!(flags & 0x20);
	opts.exempt_authors = bots;   /* borrowed: not disposed here */

	if (cl_findings_new(&findings) < 0)
		abort();
	rc = cl_dco_check(findings, &opts, "refs/heads/main", commits, n);
	if (rc < 0 || (size_t)rc != cl_findings_count(findings) || (size_t)rc > n)
		abort();
	for (i = 0; i < cl_findings_count(findings); i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);

		if (strcmp(f->check, "dco") != 0 || strncmp(f->key, "dco:", 4) != 0 ||
		    strcmp(f->key + 4, f->commit) != 0 || !f->message || !f->remedy)
			abort();
		if (strcmp(f->rule, "dco.missing") != 0 && strcmp(f->rule, "dco.mismatch") != 0 &&
		    strcmp(f->rule, "dco.misplaced") != 0 && strcmp(f->rule, "dco.malformed") != 0)
			abort();
		if ((strcmp(f->rule, "dco.missing") == 0) != (f->line == 0))
			abort();
	}
	cl_findings_free(findings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t flags;
	char *exact, *text;
	size_t len;

	if (size == 0)
		return 0;
	flags = data[0];
	len = size - 1;

	/* Exactly `len` bytes, no terminator: the parser must not look further. */
	exact = malloc(len ? len : 1);
	if (!exact)
		return 0;
	memcpy(exact, data + 1, len);
	check_trailers(exact, len);
	free(exact);

	text = malloc(len + 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, len);
	text[len] = '\0';
	check_dco(text, len, flags);
	free(text);
	cl_error_clear();
	return 0;
}
