/*
 * csv.h - RFC 4180 comma-separated values, written and read.
 *
 * Layer rule: leaf module over buf.h. Every CSV clearance writes (the
 * dependency inventory, CLA exports, reports) and reads (CLA imports) goes
 * through here, so quoting and the spreadsheet-formula guard live in one
 * place.
 *
 * Formula guard: spreadsheets run a cell that starts with '=', '+', '-',
 * '@', TAB or CR as a formula (OWASP "CSV injection"); a dependency name or
 * a signer's name is outside input, so such a cell is written with a
 * leading apostrophe. The reader does not undo it: the apostrophe is what
 * the cell said when it was exported.
 */
#ifndef CL_CSV_H
#define CL_CSV_H

#include <stddef.h>

struct cl_buf;

/* Append one field (NULL = empty), quoted when it needs to be, then ','
 * or, when `last`, "\n". @return 0 or an error from the buffer. */
int cl_csv_put_field(struct cl_buf *out, const char *field, int last);

/* Append a record of `count` fields. */
int cl_csv_put_record(struct cl_buf *out, const char *const *fields, size_t count);

/* One parsed record: `count` NUL-terminated fields, valid until the next
 * call on the reader. */
struct cl_csv_record {
	char **fields;
	size_t count;
	unsigned int line;     /* 1-based line the record starts on */
};

struct cl_csv_reader;

/* Read `len` bytes of `data` (borrowed for the reader's life). Records are
 * capped at `max_fields` fields and fields at `max_field` bytes. */
int cl_csv_reader_new(struct cl_csv_reader **out, const char *data, size_t len,
	size_t max_fields, size_t max_field);
void cl_csv_reader_free(struct cl_csv_reader *reader);

/*
 * The next record. A final line break is optional; CRLF and LF both end
 * records; blank lines are skipped. @return 0, CL_ITEROVER at the end,
 * CL_EINVALID on a malformed record ("LINE:COLUMN: problem": a quote inside
 * an unquoted field, text after a closing quote, an unterminated quote),
 * CL_ETOOBIG past a cap.
 */
int cl_csv_next(struct cl_csv_record **out, struct cl_csv_reader *reader);

#endif
