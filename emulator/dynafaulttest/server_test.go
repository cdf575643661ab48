package dynafaulttest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
)

func createTable(t *testing.T, db *dynamodb.Client, name string) *types.TableDescription {
	t.Helper()
	out, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return out.TableDescription
}

func TestServersAreIndependent(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.URL == b.URL {
		t.Fatalf("two servers share %s", a.URL)
	}
	createTable(t, a.DynamoDB(), "only-in-a")
	out, err := b.DynamoDB().ListTables(t.Context(), &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if len(out.TableNames) != 0 {
		t.Errorf("b lists %v", out.TableNames)
	}
}

func TestCleanupStopsServer(t *testing.T) {
	var srv *Server
	t.Run("owner", func(t *testing.T) { srv = Start(t) })
	c := &http.Client{Timeout: 5 * time.Second}
	if resp, err := c.Get(srv.URL + "/_admin/health"); err == nil {
		resp.Body.Close()
		t.Fatalf("server still answers after its test ended: %d", resp.StatusCode)
	}
	srv.Close() // idempotent
}

func TestRegionAndCredentials(t *testing.T) {
	srv := Start(t, WithRegion("eu-west-1"), WithCredentials("AKIDTEST", "secret"))
	cfg := srv.AWSConfig()
	if cfg.Region != "eu-west-1" || srv.Region() != "eu-west-1" {
		t.Fatalf("region = %q / %q", cfg.Region, srv.Region())
	}
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil || creds.AccessKeyID != "AKIDTEST" {
		t.Fatalf("credentials = %+v, %v", creds, err)
	}
	desc := createTable(t, srv.DynamoDB(), "regional")
	if arn := aws.ToString(desc.TableArn); !strings.HasPrefix(arn, "arn:aws:dynamodb:eu-west-1:") {
		t.Errorf("TableArn = %s", arn)
	}
}

func TestEmulatorOptions(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := Start(t, WithEmulatorOptions(emulator.Options{Clock: clock.NewFrozen(start), Region: "ap-south-1"}))
	if srv.Region() != "ap-south-1" {
		t.Errorf("Region = %q", srv.Region())
	}
	desc := createTable(t, srv.DynamoDB(), "frozen")
	if got := aws.ToTime(desc.CreationDateTime); !got.Equal(start) {
		t.Errorf("CreationDateTime = %v, want %v", got, start)
	}
}

func TestBadOptionsFailTheTest(t *testing.T) {
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		Start(ft, WithEmulatorOptions(emulator.Options{TTLSweepInterval: -1}))
	}()
	if !strings.Contains(ft.msg, "dynafaulttest:") {
		t.Errorf("Fatal message = %q", ft.msg)
	}
}

// fatalRecorder records Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

var errFatal = errors.New("fatal")

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(errFatal)
}

func TestHTTPClientReachesAdmin(t *testing.T) {
	srv := Start(t)
	resp, err := srv.HTTPClient().Get(srv.URL + "/_admin/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ok") {
		t.Errorf("health = %d %s", resp.StatusCode, body)
	}
}
