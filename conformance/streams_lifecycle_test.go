package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Stream lifecycle: StreamSpecification on CreateTable and UpdateTable,
// the same LatestStreamArn/Label everywhere, disabling (shards close, the
// stream stays listed and readable), re-enabling (a new ARN; the old one
// stays readable) and deleting the table (its stream stays readable).
// Sources: scylladb test_streams.py (test_latest_stream_arn,
// test_latest_stream_label, test_stream_specification,
// test_streams_closed_read, test_streams_disabled_stream, test_list_streams_*;
// the disabled-stream tests are xfail only on Alternator), awsdocs
// Streams.md, reference §3.3. The error rules of UpdateTable are in
// tables_update_test.go (TestTableStreamUpdateRules).

// streamARNs lists the ARNs ListStreams returns for a table.
func (e *streamEnv) streamARNs(table string) []string {
	e.t.Helper()
	out, err := e.st.ListStreams(ctx(e.t), &dynamodbstreams.ListStreamsInput{TableName: aws.String(table)})
	if err != nil {
		e.t.Fatalf("ListStreams %s: %v", table, err)
	}
	arns := make([]string, len(out.Streams))
	for i, s := range out.Streams {
		arns[i] = aws.ToString(s.StreamArn)
	}
	return arns
}

// waitStreamStatus polls DescribeStream until the stream has status want.
func (e *streamEnv) waitStreamStatus(arn string, want sstypes.StreamStatus) *sstypes.StreamDescription {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
		if d.StreamStatus == want {
			return d
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("stream %s is %s, want %s", arn, d.StreamStatus, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// CreateTable, DescribeTable, UpdateTable and ListStreams report the same
// stream for each view type.
func TestStreamLifecycleCreateTable(t *testing.T) {
	t.Parallel()
	for _, view := range viewTypes {
		t.Run(string(view), func(t *testing.T) {
			t.Parallel()
			e := sharedEnv(t)
			name, created := streamTable(t, view)
			arn, label := aws.ToString(created.LatestStreamArn), aws.ToString(created.LatestStreamLabel)
			if !streamARNPattern.MatchString(arn) || !strings.HasSuffix(arn, ":table/"+name+"/stream/"+label) || !labelPattern.MatchString(label) {
				t.Fatalf("LatestStreamArn %q, LatestStreamLabel %q", arn, label)
			}
			if got := e.streamARNs(name); len(got) != 1 || got[0] != arn {
				t.Errorf("ListStreams = %v, want [%s]", got, arn)
			}
			d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
			if string(d.StreamViewType) != string(view) || aws.ToString(d.StreamLabel) != label {
				t.Errorf("DescribeStream view %s label %s, want %s %s", d.StreamViewType, aws.ToString(d.StreamLabel), view, label)
			}
			// An UpdateTable that changes nothing about the stream reports
			// it unchanged (scylladb sets BillingMode to its current value).
			upd, err := updateTable(t, &dynamodb.UpdateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest})
			if err != nil {
				t.Fatalf("UpdateTable BillingMode: %v", err)
			}
			if got, want := streamSummary(upd), streamSummary(created); got != want {
				t.Errorf("UpdateTable %s, CreateTable %s", got, want)
			}
		})
	}
}

// Enabling through UpdateTable reports the new stream in the response,
// DescribeTable and ListStreams alike (scylladb test_list_streams_alter).
func TestStreamLifecycleEnableByUpdateTable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable("", "pk")
	if arn != "" || len(e.streamARNs(name)) != 0 {
		t.Fatalf("table without a stream: LatestStreamArn %q, ListStreams %v", arn, e.streamARNs(name))
	}
	upd := e.setStream(name, types.StreamViewTypeOldImage)
	arn = aws.ToString(upd.LatestStreamArn)
	if !streamARNPattern.MatchString(arn) {
		t.Fatalf("UpdateTable LatestStreamArn %q", arn)
	}
	if s := upd.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != types.StreamViewTypeOldImage {
		t.Errorf("UpdateTable StreamSpecification %+v", s)
	}
	if got, want := streamSummary(e.waitActive(name)), streamSummary(upd); got != want {
		t.Errorf("DescribeTable %s, UpdateTable %s", got, want)
	}
	if got := e.streamARNs(name); len(got) != 1 || got[0] != arn {
		t.Errorf("ListStreams = %v, want [%s]", got, arn)
	}
	e.put(name, attrs{"pk": avS("a"), "v": avN("1")})
	wantEvents(t, e.waitStream(arn, 1), streamEvent(types.StreamViewTypeOldImage, "INSERT", pk("a"), nil, nil))
}

// A failed stream change leaves the stream as it was.
func TestStreamLifecycleFailedUpdateKeepsStream(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	_, err := streamUpdate(t, name, true, types.StreamViewTypeNewImage)
	wantAPIErrorMatching(t, err, "ValidationException", `already`)
	d := e.waitActive(name)
	if aws.ToString(d.LatestStreamArn) != arn || d.StreamSpecification == nil || d.StreamSpecification.StreamViewType != types.StreamViewTypeKeysOnly {
		t.Errorf("after a refused change: %s, want the KEYS_ONLY stream %s", streamSummary(d), arn)
	}
	if got := e.streamARNs(name); len(got) != 1 || got[0] != arn {
		t.Errorf("ListStreams = %v, want [%s]", got, arn)
	}
	// StreamEnabled without a StreamViewType (API reference: the view type
	// is required when enabling).
	other, _ := e.newTable("", "pk")
	_, err = streamUpdate(t, other, true, "")
	wantAPIError(t, err, "ValidationException", "")
}

// Disabling closes every open shard (EndingSequenceNumber), keeps the stream
// listed with status DISABLED, and its records stay readable, through old
// iterators and new ones; at the end of a closed shard NextShardIterator is
// absent.
func TestStreamLifecycleDisable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	before := e.shards(arn, 0)
	latest := make([]string, len(before))
	for i, s := range before {
		latest[i] = e.iterator(arn, aws.ToString(s.ShardId), sstypes.ShardIteratorTypeLatest, "")
	}
	e.put(name, attrs{"pk": avS("a")})
	e.waitStream(arn, 1)
	e.setStream(name, "")

	if got := e.streamARNs(name); !hasString(got, arn) {
		t.Errorf("ListStreams after disabling = %v, want it to include %s", got, arn)
	}
	d := e.waitStreamStatus(arn, sstypes.StreamStatusDisabled)
	if d.StreamViewType != sstypes.StreamViewTypeKeysOnly || aws.ToString(d.TableName) != name {
		t.Errorf("disabled stream: view %s table %s", d.StreamViewType, aws.ToString(d.TableName))
	}
	shards := e.shards(arn, 0)
	for _, s := range shards {
		end := aws.ToString(s.SequenceNumberRange.EndingSequenceNumber)
		if end == "" {
			t.Errorf("shard %s still open after disabling", aws.ToString(s.ShardId))
			continue
		}
		if seqNum(t, end).Cmp(seqNum(t, aws.ToString(s.SequenceNumberRange.StartingSequenceNumber))) < 0 {
			t.Errorf("shard %s ends (%s) before it starts", aws.ToString(s.ShardId), end)
		}
	}
	if recs := e.readStream(arn); len(recs) != 1 {
		t.Errorf("TRIM_HORIZON read of the disabled stream: %d records, want 1", len(recs))
	}
	total := 0
	for _, it := range latest { // iterators taken before disabling
		recs, next := e.drain(it)
		total += len(recs)
		if next != "" {
			t.Errorf("closed shard read to its end still has a NextShardIterator")
		}
	}
	if total != 1 {
		t.Errorf("old iterators read %d records, want 1", total)
	}
}

