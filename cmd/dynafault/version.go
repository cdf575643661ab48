package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3". When it is not set, the module
// version "go install ...@v1.2.3" recorded in the binary is used, else
// "dev".
var version = "" //nolint:gochecknoglobals // set by the linker only

// currentVersion returns the version to print.
func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// wantsVersion reports whether args ask for the version with -version or
// --version among the flags (so that "docker run IMAGE --version" works
// after the image's own flags).
func wantsVersion(args []string) bool {
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

// versionCmd runs "dynafault version".
func versionCmd(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs.Args()); err != nil {
		return err
	}
	return printVersion(stdout)
}

// printVersion writes "dynafault VERSION".
func printVersion(w io.Writer) error {
	_, err := fmt.Fprintln(w, "dynafault", currentVersion())
	return err
}
