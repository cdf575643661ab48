# dynafault container image: one static binary on an empty base (FROM
# scratch), run as a non-root user, serving DynamoDB, DynamoDB Streams and
# the admin API on 0.0.0.0:8000. (The binary's own default stays
# 127.0.0.1:8000; only the image binds every interface.)
#
#   docker build --build-arg VERSION=v1.2.3 -t dynafault .
#   docker run --rm -p 8000:8000 dynafault
#   docker run --rm dynafault --version
#
# Base images are fully qualified (docker.io/library/...), so podman and
# buildah build it without registry aliases. The HEALTHCHECK runs
# "/dynafault healthcheck" (the image has no shell and no curl); podman
# keeps it only in the docker image format: podman build --format docker.
#
# Arguments after the image name are appended to the entrypoint; later flags
# win, so "--addr=0.0.0.0:9000" moves the port.
#
# The "prebuilt" target packs a binary built beforehand instead of compiling
# in the golang image (no Go image pulled); the context must hold it as
# ./dynafault, built with CGO_ENABLED=0:
#
#   CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=v1.2.3" -o dynafault ./cmd/dynafault
#   docker build --target prebuilt --build-arg VERSION=v1.2.3 -t dynafault .
#
# Older podman/buildah releases may reuse a cached LABEL layer when only
# VERSION changed; add --no-cache there to refresh the version label.

ARG GO_VERSION=1.26
ARG VERSION=dev

# build: compiles the static binary for the target platform.
FROM --platform=$BUILDPLATFORM docker.io/library/golang:${GO_VERSION}-alpine AS build
ARG VERSION
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/dynafault ./cmd/dynafault

# runtime: the configuration every variant of the image shares.
FROM scratch AS runtime
ARG VERSION
LABEL org.opencontainers.image.title="dynafault" \
      org.opencontainers.image.description="Local in-memory DynamoDB and DynamoDB Streams server with deterministic fault injection" \
      org.opencontainers.image.source="https://github.com/dynafault/dynafault" \
      org.opencontainers.image.version="${VERSION}"
USER 65532:65532
EXPOSE 8000
# GET / on port 8000 must answer 200; with the port moved, set
# DYNAFAULT_ENDPOINT=http://127.0.0.1:PORT for the check.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["/dynafault", "healthcheck", "--timeout=2s"]
ENTRYPOINT ["/dynafault", "--addr=0.0.0.0:8000"]

# prebuilt: the image around a binary from the build context.
FROM runtime AS prebuilt
COPY dynafault /dynafault

# default: the image around the binary compiled in the build stage.
FROM runtime
COPY --from=build /out/dynafault /dynafault
