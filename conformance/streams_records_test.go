package conformance

import (
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Stream records: shape (eventName, eventVersion, eventSource, awsRegion,
// ApproximateCreationDateTime, Keys, images, SizeBytes, SequenceNumber,
// eventID, StreamViewType), no record for writes that change nothing, and
// a record for every write path. Sources: LocalStack's AWS snapshots
// (test_dynamodb_stream_records_with_update_item, test_batch_write_items
// stream test), scylladb test_streams.py (test_streams_new_and_old_images,
// test_streams_new_image, test_streams_updateitem_old_image*, do_updates_1),
// reference §6.3 and §6.4.

var viewTypes = []types.StreamViewType{
	types.StreamViewTypeKeysOnly, types.StreamViewTypeNewImage,
	types.StreamViewTypeOldImage, types.StreamViewTypeNewAndOldImages,
}

// The AWS-recorded example of reference §6.3: an UpdateItem that creates
// the item (INSERT, SizeBytes 46), the same update again (no record), and a
// changing one (MODIFY, SizeBytes 80).
func TestStreamRecordShape(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	table, arn := e.newTable(types.StreamViewTypeNewAndOldImages, "id")
	begin := time.Now().Truncate(time.Second).Add(-time.Second)
	key := attrs{"id": avS("my-item-id")}
	set := "SET attr1 = :v1, attr2 = :v2"
	e.update(table, key, set, attrs{":v1": avS("value1"), ":v2": avS("value2")})
	e.update(table, key, set, attrs{":v1": avS("value1"), ":v2": avS("value2")})
	e.update(table, key, set, attrs{":v1": avS("value2"), ":v2": avS("value3")})
	recs := e.waitStream(arn, 2)
	end := time.Now().Add(time.Second)

	v1 := attrs{"id": avS("my-item-id"), "attr1": avS("value1"), "attr2": avS("value2")}
	v2 := attrs{"id": avS("my-item-id"), "attr1": avS("value2"), "attr2": avS("value3")}
	wantEvents(t, recs,
		streamEvent(types.StreamViewTypeNewAndOldImages, "INSERT", key, nil, v1),
		streamEvent(types.StreamViewTypeNewAndOldImages, "MODIFY", key, v1, v2))

	var start *big.Int
	holder := e.shardOf(arn)
	for _, s := range e.shards(arn, 0) {
		if aws.ToString(s.ShardId) == holder {
			start = seqNum(t, aws.ToString(s.SequenceNumberRange.StartingSequenceNumber))
		}
	}
	ids := map[string]bool{}
	for i, r := range recs {
		if aws.ToString(r.EventVersion) != "1.1" || aws.ToString(r.EventSource) != "aws:dynamodb" || aws.ToString(r.AwsRegion) != testRegion {
			t.Errorf("record %d: eventVersion %q eventSource %q awsRegion %q, want 1.1 aws:dynamodb %s",
				i, aws.ToString(r.EventVersion), aws.ToString(r.EventSource), aws.ToString(r.AwsRegion), testRegion)
		}
		id := aws.ToString(r.EventID)
		if id == "" || ids[id] {
			t.Errorf("record %d: eventID %q empty or repeated", i, id)
		}
		ids[id] = true
		if r.UserIdentity != nil {
			t.Errorf("record %d: userIdentity %+v on a user write", i, *r.UserIdentity)
		}
		d := r.Dynamodb
		if d.StreamViewType != sstypes.StreamViewTypeNewAndOldImages {
			t.Errorf("record %d: StreamViewType %q", i, d.StreamViewType)
		}
		if at := aws.ToTime(d.ApproximateCreationDateTime); at.Nanosecond() != 0 || at.Before(begin) || at.After(end) {
			t.Errorf("record %d: ApproximateCreationDateTime %v, want whole seconds in [%v, %v]", i, at, begin, end)
		}
		// Sequence numbers grow within the shard and start after the
		// shard's StartingSequenceNumber (LocalStack's AWS run).
		if n := seqNum(t, aws.ToString(d.SequenceNumber)); n.Cmp(start) <= 0 {
			t.Errorf("record %d: SequenceNumber %s not after StartingSequenceNumber %s", i, n, start)
		} else {
			start = n
		}
	}
	for i, want := range []int64{46, 80} {
		if got := aws.ToInt64(recs[i].Dynamodb.SizeBytes); got != want {
			t.Errorf("record %d (%s): SizeBytes %d, want %d", i, recs[i].EventName, got, want)
		}
	}
}

// SizeBytes is the item size of Keys plus the images the record carries
// (reference §6.3): here keys 12 bytes, each image 34.
func TestStreamRecordSizeBytesByViewType(t *testing.T) {
	t.Parallel()
	want := map[types.StreamViewType][3]int64{ // INSERT, MODIFY, REMOVE
		types.StreamViewTypeKeysOnly:        {12, 12, 12},
		types.StreamViewTypeNewImage:        {46, 46, 12},
		types.StreamViewTypeOldImage:        {12, 46, 46},
		types.StreamViewTypeNewAndOldImages: {46, 80, 46},
	}
	for _, view := range viewTypes {
		t.Run(string(view), func(t *testing.T) {
			t.Parallel()
			e := sharedEnv(t)
			table, arn := e.newTable(view, "id")
			key := attrs{"id": avS("my-item-id")}
			e.put(table, attrs{"id": avS("my-item-id"), "attr1": avS("value1"), "attr2": avS("value2")})
			e.put(table, attrs{"id": avS("my-item-id"), "attr1": avS("value2"), "attr2": avS("value3")})
			e.del(table, key)
			recs := e.waitStream(arn, 3)
			if len(recs) != 3 {
				t.Fatalf("%d records, want 3:\n%s", len(recs), recsString(recs))
			}
			for i, r := range recs {
				if got := aws.ToInt64(r.Dynamodb.SizeBytes); got != want[view][i] {
					t.Errorf("%s: SizeBytes %d, want %d", r.EventName, got, want[view][i])
				}
				if r.Dynamodb.StreamViewType != sstypes.StreamViewType(view) {
					t.Errorf("%s: StreamViewType %q, want %s", r.EventName, r.Dynamodb.StreamViewType, view)
				}
			}
		})
	}
}

// Images by view type: whole items including the keys; an item reduced to
// its keys still has an image with just the keys (scylladb
// test_streams_new_and_old_images, test_streams_new_image,
// test_streams_updateitem_old_image_empty_item).
func TestStreamRecordImagesByViewType(t *testing.T) {
	t.Parallel()
	for _, view := range viewTypes {
		t.Run(string(view), func(t *testing.T) {
			t.Parallel()
			e := sharedEnv(t)
			table, arn := e.newTable(view, "p", "c")
			key := attrs{"p": avS("piglet"), "c": avS("ninja")}
			with := func(kv ...any) attrs {
				m := attrs{"p": avS("piglet"), "c": avS("ninja")}
				for i := 0; i < len(kv); i += 2 {
					m[kv[i].(string)] = kv[i+1].(types.AttributeValue)
				}
				return m
			}
			e.update(table, key, "SET x = :v", attrs{":v": avN("2")})
			e.update(table, key, "SET y = :v", attrs{":v": avN("3")})
			e.update(table, key, "REMOVE x, y", nil)
			e.update(table, key, "SET z = :v", attrs{":v": avN("4")})
			e.del(table, key)
			wantEvents(t, e.waitStream(arn, 5),
				streamEvent(view, "INSERT", key, nil, with("x", avN("2"))),
				streamEvent(view, "MODIFY", key, with("x", avN("2")), with("x", avN("2"), "y", avN("3"))),
				streamEvent(view, "MODIFY", key, with("x", avN("2"), "y", avN("3")), with()),
				streamEvent(view, "MODIFY", key, with(), with("z", avN("4"))),
				streamEvent(view, "REMOVE", key, with("z", avN("4")), nil))
		})
	}
}

// eventName follows the pre-image: INSERT only when the item did not exist,
// MODIFY for any change of an existing item (a PutItem replacement too),
// REMOVE for a delete (scylladb do_updates_1, LocalStack AWS snapshots).
func TestStreamRecordEventNames(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	const v = types.StreamViewTypeNewAndOldImages
	table, arn := e.newTable(v, "pk")
	key := pk("fred")
	a := attrs{"pk": avS("fred"), "x": avN("2")}
	b := attrs{"pk": avS("fred"), "y": avN("3")}
	e.put(table, a)
	e.put(table, a) // identical: no record
	e.put(table, b)
	e.del(table, key)
	e.del(table, key) // missing: no record
	e.update(table, key, "SET b = :v", attrs{":v": avN("4")})
	e.update(table, key, "SET x = :v", attrs{":v": avN("5")})
	bw := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: {
		{PutRequest: &types.PutRequest{Item: attrs{"pk": avS("fred"), "x": avN("5")}}},
	}}}
	if _, err := e.db.BatchWriteItem(ctx(t), bw); err != nil {
		t.Fatalf("BatchWriteItem: %v", err)
	}
	c := attrs{"pk": avS("fred"), "b": avN("4")}
	cx := attrs{"pk": avS("fred"), "b": avN("4"), "x": avN("5")}
	wantEvents(t, e.waitStream(arn, 6),
		streamEvent(v, "INSERT", key, nil, a),
		streamEvent(v, "MODIFY", key, a, b),
		streamEvent(v, "REMOVE", key, b, nil),
		streamEvent(v, "INSERT", key, nil, c),
		streamEvent(v, "MODIFY", key, c, cx),
		streamEvent(v, "MODIFY", key, cx, attrs{"pk": avS("fred"), "x": avN("5")}))
}

