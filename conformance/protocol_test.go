package conformance

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"slices"
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

// TestProtocolFractionalIntegers: a number with a fraction or an exponent
// in an integer member is read truncated toward zero (dynalite's older
// captures floor it; its recaptured type checks send no fraction to an
// integer member; DynamoDB Local accepts it). A Boolean member refuses one
// (recaptured: DECIMAL_VALUE cannot be converted to Boolean).
func TestProtocolFractionalIntegers(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, k := range []string{"a", "b", "c"} {
		putOK(t, table, pk(k))
	}
	for body, want := range map[string]float64{
		`{"TableName":"` + table + `","Limit":1.9}`:   1,
		`{"TableName":"` + table + `","Limit":2e0}`:   2,
		`{"TableName":"` + table + `","Limit":2.999}`: 2,
	} {
		got := wantRawOK(t, ddbCall(t, "Scan", body))
		if got["Count"] != want {
			t.Errorf("%s: Count %v, want %v", body, got["Count"], want)
		}
	}
	wantRawError(t, ddbCall(t, "Scan", `{"TableName":"`+table+`","Limit":0.5}`), nsValidate+"ValidationException",
		"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
	wantRawError(t, ddbCall(t, "Scan", `{"TableName":"`+table+`","ConsistentRead":1.5}`), nsService+"SerializationException",
		"DECIMAL_VALUE cannot be converted to Boolean")
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

func TestProtocolHeadersTooLarge(t *testing.T) {
	t.Parallel()
	// Headers above 16 KB in total: HTTP 400, not a signature error
	// (scylladb test_manual_requests.py, AWS-verified). The body is not
	// looked at, so the status is all that is asserted.
	body := []byte("{}")
	req := newRawRequest(t, targetDynamoDB+"ListTables", body)
	signRaw(t, req, body)
	req.Header.Set("X-Padding", strings.Repeat("p", 17*1024))
	if r := doRaw(t, req); r.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400; body %.300s", r.Status, r.Body)
	}
	// Just under the limit is served.
	req = newRawRequest(t, targetDynamoDB+"ListTables", body)
	signRaw(t, req, body)
	req.Header.Set("X-Padding", strings.Repeat("p", 12*1024))
	wantRawOK(t, doRaw(t, req))
}

// Table-level operations check TableName on their own before the composite
// message: missing, then 3-255 characters; a bad character set is part of
// the composite (dynalite test/createTable.js, describeTable.js,
// deleteTable.js, updateTable.js, updateTimeToLive.js,
// describeTimeToLive.js; the newer captures read "The parameter
// 'TableName'", older ones "The paramater 'tableName'").
func TestProtocolTableNameChecks(t *testing.T) {
	t.Parallel()
	const (
		required = "The parameter 'TableName' is required but was not present in the request"
		length   = "TableName must be at least 3 characters long and at most 255 characters long"
		pattern  = "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: " +
			"Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
	)
	long := strings.Repeat("a", 256)
	for _, op := range []string{"CreateTable", "DescribeTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive", "DescribeTimeToLive"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			wantRawError(t, ddbCall(t, op, "{}"), nsValidate+"ValidationException", required)
			for _, name := range []string{"", "a;", long} {
				wantRawError(t, ddbCall(t, op, map[string]string{"TableName": name}), nsValidate+"ValidationException", length)
			}
			if op != "CreateTable" { // CreateTable also lists its missing members
				wantRawError(t, ddbCall(t, op, map[string]string{"TableName": "abc;"}), nsValidate+"ValidationException", pattern)
			}
		})
	}
	wantRawError(t, ddbCall(t, "CreateTable", map[string]string{"TableName": "abc;"}), nsValidate+"ValidationException",
		"3 validation errors detected: "+
			"Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; "+
			"Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "+
			"Value null at 'keySchema' failed to satisfy constraint: Member must not be null")
}

// wantComposite checks a composite validation message whose order AWS does
// not keep stable: the "N validation error(s) detected: " prefix and
// exactly the given parts, in any order.
func wantComposite(t testing.TB, r rawResponse, parts ...string) {
	t.Helper()
	wantRawErrorContains(t, r, nsValidate+"ValidationException", "validation error")
	prefix := strconv.Itoa(len(parts)) + " validation error"
	if len(parts) > 1 {
		prefix += "s"
	}
	prefix += " detected: "
	msg := r.envelope().Message
	got, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		t.Fatalf("message %q does not start with %q", msg, prefix)
	}
	gotParts := strings.Split(got, "; ")
	slices.Sort(gotParts)
	want := slices.Clone(parts)
	slices.Sort(want)
	if !slices.Equal(gotParts, want) {
		t.Fatalf("message parts =\n  %q\nwant (any order)\n  %q", gotParts, want)
	}
}

// Item operations put TableName into the composite message with every other
// constraint: pattern and length are separate entries (dynalite
// test/getItem.js, putItem.js, deleteItem.js, updateItem.js; newer captures
// assert the entries in any order).
func TestProtocolItemTableNameComposite(t *testing.T) {
	t.Parallel()
	at := func(v, path, c string) string {
		if v != "null" {
			v = "'" + v + "'"
		}
		return "Value " + v + " at '" + path + "' failed to satisfy constraint: " + c
	}
	const (
		notNull = "Member must not be null"
		pattern = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
		minLen  = "Member must have length greater than or equal to 3"
		maxLen  = "Member must have length less than or equal to 255"
	)
	long := strings.Repeat("a", 256)
	for op, member := range map[string]string{"GetItem": "key", "DeleteItem": "key", "UpdateItem": "key", "PutItem": "item"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			wantComposite(t, ddbCall(t, op, "{}"), at("null", "tableName", notNull), at("null", member, notNull))
			wantComposite(t, ddbCall(t, op, map[string]string{"TableName": "a;"}),
				at("a;", "tableName", pattern), at("a;", "tableName", minLen), at("null", member, notNull))
			wantComposite(t, ddbCall(t, op, map[string]string{"TableName": long}),
				at(long, "tableName", maxLen), at("null", member, notNull))
		})
	}
}
