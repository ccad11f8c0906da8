#!/bin/sh
# Refresh the forge fixtures the bot tests use, from their published sources:
#   tests/bot/openapi/github-subset.json  the operations the forge client calls,
#       cut from GitHub's OpenAPI description (npm @octokit/openapi): method,
#       path template, query parameters, body fields with their types, and the
#       required body fields. The stand-in forge validates every request with it.
#   tests/bot/openapi/gitea-subset.json   the same for Gitea/Forgejo's /api/v1,
#       cut from npm gitea-js (MIT; generated from Gitea's swagger
#       description): Gitea publishes no package of its swagger itself.
#   tests/bot/webhooks/github/*.json      real payloads from npm
#       @octokit/webhooks-examples (MIT; see tests/bot/webhooks/github/NOTICE).
# Gitea's payloads (tests/bot/webhooks/gitea/) are written by hand from Gitea's
# documentation, which no package publishes; this script leaves them alone.
#
# usage: sh tools/refresh-forge-fixtures.sh        (needs node and npm)
# The packages go into build/forge-npm (ignored by git), never into the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/build/forge-npm"
mkdir -p "$cache"
npm install --prefix "$cache" --no-audit --no-fund --silent \
	@octokit/openapi @octokit/webhooks-examples gitea-js >/dev/null
CACHE="$cache" TOP="$top" node - <<'JS'
const fs = require("fs");
const path = require("path");
const cache = process.env.CACHE, top = process.env.TOP;
const mods = path.join(cache, "node_modules", "@octokit");

