/*
 * csv.c - RFC 4180 writer and reader.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

int cl_csv_put_field(struct cl_buf *out, const char *s, int last)
{
	int guard = s && *s && strchr("=+-@\t\r", *s), error = 0;

	if (s && strpbrk(s, ",\"\r\n")) {
		const char *p;
		error = cl_buf_puts(out, guard ? "\"'" : "\"");
		for (p = s; *p && error >= 0; p++)
			error = *p == '"' ? cl_buf_puts(out, "\"\"") : cl_buf_putc(out, *p);
		if (error >= 0)
			error = cl_buf_putc(out, '"');
	} else if (s) {
		if (guard)
			error = cl_buf_putc(out, '\'');
		if (error >= 0)
			error = cl_buf_puts(out, s);
	}
	if (error >= 0)
		error = cl_buf_putc(out, last ? '\n' : ',');
	return error;
}

int cl_csv_put_record(struct cl_buf *out, const char *const *fields, size_t count)
{
	size_t i;
	int error = 0;

	for (i = 0; i < count && error >= 0; i++)
		error = cl_csv_put_field(out, fields[i], i + 1 == count);
	return error;
}

/* Not strchr: it would find the terminator and take a NUL byte for a separator. */
static int csv_is_sep(char c)
{
	return c == ',' || c == '\r' || c == '\n';
}

struct cl_csv_reader {
	const char *data;
	size_t len, pos;
	unsigned int line;
	size_t max_fields, max_field;
	struct cl_buf text;         /* the current record's fields, NUL-separated */
	size_t *offsets;            /* start of each field in text */
	char **fields;
	size_t alloc;
	struct cl_csv_record record;
};

int cl_csv_reader_new(struct cl_csv_reader **out, const char *data, size_t len,
	size_t max_fields, size_t max_field)
{
	struct cl_csv_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return cl_error_set("out of memory");
	r->data = data;
	r->len = len;
	r->line = 1;
	r->max_fields = max_fields;
	r->max_field = max_field;
	*out = r;
	return 0;
}

void cl_csv_reader_free(struct cl_csv_reader *r)
{
	if (!r)
		return;
	cl_buf_dispose(&r->text);
	free(r->offsets);
	free(r->fields);
	free(r);
}

static int csv_start_field(struct cl_csv_reader *r, size_t *count, unsigned int col)
{
	if (*count >= r->max_fields)
		return cl_error_setc(CL_ETOOBIG, "%u:%u: more than %zu fields in a record",
			r->line, col, r->max_fields);
	if (*count == r->alloc) {
		size_t n = r->alloc ? r->alloc * 2 : 16;
		size_t *o = realloc(r->offsets, n * sizeof(*o));
		if (!o)
			return cl_error_set("out of memory");
		r->offsets = o;
		r->alloc = n;
	}
	r->offsets[(*count)++] = r->text.size;
	return 0;
}

int cl_csv_next(struct cl_csv_record **out, struct cl_csv_reader *r)
{
	size_t count = 0, field_start, i;
	unsigned int start_line, col = 1;
	int error;

	/* Blank lines between records carry nothing. */
	while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
		if (r->data[r->pos] == '\n')
			r->line++;
		r->pos++;
	}
	if (r->pos >= r->len)
		return CL_ITEROVER;

	cl_buf_clear(&r->text);
	start_line = r->line;
	for (;;) {
		if ((error = csv_start_field(r, &count, col)) < 0)
			return error;
		field_start = r->text.size;
		if (r->pos < r->len && r->data[r->pos] == '"') {
			r->pos++;
			col++;
			for (;;) {
				char c;
				if (r->pos >= r->len)
					return cl_error_setc(CL_EINVALID, "%u:%u: unterminated quoted field",
						start_line, col);
				c = r->data[r->pos++];
				col++;
				if (c == '"') {
					if (r->pos < r->len && r->data[r->pos] == '"') {
						r->pos++;
						col++;
					} else {
						break;
					}
				} else if (c == '\n') {
					r->line++;
					col = 1;
				}
				if ((error = cl_buf_putc(&r->text, c)) < 0)
					return error;
				if (r->text.size - field_start > r->max_field)
					return cl_error_setc(CL_ETOOBIG, "%u:%u: a field longer than %zu bytes",
						r->line, col, r->max_field);
			}
			if (r->pos < r->len && !csv_is_sep(r->data[r->pos]))
				return cl_error_setc(CL_EINVALID, "%u:%u: text after a closing quote",
					r->line, col);
		} else {
			while (r->pos < r->len && !csv_is_sep(r->data[r->pos])) {
				if (r->data[r->pos] == '"')
					return cl_error_setc(CL_EINVALID, "%u:%u: a quote inside an "
						"unquoted field (hint: quote the field and double the quote)",
						r->line, col);
				if (r->data[r->pos] == '\0')
					return cl_error_setc(CL_EINVALID, "%u:%u: a NUL byte", r->line, col);
				if ((error = cl_buf_putc(&r->text, r->data[r->pos++])) < 0)
					return error;
				col++;
				if (r->text.size - field_start > r->max_field)
					return cl_error_setc(CL_ETOOBIG, "%u:%u: a field longer than %zu bytes",
						r->line, col, r->max_field);
			}
		}
		if ((error = cl_buf_putc(&r->text, '\0')) < 0)
			return error;
		if (r->pos < r->len && r->data[r->pos] == ',') {
			r->pos++;
			col++;
			continue;
		}
		if (r->pos < r->len && r->data[r->pos] == '\r')
			r->pos++;
		if (r->pos < r->len && r->data[r->pos] == '\n') {
			r->pos++;
			r->line++;
		}
		break;
	}

	free(r->fields);
	if (!(r->fields = malloc(count * sizeof(*r->fields))))
		return cl_error_set("out of memory");
	for (i = 0; i < count; i++)
		r->fields[i] = r->text.ptr + r->offsets[i];
	r->record.fields = r->fields;
	r->record.count = count;
	r->record.line = start_line;
	*out = &r->record;
	return 0;
}
