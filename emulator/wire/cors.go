package wire

import (
	"net"
	"net/http"
	"strings"
)

// CORS on the DynamoDB port: browsers let a page call the API (the AWS SDK
// for JavaScript in a browser) only when the answers name the page's
// origin. The allow-list entries are exact origins ("http://localhost:5173"),
// "*" for any origin, and CORSLocal for pages served from this machine.
const (
	// CORSAny allows every origin, as DynamoDB Local does by default.
	CORSAny = "*"
	// CORSLocal allows pages served from this machine: http and https
	// origins whose host is localhost, a name under .localhost, 127.0.0.1
	// or [::1], on any port.
	CORSLocal = "local"
)

// DefaultCORS is the allow-list of a new Handler: pages on this machine
// only. A page on the web cannot read the emulator's tables through a
// developer's browser, while a local web app using the SDK in the browser
// works without a flag.
var DefaultCORS = []string{CORSLocal} //nolint:gochecknoglobals // constant

// corsExposeHeaders is the Access-Control-Expose-Headers value DynamoDB
// sends with every CORS answer: the response headers a page may read. It
// does not name x-amz-crc32, so SDKs in a browser skip the CRC check.
const corsExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"

// corsPolicy decides which origins get CORS answers.
type corsPolicy struct {
	any, local bool
	exact      map[string]bool // lower case, no trailing slash
}

func newCORSPolicy(allow []string) corsPolicy {
	p := corsPolicy{exact: map[string]bool{}}
	for _, o := range allow {
		switch o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/")); o {
		case "":
		case CORSAny:
			p.any = true
		case CORSLocal:
			p.local = true
		default:
			p.exact[o] = true
		}
	}
	return p
}

// allows reports whether a page of origin may call the API.
func (p corsPolicy) allows(origin string) bool {
	o := strings.ToLower(strings.TrimRight(origin, "/"))
	switch {
	case p.any || p.exact[o]:
		return true
	case p.local:
		return localOrigin(o)
	}
	return false
}

// localOrigin reports whether origin (lower case) is an http or https
// origin on this machine.
func localOrigin(origin string) bool {
	scheme, hostport, ok := strings.Cut(origin, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return false
	}
	h := hostOnly(hostport)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hostOnly is the host of "host:port", "host", "[v6]:port" or "[v6]".
func hostOnly(hostport string) string {
	if strings.HasPrefix(hostport, "[") {
		h, _, _ := strings.Cut(hostport[1:], "]")
		return h
	}
	h, _, _ := strings.Cut(hostport, ":")
	return h
}

// SetCORS sets the origins whose pages may call the API (see CORSAny,
// CORSLocal); nil restores DefaultCORS, an empty list allows none. It
// must be called before the handler serves.
func (h *Handler) SetCORS(allow []string) {
	if allow == nil {
		allow = DefaultCORS
	}
	h.cors = newCORSPolicy(allow)
}

// corsHeaders adds the CORS answer headers for an allowed Origin and
// reports whether the origin is allowed (true also when r has none).
func (h *Handler) corsHeaders(w http.ResponseWriter, r *http.Request) bool {
	origin := header(r.Header, "Origin")
	if origin == "" {
		return true
	}
	hdr := w.Header()
	if !h.cors.any {
		hdr["Vary"] = []string{"Origin"}
	}
	if !h.cors.allows(origin) {
		return false
	}
	if h.cors.any {
		hdr["Access-Control-Allow-Origin"] = []string{"*"}
	} else {
		hdr["Access-Control-Allow-Origin"] = []string{origin}
	}
	hdr["Access-Control-Expose-Headers"] = []string{corsExposeHeaders}
	return true
}

// servePreflight answers an OPTIONS preflight as DynamoDB does: for an
// allowed origin, 200 with an empty body, the requested headers and method
// echoed as allowed, the exposed headers and a max age of two days, and no
// Content-Type or x-amz-crc32 (a browser reads neither). Another origin
// gets 403 with no CORS header, so the browser sends nothing.
func (h *Handler) servePreflight(q *request) {
	if !h.corsHeaders(q.w, q.r) {
		h.send(q, http.StatusForbidden, nil)
		return
	}
	hdr := q.w.Header()
	if v := q.r.Header.Get("Access-Control-Request-Headers"); v != "" {
		hdr["Access-Control-Allow-Headers"] = []string{v}
	}
	if v := q.r.Header.Get("Access-Control-Request-Method"); v != "" {
		hdr["Access-Control-Allow-Methods"] = []string{v}
	}
	hdr["Access-Control-Max-Age"] = []string{"172800"}
	hdr["Server"] = []string{"Server"}
	hdr["Content-Length"] = []string{"0"}
	q.w.WriteHeader(http.StatusOK)
}
