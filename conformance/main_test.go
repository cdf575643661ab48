// Package conformance is dynafault's behaviour suite. Every test drives the
// server only through aws-sdk-go-v2 over HTTP (or, for protocol-level checks,
// through signed raw HTTP requests), so the same suite runs against any
// endpoint: by default an in-process dynafault; with
// DYNAFAULT_ENDPOINT=http://host:port any DynamoDB implementation.
package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/sdkhttp"
)

// endpoint is the base URL every client talks to; set by TestMain.
var endpoint string //nolint:gochecknoglobals // set once by TestMain, read-only afterwards

// external reports whether the suite runs against an endpoint it did not start.
func external() bool { return os.Getenv("DYNAFAULT_ENDPOINT") != "" }

func TestMain(m *testing.M) {
	if ep := os.Getenv("DYNAFAULT_ENDPOINT"); ep != "" {
		endpoint = strings.TrimRight(ep, "/")
		code := m.Run()
		removeBuilds()
		os.Exit(code)
	}
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator.New:", err)
		os.Exit(1)
	}
	srv := httptest.NewServer(emu.Handler())
	endpoint = srv.URL
	code := m.Run()
	srv.Close()
	_ = emu.Close()
	removeBuilds()
	os.Exit(code)
}

const (
	testRegion    = "us-east-1"
	testAccessKey = "AKIDCONFORMANCE"
	testSecretKey = "conformance-secret"
)

func awsConfig() aws.Config {
	return aws.Config{
		Region:       testRegion,
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		// sdkhttp.Transport: the SDK's body closer races net/http's write
		// loop against a server this fast (see package sdkhttp).
		HTTPClient: &http.Client{Timeout: 30 * time.Second, Transport: sdkhttp.Transport(nil)},
	}
}

// ddb returns a DynamoDB client for the endpoint under test (no retries).
func ddb(t testing.TB) *dynamodb.Client {
	t.Helper()
	return dynamodb.NewFromConfig(awsConfig())
}

// streams returns a DynamoDB Streams client for the endpoint under test.
func streams(t testing.TB) *dynamodbstreams.Client {
	t.Helper()
	return dynamodbstreams.NewFromConfig(awsConfig())
}

// ctx returns a context that ends with the test.
func ctx(t testing.TB) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// uniqueName returns a table name unique to this run: prefix-<random hex>.
func uniqueName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// createTable creates a table with the given input (TableName is replaced by
// a unique name derived from it), waits until it is ACTIVE, and deletes it
// when the test ends. It returns the table name.
func createTable(t testing.TB, in *dynamodb.CreateTableInput) string {
	t.Helper()
	c := ddb(t)
	name := uniqueName(aws.ToString(in.TableName))
	in.TableName = aws.String(name)
	if in.BillingMode == "" && in.ProvisionedThroughput == nil {
		in.BillingMode = types.BillingModePayPerRequest
	}
	if _, err := c.CreateTable(ctx(t), in); err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
	})
	if err := w.Wait(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("waiting for %s: %v", name, err)
	}
	return name
}

// hashTable creates a table keyed by pk (S) only.
func hashTable(t testing.TB) string {
	t.Helper()
	return createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("h"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	})
}

// compositeTable creates a table keyed by pk (S) and sk (N).
func compositeTable(t testing.TB) string {
	t.Helper()
	return createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("c"),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	})
}
