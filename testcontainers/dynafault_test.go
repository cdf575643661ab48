package dynafault_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"

	"github.com/dynafault/dynafault/emulator/sdkhttp"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
	dynafault "github.com/dynafault/dynafault/testcontainers"
)

// imageEnv names the image the test runs; .ci/testcontainers.sh sets it
// to the image .ci/image.sh built. skipEnv, when set, is why the machine
// cannot run the test (the script found out); the test skips with it.
const (
	imageEnv = "DYNAFAULT_IMAGE"
	skipEnv  = "DYNAFAULT_TESTCONTAINERS_SKIP"
)

func TestMain(m *testing.M) {
	// The reaper container comes from a public registry a CI machine may
	// not reach; the test terminates its container itself.
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	if why := os.Getenv(skipEnv); why != "" {
		t.Skip(why)
	}
	img := os.Getenv(imageEnv)
	if img == "" {
		t.Skipf("%s is not set: build the image (.ci/image.sh builds localhost/dynafault:ci) and set %s to it", imageEnv, imageEnv)
	}
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctx := t.Context()
	rules := filepath.Join(t.TempDir(), "rules.json")
	err := os.WriteFile(rules, []byte(`{"id":"throttle-second-put","target":"api","match":{"operation":["PutItem"]},
		"action":{"type":"error","code":"ThrottlingException"},"when":{"skip":1,"times":1}}`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	ctr, err := dynafault.Run(ctx, img,
		dynafault.WithFaultsFile(rules),
		dynafault.WithAdminToken("s3cret"),
		dynafault.WithSeed(42),
		dynafault.WithFlags("--log-level=debug", "--stream-shards=2"),
		// Sandboxes without CAP_SYS_RESOURCE refuse the engine's default limits.
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.Ulimits = []*container.Ulimit{{Name: "nofile", Soft: 1024, Hard: 1024}, {Name: "nproc", Soft: 1024, Hard: 1024}}
		}))
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	endpoint, err := ctr.URL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db := dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:  &http.Client{Transport: sdkhttp.Transport(nil)},
	})
	_, err = db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	put := func(pk string) error {
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
			Item: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}})
		return err
	}
	if err := put("ORDER#1"); err != nil {
		t.Fatalf("first PutItem: %v", err)
	}
	var throttled *types.ThrottlingException
	if err := put("ORDER#2"); !errors.As(err, &throttled) {
		t.Fatalf("second PutItem: %v, want the ThrottlingException of the faults file", err)
	}

	admin, err := ctr.Admin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := admin.JournalAll(ctx, faults.JournalQuery{RuleID: "throttle-second-put"})
	if err != nil || len(entries) != 1 || entries[0].Operation != "PutItem" {
		t.Fatalf("journal %+v, %v", entries, err)
	}
	st, err := admin.Stream(ctx, "orders")
	if err != nil || len(st[0].OpenShards()) != 2 {
		t.Fatalf("stream %+v, %v; want the 2 shards of --stream-shards=2", st, err)
	}
	if _, err := client.New(endpoint).ListRules(ctx); !client.IsStatus(err, http.StatusUnauthorized) {
		t.Errorf("admin API without the token: %v, want 401", err)
	}
	if state, err := ctr.State(context.Background()); err != nil || !state.Running {
		t.Errorf("container state %+v, %v", state, err)
	}
}
