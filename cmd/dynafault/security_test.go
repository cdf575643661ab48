package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator"
)

func TestSecurityFlags(t *testing.T) {
	env := map[string]string{"DYNAFAULT_ALLOWED_HOSTS": "dynafault, ddb.internal", "DYNAFAULT_CORS": "*"}
	c, err := parseServeFlags([]string{"--addr", "0.0.0.0:8000", "--admin-allow-origins", "http://localhost:3000"},
		func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var o emulator.Options
	c.security.apply(&o, c.addr, c.faults.adminAddr)
	if !slices.Equal(o.CORSOrigins, []string{"*"}) || !slices.Equal(o.AllowedHosts, []string{"dynafault", "ddb.internal"}) ||
		!slices.Equal(o.AdminAllowOrigins, []string{"http://localhost:3000"}) || !slices.Equal(o.ListenAddrs, []string{"0.0.0.0:8000"}) {
		t.Errorf("options %+v", o)
	}
	for in, want := range map[string][]string{"local": {"local"}, "none": {}, "": {}, "http://a:1, local": {"http://a:1", "local"}} {
		var o emulator.Options
		securityFlags{cors: in}.apply(&o)
		if o.CORSOrigins == nil || !slices.Equal(o.CORSOrigins, want) {
			t.Errorf("--cors %q: %#v, want %#v", in, o.CORSOrigins, want)
		}
	}
}

func TestExposureWarning(t *testing.T) {
	cases := []struct {
		addr, adminAddr, token string
		warn                   bool
	}{
		{"0.0.0.0:8000", "", "", true},
		{":8000", "", "", true},
		{"192.168.1.5:8000", "", "", true},
		{"0.0.0.0:8000", "", "secret", false},
		{"127.0.0.1:8000", "", "", false},
		{"[::1]:8000", "", "", false},
		{"localhost:8000", "", "", false},
		{"0.0.0.0:8000", "127.0.0.1:8001", "", false}, // the admin API is on its own loopback port
		{"127.0.0.1:8000", "0.0.0.0:8001", "", true},
	}
	for _, c := range cases {
		var logs bytes.Buffer
		warnExposure(slog.New(slog.NewTextHandler(&logs, nil)), c.addr, c.adminAddr, c.token)
		if got := strings.Contains(logs.String(), "level=WARN"); got != c.warn {
			t.Errorf("addr %q admin %q token %q: warned %v, want %v: %s", c.addr, c.adminAddr, c.token, got, c.warn, logs.String())
		}
	}
}

// TestServeRefusesCrossSiteAdminWrites: through a real server, a
// text/plain POST /_admin/reset?data=true from another origin is refused
// and the table stays; a request naming a host outside --allowed-hosts is
// refused, one inside passes; the data port's CORS answers follow --cors.
func TestServeRefusesCrossSiteAdminWrites(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0", "--allowed-hosts", "dynafault", "--cors", "http://app.example"}, nil)
	if code, body := send(t, http.MethodPost, s.url, sigV4, "CreateTable", `{"TableName":"tab","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`); code != 200 {
		t.Fatalf("CreateTable: %d %s", code, body)
	}
	req := func(method, path, host, origin, ct, body string) (int, http.Header) {
		t.Helper()
		r, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			r.Host = host
		}
		for k, v := range map[string]string{"Origin": origin, "Content-Type": ct} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	if code, _ := req(http.MethodPost, "/_admin/reset?data=true", "", "https://evil.example", "text/plain", "x"); code != http.StatusForbidden {
		t.Errorf("cross-origin text/plain reset: %d", code)
	}
	if code, _ := req(http.MethodPost, "/_admin/reset?data=true", "evil.example:8000", "", "", ""); code != http.StatusForbidden {
		t.Errorf("reset through a foreign host name: %d", code)
	}
	if _, body := send(t, http.MethodPost, s.url, sigV4, "ListTables", `{}`); !strings.Contains(body, `"tab"`) {
		t.Fatalf("a refused reset dropped the table: %s", body)
	}
	if code, _ := req(http.MethodGet, "/_admin/faults", "dynafault:8000", "", "", ""); code != http.StatusOK {
		t.Errorf("an allowed host: %d", code)
	}
	for origin, want := range map[string]string{"http://app.example": "http://app.example", "http://localhost:3000": ""} {
		if _, hdr := req(http.MethodOptions, "/", "", origin, "", ""); hdr.Get("Access-Control-Allow-Origin") != want {
			t.Errorf("preflight from %s: Access-Control-Allow-Origin %q, want %q", origin, hdr.Get("Access-Control-Allow-Origin"), want)
		}
	}
}
