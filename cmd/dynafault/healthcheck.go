package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthcheckCmd runs "dynafault healthcheck": GET / of the server (the
// health answer DynamoDB gives, on the port SDKs use, whatever the admin
// API's address or token) must answer 200 within --timeout. It prints
// "ok" and returns nil, else an error (exit status 1), which is what a
// container HEALTHCHECK needs from an image without a shell or curl.
//
// The endpoint is --endpoint, else DYNAFAULT_ENDPOINT, else
// http://127.0.0.1:8000.
func healthcheckCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("healthcheck", stderr)
	endpoint := fs.String("endpoint", envOr(getenv, "DYNAFAULT_ENDPOINT", defaultEndpoint), "URL of the server (env DYNAFAULT_ENDPOINT)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs.Args()); err != nil {
		return err
	}
	base, err := checkEndpoint(sourceOf(fs, "endpoint", "DYNAFAULT_ENDPOINT", getenv), *endpoint)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s/: HTTP %d: %s", base, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	_, err = fmt.Fprintln(stdout, "ok")
	return err
}
