package conformance

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/faults"
)

// A real aws-lambda-go handler run under the Runtime Interface Emulator
// behind event source mappings: the event shape, poison records, bisect,
// partial batch responses, retries, record age, retention, on-failure
// destinations, disable/enable and function swaps, resharding, filters,
// tumbling windows and the function timeout.

// poisonOf is a decide function failing every batch holding a record whose
// pk is in poison, succeeding otherwise.
func poisonOf(poison ...string) func(int, ddbEvent, []byte) instruction {
	return func(_ int, ev ddbEvent, _ []byte) instruction {
		for _, r := range ev.Records {
			if slices.Contains(poison, r.pk()) {
				return instruction{Action: "error", Message: "poison " + r.pk()}
			}
		}
		return instruction{}
	}
}

// delivered lists the pks of the records of every event that succeeded
// (per decide), in order.
func succeeded(t *testing.T, events []json.RawMessage, poison ...string) []string {
	var out []string
	for _, raw := range events {
		ev := parseEvent(t, raw)
		bad := false
		for _, r := range ev.Records {
			bad = bad || slices.Contains(poison, r.pk())
		}
		if !bad {
			for _, r := range ev.Records {
				out = append(out, r.pk())
			}
		}
	}
	return out
}

func TestRIEEventShape(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	rec := newRecorder(t, nil)
	e.startRIE("shape", 3*time.Second, rec)
	table, arn := e.streamTable()
	e.createMapping(minimal("shape", arn))
	e.put(table, attrs{"pk": &types.AttributeValueMemberS{Value: "a"}, "b": &types.AttributeValueMemberB{Value: []byte("foobar")},
		"n": &types.AttributeValueMemberN{Value: "1.5"}, "l": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberBOOL{Value: true}}}})
	e.update(table, attrs{"pk": &types.AttributeValueMemberS{Value: "a"}}, "SET n = :n", attrs{":n": &types.AttributeValueMemberN{Value: "2"}})
	e.del(table, attrs{"pk": &types.AttributeValueMemberS{Value: "a"}})
	waitFor(t, "3 records", func() bool { return countRecords(t, rec.got()) == 3 })
	want := e.readStream(arn)
	var got []map[string]any
	for _, raw := range rec.got() {
		var ev struct {
			Records []map[string]any `json:"Records"`
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		if len(ev.Records) == 0 {
			t.Fatalf("event without records: %s", raw)
		}
		got = append(got, ev.Records...)
	}
	if len(got) != len(want) {
		t.Fatalf("%d records delivered, stream has %d", len(got), len(want))
	}
	for i, r := range got {
		w := want[i]
		d, _ := r["dynamodb"].(map[string]any)
		checks := []struct {
			name      string
			got, want any
		}{
			{"eventID", r["eventID"], aws.ToString(w.EventID)},
			{"eventName", r["eventName"], string(w.EventName)},
			{"eventVersion", r["eventVersion"], "1.1"},
			{"eventSource", r["eventSource"], "aws:dynamodb"},
			{"awsRegion", r["awsRegion"], "us-east-1"},
			{"eventSourceARN", r["eventSourceARN"], arn},
			{"SequenceNumber", d["SequenceNumber"], aws.ToString(w.Dynamodb.SequenceNumber)},
			{"SizeBytes", d["SizeBytes"], float64(aws.ToInt64(w.Dynamodb.SizeBytes))},
			{"StreamViewType", d["StreamViewType"], "NEW_AND_OLD_IMAGES"},
			{"ApproximateCreationDateTime", d["ApproximateCreationDateTime"], float64(w.Dynamodb.ApproximateCreationDateTime.Unix())},
			{"userIdentity absent", r["userIdentity"], nil},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("record %d %s = %v (%T), want %v", i, c.name, c.got, c.got, c.want)
			}
		}
		if _, ok := d["Keys"].(map[string]any)["pk"]; !ok {
			t.Errorf("record %d Keys = %v", i, d["Keys"])
		}
		_, hasNew := d["NewImage"]
		_, hasOld := d["OldImage"]
		if hasNew != (w.Dynamodb.NewImage != nil) || hasOld != (w.Dynamodb.OldImage != nil) {
			t.Errorf("record %d images: new %v old %v, stream new %v old %v", i, hasNew, hasOld, w.Dynamodb.NewImage != nil, w.Dynamodb.OldImage != nil)
		}
	}
	first := got[0]["dynamodb"].(map[string]any)["NewImage"].(map[string]any)
	if b := first["b"].(map[string]any)["B"]; b != "Zm9vYmFy" {
		t.Errorf("binary attribute = %v, want base64 Zm9vYmFy", b)
	}
	if n := first["n"].(map[string]any)["N"]; n != "1.5" {
		t.Errorf("number attribute = %v (a JSON string \"1.5\" expected)", n)
	}
}

