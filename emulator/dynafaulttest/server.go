package dynafaulttest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/sdkhttp"
)

// Defaults of the SDK configuration a Server hands out.
const (
	DefaultRegion          = "us-east-1"
	DefaultAccessKeyID     = "dynafaulttest"
	DefaultSecretAccessKey = "dynafaulttest"
)

// Server is a running emulator owned by one test.
type Server struct {
	// URL is the base URL of the server, e.g. "http://127.0.0.1:41235":
	// the BaseEndpoint of both DynamoDB and DynamoDB Streams clients; the
	// admin API is under URL + "/_admin".
	URL string
	// Emulator is the in-process emulator behind URL.
	Emulator *emulator.Emulator

	http      *httptest.Server
	cfg       config
	closeOnce sync.Once
}

// config is what the Options set.
type config struct {
	emu               emulator.Options
	region            string
	accessKey, secret string
}

// Option configures Start.
type Option func(*config)

// WithEmulatorOptions sets the emulator's options (clock, stream shards,
// retention, logger, ...). A Region in o is also the region of the SDK
// configuration unless WithRegion follows.
func WithEmulatorOptions(o emulator.Options) Option {
	return func(c *config) {
		c.emu = o
		if o.Region != "" {
			c.region = o.Region
		}
	}
}

// WithRegion sets the region of both the emulator (ARNs, answers) and the
// SDK configuration. Default us-east-1.
func WithRegion(region string) Option {
	return func(c *config) { c.region = region }
}

// WithCredentials sets the static credentials of the SDK configuration.
// The emulator does not verify signatures; the access key id is what fault
// rules match consumers by.
func WithCredentials(accessKeyID, secretAccessKey string) Option {
	return func(c *config) { c.accessKey, c.secret = accessKeyID, secretAccessKey }
}

// Start starts an emulator on a fresh loopback listener and registers
// t.Cleanup to stop it. It fails the test (t.Fatal) if the emulator
// cannot be built.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	c := config{region: DefaultRegion, accessKey: DefaultAccessKeyID, secret: DefaultSecretAccessKey}
	for _, o := range opts {
		o(&c)
	}
	c.emu.Region = c.region
	emu, err := emulator.New(c.emu)
	if err != nil {
		t.Fatalf("dynafaulttest: %v", err)
	}
	s := &Server{Emulator: emu, cfg: c, http: httptest.NewServer(emu.Handler())}
	s.URL = s.http.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and the emulator's background work. Start
// registers it with t.Cleanup; calling it earlier is allowed and later
// calls do nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.http.Close()
		_ = s.Emulator.Close()
	})
}

// Region is the region of the emulator and of AWSConfig.
func (s *Server) Region() string { return s.cfg.region }

// HTTPClient is an HTTP client for the server, for raw requests (the admin
// API, hand-made protocol checks). Its idle connections close with the
// server.
func (s *Server) HTTPClient() *http.Client { return s.http.Client() }

// sdkHTTPClient is the server's HTTP client with the transport fix SDK
// clients need against a server this fast (see package sdkhttp).
func (s *Server) sdkHTTPClient() *http.Client {
	c := *s.http.Client()
	c.Transport = sdkhttp.Transport(c.Transport)
	return &c
}

// AWSConfig is an SDK configuration for the server: static credentials,
// BaseEndpoint = URL, the server's region and HTTP client, the SDK's
// default retryer. It reads no environment variables or shared config
// files. Each call returns a fresh copy that may be changed, e.g.
// cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} } to see
// every injected error.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.cfg.region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.cfg.accessKey, s.cfg.secret, ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   s.sdkHTTPClient(),
	}
}

// DynamoDB is a DynamoDB client for the server, built from AWSConfig;
// optFns adjust it as in dynamodb.NewFromConfig.
func (s *Server) DynamoDB(optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	return dynamodb.NewFromConfig(s.AWSConfig(), optFns...)
}

// Streams is a DynamoDB Streams client for the server, built from
// AWSConfig; optFns adjust it as in dynamodbstreams.NewFromConfig.
func (s *Server) Streams(optFns ...func(*dynamodbstreams.Options)) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(s.AWSConfig(), optFns...)
}
