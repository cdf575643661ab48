package metrics_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

const testAuth = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/dynamodb/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"

// call sends one API request and returns its status and body.
func call(t *testing.T, h http.Handler, target, body string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", target)
	r.Header.Set("X-Amz-Date", "20260101T000000Z")
	r.Header.Set("Authorization", testAuth)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// mustCall is call that fails the test unless the status is 200.
func mustCall(t *testing.T, h http.Handler, target, body string) string {
	t.Helper()
	code, out := call(t, h, target, body)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, code, out)
	}
	return out
}

// sample is one line of the text exposition.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape GETs /_admin/metrics and parses the text exposition.
func scrape(t *testing.T, h http.Handler) []sample {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/_admin/metrics", nil)
	r.Host = "localhost:8000"
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	return parseText(t, w.Body)
}

func parseText(t *testing.T, r io.Reader) []sample {
	t.Helper()
	var out []sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q: %v", line, err)
		}
		out = append(out, parseSeries(line[:i], v))
	}
	return out
}

// parseSeries splits `name{a="x",b="y"}`; label values hold no quotes or
// commas in these tests.
func parseSeries(s string, v float64) sample {
	sm := sample{labels: map[string]string{}, value: v}
	name, rest, ok := strings.Cut(s, "{")
	sm.name = name
	if !ok {
		return sm
	}
	for _, kv := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
		k, val, _ := strings.Cut(kv, "=")
		sm.labels[k] = strings.Trim(val, `"`)
	}
	return sm
}

// value returns the value of the series with the name and at least the
// labels given as pairs, failing the test when there is not exactly one.
func value(t *testing.T, ss []sample, name string, labels ...string) float64 {
	t.Helper()
	var found []float64
	for _, s := range ss {
		if s.name == name && hasLabels(s, labels) {
			found = append(found, s.value)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s%v: %d series", name, labels, len(found))
	}
	return found[0]
}

// absent fails the test when a series with the name and labels exists.
func absent(t *testing.T, ss []sample, name string, labels ...string) {
	t.Helper()
	for _, s := range ss {
		if s.name == name && hasLabels(s, labels) {
			t.Fatalf("unexpected %s%v = %v", name, s.labels, s.value)
		}
	}
}

func hasLabels(s sample, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v, ok := s.labels[pairs[i]]; !ok || v != pairs[i+1] {
			return false
		}
	}
	return true
}
