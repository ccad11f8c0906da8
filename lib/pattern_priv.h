/*
 * pattern_priv.h - what tests need to see of pattern.c; not part of the
 * public interface.
 *
 * Layer rule: used by tests/unit/test_pattern.c only.
 */
#ifndef CL_PATTERN_PRIV_H
#define CL_PATTERN_PRIV_H

#include "pattern.h"

/*
 * Match with PCRE2 alone, bypassing the glob program that cl_pattern_match
 * runs on printable-ASCII subjects, so a test can hold the two to the same
 * answers. Same returns as cl_pattern_match.
 */
int cl_pattern__match_pcre(const struct cl_pattern *pattern, const char *subject);

/* 1 when `pattern` has a glob program (the fast path may answer), else 0. */
int cl_pattern__has_program(const struct cl_pattern *pattern);

#endif
