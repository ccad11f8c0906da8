/*
 * header_options.c - the options of the license-header check: their
 * defaults, their lifetime, and how `skip` and `paths` apply to one path.
 *
 * Layer rule: pattern.h only. policy.c fills the options from YAML;
 * headers.c asks about each path it checks, through an index of the skip
 * globs (pattern.h) built once per run.
 */
#include "headers.h"
#include "headers_priv.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Files that cannot carry a header or need not: what another project wrote,
 * what a tool generated, the license texts themselves, and binary formats.
 *
 * A glob's "**" is any run of characters, but "**" followed by "/" still
 * needs that '/': "**" "/go.sum" does not match a top-level go.sum. Hence a
 * tree or a file name is listed twice (at the top, and nested), and
 * extensions are written "**.png", which matches at any depth. There is no
 * brace expansion, so it is one glob per entry. docs/policy.md lists these;
 * keep the two in step.
 */
static const char *const header_skip_defaults[] = {
	/* vendored and third-party trees */
	"vendor/**", "**/vendor/**",
	"third_party/**", "**/third_party/**",
	"node_modules/**", "**/node_modules/**",
	/* generated: minified code, source maps, lock files */
	"**.min.js", "**.min.css", "**.map",
	"**.lock",   /* yarn.lock, Cargo.lock, poetry.lock, Gemfile.lock, composer.lock, ... */
	"package-lock.json", "**/package-lock.json",
	"pnpm-lock.yaml", "**/pnpm-lock.yaml",
	"go.sum", "**/go.sum",
	/* license texts and REUSE metadata: they are what the headers point to */
	"LICENSES/**",
	"LICENSE", "LICENSE.*", "**/LICENSE", "**/LICENSE.*",
	"COPYING", "COPYING.*", "**/COPYING", "**/COPYING.*",
	"NOTICE", "**/NOTICE",
	"**.license",   /* REUSE sidecars: they are the header of another file */
	"REUSE.toml", "**/REUSE.toml", ".reuse/dep5",
	/* images, documents, archives, fonts, media, compiled code */
	"**.png", "**.jpg", "**.jpeg", "**.gif", "**.ico", "**.bmp", "**.webp", "**.tif", "**.tiff",
	"**.pdf",
	"**.zip", "**.gz", "**.tgz", "**.bz2", "**.xz", "**.zst", "**.7z", "**.tar", "**.jar",
	"**.woff", "**.woff2", "**.ttf", "**.otf", "**.eot",
	"**.mp3", "**.mp4", "**.wav", "**.ogg", "**.webm",
	"**.so", "**.dll", "**.dylib", "**.exe", "**.a", "**.o", "**.class", "**.pyc", "**.wasm",
};

int cl_header_options_init(struct cl_header_options *opts)
{
	static const struct cl_header_options init = CL_HEADER_OPTIONS_INIT;
	size_t i;
	int error = 0;

	*opts = init;
	for (i = 0; i < sizeof(header_skip_defaults) / sizeof(header_skip_defaults[0]); i++)
		if ((error = cl_pattern_list_add(&opts->skip, header_skip_defaults[i], CL_PATTERN_PATH)) < 0)
			goto done;
done:
	if (error < 0) {
		/* The defaults are ours: a glob that does not compile is a bug, not input. */
		if (error == CL_EINVALID)
			CL_BUG("a default headers.skip glob does not compile");
		cl_header_options_dispose(opts);
	}
	return error;
}

void cl_header_path_rule_dispose(struct cl_header_path_rule *rule)
{
	if (!rule)
		return;
	cl_pattern_free(rule->match);
	rule->match = NULL;
	cl_pattern_list_dispose(&rule->licenses);
}

void cl_header_options_dispose(struct cl_header_options *opts)
{
	size_t i;

	if (!opts)
		return;
	cl_pattern_list_dispose(&opts->licenses);
	cl_pattern_list_dispose(&opts->skip);
	cl_pattern_free(opts->copyright_pattern);
	opts->copyright_pattern = NULL;
	free(opts->copyright_pattern_text);
	opts->copyright_pattern_text = NULL;
	for (i = 0; i < opts->path_count; i++)
		cl_header_path_rule_dispose(&opts->paths[i]);
	free(opts->paths);
	opts->paths = NULL;
	opts->path_count = 0;
}

int cl_header_options_resolve(struct cl_header_effective *out,
	const struct cl_header_options *opts, const char *path)
{
	return cl_header_options__resolve(out, opts, NULL, path);
}

int cl_header_options__resolve(struct cl_header_effective *out,
	const struct cl_header_options *opts, const struct cl_pattern_index *skip, const char *path)
{
	const struct cl_header_path_rule *rule = NULL;
	size_t i = opts->path_count;
	int rc;

	/* Last match wins, so search from the end and stop at the first hit. */
	while (i-- > 0) {
		if ((rc = cl_pattern_match(opts->paths[i].match, path)) < 0)
			return rc;
		if (rc) {
			rule = &opts->paths[i];
			break;
		}
	}
	if (rule && rule->skip) {
		rc = 1;
	} else if ((rc = skip ? cl_pattern_index_match(skip, path) :
				cl_pattern_list_match(&opts->skip, path)) < 0) {
		return rc;
	}
	out->skip = rc;
	out->licenses = rule && rule->has_licenses ? &rule->licenses : &opts->licenses;
	out->copyright = rule && rule->has_copyright ? rule->copyright : opts->copyright;
	out->rule = rule;
	return 0;
}
