package main

import (
	"strings"
	"testing"
)

func TestMetricsCommand(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders", "ORDER#1", "ORDER#2")
	out := mustRun(t, env, "metrics")
	for _, want := range []string{"# TYPE dynafault_requests_total counter", "# TYPE dynafault_stream_records_appended_total counter"} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lacks %q", want)
		}
	}
	out = mustRun(t, env, "metrics", "dynafault_stream_records_appended", "dynafault_table_items")
	if !strings.Contains(out, "# HELP dynafault_stream_records_appended_total ") || !strings.Contains(out, `dynafault_table_items{table="orders"} 2`) {
		t.Errorf("metrics dynafault_stream_records_appended dynafault_table_items:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := metricName(l); !strings.HasPrefix(n, "dynafault_stream_records_appended") && !strings.HasPrefix(n, "dynafault_table_items") {
			t.Errorf("metrics with prefixes printed %q", l)
		}
	}
	if out := mustRun(t, env, "metrics", "nothing_by_this_name"); out != "" {
		t.Errorf("metrics nothing_by_this_name printed %q", out)
	}
}
