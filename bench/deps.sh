#!/usr/bin/env bash
# bench/deps.sh: the dependency diff of a push, and parse throughput (issue 4).
#
# Builds a repository whose second commit changes a package-lock.json of
# 5,000 packages and a Cargo.lock of 1,000 (with their package.json and
# Cargo.toml, next to 2,000 unrelated source files): about 5% of the
# packages upgraded, 1% removed, 1% added, a few relicensed. Then, in one run:
#   - the dependency diff of that range: `clearance deps diff A..B` when the
#     program has it, else bench/deps_bench.c doing the same work through
#     the library (tree diff, parse both ends of each changed manifest,
#     lib/deps_diff.h), as a process, median of RUNS
#   - git diff --stat A..B, the floor (reading the same blobs, no parsing)
#   - the library diff in-process (no process start-up), median of RUNS
#   - parse throughput of every lock format on generated real-shaped files
#     (bench/gen_locks.py), CPU time, median and best of RUNS, next to the
#     floor of the library the parser is built on (Jansson, libyaml)
# Targets: the whole diff under 150 ms; lock files parsed at >= 50 MB/s.
# usage: bench/deps.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-11}
here=$(cd "$(dirname "$0")" && pwd)
clearance=$(cd "$build" && pwd)/clearance
bench=$(cd "$build" && pwd)/bench/deps_bench
[ -x "$bench" ] || { echo "bench: $bench missing (make BUILD=$build $build/bench/deps_bench)"; exit 2; }
command -v python3 >/dev/null || { echo "bench: needs python3"; exit 2; }
tmp=$(mktemp -d /tmp/clearance-bench-deps.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp/home
mkdir -p "$HOME"
git config --global user.name "Bench Mark"
git config --global user.email "bench@example.com"
git config --global init.defaultBranch main

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
median_of() {   # median_of RUNS command...: "WALL CPU", medians in seconds (CPU: user+sys)
	python3 - "$@" <<'PY'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
wall, cpu = [], []
for _ in range(runs):
    c0 = os.times()
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall.append(time.monotonic() - t0)
    c1 = os.times()
    cpu.append((c1.children_user - c0.children_user) + (c1.children_system - c0.children_system))
med = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1:len(v) // 2 + 1]) / 2
print("%.6f %.6f" % (med(wall), med(cpu)))
PY
}

# ---- the repository ----------------------------------------------------------
repo=$tmp/repo
git init -q "$repo"
python3 - "$repo" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(2000):
    d = os.path.join(root, "src", "m%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%04d.js" % i), "w") as f:
        f.write("// SPDX-License-Identifier: MIT\nexport const v%d = %d;\n" % (i, i) * 20)
PY
only=package-lock.json,package.json,Cargo.lock,Cargo.toml
python3 "$here/gen_locks.py" "$repo" --only "$only"
git -C "$repo" add -A
git -C "$repo" commit -q -m "Before"
python3 "$here/gen_locks.py" "$repo" --variant 1 --only "$only"
for i in 3 17 256; do echo "// touched" >> "$repo/src/m$(printf %02d $((i % 40)))/f$(printf %04d $i).js"; done
git -C "$repo" add -A
git -C "$repo" commit -q -m "Upgrade dependencies"
git -C "$repo" gc -q
a=$(git -C "$repo" rev-parse HEAD~1)
b=$(git -C "$repo" rev-parse HEAD)
npm_pkgs=$(grep -c '"node_modules/' "$repo/package-lock.json")
cargo_pkgs=$(grep -c '^\[\[package\]\]' "$repo/Cargo.lock")

# ---- the diff ------------------------------------------------------------------
cd "$repo"
if [ -x "$clearance" ] && "$clearance" deps diff --help >/dev/null 2>&1; then
	diff_label="clearance deps diff A..B"
	diff_cmd=("$clearance" deps diff "$a..$b")
else
	diff_label="deps_bench diff (library; no 'deps diff' yet)"
	diff_cmd=("$bench" diff -q -r 1 "$repo" "$a" "$b")
