package conformance

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// The consumer oracle: what each consumer (told apart by the access key
// id of its SigV4 signature) did not receive, and why. Every test runs a
// private emulator (newFaultEnv): the clock moves and the reports are
// dynafault's own.

// as returns a stream environment of e whose Streams client signs with the
// access key id akid: a consumer of its own.
func (e *faultEnv) as(akid string) *streamEnv {
	cfg := e.cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(akid, "secret", "")
	return &streamEnv{t: e.t, db: e.db, st: dynamodbstreams.NewFromConfig(cfg), url: e.url}
}

// putOrders writes n items pk=<prefix>#<i> to the table.
func (e *faultEnv) putOrders(table, prefix string, n int) {
	e.t.Helper()
	for i := range n {
		e.put(table, attrs{"pk": avS(fmt.Sprintf("%s#%d", prefix, i)), "v": avS("1")})
	}
}

// missed returns the consumer's missed changes as "pk reason", in order.
func (e *faultEnv) missed(consumer string, reasons ...string) []string {
	e.t.Helper()
	m, err := e.adm.MissedAll(ctx(e.t), consumer, client.MissedQuery{Reasons: reasons})
	if err != nil {
		e.t.Fatalf("missed of %s: %v", consumer, err)
	}
	out := make([]string, len(m))
	for i, c := range m {
		var vals []string // the key values in name order
		for _, kv := range strings.Split(c.Keys.String(), " ") {
			_, v, _ := strings.Cut(kv, "=")
			vals = append(vals, v)
		}
		out[i] = strings.Join(vals, "/") + " " + c.Reason
	}
	return out
}

func (e *faultEnv) consumer(id string) client.Consumer {
	e.t.Helper()
	c, err := e.adm.Consumer(ctx(e.t), id)
	if err != nil {
		e.t.Fatalf("consumer %s: %v", id, err)
	}
	return c
}

func wantMissed(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("missed:\n got %q\nwant %q", got, want)
	}
}

func TestConsumerStalledPastRetentionLosesExactlyWhatItNeverRead(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeNewImage, "pk")
	reader := e.as("stalled-reader")
	e.putOrders(table, "READ", 3)
	shard := reader.shardOf(arn)
	read, next := reader.drain(reader.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""))
	if len(read) != 3 || next == "" {
		t.Fatalf("read %d records", len(read))
	}
	e.putOrders(table, "LOST", 2) // the reader stalls: never reads these
	e.advance(time.Hour)
	if c := e.consumer("stalled-reader"); c.Missed[client.MissedPending] != 2 || c.LagSeconds < 3600 {
		t.Errorf("before the trim: missed %v, lag %.0fs: want 2 pending and the lag climbing", c.Missed, c.LagSeconds)
	}
	e.advance(24 * time.Hour)
	wantMissed(t, e.missed("stalled-reader"), "LOST#0 trimmed", "LOST#1 trimmed")
	c := e.consumer("stalled-reader")
	if c.Missed[client.MissedTrimmed] != 2 || c.Lost() != 2 {
		t.Errorf("after the trim: missed %v", c.Missed)
	}
	if c.LagSeconds < 25*3600 {
		t.Errorf("lag %.0fs after the loss: it must not drop while the reader has not read on", c.LagSeconds)
	}
	// The journal names each lost record, for this consumer.
	lost, err := e.adm.JournalAll(ctx(t), faults.JournalQuery{Kind: faults.KindLoss, Reason: "trimmed",
		Consumer: "stalled-reader"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, x := range lost {
		keys = append(keys, x.Keys.String())
	}
	if !slices.Equal(keys, []string{"pk=S:LOST#0", "pk=S:LOST#1"}) {
		t.Errorf("journal loss entries %s", entriesString(lost))
	}
}

func TestConsumerRestartingAtLatestAfterExpiryHasSkipped(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	reader := e.as("latest-restarter")
	e.putOrders(table, "A", 2)
	shard := reader.shardOf(arn)
	_, next := reader.drain(reader.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""))
	e.putOrders(table, "B", 2)
	if _, err := e.adm.ExpireIterators(ctx(t), table); err != nil {
		t.Fatal(err)
	}
	if _, err := reader.st.GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(next)}); err == nil {
		t.Fatal("GetRecords with an expired iterator succeeded")
	}
	reader.drain(reader.iterator(arn, shard, sstypes.ShardIteratorTypeLatest, "")) // the bug: LATEST
	e.putOrders(table, "C", 1)
	wantMissed(t, e.missed("latest-restarter"), "B#0 skipped", "B#1 skipped", "C#0 pending")
	wantMissed(t, e.missed("latest-restarter", client.MissedSkipped), "B#0 skipped", "B#1 skipped")
	ex, err := e.adm.JournalAll(ctx(t), faults.JournalQuery{Kind: faults.KindLoss, Reason: "expired",
		Consumer: "latest-restarter"})
	if err != nil || len(ex) == 0 {
		t.Errorf("no expiry entry in the journal (%v)", err)
	}
}

