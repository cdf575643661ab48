package main

import (
	"bytes"
	"context"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{
		{"--version"}, {"-version"}, {"version"},
		{"--addr=0.0.0.0:8000", "--version"}, {"serve", "--region", "eu-west-1", "--version"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, func(string) string { return "" }, &out, &out); err != nil {
			t.Errorf("%q: %v", args, err)
		}
		if got := out.String(); got != "dynafault dev\n" {
			t.Errorf("%q printed %q", args, got)
		}
	}
}

func TestWantsVersion(t *testing.T) {
	for _, args := range [][]string{nil, {"serve"}, {"--addr", ":0"}, {"--", "--version"}} {
		if wantsVersion(args) {
			t.Errorf("wantsVersion(%q) = true", args)
		}
	}
}
