package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil {
			t.Fatalf("dynafault %s: %v", strings.Join(args, " "), err)
		}
		for _, c := range commands() {
			line := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(c.name) + ` +` + regexp.QuoteMeta(c.summary) + `$`)
			if !line.MatchString(out) {
				t.Errorf("dynafault %s does not list %q with its summary:\n%s", strings.Join(args, " "), c.name, out)
			}
		}
		if !strings.Contains(out, "-addr") || !strings.Contains(out, "DYNAFAULT_ADDR") {
			t.Errorf("dynafault %s lacks the flags of serve", strings.Join(args, " "))
		}
	}
	for _, want := range []string{"version", "healthcheck", "streams", "faults", "clock", "load", "help", "serve"} {
		if _, ok := lookupCommand(want); !ok {
			t.Errorf("no command %q", want)
		}
	}
}

// commandPaths lists every command and subcommand path ("faults add").
func commandPaths() []string {
	var paths []string
	for _, c := range commands() {
		paths = append(paths, c.name)
		for _, s := range c.subs {
			paths = append(paths, c.name+" "+s.name)
		}
	}
	return paths
}

func TestEveryCommandHelpHasExamples(t *testing.T) {
	t.Parallel()
	for _, path := range commandPaths() {
		h, ok := helps()[path]
		if !ok || h.usage == "" || len(h.examples) == 0 {
			t.Errorf("%q has no usage line or examples in helps()", path)
			continue
		}
		for _, e := range h.examples {
			if !strings.HasPrefix(e, "dynafault ") && !strings.Contains(e, " dynafault ") {
				t.Errorf("%q: example %q does not run dynafault", path, e)
			}
		}
		args := append(strings.Fields(path), "-h")
		if path == "help" {
			args = []string{"help", "help"}
		}
		stdout, stderr, err := runCLI(t, nil, args...)
		if err != nil {
			t.Errorf("dynafault %s: %v", strings.Join(args, " "), err)
		}
		out := stdout + stderr
		if !strings.Contains(out, "Usage: dynafault "+h.usage) || !strings.Contains(out, "Examples:\n  "+h.examples[0]) {
			t.Errorf("dynafault %s printed no usage line or examples:\n%s", strings.Join(args, " "), out)
		}
	}
	for path := range helps() {
		if !strings.Contains(" "+strings.Join(commandPaths(), " | ")+" ", " "+path+" ") {
			t.Errorf("helps() has %q, which is no command", path)
		}
	}
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, nil, "help", "faults", "add")
	if err != nil || !strings.Contains(out, "Usage: dynafault faults add") || !strings.Contains(out, "-key-equals") {
		t.Errorf("help faults add: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, nil, "help", "streams")
	if err != nil || !strings.Contains(out, "Subcommands:") || !strings.Contains(out, "rollover") {
		t.Errorf("help streams: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, nil, "help", "nope"); err == nil || !strings.Contains(err.Error(), `help: unknown command "nope"`) {
		t.Errorf("help nope: %v", err)
	}
	_, _, err = runCLI(t, nil, "streams")
	if err == nil || !strings.Contains(err.Error(), "streams: missing subcommand (list, show, pause, resume, rollover, split, trim, expire, shards)") {
		t.Errorf("streams without a subcommand: %v", err)
	}
}
