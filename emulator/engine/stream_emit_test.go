package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestStreamRecordsOfWrites(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "NEW_AND_OLD_IMAGES")
	mustPut(t, e, "Tab", pkItem("a", "x", "1"))
	mustPut(t, e, "Tab", pkItem("a", "x", "2"))
	mustUpdate(t, e, "Tab", pkItem("a"), "SET y = :v", ExpressionValues{":v": attr.Str("3")})
	mustDelete(t, e, "Tab", pkItem("a"))
	recs := readStream(t, e, arn)
	if got := eventNames(recs); !slices.Equal(got, []string{"INSERT", "MODIFY", "MODIFY", "REMOVE"}) {
		t.Fatalf("events %v", got)
	}
	r := recs[1]
	if r.EventVersion != "1.1" || r.EventSource != "aws:dynamodb" || r.AwsRegion != "us-east-1" || len(r.EventID) != 32 ||
		r.UserIdentity != nil || r.Dynamodb.StreamViewType != "NEW_AND_OLD_IMAGES" ||
		r.Dynamodb.ApproximateCreationDateTime != testEpoch.Unix() {
		t.Errorf("record envelope %+v", r)
	}
	wantItem(t, r.Dynamodb.Keys.Item(), pkItem("a"))
	wantItem(t, r.Dynamodb.OldImage.Item(), pkItem("a", "x", "1"))
	wantItem(t, r.Dynamodb.NewImage.Item(), pkItem("a", "x", "2"))
	if want := int64(attr.ItemSize(pkItem("a")) + 2*attr.ItemSize(pkItem("a", "x", "1"))); r.Dynamodb.SizeBytes != want {
		t.Errorf("SizeBytes %d, want %d", r.Dynamodb.SizeBytes, want)
	}
	if !recs[0].Dynamodb.OldImage.IsZero() || !recs[3].Dynamodb.NewImage.IsZero() {
		t.Errorf("INSERT has an old image or REMOVE a new one")
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Dynamodb.SequenceNumber <= recs[i-1].Dynamodb.SequenceNumber || recs[i].EventID == recs[i-1].EventID {
			t.Errorf("record %d: sequence/eventID not increasing/unique", i)
		}
	}
}

func TestStreamNoRecordForNoOps(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "NEW_AND_OLD_IMAGES")
	m1 := attr.Map(map[string]attr.Value{"p": attr.Str("1"), "q": attr.Num("2")})
	m2 := attr.Map(map[string]attr.Value{"q": attr.Num("2"), "p": attr.Str("1")})
	mustPut(t, e, "Tab", attr.Item{"pk": attr.Str("a"), "n": attr.Num("5"), "m": m1})
	base := len(readStream(t, e, arn))
	mustPut(t, e, "Tab", attr.Item{"pk": attr.Str("a"), "n": attr.Num("5"), "m": m1})         // identical put
	mustPut(t, e, "Tab", attr.Item{"m": m2, "n": attr.Num("5"), "pk": attr.Str("a")})         // equal maps, other order
	mustUpdate(t, e, "Tab", pkItem("a"), "ADD n :z", ExpressionValues{":z": attr.Num("0")})   // ADD 0
	mustUpdate(t, e, "Tab", pkItem("a"), "SET n = :v", ExpressionValues{":v": attr.Num("5")}) // same value
	mustUpdate(t, e, "Tab", pkItem("a"), "REMOVE nope", nil)                                  // missing attribute
	mustDelete(t, e, "Tab", pkItem("missing"))                                                // missing item
	mustUpdate(t, e, "Tab", pkItem("ghost"), "REMOVE x", nil)                                 // REMOVE-only on a missing item
	if got := readStream(t, e, arn); len(got) != base {
		t.Fatalf("no-ops produced records: %v", eventNames(got[base:]))
	}
}

func TestStreamViewTypes(t *testing.T) {
	for _, view := range []string{"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"} {
		e, arn := newStreamEngine(t, "Tab", view)
		mustPut(t, e, "Tab", pkItem("a", "x", "1"))
		mustPut(t, e, "Tab", pkItem("a", "x", "2"))
		mustDelete(t, e, "Tab", pkItem("a"))
		recs := readStream(t, e, arn)
		hasNew := view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES"
		hasOld := view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES"
		for i, r := range recs {
			wantNew, wantOld := hasNew && i < 2, hasOld && i > 0
			if r.Dynamodb.NewImage.IsZero() == wantNew || r.Dynamodb.OldImage.IsZero() == wantOld || r.Dynamodb.StreamViewType != view {
				t.Errorf("%s record %d (%s): new %v old %v", view, i, r.EventName, r.Dynamodb.NewImage.Item(), r.Dynamodb.OldImage.Item())
			}
		}
	}
}

