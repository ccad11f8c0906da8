/*
 * toml.h - a strict TOML 1.0 reader that produces a Jansson tree.
 *
 * Layer rule: a leaf parser; depends on error.h, buf.h and Jansson only.
 * The license-header check (REUSE.toml) and the dependency check
 * (Cargo.toml, Cargo.lock, pyproject.toml, poetry.lock, uv.lock) read
 * TOML through it and never see TOML syntax themselves.
 *
 * Strict: every rule of TOML 1.0.0 that makes a document invalid is
 * enforced (duplicate keys, tables defined twice, tables closed to dotted
 * keys, static arrays and inline tables that cannot be extended, escapes,
 * control characters, leading zeros, 64-bit range, dates that do not
 * exist, invalid UTF-8, ...). Nothing from TOML 1.1 is accepted (no
 * newlines or trailing commas in inline tables, no \e or \x escapes, no
 * times without seconds). One leniency: a UTF-8 byte-order mark at the very
 * start is skipped, as editors on Windows write one.
 *
 * How TOML maps to JSON:
 *   table, inline table, array of tables element  object (keys in the order written)
 *   array, array of tables                        array
 *   string                                        string (may hold U+0000)
 *   integer                                       integer (json_int_t, 64 bits)
 *   float                                         real; but inf, +inf, -inf and
 *                                                 nan (any sign) become the strings
 *                                                 "inf", "-inf" and "nan", since
 *                                                 JSON and Jansson have no such reals
 *   boolean                                       true / false
 *   offset date-time                              string in RFC 3339 form: the date/time
 *                                                 separator is always "T" and a UTC
 *                                                 offset "Z"; digits as written
 *                                                 ("1979-05-27T07:32:00.5-07:00")
 *   local date-time, local date, local time       string, likewise ("1979-05-27T07:32:00",
 *                                                 "1979-05-27", "07:32:00.999")
 * A consumer that must tell a date from a string, or inf from "inf", asks for
 * CL_TOML_TAGGED (below).
 *
 * Multi-line strings keep their line ends as "\n" even where the document
 * has CRLF, as TOML allows parsers to normalise them.
 */
#ifndef CL_TOML_H
#define CL_TOML_H

#include <jansson.h>
#include <stddef.h>

/* Defaults against hostile input (a repository blob or a pushed file). */
#define CL_TOML_MAX_SIZE_DEFAULT ((size_t)16 * 1024 * 1024)
#define CL_TOML_MAX_DEPTH_DEFAULT 128u

/*
 * Every scalar becomes {"type": T, "value": "text"}, the JSON encoding of
 * the toml-test suite: T is string, integer, float, bool, datetime,
 * datetime-local, date-local or time-local; integers are written in
 * decimal, floats as written without underscores ("inf"/"-inf"/"nan" for
 * the special values), dates and times as in the table above.
 */
#define CL_TOML_TAGGED 0x01u

struct cl_toml_options {
	size_t max_size;          /* documents longer than this fail; 0: no cap */
	unsigned int max_depth;   /* deepest nesting of tables and arrays; 0: the default */
	unsigned int flags;       /* CL_TOML_* */
};

#define CL_TOML_OPTIONS_INIT { CL_TOML_MAX_SIZE_DEFAULT, CL_TOML_MAX_DEPTH_DEFAULT, 0 }

/**
 * Parse a TOML 1.0 document into a Jansson object.
 *
 * The document is the `len` bytes at `data`; it need not be NUL-terminated
 * and may hold NUL bytes (which make it invalid). It must be UTF-8.
 *
 * @param out   on success, a new reference to a JSON object (the root
 *              table); untouched on failure
 * @param data  the document (borrowed; NULL only when len is 0)
 * @param len   its length in bytes
 * @param name  how messages name the document, usually its path (NULL:
 *              "<toml>")
 * @return 0; CL_EINVALID for a document that is not valid TOML 1.0, with
 *         the message "NAME:LINE:COLUMN: problem" (1-based; the column
 *         counts characters, not bytes); CL_ETOOBIG when `len` exceeds
 *         CL_TOML_MAX_SIZE_DEFAULT; CL_ERROR when memory runs out.
 *
 * Thread-safe (no shared state; floats are read under a thread-local C
 * locale). Time and memory are linear in `len`: one pass, each key looked
 * up in a hash table, nesting at most CL_TOML_MAX_DEPTH_DEFAULT levels so
 * that recursion here and in Jansson stays shallow.
 */
int cl_toml_parse(json_t **out, const char *data, size_t len, const char *name);

/**
 * cl_toml_parse() with a size cap, a nesting limit and flags of the
 * caller's choosing. `opts` NULL means CL_TOML_OPTIONS_INIT.
 *
 * @return as cl_toml_parse(); CL_ETOOBIG past opts->max_size.
 */
int cl_toml_parse_ext(json_t **out, const struct cl_toml_options *opts,
		      const char *data, size_t len, const char *name);

#endif