// countRecords counts the records of every event.
func countRecords(t *testing.T, events []json.RawMessage) int {
	n := 0
	for _, raw := range events {
		n += len(parseEvent(t, raw).Records)
	}
	return n
}

// shardsOf maps each pk written to the shard that holds it.
func (e *lambdaEnv) shardsOf(arn string) map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, sh := range e.shards(arn, 100) {
		for _, r := range e.readShard(arn, aws.ToString(sh.ShardId)) {
			out[streamItem(r.Dynamodb.Keys)["pk"].(*types.AttributeValueMemberS).Value] = aws.ToString(sh.ShardId)
		}
	}
	return out
}

func TestRIEPoisonBlocksItsShardUntilRetention(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{StreamShards: 2})
	rec := newRecorder(t, poisonOf("poison"))
	e.startRIE("blocked", 3*time.Second, rec)
	table, arn := e.streamTable()
	id := aws.ToString(e.createMapping(minimal("blocked", arn)).UUID)
	e.putPK(table, "poison", 0)
	for i := range 20 {
		e.putPK(table, "k"+itoa(i), i)
	}
	where := e.shardsOf(arn)
	var behind, other []string
	for i := range 20 {
		k := "k" + itoa(i)
		if where[k] == where["poison"] {
			behind = append(behind, k)
		} else {
			other = append(other, k)
		}
	}
	if len(behind) == 0 || len(other) == 0 {
		t.Fatalf("keys did not spread over both shards: %v", where)
	}
	waitFor(t, "the other shard's records", func() bool {
		return len(succeeded(t, rec.got(), "poison")) == len(other)
	})
	waitFor(t, "retries of the poison batch", func() bool { return len(rec.got()) > len(other)+3 })
	ok := succeeded(t, rec.got(), "poison")
	for _, k := range behind {
		if slices.Contains(ok, k) {
			t.Fatalf("%s, behind the poison record in its shard, was delivered", k)
		}
	}
	st := e.status(id)
	var blocked *mapping.ShardStatus
	for i := range st.Shards {
		if st.Shards[i].ShardID == where["poison"] {
			blocked = &st.Shards[i]
		}
	}
	if blocked == nil || len(blocked.Batches) != 1 || blocked.Batches[0].Attempt < 2 || blocked.Delivered != 0 {
		t.Fatalf("status of the blocked shard = %+v", blocked)
	}
	age := blocked.IteratorAgeMs
	e.advance(time.Hour)
	waitFor(t, "IteratorAge to rise with the clock", func() bool {
		for _, s := range e.status(id).Shards {
			if s.ShardID == where["poison"] && s.IteratorAgeMs >= age+time.Hour.Milliseconds() {
				return true
			}
		}
		return false
	})
	// 25 h later every record has left the stream: the shard moves on.
	e.advance(24 * time.Hour)
	e.putPK(table, "after", 1)
	waitFor(t, "a record written after retention", func() bool {
		return slices.Contains(succeeded(t, rec.got(), "poison"), "after")
	})
	ok = succeeded(t, rec.got(), "poison")
	for _, k := range behind {
		if slices.Contains(ok, k) {
			t.Fatalf("%s was delivered after it left the stream", k)
		}
	}
	if f := e.failures(id); len(f) != 0 {
		t.Fatalf("records lost to retention produced failure records: %v", f)
	}
	// The journal names every record the mapping lost to retention.
	trimmed := map[string]bool{}
	for _, en := range e.emu.Faults().Journal(faults.JournalQuery{Kind: faults.KindLoss, Limit: faults.MaxPageLimit}).Entries {
		if en.Reason == "trimmed" && en.Consumer == id {
			trimmed[en.Keys.String()] = true
		}
	}
	for _, k := range append([]string{"poison"}, behind...) {
		if !trimmed["pk=S:"+k] {
			t.Errorf("no trimmed loss entry of the mapping for %s (entries for %v)", k, trimmed)
		}
	}
}

