#!/usr/bin/env bash
# The testcontainers-go module (testcontainers/, a Go module of its own):
# vet, then its test against the image .ci/image.sh built (IMAGE_TAG,
# default localhost/dynafault:ci) through a Docker API: DOCKER_HOST when
# set, else a docker daemon that answers, else podman's API service
# (podman system service on a socket of its own, stopped afterwards).
# Where no engine can run the image the test is skipped, and the reason is
# printed (DYNAFAULT_TESTCONTAINERS_SKIP tells the test why). Called by
# .ci/run after .ci/image.sh; the first run downloads the module's
# dependencies from the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/../testcontainers"

image="${IMAGE_TAG:-localhost/dynafault:ci}"
work="$(mktemp -d)"
svc=""
cleanup() {
	if [[ -n "$svc" ]]; then kill "$svc" 2>/dev/null || true; wait "$svc" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'testcontainers: %s\n' "$*"; }

go vet ./...

engine="" why=""
if [[ -n "${DOCKER_HOST:-}" ]]; then
	engine=docker
elif command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then
	engine=docker
elif command -v podman >/dev/null && timeout 20 podman info >/dev/null 2>&1; then
	engine=podman
	podman system service --time=0 "unix://$work/podman.sock" >"$work/service.log" 2>&1 &
	svc=$!
	for _ in $(seq 50); do [[ -S "$work/podman.sock" ]] && break; sleep 0.2; done
	[[ -S "$work/podman.sock" ]] || why="podman system service did not start: $(tail -n 3 "$work/service.log" | tr '\n' ' ')"
	export DOCKER_HOST="unix://$work/podman.sock"
else
	why="no container engine here (neither docker nor podman answers; .ci/image.sh installs podman as root)"
fi
if [[ -z "$why" ]] && ! "$engine" image inspect "$image" >/dev/null 2>&1; then
	why="the image $image is not in $engine (.ci/image.sh builds it where the engine can build)"
fi
if [[ -z "$why" ]] && ! out="$(timeout 60 "$engine" run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$image" --version 2>&1)"; then
	why="$engine cannot run containers here: $(tr '\n' ' ' <<<"$out")"
fi
if [[ -n "$why" ]]; then
	export DYNAFAULT_TESTCONTAINERS_SKIP="$why"
	say "the test will skip: $why"
else
	export DYNAFAULT_IMAGE="$image"
	say "running the test with $image through ${DOCKER_HOST:-the docker daemon} ($engine)"
fi
status=0
go test -count=1 -v ./... >"$work/test.log" 2>&1 || status=$?
grep -E '^(=== RUN|--- |PASS|FAIL|ok|    )' "$work/test.log" || true
if [[ "$status" != 0 ]]; then
	tail -n 40 "$work/test.log"
	say "FAIL"
	exit 1
fi
if grep -q -- '--- SKIP' "$work/test.log"; then
	say "SKIP: $(grep -B1 -- '--- SKIP' "$work/test.log" | head -n 1 | sed 's/^ *//')"
else
	say "PASS: the test ran the image through the Docker API of $engine"
fi
