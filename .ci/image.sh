#!/usr/bin/env bash
# Container image check for dynafault, called from .ci/run.
#
# 1. Builds the static binary (CGO_ENABLED=0, -trimpath, -s -w, version
#    from git) and checks its build settings.
# 2. Finds a container engine that can build: docker (when its daemon
#    answers), else podman; as root on Debian it installs podman (and runc)
#    with apt-get unless DYNAFAULT_IMAGE_INSTALL=0.
# 3. Builds the Dockerfile's "prebuilt" target around that binary, then
#    checks the image at the deepest level the machine allows and says which:
#      run      the container starts, answers ListTables through -p and
#               its HEALTHCHECK (/dynafault healthcheck) reports it healthy
#      inspect  the engine cannot run containers: image config (non-root
#               user, port 8000, exec-form entrypoint with
#               --addr=0.0.0.0:8000, the healthcheck) and filesystem
#               (exactly /dynafault, the same bytes as the binary built
#               here), whose binary then runs on the host with the image's
#               entrypoint arguments and answers its own healthcheck
#      rootfs   no engine can build: the Dockerfile's runtime directives and
#               a rootfs tar assembled with tar, whose binary runs on the
#               host; printed as SKIP, not a failure
# podman builds in the docker format (--format docker): the OCI format has
# no HEALTHCHECK.
# Engine problems make the check shallower; a wrong image fails.
#
# Environment: IMAGE_TAG (default localhost/dynafault:ci, kept afterwards
# for go run ./cmd/dynafault/footprint -image), DYNAFAULT_IMAGE_INSTALL,
# DYNAFAULT_IMAGE_LEVEL=inspect|rootfs to stop at a shallower level (to try
# the fallbacks on a machine that could go deeper).
set -euo pipefail
cd "$(dirname "$0")/.."