func TestRIEBisectIsolatesPoison(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	rec := newRecorder(t, poisonOf("k5"))
	e.startRIE("bisect", 3*time.Second, rec)
	table, arn := e.streamTable()
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/pause", nil, http.StatusOK, nil)
	for i := range 8 {
		e.putPK(table, "k"+itoa(i), i)
	}
	in := minimal("bisect", arn)
	in.BatchSize, in.MaximumRetryAttempts, in.BisectBatchOnFunctionError = aws.Int32(8), aws.Int32(1), aws.Bool(true)
	id := aws.ToString(e.createMapping(in).UUID)
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/resume", nil, http.StatusOK, nil)
	waitFor(t, "the poison record's failure", func() bool { return len(e.failures(id)) == 1 })
	waitFor(t, "the other records", func() bool { return len(succeeded(t, rec.got(), "k5")) == 7 })
	if got := succeeded(t, rec.got(), "k5"); !slices.Equal(got, []string{"k0", "k1", "k2", "k3", "k4", "k6", "k7"}) {
		t.Fatalf("delivered %v", got)
	}
	f := e.failures(id)[0]
	info := f["DDBStreamBatchInfo"].(map[string]any)
	rc := f["requestContext"].(map[string]any)
	if info["batchSize"] != float64(1) || rc["condition"] != "RetryAttemptsExhausted" || rc["approximateInvokeCount"] != float64(2) {
		t.Fatalf("failure record = %v", f)
	}
	batches := pks(t, rec.got())
	if len(batches[0]) != 8 {
		t.Fatalf("first invocation carried %v, want the whole batch of 8", batches[0])
	}
	// The journal names the discarded record.
	page := e.emu.Faults().Journal(faults.JournalQuery{Kind: faults.KindLoss})
	if len(page.Entries) != 1 || page.Entries[0].Keys.String() != "pk=S:k5" || page.Entries[0].Consumer != id ||
		page.Entries[0].Reason != "discarded" || !strings.Contains(page.Entries[0].Detail, "RetryAttemptsExhausted") {
		t.Fatalf("journal = %+v", page.Entries)
	}
}

func TestRIEReportBatchItemFailures(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	var once sync.Once
	rec := newRecorder(t, func(_ int, ev ddbEvent, _ []byte) instruction {
		for _, r := range ev.Records {
			if r.pk() == "k2" {
				resp := ""
				once.Do(func() { resp = `{"batchItemFailures":[{"itemIdentifier":"` + r.Dynamodb.SequenceNumber + `"}]}` })
				if resp != "" {
					return instruction{Response: json.RawMessage(resp)}
				}
			}
		}
		return instruction{Response: json.RawMessage(`{"batchItemFailures":[]}`)}
	})
	e.startRIE("partial", 3*time.Second, rec)
	table, arn := e.streamTable()
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/pause", nil, http.StatusOK, nil)
	for i := range 5 {
		e.putPK(table, "k"+itoa(i), i)
	}
	in := minimal("partial", arn)
	in.BatchSize = aws.Int32(5)
	in.FunctionResponseTypes = []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures}
	e.createMapping(in)
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/resume", nil, http.StatusOK, nil)
	waitFor(t, "two invocations", func() bool { return len(rec.got()) == 2 })
	time.Sleep(50 * time.Millisecond)
	got := pks(t, rec.got())
	if len(got) != 2 || !slices.Equal(got[0], []string{"k0", "k1", "k2", "k3", "k4"}) || !slices.Equal(got[1], []string{"k2", "k3", "k4"}) {
		t.Fatalf("invocations %v: want the batch, then its records from the reported one", got)
	}
}

