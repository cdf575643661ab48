package wire

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/dynafault/dynafault/emulator/engine"
)

// checkAuth checks that the request carries a SigV4 Authorization header
// with all its parts, as DynamoDB does before looking at the body, and
// returns the access key id it names. Signatures are not verified.
func checkAuth(r *http.Request) (accessKeyID string, err *engine.Error) {
	h := r.Header
	auth := header(h, "Authorization")
	if auth == "" && r.URL.RawQuery != "" {
		if q := r.URL.Query(); strings.HasPrefix(q.Get("X-Amz-Algorithm"), "AWS4-") {
			return checkQueryAuth(q)
		}
	}
	trimmed := strings.TrimSpace(auth)
	if !strings.HasPrefix(trimmed, "AWS4-") {
		return "", engine.NewError(engine.MissingAuthenticationToken, "Request is missing Authentication Token")
	}
	p := parseAuth(trimmed)
	var msg strings.Builder
	for _, part := range [...]struct{ name, val string }{
		{"Credential", p.credential}, {"Signature", p.signature}, {"SignedHeaders", p.signedHeaders},
	} {
		if part.val == "" {
			msg.WriteString("Authorization header requires '" + part.name + "' parameter. ")
		}
	}
	if header(h, "X-Amz-Date") == "" && header(h, "Date") == "" {
		msg.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if msg.Len() > 0 {
		return "", engine.NewError(incompleteSignature, msg.String()+"Authorization="+auth)
	}
	akid, _, _ := strings.Cut(p.credential, "/")
	return akid, nil
}

// sigV4 holds the parts of a SigV4 Authorization header that are checked.
type sigV4 struct{ credential, signature, signedHeaders string }

// parseAuth parses the key=value list after the algorithm of a SigV4
// Authorization header ("AWS4-HMAC-SHA256 Credential=a/b/c/d/e,
// SignedHeaders=h, Signature=s"). Spaces around parts are ignored.
func parseAuth(auth string) sigV4 {
	var p sigV4
	_, rest, _ := strings.Cut(auth, " ")
	for kv := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		switch strings.TrimSpace(k) {
		case "Credential":
			p.credential = strings.TrimSpace(v)
		case "Signature":
			p.signature = strings.TrimSpace(v)
		case "SignedHeaders":
			p.signedHeaders = strings.TrimSpace(v)
		}
	}
	return p
}

// checkQueryAuth checks a query-string (presigned) SigV4 signature: every
// X-Amz-* parameter a presigned request carries must be there. Signatures
// are not verified; the access key id comes from X-Amz-Credential.
func checkQueryAuth(q url.Values) (accessKeyID string, err *engine.Error) {
	for _, p := range [...]string{"X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(p) == "" {
			return "", engine.NewError(incompleteSignature,
				"AWS query-string parameters must include '"+p+"'. Re-examine the query-string parameters.")
		}
	}
	akid, _, _ := strings.Cut(q.Get("X-Amz-Credential"), "/")
	return akid, nil
}
