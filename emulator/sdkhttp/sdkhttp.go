// Package sdkhttp holds the HTTP transport fix that AWS SDK for Go v2
// clients need when they talk to a server as fast as dynafault.
//
// The SDK wraps each request body in a closer whose WriteTo returns io.EOF
// once closed, and closes it as soon as the response headers arrive.
// net/http's write loop drains the body once more after sending it (with
// WriteTo when the body has one). Against a server that answers within
// microseconds the SDK's close can come first: the write loop takes the
// io.EOF for a failed write and closes the connection while the response
// body is still being read. The client then sees "use of closed network
// connection" for responses larger than the transport's read buffer, and
// loses its keep-alive connection otherwise. Real DynamoDB answers too
// slowly for the race to show.
//
// Transport hides the body's WriteTo, so the drain reads the closed body,
// gets (0, io.EOF) and takes it as the end of the body.
package sdkhttp

import (
	"io"
	"net/http"
)

// Transport wraps next (http.DefaultTransport when nil) so that request
// bodies are passed on without their WriteTo method.
func Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return plainBodies{next}
}

type plainBodies struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (p plainBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return p.next.RoundTrip(r)
	}
	r2 := *r // RoundTrip must not modify r
	r2.Body = struct{ io.ReadCloser }{r.Body}
	return p.next.RoundTrip(&r2)
}
