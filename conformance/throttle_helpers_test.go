package conformance

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults/client"
)

// Helpers of the capacity enforcement tests (throttle_*_test.go). Each
// test runs a private emulator on a frozen clock, switches enforcement on
// through the admin API (PUT /_admin/capacity/{table}) and moves the clock
// explicitly, so refills are exact. A reference DynamoDB has neither, so
// these tests run in-process only.

// throttleEnv is a private emulator on a frozen clock.
type throttleEnv struct {
	*faultEnv
	clk *clock.Clock
}

// throttleStart is the frozen clock's start: on a whole second.
var throttleStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) //nolint:gochecknoglobals // constant

func newThrottleEnv(t *testing.T) *throttleEnv {
	t.Helper()
	clk := clock.NewFrozen(throttleStart)
	return &throttleEnv{faultEnv: newFaultEnv(t, emulator.Options{Clock: clk}), clk: clk}
}

// step moves the frozen clock forward (in-process, no request).
func (e *throttleEnv) step(d time.Duration) {
	e.t.Helper()
	if _, err := e.clk.Advance(d); err != nil {
		e.t.Fatal(err)
	}
}

// table creates a table keyed by pk (S) with the given billing, GSIs
// keyed by their names' attribute (S) and projecting keys only.
func (e *throttleEnv) table(pt *types.ProvisionedThroughput, od *types.OnDemandThroughput, gsis ...types.GlobalSecondaryIndex) string {
	e.t.Helper()
	defs := []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}}
	for _, g := range gsis {
		defs = append(defs, types.AttributeDefinition{AttributeName: g.KeySchema[0].AttributeName, AttributeType: types.ScalarAttributeTypeS})
	}
	in := &dynamodb.CreateTableInput{
		TableName:              aws.String(uniqueName("cap")),
		AttributeDefinitions:   defs,
		KeySchema:              []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		ProvisionedThroughput:  pt,
		OnDemandThroughput:     od,
		GlobalSecondaryIndexes: gsis,
	}
	if pt == nil {
		in.BillingMode = types.BillingModePayPerRequest
	}
	if _, err := e.db.CreateTable(ctx(e.t), in); err != nil {
		e.t.Fatalf("CreateTable: %v", err)
	}
	return *in.TableName
}

// enforce switches enforcement on for table, keeping burst seconds of
// unused provisioned capacity (0: DynamoDB's 300).
func (e *throttleEnv) enforce(table string, burst int64) client.CapacityStatus {
	e.t.Helper()
	on := true
	s, err := e.adm.SetTableCapacity(ctx(e.t), table, client.CapacityConfig{Enabled: &on, BurstSeconds: burst})
	if err != nil {
		e.t.Fatalf("PUT /_admin/capacity/%s: %v", table, err)
	}
	return s
}

// status reads the table's enforcement state.
func (e *throttleEnv) status(table string) client.CapacityStatus {
	e.t.Helper()
	s, err := e.adm.TableCapacity(ctx(e.t), table)
	if err != nil {
		e.t.Fatalf("GET /_admin/capacity/%s: %v", table, err)
	}
	return s
}

// putKey writes a one-unit item.
func (e *throttleEnv) putKey(table, key string) error {
	_, err := e.db.PutItem(ctx(e.t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk(key)})
	return err
}

// putUntilThrottled writes one-unit items (keys from key(i)) until one is
// refused or max succeeded, and returns how many succeeded and the
// refusal.
func (e *throttleEnv) putUntilThrottled(table string, max int, key func(i int) string) (int, error) {
	e.t.Helper()
	for i := range max {
		if err := e.putKey(table, key(i)); err != nil {
			return i, err
		}
	}
	return max, nil
}

// arnOf is the ARN of table in the emulator.
func arnOf(table string) string {
	return "arn:aws:dynamodb:us-east-1:000000000000:table/" + table
}

// throttleReasons renders the ThrottlingReasons of a throttling error and
// its type: "PTEE" (ProvisionedThroughputExceededException) or "TE"
// (ThrottlingException), e.g. "PTEE [TableWriteKeyRangeThroughputExceeded arn...]".
func throttleReasons(t testing.TB, err error) (kind string, reasons []string, msg string) {
	t.Helper()
	var pe *types.ProvisionedThroughputExceededException
	var te *types.ThrottlingException
	var rs []types.ThrottlingReason
	switch {
	case errors.As(err, &pe):
		kind, rs, msg = "PTEE", pe.ThrottlingReasons, pe.ErrorMessage()
	case errors.As(err, &te):
		kind, rs, msg = "TE", te.ThrottlingReasons, te.ErrorMessage()
	default:
		t.Fatalf("want a throttling error, got %v", err)
	}
	for _, r := range rs {
		reasons = append(reasons, aws.ToString(r.Reason)+" "+aws.ToString(r.Resource))
	}
	return kind, reasons, msg
}

// wantThrottled fails unless err is a throttling error of kind with
// exactly the reasons want.
func wantThrottled(t testing.TB, what string, err error, kind string, want ...string) {
	t.Helper()
	gotKind, got, _ := throttleReasons(t, err)
	if gotKind != kind || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: %s %v, want %s %v", what, gotKind, got, kind, want)
	}
}

// wantCancelled returns the CancellationReasons of a
// TransactionCanceledException, failing on any other error.
func wantCancelled(t testing.TB, err error) []types.CancellationReason {
	t.Helper()
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("want TransactionCanceledException, got %v", err)
	}
	return tce.CancellationReasons
}

// renderReasons renders cancellation reasons as "Code: Message" lines.
func renderReasons(rs []types.CancellationReason) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\n  %s: %s", aws.ToString(r.Code), aws.ToString(r.Message))
	}
	return b.String()
}
