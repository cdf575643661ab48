package load

import (
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/dynafault/dynafault/emulator/sdkhttp"
)

// clients are the SDK clients of a run, sharing one HTTP transport.
type clients struct {
	db      *dynamodb.Client
	streams *dynamodbstreams.Client
	lambda  *lambda.Client
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
		HTTPClient:  &http.Client{Transport: sdkhttp.Transport(tr)},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return &clients{
		db:      dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(c.Endpoint) }),
		streams: dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(c.Endpoint) }),
		lambda:  lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(c.Endpoint) }),
		tr:      tr,
	}
}

// close releases the idle connections.
func (c *clients) close() { c.tr.CloseIdleConnections() }