func TestConsumerIgnoringChildShardHasUnread(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	reader := e.as("no-children")
	good := e.as("lineage-follower")
	e.putOrders(table, "P", 2)
	parent := reader.shardOf(arn)
	kids, err := e.adm.Split(ctx(t), table, parent)
	if err != nil {
		t.Fatal(err)
	}
	e.putOrders(table, "C", 4)
	reader.readShard(arn, parent) // reads the parent to its end, never the children
	for _, id := range []string{parent, kids.Children[0], kids.Children[1]} {
		good.readShard(arn, id)
	}
	got := e.missed("no-children")
	if len(got) != 4 {
		t.Fatalf("missed %q, want the 4 child records", got)
	}
	for _, g := range got {
		if !strings.HasPrefix(g, "C#") || !strings.HasSuffix(g, " unread") {
			t.Errorf("missed %q, want a child record unread", g)
		}
	}
	wantMissed(t, e.missed("lineage-follower"))
	if c := e.consumer("lineage-follower"); c.Streams[0].OrderViolations != 0 {
		t.Errorf("order violations %d for a reader that read the parent first", c.Streams[0].OrderViolations)
	}
}

func TestConsumerReadingChildBeforeParentIsReported(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	reader := e.as("child-first")
	e.putOrders(table, "P", 2)
	parent := e.as("scout").shardOf(arn)
	kids, err := e.adm.Rollover(ctx(t), table, parent)
	if err != nil {
		t.Fatal(err)
	}
	e.putOrders(table, "C", 1)
	reader.readShard(arn, kids.Children[0])
	reader.readShard(arn, parent)
	if c := e.consumer("child-first"); c.Streams[0].OrderViolations != 1 {
		t.Errorf("order violations %d, want 1", c.Streams[0].OrderViolations)
	}
}

func TestConsumerMissesADroppedRecordWithItsJournalEntry(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.addRule(faults.Rule{ID: "lose-7", Target: faults.TargetStream, Match: faults.Match{Table: table,
		Key: map[string]faults.KeyPredicate{"pk": {Equals: aws.String("O#1")}}}, Action: faults.Action{Type: faults.ActionDrop}})
	reader := e.as("reader")
	e.putOrders(table, "O", 3)
	reader.readStream(arn)
	m, err := e.adm.MissedAll(ctx(t), "reader", client.MissedQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 1 || m[0].Reason != client.MissedDropped || m[0].Keys.String() != "pk=O#1" {
		t.Fatalf("missed %+v", m)
	}
	fired := e.journal("lose-7")
	if len(fired) != 1 || m[0].JournalSeq != fired[0].Seq {
		t.Errorf("missed change points at journal entry %d, the drop is %s", m[0].JournalSeq, entriesString(fired))
	}
}

func TestTwoConsumersOfOneStreamHaveIndependentReports(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	fast, slow := e.as("fast"), e.as("slow")
	e.putOrders(table, "X", 4)
	shard := fast.shardOf(arn)
	fast.readShard(arn, shard)
	out := slow.records(slow.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""), 1)
	if len(out.Records) != 1 {
		t.Fatalf("slow read %d records", len(out.Records))
	}
	if err := e.adm.NameConsumer(ctx(t), "slow", "kcl-worker-1"); err != nil {
		t.Fatal(err)
	}
	e.advance(25 * time.Hour)
	wantMissed(t, e.missed("fast"))
	wantMissed(t, e.missed("kcl-worker-1"), "X#1 trimmed", "X#2 trimmed", "X#3 trimmed")
	cs, err := e.adm.Consumers(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.ID+"="+c.Name+fmt.Sprint(c.Missed))
	}
	// The writer (the suite's own key) never read the stream: it is no
	// consumer.
	want := []string{"fast=map[]", "slow=kcl-worker-1map[trimmed:3]"}
	if !slices.Equal(names, want) {
		t.Errorf("consumers %q, want %q", names, want)
	}
	failure := client.DescribeMissed("kcl-worker-1", mustMissed(t, e, "kcl-worker-1"))
	if !strings.HasPrefix(failure, "consumer kcl-worker-1 missed 3 changes:\n  pk=X#1 INSERT seq ") ||
		!strings.Contains(failure, " trimmed at ") {
		t.Errorf("failure text:\n%s", failure)
	}
}