fi
"${diff_cmd[@]}" >/dev/null 2>"$tmp/diff.err" || {
	# exit 1 may mean "findings"; anything on stderr beyond that is worth seeing
	[ -s "$tmp/diff.err" ] && { echo "bench: ${diff_cmd[*]} said:"; head -5 "$tmp/diff.err"; }
}
read -r t_diff c_diff <<<"$(median_of "$runs" "${diff_cmd[@]}")"
read -r t_git c_git <<<"$(median_of "$runs" git diff --stat "$a..$b")"
inproc=$("$bench" diff -r "$runs" "$repo" "$a" "$b")
t_lib=$(echo "$inproc" | awk '{ for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1) / 1000 }')
c_lib=$(echo "$inproc" | awk '{ for (i = 1; i <= NF; i++) if ($i == "cpu") print $(i + 1) / 1000 }')
changes=$(echo "$inproc" | awk '{ print $1 }')

printf '\nclearance dependency-diff benchmark: package-lock.json %d packages, Cargo.lock %d packages,\n' "$npm_pkgs" "$cargo_pkgs"
printf '%d changes between A and B; median of %d runs (wall time, and CPU time = user+sys)\n\n' "$changes" "$runs"
printf '| %-48s | %10s | %10s | %-10s |\n' "measure" "wall" "cpu" "target"
printf '|%s|%s|%s|%s|\n' "--------------------------------------------------" "------------" "------------" "------------"
printf '| %-48s | %7.1f ms | %7.1f ms | %-10s |\n' "$diff_label" "$(calc "$t_diff * 1000")" "$(calc "$c_diff * 1000")" "< 150 ms"
printf '| %-48s | %7.1f ms | %7.1f ms | %-10s |\n' "library diff in-process (deps_bench)" "$(calc "$t_lib * 1000")" "$(calc "$c_lib * 1000")" ""
printf '| %-48s | %7.1f ms | %7.1f ms | %-10s |\n' "git diff --stat A..B (floor)" "$(calc "$t_git * 1000")" "$(calc "$c_git * 1000")" ""
printf '| %-48s | %9.1fx | %9.1fx | %-10s |\n' "dependency diff / git diff --stat" "$(calc "$t_diff / $t_git")" "$(calc "$c_diff / $c_git")" ""

# ---- parse throughput ------------------------------------------------------------
locks=$tmp/locks
python3 "$here/gen_locks.py" "$locks"
printf '\nparse throughput (CPU time of the parse; "lib" = the same bytes through Jansson\n'
printf 'json_loadb or the libyaml event loop alone, the floor the parser is built on, timed\n'
printf 'in turn with the parse, run by run; "of lib" = parse MB/s / lib MB/s, which moves\n'
printf 'far less than either when the host speeds up or slows down)\n\n'
(cd "$locks" && "$bench" parse -r "$runs" package-lock.json yarn.lock berry/yarn.lock pnpm-lock.yaml \
	Cargo.lock poetry.lock Pipfile.lock uv.lock composer.lock Gemfile.lock gradle.lockfile \
	packages.lock.json go.mod) | awk '
	NR == 1 { printf "| %-20s | %6s | %6s | %8s | %8s | %8s | %8s | %6s | %-7s |\n", $1, $2, $3, "cpu ms", "MB/s", "best", "lib MB/s", "of lib", "target"
	          printf "|----------------------|--------|--------|----------|----------|----------|----------|--------|---------|\n"; next }
	{ name = $1; if (name == "yarn.lock" && ++yarn == 2) name = "yarn.lock (berry)"
	  target = (name == "go.mod") ? "" : ">= 50"
	  of = ($7 + 0 > 0) ? sprintf("%.2f", $5 / $7) : "-"
	  printf "| %-20s | %6s | %6s | %8s | %8s | %8s | %8s | %6s | %-7s |\n", name, $2, $3, $4, $5, $6, $7, of, target }'
printf '\nload average during the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
