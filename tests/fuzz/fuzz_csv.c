/*
 * fuzz_csv - the CSV reader (CLA imports) on hostile input, and the writer
 * round trip: every record read, written back and read again, gives the
 * same fields (the formula guard aside, so fields starting with a guarded
 * character are skipped from the comparison).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_csv_reader *r = NULL, *again = NULL;
	struct cl_csv_record *rec, *rec2;
	char *copy = malloc(size ? size : 1);
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (cl_csv_reader_new(&r, copy, size, 64, 4096) < 0)
		goto done;
	while (cl_csv_next(&rec, r) == 0) {
		struct cl_buf out = CL_BUF_INIT;
		int guarded = 0;

		for (i = 0; i < rec->count; i++)
			if (rec->fields[i][0] && strchr("=+-@\t\r", rec->fields[i][0]))
				guarded = 1;
		/* A one-empty-field record writes a blank line, which reads as nothing. */
		if (guarded || (rec->count == 1 && !rec->fields[0][0]))
			continue;
		if (cl_csv_put_record(&out, (const char *const *)rec->fields, rec->count) == 0 &&
		    cl_csv_reader_new(&again, out.ptr, out.size, 64, 4096) == 0) {
			if (cl_csv_next(&rec2, again) != 0 || rec2->count != rec->count)
				abort();
			for (i = 0; i < rec->count; i++)
				if (strcmp(rec->fields[i], rec2->fields[i]) != 0)
					abort();
			cl_csv_reader_free(again);
			again = NULL;
		}
		cl_buf_dispose(&out);
	}
done:
	cl_csv_reader_free(r);
	free(copy);
	return 0;
}