// No record for a write that changes nothing (reference §6.4; scylladb
// test_streams.py, LocalStack AWS snapshots). Each case ends with a real
// change of the same item, so its records are complete once that one shows.
func TestStreamNoRecordForNoOps(t *testing.T) {
	t.Parallel()
	const v = types.StreamViewTypeNewAndOldImages
	batch := func(e *streamEnv, table string, req types.WriteRequest) {
		e.t.Helper()
		in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: {req}}}
		if _, err := e.db.BatchWriteItem(ctx(e.t), in); err != nil {
			e.t.Fatalf("BatchWriteItem: %v", err)
		}
	}
	item := attrs{"pk": avS("k"), "v": avN("1"), "n": avN("5")}
	done := attrs{"pk": avS("k"), "v": avN("1"), "n": avN("5"), "s": avN("1")}
	sentinel := func(e *streamEnv, table string) { e.update(table, pk("k"), "SET s = :one", attrs{":one": avN("1")}) }
	modified := []string{streamEvent(v, "INSERT", pk("k"), nil, item), streamEvent(v, "MODIFY", pk("k"), item, done)}
	created := []string{streamEvent(v, "INSERT", pk("k"), nil, item)}
	cases := []struct {
		name string
		noop func(e *streamEnv, table string) // on an existing item unless after is created
		want []string
	}{
		{"identical PutItem", func(e *streamEnv, table string) { e.put(table, item) }, modified},
		{"SET to the current value", func(e *streamEnv, table string) {
			e.update(table, pk("k"), "SET v = :one", attrs{":one": avN("1")})
		}, modified},
		{"REMOVE of a missing attribute", func(e *streamEnv, table string) { e.update(table, pk("k"), "REMOVE nope", nil) }, modified},
		{"ADD 0", func(e *streamEnv, table string) { e.update(table, pk("k"), "ADD n :zero", attrs{":zero": avN("0")}) }, modified},
		{"identical overwrite in BatchWriteItem", func(e *streamEnv, table string) {
			batch(e, table, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}, modified},
		{"DeleteItem of a missing item", func(e *streamEnv, table string) { e.del(table, pk("k")) }, created},
		{"BatchWriteItem delete of a missing item", func(e *streamEnv, table string) {
			batch(e, table, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: pk("k")}})
		}, created},
		{"REMOVE-only update of a missing item", func(e *streamEnv, table string) {
			e.update(table, pk("k"), "REMOVE a", nil)
		}, created},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := sharedEnv(t)
			table, arn := e.newTable(v, "pk")
			if len(c.want) == 2 {
				e.put(table, item)
				c.noop(e, table)
				sentinel(e, table)
			} else {
				c.noop(e, table)
				e.put(table, item)
			}
			wantEvents(t, e.waitStream(arn, len(c.want)), c.want...)
		})
	}
	// Maps equal up to member order are equal (scylladb#27375, AWS-verified).
	t.Run("equal map in another member order", func(t *testing.T) {
		t.Parallel()
		e := sharedEnv(t)
		table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
		wantRawOK(t, rawPutItem(t, table, `{"pk":{"S":"k"},"m":{"M":{"a":{"N":"1"},"b":{"S":"x"}}}}`))
		wantRawOK(t, rawPutItem(t, table, `{"pk":{"S":"k"},"m":{"M":{"b":{"S":"x"},"a":{"N":"1"}}}}`))
		e.update(table, pk("k"), "SET s = :one", attrs{":one": avN("1")})
		recs := e.waitStream(arn, 2)
		wantEvents(t, recs,
			streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("k"), nil, nil),
			streamEvent(types.StreamViewTypeKeysOnly, "MODIFY", pk("k"), nil, nil))
	})
}

