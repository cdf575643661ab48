package main

import (
	"fmt"
	"io"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3"; "dev" otherwise.
var version = "dev" //nolint:gochecknoglobals // set by the linker only

// wantsVersion reports whether args ask for the version: "version" as the
// command, or -version / --version among the flags (so that
// "docker run IMAGE --version" works after the image's own flags).
func wantsVersion(args []string) bool {
	if len(args) > 0 && args[0] == "version" {
		return true
	}
	for _, a := range args {
		switch a {
		case "-version", "--version":
			return true
		case "--":
			return false
		}
	}
	return false
}

// printVersion writes "dynafault VERSION".
func printVersion(w io.Writer) error {
	_, err := fmt.Fprintln(w, "dynafault", version)
	return err
}