// TestRIEPartialResponseRules checks Lambda's classification of partial
// batch responses (AWS-verified): each response below, for a one-record
// batch with MaximumRetryAttempts 1, either succeeds at once or fails the
// whole batch (2 invocations, then a failure record whose functionError is
// null).
func TestRIEPartialResponseRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, response string
		ok             bool
	}{
		{"empty list", `{"batchItemFailures":[]}`, true},
		{"null list", `{"batchItemFailures":null}`, true},
		{"empty object", `{}`, true},
		{"null", `null`, true},
		{"empty array", `[]`, true},
		{"empty identifier", `{"batchItemFailures":[{"itemIdentifier":""}]}`, false},
		{"null identifier", `{"batchItemFailures":[{"itemIdentifier":null}]}`, false},
		{"unknown identifier", `{"batchItemFailures":[{"itemIdentifier":"123"}]}`, false},
		{"wrong key", `{"batchItemFailures":[{"foo":123}]}`, false},
	}
	e := newLambdaEnv(t, emulator.Options{})
	responses := map[string]string{}
	var mu sync.Mutex
	rec := newRecorder(t, func(_ int, ev ddbEvent, _ []byte) instruction {
		mu.Lock()
		defer mu.Unlock()
		return instruction{Response: json.RawMessage(responses[ev.Records[0].EventSourceARN])}
	})
	e.startRIE("rules", 3*time.Second, rec)
	ids := map[string]string{}
	for _, c := range cases {
		table, arn := e.streamTable()
		mu.Lock()
		responses[arn] = c.response
		mu.Unlock()
		in := minimal("rules", arn)
		in.MaximumRetryAttempts = aws.Int32(1)
		in.FunctionResponseTypes = []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures}
		ids[c.name] = aws.ToString(e.createMapping(in).UUID)
		e.putPK(table, "k", 1)
	}
	for _, c := range cases {
		id := ids[c.name]
		if c.ok {
			waitFor(t, c.name+" delivered", func() bool { s := e.status(id); return len(s.Shards) == 1 && s.Shards[0].Delivered == 1 })
			if s := e.status(id); s.Stats.Invocations != 1 {
				t.Errorf("%s: %d invocations, want 1", c.name, s.Stats.Invocations)
			}
			continue
		}
		waitFor(t, c.name+" discarded", func() bool { return len(e.failures(id)) == 1 })
		f := e.failures(id)[0]
		rc := f["requestContext"].(map[string]any)
		resp := f["responseContext"].(map[string]any)
		if fe, ok := resp["functionError"]; !ok || fe != nil || rc["approximateInvokeCount"] != float64(2) {
			t.Errorf("%s: failure record %v", c.name, f)
		}
	}
}