tag="${IMAGE_TAG:-localhost/dynafault:ci}"
entrypoint='["/dynafault","--addr=0.0.0.0:8000"]'
healthcheck='["CMD","/dynafault","healthcheck","--timeout=2s"]'
work="$(mktemp -d)"
engine=""
cid=""
bgpid=""
cleanup() {
	if [[ -n "$cid" ]]; then "$engine" rm -f "$cid" >/dev/null 2>&1 || true; fi
	if [[ -n "$bgpid" ]]; then kill "$bgpid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf 'image: %s\n' "$*"; }
fail() {
	say "FAIL: $*"
	exit 1
}

# ---- the binary

version="$(git describe --tags --always --dirty 2>/dev/null || echo dev)"
mkdir -p "$work/ctx"
bin="$work/ctx/dynafault"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${version}" -o "$bin" ./cmd/dynafault
settings="$(go version -m "$bin")"
for want in 'CGO_ENABLED=0' '-trimpath=true'; do
	grep -qF -- "$want" <<<"$settings" || fail "binary built without $want"
done
[[ "$("$bin" --version)" == "dynafault ${version}" ]] || fail "--version printed $("$bin" --version)"
say "binary: static (CGO_ENABLED=0), $(wc -c <"$bin") bytes, version ${version}"

# ---- a DynamoDB call

# list_tables ADDR: POST ListTables with a well-formed (unverified) SigV4
# header; prints the body.
list_tables() {
	local addr="$1" body='{}'
	local auth='AWS4-HMAC-SHA256 Credential=ci/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00'
	if command -v curl >/dev/null; then
		curl -sS --max-time 5 -X POST "http://${addr}/" -d "$body" \
			-H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
			-H 'X-Amz-Date: 20250101T000000Z' -H "Authorization: $auth"
		return
	fi
	local host="${addr%:*}" port="${addr##*:}"
	exec 3<>"/dev/tcp/${host}/${port}" || return 1
	printf 'POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Amz-Date: 20250101T000000Z\r\nAuthorization: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		"$addr" "$auth" "${#body}" "$body" >&3
	sed -n '/^\r\{0,1\}$/,$p' <&3 | tail -n +2
	exec 3<&-
}

# answers ADDR: waits up to 10 s for ListTables at ADDR to succeed.
answers() {
	local out
	for _ in $(seq 50); do
		if out="$(list_tables "$1" 2>/dev/null)" && [[ "$out" == *'"TableNames"'* ]]; then
			say "ListTables at $1 answered $out"
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# run_on_host BIN ARGS...: runs the binary with ARGS plus a loopback port of
# its choosing (later flags win) and checks that it answers.
run_on_host() {
	local out="$work/host.out"
	: >"$out"
	"$@" --addr=127.0.0.1:0 --log-level=warn >"$out" 2>&1 &
	bgpid=$!
	local addr=""
	for _ in $(seq 50); do
		addr="$(sed -n 's|^listening on http://||p' "$out")"
		[[ -n "$addr" ]] && break
		sleep 0.2
	done
	[[ -n "$addr" ]] || fail "$1 did not start: $(cat "$out")"
	answers "$addr" || fail "$1 did not answer ListTables"
	local health
	health="$("$1" healthcheck --endpoint "http://$addr" 2>&1)" || fail "$1 healthcheck failed: $health"
	[[ "$health" == ok ]] || fail "$1 healthcheck printed '$health'"
	say "healthcheck of the binary on the host: $health"
	kill "$bgpid"
	wait "$bgpid" || fail "$1 did not shut down cleanly on SIGTERM"
	bgpid=""
}

# ---- the engine

usable() { timeout 20 "$1" info >/dev/null 2>&1; }
find_engine() {
	local e
	for e in docker podman; do
		if command -v "$e" >/dev/null && usable "$e"; then
			engine="$e"
			return
		fi
	done
	if [[ "${DYNAFAULT_IMAGE_INSTALL:-1}" != 0 && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
		say "no usable container engine; installing podman with apt-get"
		if timeout 150 bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc' \
			>"$work/apt.log" 2>&1 && usable podman; then
			engine=podman
			return
		fi
		say "podman install failed: $(tail -n 3 "$work/apt.log" | tr '\n' ' ')"
	fi
}

# can_build: a trivial FROM scratch build succeeds (else the engine, not the
# Dockerfile, is the problem).
can_build() {
	mkdir -p "$work/probe"
	printf 'x\n' >"$work/probe/x"
	printf 'FROM scratch\nCOPY x /x\n' >"$work/probe/Dockerfile"
	timeout 120 "$engine" build -q -t localhost/dynafault-probe:ci "$work/probe" >"$work/probe.log" 2>&1 || return 1
	"$engine" rmi localhost/dynafault-probe:ci >/dev/null 2>&1 || true
}

# ---- the checks

# check_config: user non-root, port 8000, exec-form entrypoint, healthcheck,
# version label.
check_config() {
	local user ep ports ver hc
	user="$("$engine" image inspect --format '{{.Config.User}}' "$tag")"
	ep="$("$engine" image inspect --format '{{json .Config.Entrypoint}}' "$tag")"
	ports="$("$engine" image inspect --format '{{json .Config.ExposedPorts}}' "$tag")"
	ver="$("$engine" image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$tag")"
	hc="$("$engine" image inspect --format '{{json .Config.Healthcheck.Test}}' "$tag" 2>/dev/null || true)"
	[[ -n "$user" && "${user%%:*}" != 0 && "${user%%:*}" != root ]] || fail "image user is '${user}', want non-root"
	[[ "$ports" == *'"8000/tcp"'* ]] || fail "image exposes $ports, want 8000/tcp"
	[[ "$ep" == "$entrypoint" ]] || fail "image entrypoint is $ep, want $entrypoint"
	[[ "$ver" == "$version" ]] || fail "image version label is '$ver', want '$version'"
	[[ "$(tr -d ' ' <<<"$hc")" == "$healthcheck" ]] || fail "image healthcheck is '$hc', want $healthcheck"
	say "config: user $user, exposes $ports, entrypoint $ep, healthcheck $hc, version $ver"
}

# check_filesystem: exactly /dynafault, the binary built above.
check_filesystem() {
	local c files
	c="$("$engine" create "$tag")"
	"$engine" export "$c" >"$work/fs.tar"
	"$engine" rm "$c" >/dev/null 2>&1
	files="$(tar -tf "$work/fs.tar" | grep -v '/$' | grep -vxE '(\./)?(etc/(hostname|hosts|resolv\.conf)|\.dockerenv|run/.*|dev/.*|proc/.*|sys/.*)' || true)"
	[[ "$files" =~ ^(\./)?dynafault$ ]] || fail "image files are: $files; want only dynafault"
	mkdir -p "$work/fs"
	tar -xf "$work/fs.tar" -C "$work/fs" "$files"
	cmp -s "$work/fs/dynafault" "$bin" || fail "/dynafault in the image differs from the binary built here"
	say "filesystem: only /dynafault, identical to the static binary"
}

# run_container: starts the image with -p and asks it for ListTables. It
# returns 1 (and says why) when the engine cannot run containers. Sandboxes
# without CAP_SYS_RESOURCE need lower rlimits; crun refuses hybrid cgroups
# where runc copes.
run_container() {
	local limits="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
	local variants=("|" "|$limits")
	if [[ "$engine" == podman ]] && command -v runc >/dev/null; then
		variants+=("--runtime runc|$limits")
	fi
	local variant global flags err="" addr v name i=0
	for variant in "${variants[@]}"; do
		read -ra global <<<"${variant%%|*}"
		read -ra flags <<<"${variant#*|}"
		i=$((i + 1))
		name="dynafault-image-check-$$-$i"
		if ! cid="$(timeout 60 "$engine" "${global[@]}" run -d --name "$name" -p 127.0.0.1::8000 "${flags[@]}" "$tag" 2>"$work/run.err")"; then
			cid=""
			err="$(tr '\n' ' ' <"$work/run.err")"
			# A container that was created but could not start stays behind.
			"$engine" "${global[@]}" rm -f "$name" >/dev/null 2>&1 || true
			continue
		fi
		addr="$("$engine" port "$cid" 8000/tcp | head -n 1)"
		answers "${addr/0.0.0.0/127.0.0.1}" ||
			fail "the container did not answer ListTables: $("$engine" logs "$cid" 2>&1 | tail -n 5)"
		check_health "${global[@]}"
		v="$(timeout 60 "$engine" "${global[@]}" run --rm "${flags[@]}" "$tag" --version 2>"$work/version.err")" ||
			fail "container --version: $(cat "$work/version.err")"
		[[ "$v" == "dynafault ${version}" ]] || fail "container --version printed '$v'"
		say "container: ran with ${engine} ${variant/|/ }; --version: $v"
		return 0
	done
	say "the engine cannot run containers here: $err"
	return 1
}

# check_health GLOBAL...: the running container's HEALTHCHECK reports it
# healthy: podman runs the check on demand; docker's status is polled.
check_health() {
	local status=""
	if [[ "$engine" == podman ]]; then
		timeout 30 "$engine" "$@" healthcheck run "$cid" >"$work/health.out" 2>&1 ||
			fail "podman healthcheck run: $(cat "$work/health.out")"
		status=healthy
	else
		for _ in $(seq 60); do
			status="$("$engine" inspect --format '{{.State.Health.Status}}' "$cid")"
			[[ "$status" == healthy ]] && break
			sleep 0.5
		done
	fi
	[[ "$status" == healthy ]] || fail "container health is '$status', want healthy"
	say "container: HEALTHCHECK (/dynafault healthcheck) reports it healthy"
}

# check_dockerfile: the runtime directives, read without an engine.
check_dockerfile() {
	local runtime
	runtime="$(sed -n '/^FROM scratch AS runtime/,/^FROM /p' Dockerfile)"
	grep -qxE 'USER [1-9][0-9]*(:[0-9]+)?' <<<"$runtime" || fail "Dockerfile runtime stage has no non-root numeric USER"
	grep -qx 'EXPOSE 8000' <<<"$runtime" || fail "Dockerfile runtime stage does not EXPOSE 8000"
	local ep
	ep="$(sed -n 's/^ENTRYPOINT //p' <<<"$runtime" | tr -d ' ')"
	[[ "$ep" == "$entrypoint" ]] || fail "Dockerfile ENTRYPOINT is $ep, want $entrypoint"
	grep -qx 'COPY dynafault /dynafault' Dockerfile || fail "Dockerfile prebuilt stage does not copy ./dynafault"
	local hc
	hc="$(sed -n 's/^HEALTHCHECK .* CMD //p' <<<"$runtime" | tr -d ' ')"
	[[ "$hc" == '["/dynafault","healthcheck","--timeout=2s"]' ]] || fail "Dockerfile HEALTHCHECK runs $hc"
	if grep -E '^FROM ' Dockerfile | grep -vE '^FROM (--platform=\S+ )?(scratch|runtime|docker\.io/[a-z0-9._/-]+:\S+)( AS \w+)?$'; then
		fail "Dockerfile base images must be fully qualified (docker.io/library/...)"
	fi
	say "Dockerfile: runtime stage FROM scratch, non-root USER, EXPOSE 8000, HEALTHCHECK CMD $hc, ENTRYPOINT $ep; base images fully qualified"
}

size_line() {
	local size
	size="$("$engine" image inspect --format '{{.Size}}' "$tag")"
	say "size: ${size} bytes ($((size / 1024 / 1024)) MiB) for $tag"
}

level="${DYNAFAULT_IMAGE_LEVEL:-run}"
[[ "$level" =~ ^(run|inspect|rootfs)$ ]] || fail "DYNAFAULT_IMAGE_LEVEL=$level (run|inspect|rootfs)"
check_dockerfile
[[ "$level" == rootfs ]] || find_engine
if [[ -z "$engine" ]]; then
	mkdir -p "$work/rootfs"
	cp "$bin" "$work/rootfs/dynafault"
	tar --numeric-owner --owner=0 --group=0 -cf "$work/rootfs.tar" -C "$work/rootfs" dynafault
	say "rootfs tar (no engine): $(tar -tvf "$work/rootfs.tar")"
	run_on_host "$work/rootfs/dynafault" --addr=0.0.0.0:8000
	[[ "$level" == rootfs ]] && why="DYNAFAULT_IMAGE_LEVEL=rootfs" || why="no container engine can build here"
	say "SKIP image build: $why; checked the Dockerfile and a rootfs built with tar (level: rootfs)"
	exit 0
fi
if ! can_build; then
	run_on_host "$bin" --addr=0.0.0.0:8000
	say "SKIP image build: ${engine} cannot build here: $(tail -n 3 "$work/probe.log" | tr '\n' ' ') (level: rootfs)"
	exit 0
fi
# --no-cache: some buildah versions reuse a LABEL layer whose ARG changed.
format=()
[[ "$engine" == podman ]] && format=(--format docker)
timeout 180 "$engine" build -q --no-cache "${format[@]}" --target prebuilt --build-arg "VERSION=${version}" \
	--build-arg TARGETOS="$(go env GOOS)" --build-arg TARGETARCH="$(go env GOARCH)" \
	-t "$tag" -f Dockerfile "$work/ctx" >"$work/build.log" 2>&1 ||
	fail "${engine} build of the Dockerfile failed: $(tail -n 5 "$work/build.log")"
check_config
check_filesystem
size_line
go run ./cmd/dynafault/footprint -items 0 -bin "$bin" -image "$tag" -engine "$engine" | sed 's/^/image: footprint: /'
why="DYNAFAULT_IMAGE_LEVEL=$level"
if [[ "$level" == run ]]; then
	if run_container; then
		say "PASS (level: run): built with ${engine}, container answered ListTables and its health check"
		exit 0
	fi
	why="${engine} cannot run containers here"
fi
run_on_host "$work/fs/dynafault" --addr=0.0.0.0:8000
say "PASS (level: inspect): built with ${engine}; image config and filesystem checked and its binary answered on the host; no container run ($why)"
