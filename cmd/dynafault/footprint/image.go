package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// imageSize asks the container engine (docker or podman; "" tries both)
// for the size of image ref.
func imageSize(ctx context.Context, engine, ref string) (int64, string, error) {
	engines := []string{"docker", "podman"}
	if engine != "" {
		engines = []string{engine}
	}
	var errs []error
	for _, e := range engines {
		if _, err := exec.LookPath(e); err != nil {
			errs = append(errs, err)
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		out, err := exec.CommandContext(ctx, e, "image", "inspect", "--format", "{{.Size}}", ref).Output()
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s image inspect %s: %w", e, ref, err))
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
		if err != nil {
			return 0, ref, fmt.Errorf("%s reported size %q", e, out)
		}
		return n, e + " " + ref, nil
	}
	return 0, ref, errors.Join(errs...)
}