func TestRIERetriesAgeAndOnFailure(t *testing.T) {
	t.Parallel()
	sink := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{sink.function("sink")}}})
	rec := newRecorder(t, poisonOf("bad"))
	e.startRIE("retry", 3*time.Second, rec)
	var urlMu sync.Mutex
	var posted [][]byte
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(b)
		urlMu.Lock()
		posted = append(posted, b)
		urlMu.Unlock()
	}))
	t.Cleanup(dest.Close)

	// MaximumRetryAttempts 2: three invocations, then the failure record to
	// the function destination. BatchSize 1 keeps the good record out of the
	// bad one's batch, which it would otherwise join (and be discarded with)
	// when both are written before the first poll.
	table, arn := e.streamTable()
	in := minimal("retry", arn)
	in.MaximumRetryAttempts, in.BatchSize = aws.Int32(2), aws.Int32(1)
	in.DestinationConfig = &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: aws.String("arn:aws:lambda:us-east-1:000000000000:function:sink")}}
	retryID := aws.ToString(e.createMapping(in).UUID)
	e.putPK(table, "bad", 1)
	e.putPK(table, "good", 2)
	waitFor(t, "the failure record at the function destination", func() bool { return len(sink.got()) == 1 })
	waitFor(t, "the record after the discarded one", func() bool { return slices.Contains(succeeded(t, rec.got(), "bad"), "good") })
	var f mapping.Failure
	if err := json.Unmarshal(sink.got()[0], &f); err != nil {
		t.Fatal(err)
	}
	if f.RequestContext.Condition != "RetryAttemptsExhausted" || f.RequestContext.ApproximateInvokeCount != 3 ||
		f.RequestContext.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:retry" || f.BatchInfo.BatchSize != 1 ||
		f.BatchInfo.StreamArn != arn || f.Version != "1.0" || f.ResponseContext.FunctionError == nil || *f.ResponseContext.FunctionError != "Unhandled" {
		t.Fatalf("failure record = %+v", f)
	}
	if n := len(pks(t, rec.got())); n != 4 {
		t.Fatalf("%d invocations, want 3 for the bad batch and 1 for the good one", n)
	}
	waitFor(t, "the good record checkpointed", func() bool { return e.status(retryID).Shards[0].Delivered == 1 })
	if s := e.status(retryID); s.Shards[0].Discarded != 1 || s.Stats.Errors != 3 || s.Stats.Invocations != 4 {
		t.Fatalf("status = %+v", s)
	}

	// MaximumRecordAgeInSeconds 60: the record is retried until the clock
	// passes its age, then discarded to the URL destination.
	table2, arn2 := e.streamTable()
	in2 := minimal("retry", arn2)
	in2.MaximumRecordAgeInSeconds = aws.Int32(60)
	in2.DestinationConfig = &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: aws.String(dest.URL)}}
	ageID := aws.ToString(e.createMapping(in2).UUID)
	e.putPK(table2, "bad", 1)
	waitFor(t, "a few retries", func() bool { return e.status(ageID).Stats.Errors >= 2 })
	e.advance(2 * time.Minute)
	waitFor(t, "the failure record at the URL", func() bool { urlMu.Lock(); defer urlMu.Unlock(); return len(posted) == 1 })
	var g mapping.Failure
	if err := json.Unmarshal(posted[0], &g); err != nil {
		t.Fatal(err)
	}
	if g.RequestContext.Condition != "RecordAgeExceeded" || g.BatchInfo.BatchSize != 1 {
		t.Fatalf("failure record = %+v", g)
	}
	if got := e.failures(ageID); len(got) != 1 {
		t.Fatalf("failures list = %v", got)
	}
}

func TestRIEDisableEnableAndFunctionSwap(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	blue, green := newRecorder(t, nil), newRecorder(t, nil)
	e.startRIE("blue", 3*time.Second, blue)
	e.startRIE("green", 3*time.Second, green)
	table, arn := e.streamTable()
	id := aws.ToString(e.createMapping(minimal("blue", arn)).UUID)
	for i := range 5 {
		e.putPK(table, "a"+itoa(i), i)
	}
	waitFor(t, "5 records at blue", func() bool { return countRecords(t, blue.got()) == 5 })
	e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{Enabled: aws.Bool(false)})
	waitFor(t, "Disabled", func() bool { return aws.ToString(e.getMapping(id).State) == "Disabled" })
	for i := range 5 {
		e.putPK(table, "b"+itoa(i), i)
	}
	time.Sleep(100 * time.Millisecond)
	if n := countRecords(t, blue.got()); n != 5 {
		t.Fatalf("a disabled mapping delivered: %d records", n)
	}
	e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{Enabled: aws.Bool(true)})
	waitFor(t, "the records written while disabled", func() bool { return countRecords(t, blue.got()) == 10 })
	e.getMapping(id) // settles Enabling
	e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{FunctionName: aws.String("green")})
	for i := range 5 {
		e.putPK(table, "c"+itoa(i), i)
	}
	waitFor(t, "the new records at green", func() bool { return countRecords(t, green.got()) == 5 })
	time.Sleep(50 * time.Millisecond)
	var all []string
	for _, ev := range append(pks(t, blue.got()), pks(t, green.got())...) {
		all = append(all, ev...)
	}
	var want []string
	for _, p := range []string{"a", "b", "c"} {
		for i := range 5 {
			want = append(want, p+itoa(i))
		}
	}
	if !slices.Equal(all, want) {
		t.Fatalf("delivered %v, want each record once in order %v", all, want)
	}
	for _, ev := range pks(t, green.got()) {
		for _, k := range ev {
			if !strings.HasPrefix(k, "c") {
				t.Fatalf("green got %s, written before the swap", k)
			}
		}
	}
}

