package dynafault

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/dynafault/dynafault/faults/client"
)

// Port is the container port dynafault serves on.
const Port = "8000/tcp"

// faultsPath is where WithFaultsFile puts the rules in the container.
const faultsPath = "/dynafault-faults.json"

// Container is a running dynafault container.
type Container struct {
	testcontainers.Container
	token string // the admin token, for Admin
}

// Run starts a container of the dynafault image img (built from the
// repository's Dockerfile) and waits until it answers on Port. Options
// add server flags (WithFlags), fault rules loaded at start
// (WithFaultsFile), an admin token (WithAdminToken), or any other
// testcontainers customization. On an error after the container was
// created it is returned too, for the caller to terminate.
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	req := testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:        img,
			ExposedPorts: []string{Port},
			WaitingFor: wait.ForHTTP("/").WithPort(Port).WithStartupTimeout(60 * time.Second).
				WithStatusCodeMatcher(func(status int) bool { return status == http.StatusOK }),
		},
		Started: true,
	}
	var token string
	for _, o := range opts {
		if err := o.Customize(&req); err != nil {
			return nil, fmt.Errorf("dynafault: %w", err)
		}
		if t, ok := o.(tokenOption); ok {
			token = string(t)
		}
	}
	ctr, err := testcontainers.GenericContainer(ctx, req)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, token: token}
	}
	if err != nil {
		return c, fmt.Errorf("dynafault: %w", err)
	}
	return c, nil
}

// WithFlags appends server flags (as "dynafault -h" lists them, e.g.
// "--seed=42", "--stream-shards=4") to the image's entrypoint. Flags win
// over the image's own "--addr=0.0.0.0:8000"; keep the port at 8000.
func WithFlags(flags ...string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithCmdArgs(flags...)
}

// WithFaultsFile copies the JSON file of fault rules at path (one rule or
// an array, as POST /_admin/faults takes) into the container and loads it
// at start (--faults). A bad rule stops the server, so Run fails.
func WithFaultsFile(path string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		req.Files = append(req.Files, testcontainers.ContainerFile{HostFilePath: path, ContainerFilePath: faultsPath, FileMode: 0o644})
		req.Cmd = append(req.Cmd, "--faults="+faultsPath)
		return nil
	}
}

// WithSeed sets the seed of the fault rules' random choices (--seed), so
// that a run can be replayed.
func WithSeed(seed uint64) testcontainers.CustomizeRequestOption {
	return WithFlags("--seed=" + strconv.FormatUint(seed, 10))
}

// tokenOption is WithAdminToken's option: Run remembers the token for
// Admin.
type tokenOption string

// Customize implements testcontainers.ContainerCustomizer.
func (t tokenOption) Customize(req *testcontainers.GenericContainerRequest) error {
	req.Cmd = append(req.Cmd, "--admin-token="+string(t))
	return nil
}

// WithAdminToken protects the admin API with a bearer token
// (--admin-token); Container.Admin uses it.
func WithAdminToken(token string) testcontainers.ContainerCustomizer { return tokenOption(token) }

// URL returns the server's URL on the host, e.g.
// "http://127.0.0.1:32768": the BaseEndpoint of DynamoDB and DynamoDB
// Streams clients; the admin API is under URL + "/_admin".
func (c *Container) URL(ctx context.Context) (string, error) {
	ep, err := c.PortEndpoint(ctx, Port, "http")
	if err != nil {
		return "", fmt.Errorf("dynafault: URL: %w", err)
	}
	return strings.Replace(ep, "://localhost:", "://127.0.0.1:", 1), nil
}

// Admin returns a client of the container's admin API (fault rules, the
// journal, the clock, shards, snapshots), with the token of
// WithAdminToken.
func (c *Container) Admin(ctx context.Context) (*client.Client, error) {
	ep, err := c.URL(ctx)
	if err != nil {
		return nil, err
	}
	return client.New(ep, client.WithToken(c.token)), nil
}
