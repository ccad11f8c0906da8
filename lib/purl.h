/*
 * purl.h - package URLs (https://github.com/package-url/purl-spec) for the
 * dependencies the manifest parsers report, as SBOMs (CycloneDX) key them.
 *
 * Layer rule: a pure function from a struct cl_dep to text; depends on
 * buf.h, deps.h and error.h only. No git, no policy, no network.
 *
 * The mapping from clearance's ecosystems (deps.h) to purl types:
 *   npm            pkg:npm/%40scope/name@v       ("@scope/name" split; bare names have no namespace)
 *   pypi           pkg:pypi/name@v               (name normalised as PEP 503: lowercase, runs of
 *                                                 "-", "_", "." become one "-"; the spec asks for
 *                                                 lowercase and "_" -> "-", and PEP 503 names are
 *                                                 what the index resolves and the parsers key on)
 *   golang         pkg:golang/example.com/a/b@v  (the module path; every segment kept, case kept)
 *   cargo, gem, nuget, conan
 *                  pkg:TYPE/name@v
 *   maven          pkg:maven/group/artifact@v    ("group:artifact" split)
 *   composer       pkg:composer/vendor/pkg@v     (lowercased, as Packagist names are)
 *   githubactions  pkg:github/owner/repo@ref     ("owner/repo/path" -> "#path" subpath;
 *                                                 owner and repo lowercased, as the spec says)
 *   docker         pkg:docker/ns/name@tag        (a registry host as first segment becomes the
 *                                                 repository_url qualifier; "@sha256:..." digest
 *                                                 is the version)
 *   gitsubmodule   pkg:github/owner/repo@commit for a github.com url, else
 *                  pkg:generic/NAME@commit?vcs_url=URL (NAME = the url's last segment)
 *   vcpkg          pkg:generic/name@v            (purl has no vcpkg type)
 * Each segment is percent-encoded: everything except A-Z a-z 0-9 "." "-" "_"
 * "~" and ":" (which the spec leaves alone) becomes %XX, so "@", "/" inside
 * a segment, "+", spaces and bytes >= 0x80 are encoded.
 *
 * A purl names one version. A manifest's requirement ("^1.2", ">=2,<3",
 * "~> 5.0") is not one, so a version containing any of " ^~<>=*,|!" or
 * "[" "(" is left out of the purl (pkg:npm/left-pad, no "@"); callers keep
 * the requirement in their own version field.
 */
#ifndef CL_PURL_H
#define CL_PURL_H

#include "buf.h"
#include "deps.h"

/*
 * Append the purl of `dep` to `out`.
 * @param out  appended to; on failure it may hold a partial purl (clear it)
 * @return 0, CL_EINVALID when the ecosystem has no purl type or the name
 *         cannot be split as that type needs ("maven" without ':', an empty
 *         name), CL_ETOOBIG past out's cap, CL_ERROR when out of memory.
 * Thread-safe; linear in the lengths of the name and version.
 */
int cl_purl_from_dep(struct cl_buf *out, const struct cl_dep *dep);

#endif