func mustMissed(t *testing.T, e *faultEnv, id string) []client.MissedChange {
	t.Helper()
	m, err := e.adm.MissedAll(ctx(t), id, client.MissedQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestChangeLedgerKeepsCommittedChangesPastFaultsAndRetention(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable(types.StreamViewTypeNewImage, "pk")
	e.addRule(faults.Rule{ID: "drop-2", Target: faults.TargetStream, Match: faults.Match{Table: table,
		Key: map[string]faults.KeyPredicate{"pk": {Equals: aws.String("L#2")}}}, Action: faults.Action{Type: faults.ActionDrop}})
	e.putOrders(table, "L", 4)
	e.update(table, attrs{"pk": avS("L#0")}, "SET v = :v", attrs{":v": avS("2")})
	e.del(table, attrs{"pk": avS("L#1")})
	e.advance(25 * time.Hour) // retention trims every record; the ledger keeps them
	all, err := e.adm.ChangesAll(ctx(t), table, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range all {
		got = append(got, fmt.Sprintf("%d %s %s %s", c.Seq, c.EventName, c.Keys.String(), c.Fate))
	}
	want := []string{"1 INSERT pk=L#0 stored", "2 INSERT pk=L#1 stored", "3 INSERT pk=L#2 dropped",
		"4 INSERT pk=L#3 stored", "5 MODIFY pk=L#0 stored", "6 REMOVE pk=L#1 stored"}
	if !slices.Equal(got, want) {
		t.Errorf("ledger:\n got %q\nwant %q", got, want)
	}
	if all[4].NewImage.String() != "pk=L#0 v=2" {
		t.Errorf("MODIFY new image %v", all[4].NewImage)
	}
	p, err := e.adm.Changes(ctx(t), table, 4, 1)
	if err != nil || len(p.Changes) != 1 || p.Changes[0].Seq != 5 || !p.More {
		t.Errorf("page after 4: %+v %v", p, err)
	}
}

func TestConsumerAdminErrors(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	if _, err := e.adm.Consumer(ctx(t), "nobody"); !client.IsNotFound(err) {
		t.Errorf("unknown consumer: %v", err)
	}
	if _, err := e.adm.Missed(ctx(t), "nobody", client.MissedQuery{}); !client.IsNotFound(err) {
		t.Errorf("missed of an unknown consumer: %v", err)
	}
	if _, err := e.adm.Missed(ctx(t), "nobody", client.MissedQuery{Reasons: []string{"lost"}}); err == nil ||
		!strings.Contains(err.Error(), `invalid reason "lost"`) {
		t.Errorf("bad reason: %v", err)
	}
	if _, err := e.adm.Changes(ctx(t), "no-such-table", 0, 0); !client.IsNotFound(err) {
		t.Errorf("ledger of an unknown table: %v", err)
	}
	if err := e.adm.NameConsumer(ctx(t), "a", "same"); err != nil {
		t.Fatal(err)
	}
	if err := e.adm.NameConsumer(ctx(t), "b", "same"); err == nil || !strings.Contains(err.Error(), "409") {
		t.Errorf("a name given twice: %v", err)
	}
}

// metricValue returns the value of the first sample of the metrics page
// whose line starts with prefix (a series name and labels), or -1.
func (e *faultEnv) metricValue(prefix string) float64 {
	e.t.Helper()
	return scrapeMetric(e.t, e.url, prefix)
}

// scrapeMetric returns the value of the first sample of GET
// /_admin/metrics of the server at url whose line starts with prefix, or
// -1.
func scrapeMetric(t testing.TB, url, prefix string) float64 {
	t.Helper()
	resp, err := http.Get(url + "/_admin/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for line := range strings.SplitSeq(string(body), "\n") {
		if strings.HasPrefix(line, prefix) {
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

func TestConsumerMetricsKeepTheLossAfterTheTrim(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	reader := e.as("metered")
	e.putOrders(table, "M", 1)
	reader.readShard(arn, reader.shardOf(arn))
	e.putOrders(table, "N", 2)
	e.advance(2 * time.Hour)
	series := `{consumer="metered",name="",table="` + table + `"`
	if lag := e.metricValue("dynafault_consumer_lag_seconds" + series + "}"); lag < 7200 {
		t.Errorf("lag %v before the trim, want the 2 h the reader has not read", lag)
	}
	missed := `dynafault_consumer_missed_records{consumer="metered",name="",reason=`
	if v := e.metricValue(missed + `"pending",table="` + table + `"}`); v != 2 {
		t.Errorf("pending %v, want 2", v)
	}
	e.advance(23 * time.Hour)
	if v := e.metricValue(missed + `"trimmed",table="` + table + `"}`); v != 2 {
		t.Errorf("trimmed %v after the trim, want 2", v)
	}
	if lag := e.metricValue("dynafault_consumer_lag_seconds" + series + "}"); lag < 25*3600 {
		t.Errorf("lag %v after the trim: it must keep climbing while the reader is stalled", lag)
	}
	age := e.metricValue(`dynafault_stream_oldest_undelivered_age_seconds{shard=`)
	if age < 25*3600 {
		t.Errorf("oldest undelivered age %v after the trim: the trim must not reset it to 0", age)
	}
}
