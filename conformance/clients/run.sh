#!/usr/bin/env bash
# run.sh — real clients against the built dynafault binary: the AWS CLI
# (Debian awscli), boto3 (Debian python3-boto3) and the AWS SDK for
# JavaScript v3 (npm, pinned by js/package-lock.json).
#
# Usage: conformance/clients/run.sh [cli] [boto3] [js]     (default: all three)
#
# It installs what is missing (apt-get for awscli, python3-boto3, jq, curl;
# npm ci in js/), builds ./cmd/dynafault, starts it on a free loopback port,
# waits for GET /_admin/health, runs each client suite, prints one line per
# client and a final "N passed, N failed" line, and always stops the server.
# Exit status 1 when a client failed or could not be installed.
#
# A check that needs a server feature not built yet (e.g. POST /_admin/faults
# answering 404) is reported as "pending", never as passed.
#
# Environment:
#   DYNAFAULT_ENDPOINT  test this endpoint instead of building and starting
#                       the binary
#   CLIENT_TIMEOUT      time limit per client suite (default 90s)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
client_timeout="${CLIENT_TIMEOUT:-90s}"
clients=("$@")
[[ ${#clients[@]} -gt 0 ]] || clients=(cli boto3 js)

say() { printf 'clients: %s\n' "$*"; }
die() {
	printf '\nclients: ERROR: %s\n' "$*" >&2
	exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/dynafault-clients.XXXXXX")"
server_pid=""
cleanup() {
	if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- dependencies ---------------------------------------------------------

want_client() {
	local c
	for c in "${clients[@]}"; do [[ "$c" == "$1" ]] && return 0; done
	return 1
}

# apt_install installs Debian packages; an unreachable archive is fatal.
apt_install() {
	local sudo=()
	if [[ $EUID -ne 0 ]]; then
		command -v sudo >/dev/null || die "need root (or sudo) to apt-get install $*"
		sudo=(sudo -n)
	fi
	command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
	say "installing $* (apt-get)"
	local log="$work/apt.log"
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
		! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			-o DPkg::Lock::Timeout=180 --no-install-recommends "$@" >>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "apt-get could not install $* (is the Debian archive reachable?)"
	fi
}

install_deps() {
	local pkgs=()
	command -v jq >/dev/null || pkgs+=(jq)
	command -v curl >/dev/null || pkgs+=(curl)
	[[ -x /usr/bin/python3 ]] || pkgs+=(python3)
	if want_client cli && [[ ! -x /usr/bin/aws ]]; then pkgs+=(awscli); fi
	if want_client boto3 && ! /usr/bin/python3 -c 'import boto3' 2>/dev/null; then pkgs+=(python3-boto3); fi
	[[ ${#pkgs[@]} -eq 0 ]] || apt_install "${pkgs[@]}"

	if want_client js; then
		command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for the js client"
		local js="$here/js"
		# npm ci only when node_modules is missing or older than the lock.
		if [[ ! "$js/node_modules/.package-lock.json" -nt "$js/package-lock.json" ]]; then
			say "installing the AWS SDK for JavaScript v3 (npm ci)"
			if ! (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
				tail -n 20 "$work/npm.log" >&2
				die "npm ci failed in $js (is the npm registry reachable?)"
			fi
		fi
	fi
}

# ---- server ---------------------------------------------------------------

start_server() {
	say "building ./cmd/dynafault"
	(cd "$root" && go build -o "$work/dynafault" ./cmd/dynafault) || die "go build failed"
	"$work/dynafault" --addr 127.0.0.1:0 --log-level warn >"$work/server.out" 2>"$work/server.err" &
	server_pid=$!
	local line=""
	for _ in $(seq 100); do
		line="$(grep -m1 '^listening on http://' "$work/server.out" || true)"
		[[ -n "$line" ]] && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [[ -z "$line" ]]; then
		cat "$work/server.err" >&2
		die "dynafault did not print its address"
	fi
	endpoint="${line#listening on }"
}

wait_healthy() {
	for _ in $(seq 100); do
		if curl -fsS --max-time 2 "$endpoint/_admin/health" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	die "GET $endpoint/_admin/health never answered"
}

# ---- suites ---------------------------------------------------------------

# Each suite runs in its client's folder under the per-client time limit.
suite_cli() { timeout "$client_timeout" env AWS_CLI=/usr/bin/aws bash test_dynafault.sh; }
version_cli() { /usr/bin/aws --version 2>&1 | cut -d' ' -f1; }

suite_boto3() { timeout "$client_timeout" /usr/bin/python3 test_dynafault.py; }
version_boto3() { /usr/bin/python3 -c 'import boto3; print("boto3/" + boto3.__version__)'; }

suite_js() { timeout "$client_timeout" node --test --test-reporter=spec dynafault.test.mjs; }
version_js() {
	node -p '"client-dynamodb/" + require("./node_modules/@aws-sdk/client-dynamodb/package.json").version +
		" client-dynamodb-streams/" + require("./node_modules/@aws-sdk/client-dynamodb-streams/package.json").version' \
		2>/dev/null || echo unknown
}

run_suites() {
	local passed=0 failed=0 c log start secs version result
	export DYNAFAULT_ENDPOINT="$endpoint" CLIENTS_PENDING_FILE="$work/pending"
	: >"$CLIENTS_PENDING_FILE"
	for c in "${clients[@]}"; do
		log="$work/$c.log"
		start=$SECONDS
		if (cd "$here/$c" && "suite_$c") >"$log" 2>&1; then
			result=PASS
			passed=$((passed + 1))
		else
			result=FAIL
			failed=$((failed + 1))
		fi
		secs=$((SECONDS - start))
		version="$(cd "$here/$c" && "version_$c")"
		if [[ $result == FAIL ]]; then
			printf '\n--- %s output\n' "$c"
			cat "$log"
			printf -- '---\n'
		fi
		printf '%-4s %-6s %s (%ss)\n' "$result" "$c" "$version" "$secs"
		grep "^$c: " "$CLIENTS_PENDING_FILE" | sed 's/^[^:]*: /     pending: /' || true
	done
	local npending
	npending=$(wc -l <"$CLIENTS_PENDING_FILE")
	printf '%d passed, %d failed' "$passed" "$failed"
	[[ $npending -eq 0 ]] || printf ' (%d checks pending: the server lacks a feature they need)' "$npending"
	printf '\n'
	[[ $failed -eq 0 ]]
}

for c in "${clients[@]}"; do
	case "$c" in
	cli | boto3 | js) ;;
	*) die "unknown client $c (cli, boto3, js)" ;;
	esac
done
install_deps
if [[ -n "${DYNAFAULT_ENDPOINT:-}" ]]; then
	endpoint="$DYNAFAULT_ENDPOINT"
else
	start_server
	wait_healthy
fi
say "endpoint $endpoint"
if ! run_suites; then
	if [[ -s "$work/server.err" ]]; then
		printf '\n--- dynafault stderr (last 40 lines)\n' >&2
		tail -n 40 "$work/server.err" >&2
	fi
	exit 1
fi
