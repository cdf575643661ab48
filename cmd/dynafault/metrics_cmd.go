package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
)

// metricsCmd runs "dynafault metrics [PREFIX...]": the server's Prometheus
// metrics, or only the families whose name starts with one of the
// prefixes.
func metricsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("metrics", getenv, stderr, false)
	prefixes, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(prefixes) == 0 {
		return a.client().Metrics(ctx, stdout)
	}
	var buf bytes.Buffer
	if err := a.client().Metrics(ctx, &buf); err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		if line := sc.Text(); hasAnyPrefix(metricName(line), prefixes) {
			w.WriteString(line)
			w.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// metricName is the metric a line of the text exposition format is
// about: the name of a sample, or the one a "# HELP" or "# TYPE" line
// describes ("" for another comment).
func metricName(line string) string {
	if rest, ok := strings.CutPrefix(line, "# "); ok {
		f := strings.Fields(rest)
		if len(f) >= 2 && (f[0] == "HELP" || f[0] == "TYPE") {
			return f[1]
		}
		return ""
	}
	if i := strings.IndexAny(line, "{ "); i >= 0 {
		return line[:i]
	}
	return line
}

// hasAnyPrefix reports whether name starts with one of prefixes.
func hasAnyPrefix(name string, prefixes []string) bool {
	for _, p := range prefixes {
		if name != "" && strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
