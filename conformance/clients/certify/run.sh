#!/usr/bin/env bash
# run.sh — `dynafault certify` against a third-party DynamoDB Streams
# consumer installed from npm: dynamodb-stream (pinned with
# package-lock.json), driven by consumer.mjs as its README's
# state-persistence example shows.
#
# Usage: conformance/clients/certify/run.sh
#
# It installs the package when missing (npm ci; needs node and npm),
# builds ./cmd/dynafault, runs the built-in battery against an in-process
# server and prints the report card. The card is a report about the
# consumer, not a test of dynafault: scenarios the consumer fails do not
# fail this script. It fails when the battery could not run a scenario
# (status error) or when the no-fault baseline fails (then dynafault, not
# the consumer, is the suspect).
#
# Environment:
#   CERTIFY_OUT       directory for report.json, report.xml and
#                     consumer.log (default: a temporary one, removed)
#   CERTIFY_DEADLINE  catch-up deadline per scenario (default 30s)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

say() { printf 'certify: %s\n' "$*"; }
die() {
	printf '\ncertify: ERROR: %s\n' "$*" >&2
	exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/dynafault-certify.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out="${CERTIFY_OUT:-$work}"
mkdir -p "$out"

command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
if [[ ! "$here/node_modules/.package-lock.json" -nt "$here/package-lock.json" ]]; then
	say "installing dynamodb-stream (npm ci)"
	if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
		tail -n 20 "$work/npm.log" >&2
		die "npm ci failed in $here (is the npm registry reachable?)"
	fi
fi
version="$(cd "$here" && node -p 'require("./node_modules/dynamodb-stream/package.json").version')"
sdk="$(cd "$here" && node -p 'require("./node_modules/@aws-sdk/client-dynamodb-streams/package.json").version')"

say "building ./cmd/dynafault"
(cd "$root" && go build -o "$work/dynafault" ./cmd/dynafault) || die "go build failed"

say "grading dynamodb-stream $version (with @aws-sdk/client-dynamodb-streams $sdk, node $(node --version))"
status=0
(cd "$here" && "$work/dynafault" certify --consumer-cmd 'node --no-warnings consumer.mjs' \
	--deadline "${CERTIFY_DEADLINE:-30s}" --json "$out/report.json" --junit "$out/report.xml" \
	--consumer-log "$out/consumer.log") || status=$?

# certify exits 1 when a scenario failed: expected for this consumer. What
# must hold: every scenario ran, and the baseline passed.
[[ -s "$out/report.json" ]] || die "no report card (dynafault certify exited with status $status)"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
const base = r.results.find((x) => x.name === "baseline")
const bad = []
if (r.errors > 0) bad.push(`${r.errors} scenarios could not run`)
if (!base || base.status !== "pass") bad.push("the no-fault baseline did not pass")
console.log(`certify: dynamodb-stream passed ${r.passed} of ${r.results.length} scenarios`)
if (bad.length) { console.error("certify: ERROR: " + bad.join("; ")); process.exit(1) }
' "$out/report.json"
