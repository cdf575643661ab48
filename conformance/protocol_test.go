package conformance

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Wire protocol (AWS JSON 1.0) checks, sent as signed raw HTTP. Sources:
// scylladb test/alternator/test_manual_requests.py (AWS-verified: content
// type, PutItem body, 16 MB limit, nesting depth) and dynalite
// test/connection.js (AWS-captured: bodies of UnknownOperationException and
// SerializationException, which carry no message).

// wantProtocolHeaders checks what every response carries: the JSON 1.0
// content type, a request id and a CRC32 of the body as sent.
func wantProtocolHeaders(t testing.TB, r rawResponse) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != contentJSON10 {
		t.Errorf("Content-Type = %q, want %q", ct, contentJSON10)
	}
	if id := r.Header.Get("X-Amzn-Requestid"); id == "" {
		t.Errorf("x-amzn-RequestId missing")
	}
	got := r.Header.Get("X-Amz-Crc32")
	want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(r.Body)), 10)
	if got != want {
		t.Errorf("x-amz-crc32 = %q, want %q (CRC32 of the %d-byte body)", got, want, len(r.Body))
	}
}

func TestProtocolSuccessHeaders(t *testing.T) {
	t.Parallel()
	r := ddbCall(t, "ListTables", map[string]any{"Limit": 1})
	wantRawOK(t, r)
	wantProtocolHeaders(t, r)
}

func TestProtocolErrorEnvelopeResourceNotFound(t *testing.T) {
	t.Parallel()
	name := uniqueName("missing")
	r := ddbCall(t, "DescribeTable", map[string]any{"TableName": name})
	wantRawError(t, r, nsDynamoDB+"ResourceNotFoundException",
		"Requested resource not found: Table: "+name+" not found")
	wantProtocolHeaders(t, r)
}

func TestProtocolErrorEnvelopeValidation(t *testing.T) {
	t.Parallel()
	// dynalite test/listTables.js.
	r := ddbCall(t, "ListTables", map[string]any{"Limit": 0})
	wantRawError(t, r, nsValidate+"ValidationException",
		"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "+
			"Member must have value greater than or equal to 1")
	wantProtocolHeaders(t, r)
}

func TestProtocolUnknownOperation(t *testing.T) {
	t.Parallel()
	for _, target := range []string{
		"DynamoDB_20120810.ListTable",
		"DynamoDB_20120810.NoSuchOperation",
		"whatever",
	} {
		t.Run(target, func(t *testing.T) {
			r := rawCall(t, target, "{}")
			wantRawError(t, r, nsService+"UnknownOperationException", "")
			wantProtocolHeaders(t, r)
		})
	}
}

func TestProtocolSerializationException(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"hi", "{", `{"TableName": }`, "}{", `{"TableName":"abc"`} {
		t.Run(body, func(t *testing.T) {
			r := ddbCall(t, "ListTables", body)
			wantRawError(t, r, nsService+"SerializationException", "")
			wantProtocolHeaders(t, r)
		})
	}
}

func TestProtocolPutItemReturnsEmptyObject(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	r := ddbCall(t, "PutItem", map[string]any{
		"TableName": table,
		"Item":      map[string]any{"pk": map[string]string{"S": "x"}},
	})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if got := string(bytes.TrimSpace(r.Body)); got != "{}" {
		t.Fatalf("PutItem body = %q, want {}", got)
	}
	wantProtocolHeaders(t, r)
}

func TestProtocolRequestTooLarge(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	big := strings.Repeat("x", 16*1024*1024+7)
	body, _ := json.Marshal(map[string]any{
		"TableName": table,
		"Item":      map[string]any{"pk": map[string]string{"S": "big"}, "big": map[string]string{"S": big}},
	})
	r := ddbCall(t, "PutItem", body)
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413; body %.300s", r.Status, r.Body)
	}
}

// nestedMap returns {"M":{"a":{"M":{"a":…{"M":{}}}}}} with depth maps.
func nestedMap(depth int) string {
	return strings.Repeat(`{"M":{"a":`, depth-1) + `{"M":{}}` + strings.Repeat(`}}`, depth-1)
}

func TestProtocolNestingDepth(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	put := func(depth int) rawResponse {
		return ddbCall(t, "PutItem", `{"TableName":"`+table+`","Item":{"pk":{"S":"n`+
			strconv.Itoa(depth)+`"},"nested":`+nestedMap(depth)+`}}`)
	}
	// The item itself, its top attribute and 30 nested maps: 32 levels.
	if r := put(31); r.Status != http.StatusOK {
		t.Fatalf("32 levels: status %d, body %s", r.Status, r.Body)
	}
	for _, depth := range []int{32, 51} {
		r := put(depth)
		e := r.envelope()
		if r.Status != http.StatusBadRequest || !strings.Contains(e.Type, "Exception") ||
			!strings.Contains(strings.ToLower(e.Message), "nested") {
			t.Fatalf("%d levels: got %d %s %q, want an error mentioning nested", depth+1, r.Status, e.Type, e.Message)
		}
	}
}

func TestProtocolDeepJSONDoesNotCrash(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	deep := strings.Repeat(`{"":`, 200000) + "{}" + strings.Repeat("}", 200000)
	r := ddbCall(t, "PutItem", `{"TableName":"`+table+`","Item":{"pk":{"S":"x"},"a":`+deep+`}}`)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400; body %.300s", r.Status, r.Body)
	}
	// The server is still healthy.
	wantRawOK(t, ddbCall(t, "ListTables", "{}"))
}

func TestProtocolStreamsPrefixOnSamePort(t *testing.T) {
	t.Parallel()
	r := rawCall(t, targetStreams+"ListStreams", "{}")
	m := wantRawOK(t, r)
	if _, ok := m["Streams"]; !ok {
		t.Fatalf("ListStreams body %s has no Streams", r.Body)
	}
	wantProtocolHeaders(t, r)
}
