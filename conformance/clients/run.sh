#!/usr/bin/env bash
# run.sh — real clients against the built dynafault binary:
#   cli            the AWS CLI (Debian awscli)
#   boto3          boto3 from Debian (python3-boto3, older: no ShardFilter)
#   boto3-pypi     current boto3 and botocore from PyPI (boto3-pypi/requirements.txt,
#                  in boto3-pypi/.venv): the boto3 checks plus every Streams call
#   js             the AWS SDK for JavaScript v3 (npm, js/package-lock.json)
#   java           the AWS SDK for Java v2 (Maven, java/pom.xml, SDK BOM)
#   kcl            the KCL with the DynamoDB Streams Kinesis Adapter (Maven,
#                  kcl/pom.xml): a worker end to end, then under faults
#   lambda-python  a Powertools for AWS Lambda (Python) batch handler under
#                  awslambdaric and the Runtime Interface Emulator, invoked
#                  directly, then by an event source mapping the AWS CLI creates
#   lambda-node    a Powertools for AWS Lambda (TypeScript) batch handler under
#                  aws-lambda-ric (native build) and the Runtime Interface
#                  Emulator, the same way
#
# Usage: conformance/clients/run.sh [CLIENT...]     (default: all of them)
#
# It installs what is missing (apt-get for awscli (cli and the Lambda
# handlers), python3-boto3, jq, curl,
# maven, the JDK and aws-lambda-ric's build tools; pip into each suite's
# virtual environment; npm ci; Maven into ~/.m2; the Runtime Interface
# Emulator with go install into a temporary GOBIN), builds ./cmd/dynafault,
# starts it on a free loopback port, waits for GET /_admin/health, runs each
# client suite, prints one PASS or FAIL line per client with its version and
# a final "N passed, N failed" line, and always stops the server. A missing
# toolchain or an install that fails is fatal: nothing is skipped.
# Exit status 1 when a client failed or could not be installed.
#
# A check that needs a server feature not built yet (e.g. POST /_admin/faults
# answering 404) is reported as "pending", never as passed.
#
# Environment:
#   DYNAFAULT_ENDPOINT  test this endpoint instead of building and starting
#                       the binary
#   CLIENT_TIMEOUT      time limit per client suite (default 90s; the Maven
#                       suites and the Lambda handlers get at least 600s, 300s)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
client_timeout="${CLIENT_TIMEOUT:-90s}"
clients=("$@")
all_clients=(cli boto3 boto3-pypi js java kcl lambda-python lambda-node)
[[ ${#clients[@]} -gt 0 ]] || clients=("${all_clients[@]}")
# The RIE's version is a pseudo-version of its Go module (it has no tags).
rie_module="github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d"

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

# make_venv DIR REQUIREMENTS: a virtual environment at DIR/.venv with exactly
# the pinned requirements (--no-deps, then pip check: the pins are complete).
# Made again when the requirements file is newer than the environment.
make_venv() {
	local dir="$1" req="$2" venv="$1/.venv"
	if [[ -x "$venv/bin/python" && "$venv/.installed" -nt "$req" ]]; then
		return 0
	fi
	say "making $venv (pip install -r ${req#"$here"/})"
	rm -rf "$venv"
	local log="$work/venv.log"
	if ! python3 -m venv "$venv" >"$log" 2>&1 ||
		! "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$req" >>"$log" 2>&1 ||
		! "$venv/bin/pip" check >>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "could not make $venv from $req (is PyPI reachable?)"
	fi
	touch "$venv/.installed"
}

# maven_fetch DIR: downloads a Maven project's dependencies and compiles it.
maven_fetch() {
	say "fetching and compiling ${1#"$here"/} (mvn test-compile)"
	if ! (cd "$1" && mvn -B -q -DskipTests test-compile >"$work/mvn.log" 2>&1); then
		tail -n 30 "$work/mvn.log" >&2
		die "mvn test-compile failed in $1 (is Maven Central reachable?)"
	fi
}

install_deps() {
	local pkgs=()
	command -v jq >/dev/null || pkgs+=(jq)
	command -v curl >/dev/null || pkgs+=(curl)
	[[ -x /usr/bin/python3 ]] || pkgs+=(python3)
	if { want_client cli || want_client lambda-python || want_client lambda-node; } && [[ ! -x /usr/bin/aws ]]; then
		pkgs+=(awscli)
	fi
	if want_client boto3 && ! /usr/bin/python3 -c 'import boto3' 2>/dev/null; then pkgs+=(python3-boto3); fi
	if want_client boto3-pypi || want_client lambda-python || want_client lambda-node; then
		command -v python3 >/dev/null || pkgs+=(python3)
		python3 -c 'import venv, ensurepip' 2>/dev/null || pkgs+=(python3-venv)
	fi
	if want_client java || want_client kcl; then
		command -v javac >/dev/null || pkgs+=(default-jdk-headless)
		command -v mvn >/dev/null || pkgs+=(maven)
	fi
	if want_client lambda-node; then
		# aws-lambda-ric builds libcurl and aws-lambda-cpp from source when installed.
		local tool
		for tool in autoconf automake libtoolize cmake make g++; do
			command -v "$tool" >/dev/null || pkgs+=("$tool")
		done
		pkgs=("${pkgs[@]/libtoolize/libtool}")
	fi
	[[ ${#pkgs[@]} -eq 0 ]] || apt_install "${pkgs[@]}"

	if want_client js; then
		command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for the js client"
		npm_ci "$here/js" "the AWS SDK for JavaScript v3"
	fi
	if want_client boto3-pypi; then
		make_venv "$here/boto3-pypi" "$here/boto3-pypi/requirements.txt"
	fi
	if want_client java; then maven_fetch "$here/java"; fi
	if want_client kcl; then maven_fetch "$here/kcl"; fi
	if want_client lambda-python || want_client lambda-node; then
		make_venv "$here/lambda" "$here/lambda/requirements.txt"
		command -v go >/dev/null || die "go is needed to build the Runtime Interface Emulator"
		say "building the Runtime Interface Emulator (go install)"
		if ! GOBIN="$work/bin" GOFLAGS=-mod=mod go install "$rie_module" >"$work/rie.log" 2>&1; then
			tail -n 20 "$work/rie.log" >&2
			die "go install $rie_module failed (is the Go module proxy reachable?)"
		fi
		export RIE="$work/bin/aws-lambda-rie"
	fi
	if want_client lambda-node; then
		command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for the lambda-node client"
		npm_ci "$here/lambda/node" "Powertools for AWS Lambda (TypeScript) and aws-lambda-ric (builds native code)"
		[[ -f "$here/lambda/node/node_modules/aws-lambda-ric/dist/rapid-client.node" ]] ||
			die "aws-lambda-ric installed without its native module (dist/rapid-client.node): its install scripts did not run"
	fi
}

# npm_ci DIR WHAT: npm ci when node_modules is missing or older than the lock.
npm_ci() {
	if [[ ! "$1/node_modules/.package-lock.json" -nt "$1/package-lock.json" ]]; then
		say "installing $2 (npm ci)"
		if ! (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
			tail -n 20 "$work/npm.log" >&2
			die "npm ci failed in $1 (is the npm registry reachable?)"
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

# Each suite runs in its client's folder (dir_of) under a time limit.
limit() { # limit MIN: CLIENT_TIMEOUT, but at least MIN
	local t="${client_timeout%s}"
	[[ "$t" =~ ^[0-9]+$ && "$t" -ge "$1" ]] && echo "${t}s" || echo "$1s"
}
dir_of() {
	case "$1" in
	lambda-*) echo lambda ;;
	*) echo "$1" ;;
	esac
}

suite_cli() { timeout "$client_timeout" env AWS_CLI=/usr/bin/aws bash test_dynafault.sh; }
version_cli() { /usr/bin/aws --version 2>&1 | cut -d' ' -f1; }

suite_boto3() { timeout "$client_timeout" /usr/bin/python3 test_dynafault.py; }
version_boto3() { /usr/bin/python3 -c 'import boto3; print("boto3/" + boto3.__version__ + " (Debian)")'; }

suite_boto3-pypi() {
	timeout "$client_timeout" env CLIENTS_SUITE=boto3-pypi .venv/bin/python ../boto3/test_dynafault.py &&
		timeout "$client_timeout" .venv/bin/python test_streams.py
}
version_boto3-pypi() {
	.venv/bin/python -c 'import boto3, botocore; print("boto3/%s botocore/%s (PyPI)" % (boto3.__version__, botocore.__version__))'
}

suite_js() { timeout "$client_timeout" node --test --test-reporter=spec dynafault.test.mjs; }
version_js() {
	node -p '"client-dynamodb/" + require("./node_modules/@aws-sdk/client-dynamodb/package.json").version +
		" client-dynamodb-streams/" + require("./node_modules/@aws-sdk/client-dynamodb-streams/package.json").version' \
		2>/dev/null || echo unknown
}

# pom_value NAME: the text of the first <NAME> element of pom.xml.
pom_value() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" pom.xml | head -n1; }

suite_java() { timeout "$(limit 300)" mvn -B -q test; }
version_java() { echo "aws-sdk-java-v2/$(pom_value awssdk.version) (BOM)"; }

suite_kcl() { timeout "$(limit 600)" mvn -B -q test; }
version_kcl() {
	echo "dynamodb-streams-kinesis-adapter/$(grep -A1 '<artifactId>dynamodb-streams-kinesis-adapter' pom.xml | pom_inner) amazon-kinesis-client/$(grep -A1 '<artifactId>amazon-kinesis-client' pom.xml | pom_inner)"
}
pom_inner() { sed -n 's|.*<version>\(.*\)</version>.*|\1|p' | head -n1; }
# The KCL run's figures, printed under its PASS or FAIL line.
details_kcl() { [[ -f target/kcl-figures.txt ]] && sed 's/^/     /' target/kcl-figures.txt || true; }

suite_lambda-python() { timeout "$(limit 300)" env AWS_CLI=/usr/bin/aws .venv/bin/python drive.py python; }
version_lambda-python() {
	.venv/bin/python -c 'from importlib.metadata import version as v; print("aws-lambda-powertools/%s awslambdaric/%s" % (v("aws-lambda-powertools"), v("awslambdaric")))'
}

suite_lambda-node() { timeout "$(limit 300)" env AWS_CLI=/usr/bin/aws .venv/bin/python drive.py node; }
version_lambda-node() {
	node -p '"@aws-lambda-powertools/batch/" + require("./node/node_modules/@aws-lambda-powertools/batch/package.json").version +
		" aws-lambda-ric/" + require("./node/node_modules/aws-lambda-ric/package.json").version' 2>/dev/null || echo unknown
}

run_suites() {
	local passed=0 failed=0 c log start secs version result
	export DYNAFAULT_ENDPOINT="$endpoint" CLIENTS_PENDING_FILE="$work/pending"
	: >"$CLIENTS_PENDING_FILE"
	for c in "${clients[@]}"; do
		log="$work/$c.log"
		start=$SECONDS
		if (cd "$here/$(dir_of "$c")" && "suite_$c") >"$log" 2>&1; then
			result=PASS
			passed=$((passed + 1))
		else
			result=FAIL
			failed=$((failed + 1))
		fi
		secs=$((SECONDS - start))
		version="$(cd "$here/$(dir_of "$c")" && "version_$c")"
		if [[ $result == FAIL ]]; then
			printf '\n--- %s output\n' "$c"
			cat "$log"
			printf -- '---\n'
		fi
		printf '%-4s %-13s %s (%ss)\n' "$result" "$c" "$version" "$secs"
		if declare -F "details_$c" >/dev/null; then (cd "$here/$(dir_of "$c")" && "details_$c"); fi
		grep "^$c: " "$CLIENTS_PENDING_FILE" | sed 's/^[^:]*: /     pending: /' || true
	done
	local npending
	npending=$(wc -l <"$CLIENTS_PENDING_FILE")
	printf '%d passed, %d failed' "$passed" "$failed"
	[[ $npending -eq 0 ]] || printf ' (%d checks pending: the server lacks a feature they need)' "$npending"
	printf '\n'
	if [[ -z "${DYNAFAULT_ENDPOINT:-}" && $npending -gt 0 ]]; then
		# Pending is for another endpoint (DynamoDB Local has no admin
		# API); the dynafault this suite started has every feature.
		say "checks pending against the dynafault this suite started: a feature they need is missing"
		return 1
	fi
	[[ $failed -eq 0 ]]
}

for c in "${clients[@]}"; do
	case "$c" in
	cli | boto3 | boto3-pypi | js | java | kcl | lambda-python | lambda-node) ;;
	*) die "unknown client $c (${all_clients[*]})" ;;
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
