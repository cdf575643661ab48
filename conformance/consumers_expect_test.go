package conformance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults/client"
)

// client.ExpectNoMissed, the test helper that fails a test when a stream
// consumer lost changes, run against a recorder standing in for the test.

// failRecorder is a testing.TB that records failures (formatted) instead
// of failing the test; everything else goes to the real test.
type failRecorder struct {
	testing.TB
	failures []string
}

func (r *failRecorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *failRecorder) Fatalf(format string, args ...any) {
	r.TB.Helper()
	r.TB.Fatalf("ExpectNoMissed could not check: "+format, args...)
}

func TestExpectNoMissedPassesForACompleteConsumerAndListsWhatAStalledOneLost(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	e := newFaultEnv(t, emulator.Options{Clock: clock.NewFrozen(start)})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	complete, stalled := e.as("complete"), e.as("stalled")
	e.putOrders(table, "ORDER", 4)
	shard := aws.ToString(complete.shards(arn, 0)[0].ShardId)
	all := complete.readShard(arn, shard)
	if len(all) != 4 {
		t.Fatalf("read %d records", len(all))
	}
	if out := stalled.records(stalled.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""), 1); len(out.Records) != 1 {
		t.Fatalf("the stalled reader read %d records", len(out.Records))
	}
	if err := e.adm.NameConsumer(ctx(t), "stalled", "kcl-worker-1"); err != nil {
		t.Fatal(err)
	}

	// Before the clock moves, the stalled reader's three records are only
	// pending: lag, not loss, unless pending changes count too.
	lagging := &failRecorder{TB: t}
	client.ExpectNoMissed(lagging, e.adm, "kcl-worker-1", false)
	if len(lagging.failures) != 0 {
		t.Errorf("pending changes failed the check:\n%s", strings.Join(lagging.failures, "\n"))
	}
	strict := &failRecorder{TB: t}
	client.ExpectNoMissed(strict, e.adm, "kcl-worker-1", true)
	if len(strict.failures) != 1 || !strings.HasPrefix(strict.failures[0], "consumer kcl-worker-1 missed 3 changes:\n") ||
		!strings.Contains(strict.failures[0], " pending\n") {
		t.Errorf("with pending counted: %q", strict.failures)
	}

	e.advance(25 * time.Hour) // retention trims what the stalled reader never read
	ok := &failRecorder{TB: t}
	client.ExpectNoMissed(ok, e.adm, "complete", true)
	if len(ok.failures) != 0 {
		t.Errorf("a consumer that read every change failed the check:\n%s", strings.Join(ok.failures, "\n"))
	}
	lost := &failRecorder{TB: t}
	client.ExpectNoMissed(lost, e.adm, "kcl-worker-1", false)
	at := start.Add(25 * time.Hour).Format(time.RFC3339)
	want := "consumer kcl-worker-1 missed 3 changes:\n"
	for _, r := range all[1:] {
		want += fmt.Sprintf("  pk=%s INSERT seq %s in %s %s trimmed at %s\n",
			streamItem(r.Dynamodb.Keys)["pk"].(*types.AttributeValueMemberS).Value,
			aws.ToString(r.Dynamodb.SequenceNumber), table, shard, at)
	}
	if len(lost.failures) != 1 || lost.failures[0] != want {
		t.Errorf("failure of the stalled consumer:\n got %q\nwant %q", lost.failures, want)
	}
}
