/*
 * fuzz_webhook - the webhook payload decoder (lib/webhook.c) on hostile bodies.
 *
 * Input: EVENT LF BODY. Without a LF, the event is "pull_request" and the
 * whole input is the body. Each body is decoded as GitHub and as Gitea.
 *
 * Beyond "no crash", the decoder is checked against Jansson, a JSON parser
 * that builds the whole tree: a body Jansson accepts as an object within
 * the depth cap must pass our grammar (so a failure is only about fields:
 * a missing or mistyped field, a field twice, a NUL in a field); a body we
 * accept must be one Jansson accepts, except numbers past its range. The
 * depth scan agrees with the decoder about depth, and the signature check
 * never accepts a header this input makes up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "webhook.h"

static int field_error(const char *msg)
{
	return strstr(msg, "payload has no") || strstr(msg, "payload field") ||
		strstr(msg, "twice") || strstr(msg, "event name") || strstr(msg, "overlong event");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *lf = memchr(data, '\n', size < 80 ? size : 80);
	char event[81] = "pull_request";
	const char *body = (const char *)data;
	size_t len = size, f;
	json_t *root;
	json_error_t jerr;
	int rc, depth_ok, strict;

	if (lf) {
		memcpy(event, data, (size_t)(lf - data));
		event[lf - data] = '\0';
		body = (const char *)lf + 1;
		len = size - (size_t)(lf - data) - 1;
	}
	depth_ok = cl_webhook_check_depth(body, len, CL_WEBHOOK_MAX_DEPTH) == 0;
	/* Jansson stops reading at a raw NUL byte between tokens and accepts what
	 * came before; RFC 8259 (and the decoder) refuse it. No oracle there. */
	strict = memchr(body, '\0', len) == NULL;
	root = depth_ok && strict ? json_loadb(body, len, JSON_ALLOW_NUL, &jerr) : NULL;

	for (f = 0; f < 2; f++) {
		struct cl_webhook_event *ev = NULL;
		rc = cl_webhook_decode(&ev, f ? CL_FORGE_GITEA : CL_FORGE_GITHUB, event, body, len);
		if (rc != 0 && rc != CL_EINVALID)
			abort();
		if ((rc == 0) != (ev != NULL))
			abort();
		if (rc == 0) {
			if (!depth_ok)
				abort();   /* deeper than the cap, yet decoded */
			if (strict && !root && !strstr(jerr.text, "too big") && !strstr(jerr.text, "overflow"))
				abort();   /* we took what a full parser refuses */
			if (ev->head_sha && strlen(ev->head_sha) != 40 && strlen(ev->head_sha) != 64)
				abort();
		} else if (root && json_is_object(root) && !field_error(cl_error_last())) {
			abort();   /* a valid JSON object refused for its grammar */
		}
		cl_webhook_event_free(ev);
	}
	json_decref(root);

	/* a header taken from the input never verifies (the secret is not in it) */
	if (size >= 71) {
		char header[72];
		memcpy(header, data, 71);
		header[71] = '\0';
		if (cl_webhook_verify("fuzz-secret", 11, body, len, header) == 0)
			abort();
	}
	return 0;
}