/* ---- OpenAPI subset ---- */
const oapkg = JSON.parse(fs.readFileSync(path.join(mods, "openapi", "package.json")));
const spec = JSON.parse(fs.readFileSync(path.join(mods, "openapi", "generated", "api.github.com.json")));
const ops = [
  ["post", "/repos/{owner}/{repo}/statuses/{sha}"],
  ["post", "/repos/{owner}/{repo}/check-runs"],
  ["patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["get", "/repos/{owner}/{repo}/issues"],
  ["post", "/repos/{owner}/{repo}/issues"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["patch", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"],
  ["get", "/orgs/{org}/teams/{team_slug}/members"],
  ["post", "/app/installations/{installation_id}/access_tokens"],
];
function deref(o) {
  while (o && o["$ref"]) {
    const parts = o["$ref"].replace(/^#\//, "").split("/");
    o = parts.reduce((a, k) => a[k], spec);
  }
  return o;
}
function typeOf(s) {
  s = deref(s);
  if (!s) return "any";
  if (s.type) return s.type;
  const alts = s.oneOf || s.anyOf;
  if (alts) {
    const t = [...new Set(alts.map(typeOf))];
    return t.length === 1 ? t[0] : "any";
  }
  return "any";
}
const out = [];
for (const [method, p] of ops) {
  const op = spec.paths[p] && spec.paths[p][method];
  if (!op) throw new Error(`operation ${method} ${p} not in the OpenAPI description`);
  const query = (op.parameters || []).map(deref).filter(x => x.in === "query").map(x => x.name).sort();
  const entry = { operation_id: op.operationId, method: method.toUpperCase(), path: p, query };
  const rb = op.requestBody && deref(op.requestBody);
  if (rb) {
    let schema = deref(rb.content["application/json"].schema);
    // A oneOf body (labels: object or bare array) is kept as its object form,
    // the one GitHub recommends and the client sends.
    if (schema.oneOf) schema = deref(schema.oneOf.map(deref).find(s => s.type === "object"));
    const fields = {};
    for (const [k, v] of Object.entries(schema.properties || {})) fields[k] = typeOf(v);
    entry.body = { required: (schema.required || []).slice().sort(), fields };
    entry.body_required = !!rb.required;
  }
  out.push(entry);
}
const doc = {
  source: `npm ${oapkg.name}@${oapkg.version} generated/api.github.com.json (MIT, Copyright (c) Octokit contributors)`,
  generated_by: "tools/refresh-forge-fixtures.sh",
  operations: out,
};
fs.writeFileSync(path.join(top, "tests/bot/openapi/github-subset.json"), JSON.stringify(doc, null, 1) + "\n");

/* ---- Gitea subset, from gitea-js (methods in index.js, types in index.d.ts) ---- */
const gdir = path.join(cache, "node_modules", "gitea-js");
const gpkg = JSON.parse(fs.readFileSync(path.join(gdir, "package.json")));
const gjs = fs.readFileSync(path.join(gdir, "dist", "index.js"), "utf8");
const gdts = fs.readFileSync(path.join(gdir, "dist", "index.d.ts"), "utf8");
const gops = [
  ["POST", "/repos/{}/{}/statuses/{}"],
  ["GET", "/repos/{}/{}/issues/{}/comments"],
  ["POST", "/repos/{}/{}/issues/{}/comments"],
  ["PATCH", "/repos/{}/{}/issues/comments/{}"],
  ["GET", "/repos/{}/{}/issues"],
  ["POST", "/repos/{}/{}/issues"],
  ["PATCH", "/repos/{}/{}/issues/{}"],
  ["POST", "/repos/{}/{}/issues/{}/labels"],
  ["PUT", "/repos/{}/{}/issues/{}/labels"],
  ["DELETE", "/repos/{}/{}/issues/{}/labels/{}"],
  ["GET", "/repos/{}/{}/labels"],
  ["POST", "/repos/{}/{}/labels"],
  ["GET", "/repos/{}/{}/pulls/{}"],
  ["GET", "/repos/{}/{}/pulls/{}/commits"],
  ["GET", "/orgs/{}/teams/search"],
  ["GET", "/teams/{}/members"],
];
// index.js: `name: (args) => this.request(... path: `/x/${a}`, method: "POST"`
const methods = [];
const re = /(\w+): \([^)]*\) => this\.request\(__spreadValues\(\{\s*path: `([^`]*)`,\s*method: "(\w+)"/g;
let m;
while ((m = re.exec(gjs)) !== null)
  methods.push({ name: m[1], path: m[2].replace(/\$\{(\w+)\}/g, "{$1}"), method: m[3] });
function tsType(t) {
  t = t.trim();
  if (t.endsWith("[]")) {
    // Element types are kept when plain: Gitea wants label *ids* (number[]).
    const e = tsType(t.slice(0, -2));
    return ["string", "integer", "boolean"].includes(e) ? `array:${e}` : "array";
  }
  if (t === "string" || /^'/.test(t)) return "string";
  if (t === "number") return "integer";
  if (t === "boolean") return "boolean";
  if (t === "any") return "any";
  const alias = new RegExp(`type ${t} = ([^;]+);`).exec(gdts);
  if (alias) return tsType(alias[1].split("|")[0]);
  return "object";
}
// the members of `{ ... }` at depth one: name, optional, type
function members(block) {
  const out = [];
  let depth = 0, cur = "";
  for (const ch of block) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (depth === 0 && ch === ";") { out.push(cur); cur = ""; continue; }
    cur += ch;
  }
  return out.map(x => x.replace(/\/\*\*[\s\S]*?\*\//g, "").trim())
    .map(x => /^(\w+)(\??): ([\s\S]+)$/.exec(x)).filter(Boolean)
    .map(x => ({ name: x[1], optional: x[2] === "?", type: tsType(x[3]) }));
}
function braceBlock(text, from) {
  let depth = 0, i = text.indexOf("{", from), start = i + 1;
  for (; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(start, i);
  }
  throw new Error("unbalanced braces");
}
const gout = [];
for (const [method, shape] of gops) {
  const meth = methods.find(x => x.method === method && x.path.replace(/\{\w+\}/g, "{}") === shape);
  if (!meth) throw new Error(`gitea-js has no ${method} ${shape}`);
  const sigAt = gdts.indexOf(`        ${meth.name}: (`);
  if (sigAt < 0) throw new Error(`no signature for ${meth.name}`);
  const sig = gdts.slice(sigAt, gdts.indexOf("=> Promise", sigAt));
  const entry = { operation_id: meth.name, method, path: meth.path, query: [] };
  const q = sig.indexOf("query");
  if (q >= 0 && /^query\??: \{/.test(sig.slice(q)))
    entry.query = members(braceBlock(sig, q)).map(x => x.name).sort();
  const b = /body: (\w+)/.exec(sig);
  if (b) {
    const at = gdts.indexOf(`interface ${b[1]} {`);
    if (at < 0) throw new Error(`no interface ${b[1]}`);
    const mem = members(braceBlock(gdts, at));
    const fields = {};
    for (const x of mem) fields[x.name] = x.type;
    entry.body = { required: mem.filter(x => !x.optional).map(x => x.name).sort(), fields };
    entry.body_required = true;
  }
  gout.push(entry);
}
fs.writeFileSync(path.join(top, "tests/bot/openapi/gitea-subset.json"), JSON.stringify({
  source: `npm ${gpkg.name}@${gpkg.version} dist/index.js and dist/index.d.ts (generated from Gitea's swagger; MIT, Copyright (c) 2022 Anbraten)`,
  generated_by: "tools/refresh-forge-fixtures.sh",
  operations: gout,
}, null, 1) + "\n");

/* ---- webhook payloads ---- */
const wpkg = JSON.parse(fs.readFileSync(path.join(mods, "webhooks-examples", "package.json")));
const events = JSON.parse(fs.readFileSync(path.join(mods, "webhooks-examples", "api.github.com", "index.json")));
const want = [
  ["ping", null], ["push", null],
  ["pull_request", "opened"], ["pull_request", "synchronize"],
  ["pull_request", "reopened"], ["pull_request", "closed"],
  ["issue_comment", "created"],
  ["issues", "opened"], ["issues", "edited"],
];
const dir = path.join(top, "tests/bot/webhooks/github");
const written = [];
for (const [name, action] of want) {
  const ev = events.find(e => e.name === name);
  const ex = ev && ev.examples.find(x => action === null || x.action === action);
  if (!ex) throw new Error(`no example for ${name} ${action || ""}`);
  const file = action ? `${name}.${action}.json` : `${name}.json`;
  fs.writeFileSync(path.join(dir, file), JSON.stringify(ex, null, 2) + "\n");
  written.push(file);
}
fs.writeFileSync(path.join(dir, "NOTICE"),
`These webhook payloads are copied unchanged (re-indented) from the npm package
${wpkg.name}@${wpkg.version} (api.github.com/index.json, the first example of
each event and action), repository https://github.com/octokit/webhooks,
by tools/refresh-forge-fixtures.sh.

License: ${wpkg.license}. The package declares it in package.json and its
README links the repository's LICENSE.md; the package itself ships no license
file, so the MIT terms are reproduced here:

  MIT License, Copyright (c) Octokit contributors

  Permission is hereby granted, free of charge, to any person obtaining a copy
  of this software and associated documentation files (the "Software"), to deal
  in the Software without restriction, including without limitation the rights
  to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
  copies of the Software, and to permit persons to whom the Software is
  furnished to do so, subject to the following conditions:

  The above copyright notice and this permission notice (including the next
  paragraph) shall be included in all copies or substantial portions of the
  Software.

  THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
  IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
  FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
  AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
  LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
  OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
  SOFTWARE.

Files: ${written.join(", ")}
`);
console.log(`refresh-forge-fixtures: ${out.length} GitHub and ${gout.length} Gitea operations, ${written.length} payloads`);
JS
