#!/usr/bin/env bash
# Release binaries of dynafault: static (CGO_ENABLED=0), -trimpath, stripped
# (-s -w), the version stamped as the Dockerfile does (-X main.version), for
# linux, darwin and windows on amd64 and arm64, with a SHA256SUMS file.
#
#   .ci/release.sh [VERSION]     # default: git describe --tags --always --dirty
#
# Writes DIST (default dist/): dynafault_VERSION_OS_ARCH[.exe] and
# SHA256SUMS (verify with: cd dist && sha256sum -c SHA256SUMS). Each binary
# is checked with go version -m (platform, CGO_ENABLED=0, -trimpath); the
# one for this machine must print "dynafault VERSION". Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}}"
[[ "$version" =~ ^[A-Za-z0-9._+-]+$ ]] || { echo "release: bad version '$version'" >&2; exit 1; }
dist="${DIST:-dist}"
targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)

rm -rf "$dist"
mkdir -p "$dist"
host="$(go env GOOS)/$(go env GOARCH)"
for t in "${targets[@]}"; do
	os="${t%/*}" arch="${t#*/}" ext=""
	[[ "$os" == windows ]] && ext=".exe"
	name="dynafault_${version}_${os}_${arch}${ext}"
	CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" \
		go build -trimpath -ldflags "-s -w -X main.version=${version}" -o "$dist/$name" ./cmd/dynafault
	info="$(go version -m "$dist/$name")"
	for want in "GOOS=$os" "GOARCH=$arch" "CGO_ENABLED=0" "-trimpath=true"; do
		grep -qF -- "$want" <<<"$info" || { echo "release: $name built without $want" >&2; exit 1; }
	done
	if [[ "$t" == "$host" ]]; then
		got="$("$dist/$name" --version)"
		[[ "$got" == "dynafault ${version}" ]] || { echo "release: $name --version printed '$got'" >&2; exit 1; }
	fi
	printf 'release: %-40s %9d bytes\n' "$name" "$(wc -c <"$dist/$name")"
done
(cd "$dist" && sha256sum dynafault_* >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "release: ${#targets[@]} binaries and SHA256SUMS in $dist/ (version $version)"
