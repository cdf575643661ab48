// Package dynafault starts a dynafault container for a test with
// testcontainers-go: a local DynamoDB and DynamoDB Streams server with
// deterministic fault injection, in the container image built from the
// repository's Dockerfile.
//
//	ctr, err := dynafault.Run(ctx, "localhost/dynafault:latest",
//		dynafault.WithFaultsFile("testdata/rules.json"),
//		dynafault.WithAdminToken("s3cret"),
//		dynafault.WithFlags("--seed=42", "--log-level=debug"))
//	defer testcontainers.TerminateContainer(ctr)
//	url, err := ctr.URL(ctx)           // http://127.0.0.1:PORT: the SDKs' BaseEndpoint
//	admin, err := ctr.Admin(ctx)       // faults/client: rules, journal, clock, shards
//
// The package is a module of its own, so that the dynafault module does
// not depend on testcontainers-go. It works with any engine speaking the
// Docker API: Docker, or Podman's API service (DOCKER_HOST=unix://...).
package dynafault
