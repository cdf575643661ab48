package load

import (
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// clients are the SDK clients of a run, sharing one HTTP transport.
type clients struct {
	db      *dynamodb.Client
	streams *dynamodbstreams.Client
	tr      *http.Transport
}

// newClients builds SDK clients for c.Endpoint: static fake credentials
// (local endpoints accept any), no retries (each throttle and error is
// counted once) and a transport keeping enough idle connections for every
// worker, so the run measures the server rather than connection setup.
func newClients(c Config) *clients {
	conns := c.Concurrency + 4 // stream readers and the shard discovery
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: 2 * conns,
		IdleConnTimeout:     90 * time.Second,
	}
	cfg := aws.Config{
		Region:      c.Region,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOAD", "load-secret", ""),
		HTTPClient:  &http.Client{Transport: plainBodies{tr}},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return &clients{
		db:      dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(c.Endpoint) }),
		streams: dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(c.Endpoint) }),
		tr:      tr,
	}
}

// close releases the idle connections.
func (c *clients) close() { c.tr.CloseIdleConnections() }

// plainBodies passes each request on with its body stripped of WriteTo.
//
// The SDK wraps request bodies in a closer whose WriteTo returns io.EOF
// once closed, and closes it as soon as Do returns the response headers.
// net/http's write loop drains the body once more after sending it (with
// WriteTo when the body has one); against a server that answers within
// microseconds the SDK's close can come first, the write loop takes the
// io.EOF for a failed write and closes the connection while the response
// body is still being read: "use of closed network connection" for bodies
// larger than the transport's read buffer (the query workload), a lost
// keep-alive connection otherwise. A closed body's Read returns (0,
// io.EOF), which the drain takes as the end of the body.
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