func TestRIEReshardingParentBeforeChild(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	rec := newRecorder(t, nil)
	e.startRIE("reshard", 3*time.Second, rec)
	table, arn := e.streamTable()
	e.createMapping(minimal("reshard", arn))
	parent := e.openShard(arn)
	for i := range 5 {
		e.putPK(table, "p"+itoa(i), i)
	}
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+parent+"/pause", nil, http.StatusOK, nil)
	for i := range 5 {
		e.putPK(table, "q"+itoa(i), i)
	}
	e.shardAction(table, parent, "rollover")
	for i := range 5 {
		e.putPK(table, "r"+itoa(i), i)
	}
	var child string
	for _, sh := range e.shards(arn, 100) {
		if aws.ToString(sh.ParentShardId) == parent {
			child = aws.ToString(sh.ShardId)
		}
	}
	e.shardAction(table, child, "split")
	for i := range 10 {
		e.putPK(table, "s"+itoa(i), i)
	}
	time.Sleep(100 * time.Millisecond)
	for _, k := range flat(pks(t, rec.got())) {
		if !strings.HasPrefix(k, "p") {
			t.Fatalf("%s delivered while its parent shard was paused with records left", k)
		}
	}
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+parent+"/resume", nil, http.StatusOK, nil)
	waitFor(t, "all 25 records", func() bool { return countRecords(t, rec.got()) == 25 })
	got := flat(pks(t, rec.got()))
	pos := map[string]int{}
	for i, k := range got {
		pos[k] = i
	}
	for i := range 5 {
		if pos["q"+itoa(i)] > pos["r0"] || pos["r"+itoa(i)] > pos["s0"] && pos["r"+itoa(i)] > pos["s9"] {
			t.Fatalf("a child shard was read before its parent was finished: %v", got)
		}
	}
	for i := range 10 {
		if pos["s"+itoa(i)] < pos["r4"] {
			t.Fatalf("a grandchild record came before the child's records: %v", got)
		}
	}
}

// openShard returns the ID of the stream's first shard.
func (e *lambdaEnv) openShard(arn string) string {
	e.t.Helper()
	return aws.ToString(e.shards(arn, 100)[0].ShardId)
}

// flat joins batches.
func flat(batches [][]string) []string {
	var out []string
	for _, b := range batches {
		out = append(out, b...)
	}
	return out
}

func TestRIEFunctionTimeout(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	rec := newRecorder(t, func(n int, _ ddbEvent, _ []byte) instruction {
		return instruction{Action: "sleep", SleepMs: 2500}
	})
	e.startRIE("slow", time.Second, rec)
	table, arn := e.streamTable()
	in := minimal("slow", arn)
	in.MaximumRetryAttempts = aws.Int32(0)
	id := aws.ToString(e.createMapping(in).UUID)
	e.putPK(table, "k", 1)
	waitFor(t, "the timed-out batch discarded", func() bool { return len(e.failures(id)) == 1 })
	f := e.failures(id)[0]
	if f["responseContext"].(map[string]any)["functionError"] != "Unhandled" {
		t.Fatalf("failure record = %v", f)
	}
	if s := e.status(id); s.Stats.Errors != 1 || s.Stats.Invocations != 1 {
		t.Fatalf("stats = %+v", s.Stats)
	}
}

