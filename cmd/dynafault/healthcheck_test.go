package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	if out := mustRun(t, map[string]string{"DYNAFAULT_ENDPOINT": url}, "healthcheck"); out != "ok\n" {
		t.Errorf("healthcheck = %q", out)
	}
	if out := mustRun(t, nil, "healthcheck", "--endpoint", url+"/", "--timeout", "2s"); out != "ok\n" {
		t.Errorf("healthcheck --endpoint = %q", out)
	}

	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	gone := httptest.NewServer(nil)
	gone.Close()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"healthcheck", "--endpoint", down.URL}, "healthcheck: GET " + down.URL + "/: HTTP 503: starting"},
		{[]string{"healthcheck", "--endpoint", gone.URL}, "connection refused"},
		{[]string{"healthcheck", "--endpoint", "127.0.0.1:8000"}, `invalid --endpoint "127.0.0.1:8000"`},
		{[]string{"healthcheck", "now"}, "unexpected arguments: now"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}
