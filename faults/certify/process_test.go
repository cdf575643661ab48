package certify_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/faults/certify"
)

// The test binary doubles as the reference consumer run as a process:
// with CERTIFY_REFERENCE_CONSUMER set it reads its scenario from the
// environment the battery gives a --consumer-cmd, until SIGTERM.
func TestMain(m *testing.M) {
	if os.Getenv("CERTIFY_REFERENCE_CONSUMER") != "" {
		os.Exit(referenceProcess())
	}
	os.Exit(m.Run())
}

func referenceProcess() int {
	env, err := certify.EnvFromEnviron(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	opt := refOptions{exitOnThrottle: os.Getenv("CERTIFY_EXIT_ON_THROTTLE") != ""}
	if err := opt.run(ctx, env); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		return 1
	}
	return 0
}

// referenceCommand runs the reference consumer as a process.
func referenceCommand(extra ...string) certify.Command {
	return certify.Command{Args: []string{os.Args[0], "-test.run=^$"},
		Extra: append([]string{"CERTIFY_REFERENCE_CONSUMER=1"}, extra...)}
}

// A consumer command gets its scenario in its environment, is stopped
// with SIGTERM and started again for a planned restart (its checkpoints
// kept in DYNAFAULT_STATE_DIR), and its crashes are reported with the
// exit status and its last output lines.
func TestCommandConsumer(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: referenceCommand(),
		Run: regexp.MustCompile(`^(baseline|dropped-record|restart-after-day-down)$`), CatchUpWithin: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed != 3 {
		_ = rep.WriteTable(os.Stderr)
		t.Fatalf("%d of 3 scenarios passed", rep.Passed)
	}
	if res, _ := rep.Result("restart-after-day-down"); res.Starts != 2 || res.PlannedRestarts != 0 || len(res.Crashes) != 0 {
		t.Errorf("restart-after-day-down: %d starts, %d planned restarts, crashes %+v; want 2 starts (a stop and a start)",
			res.Starts, res.PlannedRestarts, res.Crashes)
	}
	if res, _ := rep.Result("dropped-record"); len(res.Reported) == 0 || !strings.Contains(res.Reported[0], "GAP") {
		t.Errorf("dropped-record: reported %q, want the consumer's GAP lines", res.Reported)
	}

	rep, err = certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: referenceCommand("CERTIFY_EXIT_ON_THROTTLE=1"),
		Run: regexp.MustCompile(`^getrecords-throttled$`), CatchUpWithin: 20 * time.Second, RestartBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res := rep.Results[0]
	if res.Status != certify.StatusFail || len(res.Crashes) == 0 {
		t.Fatalf("getrecords-throttled: %s with crashes %+v, want a failure with crashes", res.Status, res.Crashes)
	}
	c := res.Crashes[0]
	if c.Exit != "exit status 1" || len(c.LastLines) == 0 || !strings.Contains(c.LastLines[len(c.LastLines)-1], "LimitExceededException") {
		t.Errorf("crash %+v: want exit status 1 and the consumer's last line naming LimitExceededException", c)
	}
	if !res.CaughtUp || res.Starts != len(res.Crashes)+1 {
		t.Errorf("restarted after each crash, the consumer should catch up: caught up %v, %d starts, %d crashes",
			res.CaughtUp, res.Starts, len(res.Crashes))
	}
}

// A consumer the battery does not run is graded on the table it reads,
// each scenario on its own changes; scenarios that restart the consumer
// are skipped.
func TestRunningConsumer(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	db := srv.DynamoDB()
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true),
			StreamViewType: types.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	const key = "ORDERSREADER1"
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- refOptions{keyAttr: "id"}.run(ctx, certify.Env{Endpoint: srv.URL, Region: srv.Region(), AccessKeyID: key,
			SecretAccessKey: "x", Table: "orders", StreamARN: aws.ToString(out.Table.LatestStreamArn), StateDir: t.TempDir(),
			Output: io.Discard})
	}()
	t.Cleanup(func() { cancel(); <-done })
	rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: certify.Running(key, "orders"),
		Run: regexp.MustCompile(`^(baseline|dropped-record|restart-after-day-down|shard-rollover)$`), CatchUpWithin: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"baseline": certify.StatusPass, "shard-rollover": certify.StatusPass,
		"dropped-record": certify.StatusPass, "restart-after-day-down": certify.StatusSkip}
	for _, res := range rep.Results {
		if res.Status != want[res.Name] {
			t.Errorf("%s: %s (%s%s), want %s", res.Name, res.Status, res.Reason, strings.Join(res.Failures, "; "), want[res.Name])
		}
		if res.Status == certify.StatusPass && res.Changes != res.Writes {
			t.Errorf("%s: %d changes for %d writes: the scenario counted another's", res.Name, res.Changes, res.Writes)
		}
	}
	if res, _ := rep.Result("dropped-record"); res.Missed["dropped"] != 2 || len(res.Notes) == 0 {
		t.Errorf("dropped-record: missed %v, notes %q; want the 2 drops and a note that the report could not be checked", res.Missed, res.Notes)
	}
}
