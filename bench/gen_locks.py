#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/gen_locks.py: large, real-shaped lock files for bench/deps.sh.

usage: gen_locks.py OUTDIR [--variant 0|1] [--scale S] [--only NAME,...]

Each file has the fields and layout its tool writes (npm 9 lockfileVersion 3,
Cargo lock version 4, pnpm 9, Poetry 1.8, Pipenv, Composer 2, yarn 1 and
berry, uv, Bundler, Gradle, NuGet): integrity hashes, resolved URLs, engines,
per-package dependency maps, so that the bytes per package are what the
real tools produce, not a synthetic minimum. Names, versions and hashes are
pseudo-random but deterministic.

--variant 1 is the same project one push later: about 5% of packages
upgraded, 1% removed, 1% added and a handful relicensed (MIT -> BUSL-1.1),
so a diff of variant 0 against variant 1 has realistic work to do.
"""
import base64
import hashlib
import json
import os
import random
import sys

WORDS = ("array assign babel bind buffer chalk class color commander core debug define "
         "deep diff emit encode escape event extend fast fill find flat format glob graceful "
         "has hash http inherits is json kind lodash merge mime minimatch ms object once "
         "parse path pick plain pretty punycode queue react read regex resolve safe semver "
         "set shallow signal source split stream string strip supports through to type uri "
         "util uuid validate value which wrap yargs").split()
LICENSES = ["MIT"] * 14 + ["ISC"] * 4 + ["Apache-2.0"] * 3 + ["BSD-3-Clause"] * 2 + ["BSD-2-Clause", "0BSD"]


def h(kind, *parts):
    d = hashlib.sha512("/".join(str(p) for p in (kind,) + parts).encode()).digest()
    return d


def b64(*parts):
    return base64.b64encode(h("b64", *parts)).decode()


def hexd(n, *parts):
    return h("hex", *parts).hex()[:n]


class Project:
    """The package set shared by every generated format of one variant."""

    def __init__(self, n, seed, variant, scoped=True):
        rnd = random.Random(seed)
        names = set()
        pkgs = []
        while len(pkgs) < n + n // 100:
            a, b = rnd.choice(WORDS), rnd.choice(WORDS)
            name = a if rnd.random() < 0.2 else a + "-" + b
            if rnd.random() < 0.1:
                name = name + "-" + rnd.choice(WORDS)
            if scoped and rnd.random() < 0.12:
                name = "@" + rnd.choice(WORDS) + "/" + name
            if name in names:
                continue
            names.add(name)
            ver = "%d.%d.%d" % (rnd.randrange(0, 12), rnd.randrange(0, 30), rnd.randrange(0, 20))
            pkgs.append({"name": name, "version": ver, "license": rnd.choice(LICENSES),
                         "dev": rnd.random() < 0.3, "optional": rnd.random() < 0.02,
                         "nested": rnd.random() < 0.05})
        extra = pkgs[n:]
        pkgs = pkgs[:n]
        if variant:
            vr = random.Random(seed + 1)
            out = []
            for p in pkgs:
                r = vr.random()
                if r < 0.01:
                    continue                      # removed
                q = dict(p)
                if r < 0.06:                      # upgraded
                    x, y, z = (int(v) for v in q["version"].split("."))
                    q["version"] = "%d.%d.%d" % ((x, y + 1, 0) if vr.random() < 0.5 else (x, y, z + 1))
                    if vr.random() < 0.02:
                        q["license"] = "BUSL-1.1"  # the relicensing upgrade
                out.append(q)
            out.extend(extra)                     # added
            pkgs = out
        for i, p in enumerate(pkgs):
            k = rnd.randrange(0, 5)
            p["deps"] = [pkgs[(i * 7 + j * 131 + 1) % len(pkgs)] for j in range(k)]
        self.pkgs = pkgs
        self.direct = pkgs[: max(10, n // 50)]


def package_lock(p):
    pk = {"": {"name": "bench-app", "version": "1.0.0", "license": "MIT",
               "dependencies": {d["name"]: "^" + d["version"] for d in p.direct if not d["dev"]},
               "devDependencies": {d["name"]: "^" + d["version"] for d in p.direct if d["dev"]}}}
    for i, d in enumerate(p.pkgs):
        key = "node_modules/" + d["name"]
        if d["nested"]:
            key = "node_modules/" + p.pkgs[(i + 3) % len(p.pkgs)]["name"] + "/" + key
        base = d["name"].split("/")[-1]
        e = {"version": d["version"],
             "resolved": "https://registry.npmjs.org/%s/-/%s-%s.tgz" % (d["name"], base, d["version"]),
             "integrity": "sha512-" + b64(d["name"], d["version"])}
        if d["dev"]:
            e["dev"] = True
        if d["optional"]:
            e["optional"] = True
        if d["deps"]:
            e["dependencies"] = {x["name"]: "^" + x["version"] for x in d["deps"]}
        if i % 7 == 0:
            e["bin"] = {base: "bin/cli.js"}
        if i % 3 == 0:
            e["engines"] = {"node": ">=%d" % (8 + i % 12)}
        if i % 11 == 0:
            e["funding"] = {"url": "https://github.com/sponsors/%s" % base}
        e["license"] = d["license"]
        pk[key] = e
    doc = {"name": "bench-app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": pk}
    return json.dumps(doc, indent=2) + "\n"


def package_json(p):
    doc = {"name": "bench-app", "version": "1.0.0", "license": "MIT",
           "dependencies": {d["name"]: "^" + d["version"] for d in p.direct if not d["dev"]},
           "devDependencies": {d["name"]: "^" + d["version"] for d in p.direct if d["dev"]}}
    return json.dumps(doc, indent=2) + "\n"


def crate(name):
    return name.replace("@", "").replace("/", "-")


def cargo_lock(p):
    out = ["# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n"]
    out.append('\n[[package]]\nname = "bench-app"\nversion = "0.1.0"\ndependencies = [\n%s]\n'
               % "".join(' "%s",\n' % crate(d["name"]) for d in sorted(p.direct, key=lambda d: crate(d["name"]))))
    for d in sorted(p.pkgs, key=lambda d: crate(d["name"])):
        s = '\n[[package]]\nname = "%s"\nversion = "%s"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "%s"\n' % (
            crate(d["name"]), d["version"], hexd(64, d["name"], d["version"]))
        if d["deps"]:
            s += "dependencies = [\n%s]\n" % "".join(' "%s",\n' % crate(x["name"]) for x in d["deps"])
        out.append(s)
    return "".join(out)


def cargo_toml(p):
    return '[package]\nname = "bench-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n' + "".join(
        '%s = "%s"\n' % (crate(d["name"]), d["version"]) for d in p.direct)


def pnpm_lock(p):
    o = ["lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n"]
    for sec, dev in (("dependencies", False), ("devDependencies", True)):
        ds = [d for d in p.direct if d["dev"] == dev]
        if ds:
            o.append("    %s:\n" % sec)
            for d in ds:
                o.append("      %s:\n        specifier: ^%s\n        version: %s\n" % (q(d["name"]), d["version"], d["version"]))
    o.append("\npackages:\n\n")
    for i, d in enumerate(p.pkgs):
        o.append("  %s:\n    resolution: {integrity: sha512-%s}\n" % (q(d["name"] + "@" + d["version"]), b64(d["name"], d["version"])))
        if i % 3 == 0:
            o.append("    engines: {node: '>=%d'}\n" % (8 + i % 12))
        if i % 7 == 0:
            o.append("    hasBin: true\n")
        o.append("\n")
    o.append("snapshots:\n\n")
    for d in p.pkgs:
        if d["deps"]:
            o.append("  %s:\n    dependencies:\n" % q(d["name"] + "@" + d["version"]))
            for x in d["deps"]:
                o.append("      %s: %s\n" % (q(x["name"]), x["version"]))
            o.append("\n")
        else:
            o.append("  %s: {}\n\n" % q(d["name"] + "@" + d["version"]))
    return "".join(o)


def q(s):
    return "'%s'" % s if s.startswith("@") else s


def yarn_v1(p):
    o = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n"]
    for d in sorted(p.pkgs, key=lambda d: d["name"]):
        n = d["name"]
        qn = '"%s@^%s"' % (n, d["version"]) if n.startswith("@") else "%s@^%s" % (n, d["version"])
        o.append('\n%s:\n  version "%s"\n  resolved "https://registry.yarnpkg.com/%s/-/%s-%s.tgz#%s"\n  integrity sha512-%s\n' % (
            qn, d["version"], n, n.split("/")[-1], d["version"], hexd(40, n), b64(n, d["version"])))
        if d["deps"]:
            o.append("  dependencies:\n")
            for x in d["deps"]:
                xn = '"%s"' % x["name"] if x["name"].startswith("@") else x["name"]
                o.append('    %s "^%s"\n' % (xn, x["version"]))
    return "".join(o)


def yq(s):
    return '"%s"' % s if s.startswith("@") else s


def yarn_berry(p):
    o = ['# This file is generated by running "yarn install" inside your project.\n'
         '# Manual changes might be lost - proceed with caution!\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n']
    for d in sorted(p.pkgs, key=lambda d: d["name"]):
        n = d["name"]
        o.append('\n"%s@npm:^%s":\n  version: %s\n  resolution: "%s@npm:%s"\n' % (n, d["version"], d["version"], n, d["version"]))
        if d["deps"]:
            o.append("  dependencies:\n")
            for x in d["deps"]:
                o.append('    %s: "npm:^%s"\n' % (yq(x["name"]), x["version"]))
        o.append("  checksum: 10c0/%s\n  languageName: node\n  linkType: hard\n" % hexd(128, n, d["version"]))
    o.append('\n"bench-app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "bench-app@workspace:."\n  dependencies:\n')
    for d in p.direct:
        o.append('    %s: "npm:^%s"\n' % (yq(d["name"]), d["version"]))
    o.append("  languageName: unknown\n  linkType: soft\n")
    return "".join(o)


def pyname(n):
    return n.replace("@", "").replace("/", "-")


def poetry_lock(p):
    o = ["# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n"]
    for d in sorted(p.pkgs, key=lambda d: pyname(d["name"])):
        n = pyname(d["name"])
        o.append('\n[[package]]\nname = "%s"\nversion = "%s"\ndescription = "The %s library"\noptional = %s\npython-versions = ">=3.8"\nfiles = [\n'
                 % (n, d["version"], n, "true" if d["optional"] else "false"))
        for t in ("py3-none-any.whl", "tar.gz") if len(n) % 3 else ("cp311-cp311-manylinux_2_17_x86_64.whl",
                                                                    "cp311-cp311-macosx_11_0_arm64.whl",
                                                                    "cp312-cp312-win_amd64.whl", "tar.gz"):
            o.append('    {file = "%s-%s-%s", hash = "sha256:%s"},\n' % (n.replace("-", "_"), d["version"], t, hexd(64, n, t)))
        o.append("]\n")
        if d["deps"]:
            o.append("\n[package.dependencies]\n")
            for x in d["deps"]:
                o.append('%s = ">=%s"\n' % (pyname(x["name"]), x["version"]))
    o.append('\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\ncontent-hash = "%s"\n' % hexd(64, "c"))
    return "".join(o)


def pipfile_lock(p):
    doc = {"_meta": {"hash": {"sha256": hexd(64, "meta")}, "pipfile-spec": 6, "requires": {"python_version": "3.11"},
                     "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
           "default": {}, "develop": {}}
    for d in p.pkgs:
        n = pyname(d["name"])
        e = {"hashes": ["sha256:" + hexd(64, n, k) for k in range(2 + len(n) % 4)], "version": "==" + d["version"]}
        if len(n) % 5 == 0:
            e["markers"] = "python_version >= '3.8'"
        if d in p.direct:
            e["index"] = "pypi"
        doc["develop" if d["dev"] else "default"][n] = e
    return json.dumps(doc, indent=4, sort_keys=True) + "\n"


def uv_lock(p):
    o = ['version = 1\nrevision = 3\nrequires-python = ">=3.12"\n\n[[package]]\nname = "bench-app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [\n']
    o.extend('    { name = "%s" },\n' % pyname(d["name"]) for d in p.direct)
    o.append("]\n")
    for d in sorted(p.pkgs, key=lambda d: pyname(d["name"])):
        n = pyname(d["name"])
        o.append('\n[[package]]\nname = "%s"\nversion = "%s"\nsource = { registry = "https://pypi.org/simple" }\n' % (n, d["version"]))
        if d["deps"]:
            o.append("dependencies = [\n%s]\n" % "".join('    { name = "%s" },\n' % pyname(x["name"]) for x in d["deps"]))
        u = "https://files.pythonhosted.org/packages/%s/%s" % (hexd(2, n), hexd(60, n, "p"))
        o.append('sdist = { url = "%s/%s-%s.tar.gz", hash = "sha256:%s", size = %d, upload-time = "2025-09-02T15:23:11.018Z" }\n'
                 % (u, n, d["version"], hexd(64, n, "s"), 10000 + len(n) * 997))
        o.append('wheels = [\n    { url = "%s/%s-%s-py3-none-any.whl", hash = "sha256:%s", size = %d, upload-time = "2025-09-02T15:23:09.635Z" },\n]\n'
                 % (u, n.replace("-", "_"), d["version"], hexd(64, n, "w"), 5000 + len(n) * 331))
    return "".join(o)


def composer_lock(p):
    def pkg(d):
        n = d["name"].replace("@", "")
        if "/" not in n:
            n = "vendor-" + n.split("-")[0] + "/" + n
        r = hexd(40, n, d["version"])
        e = {"name": n, "version": "v" + d["version"],
             "source": {"type": "git", "url": "https://github.com/%s.git" % n, "reference": r},
             "dist": {"type": "zip", "url": "https://api.github.com/repos/%s/zipball/%s" % (n, r), "reference": r, "shasum": ""},
             "require": {"php": ">=8.1"}, "type": "library",
             "autoload": {"psr-4": {"%s\\" % n.split("/")[1].title().replace("-", ""): "src/"}},
             "notification-url": "https://packagist.org/downloads/", "license": [d["license"]],
             "authors": [{"name": "Author of " + n, "email": "dev@example.org"}],
             "description": "The %s package" % n, "keywords": n.split("/")[1].split("-"),
             "support": {"issues": "https://github.com/%s/issues" % n, "source": "https://github.com/%s/tree/v%s" % (n, d["version"])},
             "time": "2024-01-%02dT10:00:00+00:00" % (1 + len(n) % 28)}
        for x in d["deps"][:2]:
            xn = x["name"].replace("@", "")
            if "/" not in xn:
                xn = "vendor-" + xn.split("-")[0] + "/" + xn
            e["require"][xn] = "^" + x["version"]
        return e
    doc = {"_readme": ["This file locks the dependencies of your project to a known state",
                       "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",
                       "This file is @generated automatically"],
           "content-hash": hexd(32, "ch"),
           "packages": [pkg(d) for d in p.pkgs if not d["dev"]],
           "packages-dev": [pkg(d) for d in p.pkgs if d["dev"]],
           "aliases": [], "minimum-stability": "stable", "stability-flags": [], "prefer-stable": False,
           "prefer-lowest": False, "platform": {"php": ">=8.1"}, "platform-dev": [], "plugin-api-version": "2.6.0"}
    return json.dumps(doc, indent=4) + "\n"


def gem(n):
    return n.replace("@", "").replace("/", "-")


def gemfile_lock(p):
    o = ["GEM\n  remote: https://rubygems.org/\n  specs:\n"]
    for d in sorted(p.pkgs, key=lambda d: gem(d["name"])):
        o.append("    %s (%s)\n" % (gem(d["name"]), d["version"]))
        for x in d["deps"]:
            o.append("      %s (~> %s)\n" % (gem(x["name"]), x["version"]))
    o.append("\nPLATFORMS\n  ruby\n  x86_64-linux\n\nDEPENDENCIES\n")
    o.extend("  %s (~> %s)\n" % (gem(d["name"]), d["version"]) for d in sorted(p.direct, key=lambda d: gem(d["name"])))
    o.append("\nBUNDLED WITH\n   2.5.6\n")
    return "".join(o)


def gradle_lockfile(p):
    o = ["# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n"
         "# This file is expected to be part of source control.\n"]
    for d in sorted(p.pkgs, key=lambda d: d["name"]):
        n = gem(d["name"])
        conf = "testCompileClasspath,testRuntimeClasspath" if d["dev"] else \
            "compileClasspath,productionRuntimeClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath"
        o.append("org.%s:%s:%s=%s\n" % (n.split("-")[0], n, d["version"], conf))
    o.append("empty=annotationProcessor\n")
    return "".join(o)


def nuget_lock(p):
    deps = {}
    for d in p.pkgs:
        n = ".".join(w.title() for w in gem(d["name"]).split("-"))
        e = {"type": "Direct" if d in p.direct else "Transitive"}
        if d in p.direct:
            e["requested"] = "[%s, )" % d["version"]
        e["resolved"] = d["version"]
        e["contentHash"] = b64(n, d["version"])
        if d["deps"]:
            e["dependencies"] = {".".join(w.title() for w in gem(x["name"]).split("-")): x["version"] for x in d["deps"]}
        deps[n] = e
    return json.dumps({"version": 1, "dependencies": {"net8.0": deps}}, indent=2) + "\n"


def go_mod(p):
    o = ["module example.com/bench/app\n\ngo 1.22\n\nrequire (\n"]
    for d in p.direct:
        o.append("\tgithub.com/%s/%s v%s\n" % (gem(d["name"]).split("-")[0], gem(d["name"]), d["version"]))
    o.append(")\n\nrequire (\n")
    for d in p.pkgs:
        if d not in p.direct:
            o.append("\tgithub.com/%s/%s v%s // indirect\n" % (gem(d["name"]).split("-")[0], gem(d["name"]), d["version"]))
    o.append(")\n")
    return "".join(o)


# name -> (writer, package count, file name)
FILES = {
    "package-lock.json": (package_lock, 5000),
    "package.json": (package_json, 5000),
    "Cargo.lock": (cargo_lock, 1000),
    "Cargo.toml": (cargo_toml, 1000),
    "pnpm-lock.yaml": (pnpm_lock, 5000),
    "yarn.lock": (yarn_v1, 5000),
    "berry/yarn.lock": (yarn_berry, 5000),
    "poetry.lock": (poetry_lock, 1000),
    "Pipfile.lock": (pipfile_lock, 1000),
    "uv.lock": (uv_lock, 1000),
    "composer.lock": (composer_lock, 1000),
    "Gemfile.lock": (gemfile_lock, 1000),
    "gradle.lockfile": (gradle_lockfile, 3000),
    "packages.lock.json": (nuget_lock, 2000),
    "go.mod": (go_mod, 2000),
}


def main(argv):
    out, variant, scale, only = None, 0, 1.0, None
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--variant":
            variant = int(argv[i + 1]); i += 2
        elif a == "--scale":
            scale = float(argv[i + 1]); i += 2
        elif a == "--only":
            only = argv[i + 1].split(","); i += 2
        elif out is None:
            out = a; i += 1
        else:
            sys.exit("usage: gen_locks.py OUTDIR [--variant 0|1] [--scale S] [--only NAME,...]")
    if out is None:
        sys.exit("usage: gen_locks.py OUTDIR [--variant 0|1] [--scale S] [--only NAME,...]")
    projects = {}
    for name, (fn, n) in FILES.items():
        if only and name not in only:
            continue
        n = max(10, int(n * scale))
        key = (n, name in ("package-lock.json", "package.json", "pnpm-lock.yaml", "yarn.lock", "berry/yarn.lock"))
        if key not in projects:
            projects[key] = Project(n, 1000 + n, variant, scoped=key[1])
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(fn(projects[key]))


if __name__ == "__main__":
    main(sys.argv)
