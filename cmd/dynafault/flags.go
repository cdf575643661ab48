package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
)

// defaultEndpoint is the server the commands talk to by default.
const defaultEndpoint = "http://127.0.0.1:8000"

// envOr returns the environment variable key, or def when it is empty.
func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// sourceOf names where the value of flag name came from, for error
// messages: "--name" when given on the command line or when env is empty,
// else the environment variable env.
func sourceOf(fs *flag.FlagSet, name, env string, getenv func(string) string) string {
	if flagGiven(fs, name) || getenv(env) == "" {
		return "--" + name
	}
	return env
}

// checkEndpoint checks the URL of a server given by source (a flag or an
// environment variable) and returns it without a trailing slash.
func checkEndpoint(source, endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return strings.TrimRight(endpoint, "/"), nil
	}
	hint := ""
	if !strings.Contains(endpoint, "://") {
		hint = fmt.Sprintf("; add the scheme: http://%s", endpoint)
	}
	return "", fmt.Errorf("invalid %s %q: want a URL such as http://127.0.0.1:8000%s", source, endpoint, hint)
}

// envNamed rewrites an "invalid --NAME ..." error of a command whose flags
// fall back to DYNAFAULT_* variables so that it names the variable when
// the value came from there (the flag is not among args).
func envNamed(err error, args []string, getenv func(string) string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	i := strings.Index(msg, "invalid --")
	if i < 0 {
		return err
	}
	name := msg[i+len("invalid --"):]
	if j := strings.IndexFunc(name, func(r rune) bool { return !(r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }); j >= 0 {
		name = name[:j]
	}
	env := "DYNAFAULT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	if getenv(env) == "" || flagInArgs(name, args) {
		return err
	}
	return fmt.Errorf("%s%s%s", msg[:i], "invalid environment variable "+env, msg[i+len("invalid --")+len(name):])
}

// flagInArgs reports whether the flag name is set in args.
func flagInArgs(name string, args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}
