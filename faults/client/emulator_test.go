package client_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// wireAuth is a SigV4 header of the right shape (signatures are not
// verified).
const wireAuth = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/dynamodb/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"

// start0 is the frozen clock's start time in the tests.
var start0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// server is an in-process emulator on an httptest listener.
type server struct {
	url  string
	http *http.Client
}

// startEmulator starts an emulator with a frozen clock and returns it
// with a client of its admin API.
func startEmulator(t *testing.T, opts ...client.Option) (*server, *client.Client) {
	t.Helper()
	emu, err := emulator.New(emulator.Options{Clock: clock.NewFrozen(start0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	s := &server{url: srv.URL, http: srv.Client()}
	return s, client.New(srv.URL, append([]client.Option{client.WithHTTPClient(srv.Client())}, opts...)...)
}

// call sends one DynamoDB operation and fails the test unless it answers
// 200.
func (s *server) call(t *testing.T, op, body string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url+"/", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Authorization", wireAuth)
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", op, resp.StatusCode, b)
	}
	return string(b)
}

// createStreamTable creates table name (key "pk") with a stream.
func (s *server) createStreamTable(t *testing.T, name string) {
	t.Helper()
	s.call(t, "CreateTable", `{"TableName":"`+name+`","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}`)
}

// put writes the item {pk: pk, v: v} to table.
func (s *server) put(t *testing.T, table, pk, v string) {
	t.Helper()
	s.call(t, "PutItem", `{"TableName":"`+table+`","Item":{"pk":{"S":"`+pk+`"},"v":{"N":"`+v+`"}}}`)
}

func TestHealthAndClock(t *testing.T) {
	t.Parallel()
	_, c := startEmulator(t)
	ctx := t.Context()
	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := c.Clock(ctx)
	if err != nil || !st.Now.Equal(start0) || st.Mode != client.ClockFrozen {
		t.Fatalf("Clock = %+v, %v", st, err)
	}
	st, err = c.AdvanceClock(ctx, 25*time.Hour)
	if err != nil || !st.Now.Equal(start0.Add(25*time.Hour)) || st.JournalSeq == 0 {
		t.Fatalf("AdvanceClock = %+v, %v", st, err)
	}
	if e, err := c.JournalAll(ctx, faults.JournalQuery{Kind: faults.KindClock}); err != nil || len(e) != 1 ||
		e[0].Seq != st.JournalSeq || e[0].Action != faults.ClockAdvance {
		t.Fatalf("clock entries %+v, %v; want the advance at seq %d", e, err, st.JournalSeq)
	}
	at := time.Date(2031, 6, 1, 12, 0, 0, 0, time.UTC)
	if st, err = c.SetClock(ctx, at); err != nil || !st.Now.Equal(at) {
		t.Fatalf("SetClock = %+v, %v", st, err)
	}
	if st, err = c.SetClockMode(ctx, client.ClockReal); err != nil || st.Mode != client.ClockReal {
		t.Fatalf("SetClockMode = %+v, %v", st, err)
	}
	_, err = c.AdvanceClock(ctx, -time.Hour)
	var e *client.Error
	if !client.IsStatus(err, http.StatusBadRequest) || !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("negative advance: %v", err)
	}
	if _, err := c.SetClockMode(ctx, "sideways"); !client.IsStatus(err, http.StatusBadRequest) {
		t.Fatalf("bad mode: %v", err)
	}
	// SetClockOffset(0): back to wall time, running.
	before := time.Now()
	st, err = c.SetClockOffset(ctx, 0)
	if err != nil || st.Mode != client.ClockReal || st.Offset != 0 || st.Now.Before(before) || st.Now.After(time.Now()) {
		t.Fatalf("SetClockOffset(0) = %+v, %v; want real mode at wall time", st, err)
	}
}

func TestStreamsAndShards(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	ctx := t.Context()
	s.createStreamTable(t, "orders")
	s.put(t, "orders", "ORDER#1", "1")
	all, err := c.Streams(ctx)
	if err != nil || len(all) != 1 || all[0].TableName != "orders" {
		t.Fatalf("Streams = %+v, %v", all, err)
	}
	one, err := c.Stream(ctx, "orders")
	if err != nil || len(one) != 1 || len(one[0].Shards) != 1 || one[0].Shards[0].Records != 1 {
		t.Fatalf("Stream = %+v, %v", one, err)
	}
	shard := one[0].Shards[0].ShardID
	ch, err := c.Rollover(ctx, "orders", shard)
	if err != nil || ch.Closed != shard || len(ch.Children) != 1 {
		t.Fatalf("Rollover = %+v, %v", ch, err)
	}
	if _, err := c.Rollover(ctx, "orders", shard); !client.IsStatus(err, http.StatusBadRequest) {
		t.Fatalf("Rollover of a closed shard: %v", err)
	}
	kids, err := c.Split(ctx, "orders", ch.Children[0])
	if err != nil || len(kids.Children) != 2 {
		t.Fatalf("Split = %+v, %v", kids, err)
	}
	one, _ = c.Stream(ctx, "orders")
	if open := one[0].OpenShards(); !slices.Equal(open, kids.Children) {
		t.Fatalf("open shards %v, want %v", open, kids.Children)
	}
	if _, err := c.Trim(ctx, "orders", client.TrimOptions{OlderThan: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Trim(ctx, "orders", client.TrimOptions{}); err != nil {
		t.Fatal(err)
	}
	if one, _ = c.Stream(ctx, "orders"); one[0].Shards[0].Records != 0 || one[0].Shards[0].Trimmed != 1 {
		t.Fatalf("after Trim: %+v", one[0].Shards[0])
	}
	if _, err := c.ExpireIterators(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stream(ctx, "nope"); !client.IsNotFound(err) {
		t.Fatalf("Stream of an unknown table: %v", err)
	}
	if _, err := c.Rollover(ctx, "orders", "shardId-nope"); !client.IsNotFound(err) {
		t.Fatalf("Rollover of an unknown shard: %v", err)
	}
}

func TestSweepAndReset(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	ctx := t.Context()
	s.createStreamTable(t, "ttl")
	s.call(t, "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"v"}}`)
	s.put(t, "ttl", "a", "1893456000") // 2030-01-01T00:00:00Z: expired at start0
	s.put(t, "ttl", "b", "1893459600") // an hour later
	if n, err := c.SweepTTL(ctx); err != nil || n != 1 {
		t.Fatalf("SweepTTL = %d, %v", n, err)
	}
	if err := c.Reset(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stream(ctx, "ttl"); err != nil {
		t.Fatalf("Reset without data dropped the stream: %v", err)
	}
	if err := c.Reset(ctx, true); err != nil {
		t.Fatal(err)
	}
	if all, err := c.Streams(ctx); err != nil || len(all) != 0 {
		t.Fatalf("Streams after Reset(data) = %+v, %v", all, err)
	}
}

func TestSnapshotSaveAndLoad(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	ctx := t.Context()
	s.createStreamTable(t, "orders")
	s.put(t, "orders", "ORDER#1", "1")
	var snap bytes.Buffer
	if err := c.SaveSnapshot(ctx, &snap); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(snap.String(), `{"format":"dynafault-snapshot"`) {
		t.Fatalf("snapshot %q", snap.String())
	}
	_, other := startEmulator(t)
	got, err := other.LoadSnapshot(ctx, bytes.NewReader(snap.Bytes()))
	if err != nil || got != (client.SnapshotLoaded{Loaded: true, Tables: 1, Items: 1}) {
		t.Fatalf("LoadSnapshot = %+v, %v", got, err)
	}
	if _, err := other.Stream(ctx, "orders"); err != nil {
		t.Errorf("the loaded table has no stream: %v", err)
	}
	_, err = other.LoadSnapshot(ctx, strings.NewReader(`{"format":"dynafault-snapshot","version":9}`))
	if !client.IsStatus(err, http.StatusBadRequest) || !strings.Contains(err.Error(), "format version 9 is newer") {
		t.Errorf("newer snapshot: %v", err)
	}
}