func TestRIEFiltersAndTumblingWindows(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	var mu sync.Mutex
	var windows []map[string]any
	rec := newRecorder(t, func(_ int, _ ddbEvent, raw []byte) instruction {
		var w map[string]any
		_ = json.Unmarshal(raw, &w)
		if _, ok := w["window"]; !ok {
			return instruction{}
		}
		mu.Lock()
		windows = append(windows, w)
		mu.Unlock()
		state, _ := w["state"].(map[string]any)
		count := len(w["Records"].([]any))
		if c, ok := state["count"].(string); ok {
			count += len(c)
		}
		return instruction{Response: json.RawMessage(`{"state":{"count":"` + strings.Repeat("x", count) + `"},"batchItemFailures":[]}`)}
	})
	e.startRIE("windows", 3*time.Second, rec)

	// Filters: only INSERTs of pk "keep*" reach the function; the others
	// are checkpointed.
	table, arn := e.streamTable()
	in := minimal("windows", arn)
	in.FilterCriteria = &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(
		`{"eventName":["INSERT"],"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"keep"}]}}}}`)}}}
	fid := aws.ToString(e.createMapping(in).UUID)
	e.putPK(table, "keep1", 1)
	e.putPK(table, "drop", 2)
	e.putPK(table, "keep1", 3) // a MODIFY
	e.putPK(table, "keep2", 4)
	waitFor(t, "the filtered mapping's checkpoint", func() bool {
		s := e.status(fid)
		return len(s.Shards) == 1 && s.Shards[0].Delivered+s.Shards[0].Filtered == 4
	})
	if got := flat(pks(t, rec.got())); !slices.Equal(got, []string{"keep1", "keep2"}) {
		t.Fatalf("delivered %v, want the two matching INSERTs", got)
	}

	// Tumbling windows: state carried between invocations, then a final
	// invocation once the window's end passes on the clock.
	table2, arn2 := e.streamTable()
	in2 := minimal("windows", arn2)
	in2.TumblingWindowInSeconds, in2.BatchSize = aws.Int32(60), aws.Int32(2)
	e.adminDo(http.MethodPost, "streams/"+table2+"/shards/"+e.openShard(arn2)+"/pause", nil, http.StatusOK, nil)
	for i := range 3 {
		e.putPK(table2, "w"+itoa(i), i)
	}
	e.createMapping(in2)
	e.adminDo(http.MethodPost, "streams/"+table2+"/shards/"+e.openShard(arn2)+"/resume", nil, http.StatusOK, nil)
	waitFor(t, "two window invocations", func() bool { mu.Lock(); defer mu.Unlock(); return len(windows) >= 2 })
	e.advance(2 * time.Minute)
	waitFor(t, "the final invocation", func() bool { mu.Lock(); defer mu.Unlock(); return len(windows) == 3 })
	mu.Lock()
	defer mu.Unlock()
	final := windows[2]
	if final["isFinalInvokeForWindow"] != true || len(final["Records"].([]any)) != 0 {
		t.Fatalf("final invocation = %v", final)
	}
	if c := final["state"].(map[string]any)["count"]; c != "xxx" {
		t.Fatalf("state at the final invocation = %v, want the count of 3 records carried over", c)
	}
	if windows[0]["shardId"] != e.openShard(arn2) || windows[0]["eventSourceARN"] != arn2 || windows[1]["isFinalInvokeForWindow"] != false {
		t.Fatalf("window events %v", windows[:2])
	}
	w := windows[0]["window"].(map[string]any)
	start, _ := time.Parse(time.RFC3339, w["start"].(string))
	end, _ := time.Parse(time.RFC3339, w["end"].(string))
	if end.Sub(start) != time.Minute {
		t.Fatalf("window %v", w)
	}
}
