package admin

import (
	"mime"
	"net"
	"net/http"
	"strings"
)

// The admin API can wipe every table and install faults, and it listens
// where a developer's browser can reach it. guard refuses what only a web
// page would send, so that no page a developer opens can drive it:
//
//   - DNS rebinding: a page on a domain that resolves to 127.0.0.1 reaches
//     the server with that domain in Host. Host must be an IP literal (no
//     DNS involved), localhost or a name under .localhost, a host name the
//     server listens on, or one of the allowed hosts (container and
//     compose service names).
//   - Cross-site requests: a browser names the page's origin in Origin on
//     every cross-origin request (and on same-origin writes). Origin, when
//     present, must be the server's own (the origin of Host) or one of the
//     allowed origins.
//   - No-CORS writes: a page may POST text/plain or a form without a
//     preflight. A write must have no body or Content-Type
//     application/json, which a browser sends cross-origin only after a
//     preflight, and preflights (OPTIONS) are never answered with CORS
//     headers.
//
// Clients that are not browsers (SDK tests, curl, the faults client) send
// no Origin and a Host naming the address they dialled, and pass.
type guard struct {
	hosts     map[string]bool // allowed host names besides IP literals and localhost, lower case
	origins   map[string]bool // allowed origins besides the server's own
	anyOrigin bool            // "*" among the allowed origins
}

// newGuard builds the guard from the listen addresses and the extra host
// names and origins allowed.
func newGuard(listen, hosts, origins []string) *guard {
	g := &guard{hosts: map[string]bool{}, origins: map[string]bool{}}
	for _, a := range listen {
		if h := hostOnly(a); h != "" && net.ParseIP(h) == nil {
			g.hosts[strings.ToLower(h)] = true
		}
	}
	for _, h := range hosts {
		g.hosts[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for _, o := range origins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		g.anyOrigin = g.anyOrigin || o == "*"
		g.origins[strings.ToLower(o)] = true
	}
	return g
}

// check returns the status and message refusing r, or 0 when r may be
// served.
func (g *guard) check(r *http.Request) (int, string) {
	if !g.hostAllowed(r.Host) {
		return http.StatusForbidden, "Host " + quote(r.Host) + " is not an address of this server: the admin API answers " +
			"requests for IP addresses, localhost and the names allowed with --allowed-hosts (DNS rebinding protection)"
	}
	if o := r.Header.Get("Origin"); o != "" && !g.originAllowed(o, r.Host) {
		return http.StatusForbidden, "Origin " + quote(o) + " may not use the admin API: only the server's own origin and the " +
			"origins allowed with --admin-allow-origins may (cross-site request protection)"
	}
	if r.Method == http.MethodOptions {
		return http.StatusForbidden, "the admin API answers no CORS preflight"
	}
	if writes(r.Method) && hasBody(r) && mediaType(r.Header.Get("Content-Type")) != "application/json" {
		return http.StatusUnsupportedMediaType, "an admin request with a body needs Content-Type: application/json"
	}
	return 0, ""
}

// hostAllowed reports whether a Host header names this server in a way DNS
// rebinding cannot forge.
func (g *guard) hostAllowed(hostport string) bool {
	if hostport == "" {
		return true // not a browser: browsers always send Host
	}
	h := strings.ToLower(hostOnly(hostport))
	switch {
	case net.ParseIP(h) != nil, h == "localhost", strings.HasSuffix(h, ".localhost"):
		return true
	}
	return g.hosts[h]
}

// originAllowed reports whether a request from origin may use the API:
// the server's own origin (host and port of Host) or an allowed one.
func (g *guard) originAllowed(origin, host string) bool {
	o := strings.ToLower(strings.TrimRight(origin, "/"))
	if g.anyOrigin || g.origins[o] {
		return true
	}
	_, rest, ok := strings.Cut(o, "://")
	return ok && rest == strings.ToLower(host)
}

// writes reports whether method may change state.
func writes(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}

// hasBody reports whether r carries a body (declared or chunked).
func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

// mediaType is the media type of a Content-Type header, lower case,
// without parameters ("" when malformed).
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return mt
}

// hostOnly is the host of "host:port", "host", "[v6]:port" or "[v6]".
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

// quote quotes s for a message, bounded so a huge header stays out of it.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return `"` + s + `"`
}
