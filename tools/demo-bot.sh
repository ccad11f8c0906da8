#!/bin/sh
# make demo, part two: the webhook bot. It starts `clearance serve` on
# 127.0.0.1 with its SQLite default, a stand-in forge (the test suite's
# tests/tools/forge_standin, speaking GitHub's REST API), sends the bot a
# signed pull_request delivery for a local repository, and prints what the
# bot sent to the forge: commit statuses, the summary comment, issues.
set -eu
build=${1:-build}
top=$(pwd)
clearance=$(cd "$build" && pwd)/clearance
standin=$(cd "$build" && pwd)/tests/forge_standin
demo=$top/$build/demo-bot
secret=demo-webhook-secret
token=demo-token-not-a-secret
rm -rf "$demo"
mkdir -p "$demo"

export GIT_CONFIG_NOSYSTEM=1 HOME="$demo/home"
mkdir -p "$HOME"
git config --global user.name "Ann Developer"
git config --global user.email "ann@example.com"
git config --global init.defaultBranch main

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pids=
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

wait_file() {   # wait_file FILE PATTERN: until FILE holds a line matching PATTERN
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "timed out waiting for $1" >&2; cat "$1" >&2 || true; exit 1; }
		sleep 0.1
	done
}

step "6. The forge: a repository with a pull request whose commit is not signed off"
git init -q --bare "$demo/forge/acme/widget.git"
git clone -q "file://$demo/forge/acme/widget.git" "$demo/work" 2>/dev/null
cd "$demo/work"
echo hello > README && git add README && git commit -q -s -m "First" && git push -q origin main
base=$(git rev-parse HEAD)
git checkout -q -b feature
echo change >> README && git commit -q -am "Change without a sign-off"
head=$(git rev-parse HEAD)
cd "$top"

"$standin" --openapi tests/bot/openapi/github-subset.json --port-file "$demo/standin.port" \
	--log "$demo/standin.log" --token "$token" &
pids="$pids $!"
wait_file "$demo/standin.port" '[0-9]'
forge="http://127.0.0.1:$(cat "$demo/standin.port")"
number=$(curl -s -X POST "$forge/_standin/pulls" -d "{\"owner\": \"acme\", \"repo\": \"widget\",
	\"title\": \"Change\", \"base\": {\"ref\": \"main\", \"sha\": \"$base\"},
	\"head\": {\"ref\": \"feature\", \"sha\": \"$head\"}}" | sed 's/[^0-9]//g')
git -C "$demo/work" push -q origin "HEAD:refs/pull/$number/head"
echo "pull request #$number: $base..$head on the stand-in forge at $forge"

step "7. clearance serve, with a config that only names the forge"
cat > "$demo/bot.yml" <<YML
listen: 127.0.0.1:0
data_dir: $demo/data
github:
  webhook_secret: $secret
  token: $token
  base_url: $forge
YML
cat "$demo/bot.yml"
"$clearance" serve --config "$demo/bot.yml" > "$demo/serve.out" 2> "$demo/serve.err" &
pids="$pids $!"
wait_file "$demo/serve.out" 'listening on'
cat "$demo/serve.out"
bot=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$demo/serve.out")

step "8. GitHub delivers the pull_request event, signed with the shared secret"
body="{\"action\": \"opened\", \"number\": $number, \"pull_request\": {\"number\": $number,
\"base\": {\"ref\": \"main\", \"sha\": \"$base\"}, \"head\": {\"ref\": \"feature\", \"sha\": \"$head\"}},
\"repository\": {\"full_name\": \"acme/widget\", \"name\": \"widget\", \"owner\": {\"login\": \"acme\"},
\"clone_url\": \"file://$demo/forge/acme/widget.git\"}, \"sender\": {\"login\": \"ann\"}}"
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')
printf '$ curl -X POST %s/webhooks/github -H "X-Hub-Signature-256: sha256=%.12s..." ...\n' "$bot" "$sig"
curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$bot/webhooks/github" \
	-H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: demo-1" \
	-H "X-Hub-Signature-256: sha256=$sig" -H "Content-Type: application/json" --data-binary "$body"
echo "... and a forged one, signed with the wrong secret:"
curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$bot/webhooks/github" \
	-H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: demo-2" \
	-H "X-Hub-Signature-256: sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac wrong | sed 's/^.* //')" \
	-H "Content-Type: application/json" --data-binary "$body"

step "9. What the bot sent to the forge"
i=0
while ! curl -s "$forge/_standin/state" | grep -q 'clearance:pr-summary'; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "the bot did not report in time" >&2; cat "$demo/serve.err" >&2; exit 1; }
	sleep 0.1
done
curl -s "$forge/_standin/state" | python3 -c '
import json, sys
repo = json.load(sys.stdin)["repos"]["acme/widget"]
print("commit statuses:")
for s in repo["statuses"]:
    print("  %-20s %-8s %s  (%s)" % (s["context"], s["state"], s["description"], s["sha"][:10]))
print("comments on #%d:" % repo["comments"][0]["issue_number"] if repo["comments"] else "comments: none")
for c in repo["comments"]:
    print("  " + c["body"].replace("\n", "\n  "))
issues = [i for i in repo["issues"] if "pull_request" not in i]
print("issues: %d" % len(issues))
'
echo
printf '$ clearance deliveries --data-dir %s list\n' "$demo/data"
"$clearance" deliveries --data-dir "$demo/data" list
printf '\nThe bot demo is in %s (store: %s/data/clearance.db).\n' "$demo" "$demo"