// Re-enabling makes a new stream with a new ARN and label; both are listed;
// the old one keeps its records and gets no new ones (awsdocs Streams.md;
// scylladb test_streams_reenable, xfail only on Alternator).
func TestStreamLifecycleReenable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, oldARN := e.newTable(types.StreamViewTypeNewImage, "pk")
	e.put(name, attrs{"pk": avS("a")})
	e.waitStream(oldARN, 1)
	e.setStream(name, "")
	e.waitStreamStatus(oldARN, sstypes.StreamStatusDisabled)
	time.Sleep(2 * time.Millisecond) // labels have millisecond resolution
	upd := e.setStream(name, types.StreamViewTypeKeysOnly)
	newARN := aws.ToString(upd.LatestStreamArn)
	oldLabel := oldARN[strings.LastIndex(oldARN, "/")+1:]
	if newARN == oldARN || !streamARNPattern.MatchString(newARN) || aws.ToString(upd.LatestStreamLabel) == oldLabel {
		t.Fatalf("re-enabled LatestStreamArn %q (old %q)", newARN, oldARN)
	}
	if got := e.streamARNs(name); len(got) != 2 || !hasString(got, oldARN) || !hasString(got, newARN) {
		t.Errorf("ListStreams = %v, want the old and the new stream", got)
	}
	e.put(name, attrs{"pk": avS("b")})
	wantEvents(t, e.waitStream(newARN, 1), streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("b"), nil, nil))
	wantEvents(t, e.readStream(oldARN), streamEvent(types.StreamViewTypeNewImage, "INSERT", pk("a"), nil, attrs{"pk": avS("a")}))
}

// Deleting the table keeps its stream readable (awsdocs Streams.md: the
// data of a disabled stream stays readable for 24 hours).
func TestStreamLifecycleDeleteTable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeNewAndOldImages, "pk")
	e.put(name, attrs{"pk": avS("a"), "v": avN("1")})
	e.waitStream(arn, 1)
	if _, err := e.db.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if aws.ToString(d.TableName) != name {
		t.Errorf("DescribeStream TableName %q, want %q", aws.ToString(d.TableName), name)
	}
	wantEvents(t, e.readStream(arn),
		streamEvent(types.StreamViewTypeNewAndOldImages, "INSERT", pk("a"), nil, attrs{"pk": avS("a"), "v": avN("1")}))
}
