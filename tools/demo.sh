#!/bin/sh
# make demo: a bare repository with clearance's hooks, one compliant push
# accepted and one non-compliant push rejected, both shown as a user sees them.
set -eu
build=${1:-build}
clearance=$(cd "$build" && pwd)/clearance
demo=$(pwd)/$build/demo
rm -rf "$demo"
mkdir -p "$demo"
bare=$demo/server.git
work=$demo/work

export GIT_CONFIG_NOSYSTEM=1 HOME="$demo/home"
mkdir -p "$HOME"
git config --global user.name "Ann Developer"
git config --global user.email "ann@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

step "1. A bare repository on the server, with clearance's hooks and the sample policy"
git init -q --bare "$bare"
show "clearance install-hooks $bare"
"$clearance" install-hooks "$bare"

step "2. An engineer clones it and pushes a signed-off commit: accepted"
git clone -q "file://$bare" "$work" 2>/dev/null
cd "$work"
echo "hello" > README
git add README
git commit -q --signoff -m "Add README"
show "git push origin main"
if git push origin main 2>&1; then echo "-> accepted"; else echo "-> UNEXPECTED: rejected"; exit 1; fi

step "3. A commit without a Signed-off-by trailer: the engineer asks clearance first"
echo "more" >> README
git commit -q -am "Extend README"
show "clearance check"
"$clearance" check || true

step "4. ... and pushes anyway: rejected by the server, nothing lands"
show "git push origin main"
if git push origin main 2>&1; then echo "-> UNEXPECTED: accepted"; exit 1; else echo "-> rejected"; fi

step "5. The fix the hook suggested, then the push is accepted"
show "git commit --amend --no-edit --signoff && git push origin main"
git commit -q --amend --no-edit --signoff
if git push origin main 2>&1; then echo "-> accepted"; else echo "-> UNEXPECTED: rejected"; exit 1; fi

printf '\nThe demo repository is in %s (policy: %s/clearance.yml).\n' "$demo" "$bare"