// Every write path emits records: one per item written, none for a
// ConditionCheck (reference §6.4; LocalStack AWS snapshots for
// BatchWriteItem and PartiQL; TransactWriteItems per the developer guide).
// Records of different items have no promised order, so they are compared
// sorted.
func TestStreamWritePaths(t *testing.T) {
	t.Parallel()
	const v = types.StreamViewTypeNewAndOldImages
	item := func(k string, n string) attrs { return attrs{"pk": avS(k), "v": avN(n)} }
	cases := []struct {
		name  string
		setup []attrs
		write func(e *streamEnv, table string)
		want  []string
	}{
		{"PutItem", nil, func(e *streamEnv, table string) { e.put(table, item("a", "1")) },
			[]string{streamEvent(v, "INSERT", pk("a"), nil, item("a", "1"))}},
		{"UpdateItem", []attrs{item("a", "1")}, func(e *streamEnv, table string) {
			e.update(table, pk("a"), "SET v = :v", attrs{":v": avN("2")})
		}, []string{streamEvent(v, "MODIFY", pk("a"), item("a", "1"), item("a", "2"))}},
		{"DeleteItem", []attrs{item("a", "1")}, func(e *streamEnv, table string) { e.del(table, pk("a")) },
			[]string{streamEvent(v, "REMOVE", pk("a"), item("a", "1"), nil)}},
		{"BatchWriteItem", []attrs{item("c", "1")}, func(e *streamEnv, table string) {
			_, err := e.db.BatchWriteItem(ctx(e.t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: {
				{PutRequest: &types.PutRequest{Item: item("a", "1")}},
				{PutRequest: &types.PutRequest{Item: item("b", "2")}},
				{DeleteRequest: &types.DeleteRequest{Key: pk("c")}},
			}}})
			if err != nil {
				e.t.Fatalf("BatchWriteItem: %v", err)
			}
		}, []string{
			streamEvent(v, "INSERT", pk("a"), nil, item("a", "1")),
			streamEvent(v, "INSERT", pk("b"), nil, item("b", "2")),
			streamEvent(v, "REMOVE", pk("c"), item("c", "1"), nil),
		}},
		{"TransactWriteItems", []attrs{item("b", "1"), item("c", "1"), item("d", "1")}, func(e *streamEnv, table string) {
			tn := aws.String(table)
			_, err := e.db.TransactWriteItems(ctx(e.t), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
				{Put: &types.Put{TableName: tn, Item: item("a", "1")}},
				{Update: &types.Update{TableName: tn, Key: pk("b"), UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: attrs{":v": avN("2")}}},
				{Delete: &types.Delete{TableName: tn, Key: pk("c")}},
				{ConditionCheck: &types.ConditionCheck{TableName: tn, Key: pk("d"), ConditionExpression: aws.String("attribute_exists(pk)")}},
			}})
			if err != nil {
				e.t.Fatalf("TransactWriteItems: %v", err)
			}
		}, []string{
			streamEvent(v, "INSERT", pk("a"), nil, item("a", "1")),
			streamEvent(v, "MODIFY", pk("b"), item("b", "1"), item("b", "2")),
			streamEvent(v, "REMOVE", pk("c"), item("c", "1"), nil),
		}},
		{"PartiQL", nil, func(e *streamEnv, table string) {
			for _, stmt := range []string{
				`INSERT INTO "` + table + `" VALUE {'pk': 'a', 'v': 1}`,
				`UPDATE "` + table + `" SET v = 2 WHERE pk = 'a'`,
				`DELETE FROM "` + table + `" WHERE pk = 'a'`,
			} {
				if _, err := e.db.ExecuteStatement(ctx(e.t), &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt)}); err != nil {
					e.t.Fatalf("ExecuteStatement %s: %v", stmt, err)
				}
			}
		}, []string{
			streamEvent(v, "INSERT", pk("a"), nil, item("a", "1")),
			streamEvent(v, "MODIFY", pk("a"), item("a", "1"), item("a", "2")),
			streamEvent(v, "REMOVE", pk("a"), item("a", "2"), nil),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := sharedEnv(t)
			table, arn := e.newTable(v, "pk")
			for _, it := range c.setup {
				e.put(table, it)
			}
			c.write(e, table)
			var want []string
			for _, it := range c.setup {
				want = append(want, streamEvent(v, "INSERT", attrs{"pk": it["pk"]}, nil, it))
			}
			want = append(want, c.want...)
			wantEvents(t, recsByItem(e.waitStream(arn, len(want))), eventsByItem(want)...)
		})
	}
}

// recsByItem groups records by item (stable: each item's own order is kept).
func recsByItem(recs []rec) []rec {
	out := append([]rec(nil), recs...)
	sort.SliceStable(out, func(i, j int) bool {
		return attrsRender(streamItem(out[i].Dynamodb.Keys)) < attrsRender(streamItem(out[j].Dynamodb.Keys))
	})
	return out
}

// byItemStrings is byItem for the rendered events of streamEvent().
func eventsByItem(events []string) []string {
	key := func(s string) string {
		s = s[strings.Index(s, " keys=")+6:]
		return s[:strings.Index(s, " old=")]
	}
	out := append([]string(nil), events...)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}