func TestStreamTTLRecordsCarryServiceIdentity(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "OLD_IMAGE")
	ctx := context.Background()
	if _, err := e.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: sp("Tab"),
		TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: sp("exp"), Enabled: bp(true)}}); err != nil {
		t.Fatal(err)
	}
	mustPut(t, e, "Tab", attr.Item{"pk": attr.Str("a"), "exp": epochN(testEpoch.Add(-time.Hour))})
	mustDelete(t, e, "Tab", pkItem("z")) // missing: nothing
	mustPut(t, e, "Tab", pkItem("b"))
	mustDelete(t, e, "Tab", pkItem("b")) // a user delete: no identity
	if n, err := e.SweepTTL(ctx); err != nil || n != 1 {
		t.Fatalf("SweepTTL = %d, %v", n, err)
	}
	recs := readStream(t, e, arn)
	if got := eventNames(recs); !slices.Equal(got, []string{"INSERT", "INSERT", "REMOVE", "REMOVE"}) {
		t.Fatalf("events %v", got)
	}
	if recs[2].UserIdentity != nil {
		t.Errorf("user delete carries %+v", recs[2].UserIdentity)
	}
	id := recs[3].UserIdentity
	if id == nil || id.Type != "Service" || id.PrincipalId != "dynamodb.amazonaws.com" || recs[3].Dynamodb.OldImage.IsZero() {
		t.Errorf("TTL delete: identity %+v old image %v", id, recs[3].Dynamodb.OldImage.Item())
	}
}

func TestStreamLifecycle(t *testing.T) {
	e, arn1 := newStreamEngine(t, "Tab", "KEYS_ONLY")
	ctx := context.Background()
	mustPut(t, e, "Tab", pkItem("a"))
	disable := &UpdateTableInput{TableName: sp("Tab"), StreamSpecification: &StreamSpecification{StreamEnabled: bp(false)}}
	if _, err := e.UpdateTable(ctx, disable); err != nil {
		t.Fatal(err)
	}
	mustPut(t, e, "Tab", pkItem("b")) // not recorded
	d, _ := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn1)})
	if d.StreamDescription.StreamStatus != "DISABLED" || d.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber == "" {
		t.Fatalf("after disable: %+v", d.StreamDescription)
	}
	if recs := readStream(t, e, arn1); len(recs) != 1 {
		t.Fatalf("disabled stream holds %d records", len(recs))
	}
	enable := &UpdateTableInput{TableName: sp("Tab"), StreamSpecification: &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("NEW_IMAGE")}}
	out, err := e.UpdateTable(ctx, enable)
	if err != nil {
		t.Fatal(err)
	}
	arn2 := out.TableDescription.LatestStreamArn
	if arn2 == arn1 {
		t.Fatal("re-enabling kept the ARN")
	}
	mustPut(t, e, "Tab", pkItem("c"))
	list, _ := e.ListStreams(ctx, &ListStreamsInput{TableName: sp("Tab")})
	if len(list.Streams) != 2 {
		t.Fatalf("ListStreams: %+v", list.Streams)
	}
	if recs := readStream(t, e, arn2); len(recs) != 1 || recs[0].Dynamodb.NewImage.IsZero() {
		t.Fatalf("new stream: %+v", recs)
	}
	if _, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("Tab")}); err != nil {
		t.Fatal(err)
	}
	d, _ = e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn2)})
	if d.StreamDescription.StreamStatus != "DISABLED" {
		t.Errorf("stream of a deleted table is %s", d.StreamDescription.StreamStatus)
	}
	// Re-created at the same instant: a new, distinct stream.
	arn3 := createStreamTable(t, e, "Tab", "KEYS_ONLY")
	if arn3 == arn1 || arn3 == arn2 {
		t.Fatalf("re-created table reuses ARN %s", arn3)
	}
	e.clock.Advance(24 * time.Hour)
	list, _ = e.ListStreams(ctx, &ListStreamsInput{TableName: sp("Tab")})
	if len(list.Streams) != 1 || list.Streams[0].StreamArn != arn3 {
		t.Fatalf("after 24 h: %+v", list.Streams)
	}
	_, err = e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn1)})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Stream: "+arn1+" not found")
}

// TestStreamRecordJSON checks the JSON of a record: Keys, OldImage and
// NewImage are DynamoDB's AttributeValue maps, byte for byte what
// attr.AppendItemJSON writes for the items, and absent images are
// omitted.
func TestStreamRecordJSON(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "NEW_AND_OLD_IMAGES")
	v1 := attr.Item{"pk": attr.Str("a\"é"), "n": attr.Num("-0.5"), "b": attr.Bin([]byte{0, 0xff}),
		"m": attr.Map(map[string]attr.Value{"z": attr.Null(), "a": {Type: attr.NS, Set: []string{"1", "2"}}})}
	v2 := attr.Item{"pk": attr.Str("a\"é"), "l": attr.List(attr.Boolean(true), attr.Str("<&>"))}
	mustPut(t, e, "Tab", v1)
	mustPut(t, e, "Tab", v2)
	recs := readStream(t, e, arn)
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	want := []map[string]attr.Item{
		{"Keys": {"pk": v1["pk"]}, "NewImage": v1},
		{"Keys": {"pk": v1["pk"]}, "NewImage": v2, "OldImage": v1},
	}
	for i, r := range recs {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf) // as the wire encodes responses
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.Dynamodb); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		var got map[string]json.RawMessage
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		for _, member := range []string{"Keys", "NewImage", "OldImage"} {
			w, ok := want[i][member]
			if g, present := got[member]; present != ok || (ok && string(g) != string(attr.AppendItemJSON(nil, w))) {
				t.Errorf("record %d %s: %s, want %s", i, member, g, attr.AppendItemJSON(nil, w))
			}
		}
	}
}
