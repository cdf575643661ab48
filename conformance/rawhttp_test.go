package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Signed raw HTTP: protocol-level checks (headers, error envelopes, bodies the
// SDK cannot produce) bypass the SDK's serializers but sign like it does.

const (
	targetDynamoDB = "DynamoDB_20120810."
	targetStreams  = "DynamoDBStreams_20120810."
	contentJSON10  = "application/x-amz-json-1.0"

	nsValidate = "com.amazon.coral.validate#"
	nsService  = "com.amazon.coral.service#"
	nsDynamoDB = "com.amazonaws.dynamodb.v20120810#"
)

// rawResponse is a fully read HTTP response.
type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// errorBody is the JSON error envelope; AWS uses "message", a few error
// types "Message".
type errorBody struct {
	Type     string `json:"__type"`
	Message  string `json:"message"`
	MessageC string `json:"Message"`
}

// envelope decodes the error envelope; zero value when the body is not JSON.
func (r rawResponse) envelope() errorBody {
	var e errorBody
	_ = json.Unmarshal(r.Body, &e)
	if e.Message == "" {
		e.Message = e.MessageC
	}
	return e
}

// newRawRequest builds an unsigned POST / with the given X-Amz-Target (the
// header is omitted when target is empty) and body.
func newRawRequest(t testing.TB, target string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", contentJSON10)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	return req
}

// signRaw signs req with SigV4 for service "dynamodb", as the SDK does.
func signRaw(t testing.TB, req *http.Request, body []byte) {
	t.Helper()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	err := v4.NewSigner().SignHTTP(ctx(t), creds, req, hex.EncodeToString(sum[:]), "dynamodb", testRegion, time.Now())
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
}

// doRaw sends req and reads the whole response.
func doRaw(t testing.TB, req *http.Request) rawResponse {
	t.Helper()
	// No transparent decompression: the checks read the body as sent
	// (x-amz-crc32 is the CRC32 of those bytes).
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.Header.Get("X-Amz-Target"), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// rawCall sends a signed request for op (e.g. "DynamoDB_20120810.PutItem")
// with body, which is sent as is when it is a string or []byte and
// JSON-encoded otherwise.
func rawCall(t testing.TB, target string, body any) rawResponse {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatalf("marshal body: %v", err)
		}
	}
	req := newRawRequest(t, target, b)
	signRaw(t, req, b)
	return doRaw(t, req)
}

// ddbCall is rawCall for a DynamoDB operation name.
func ddbCall(t testing.TB, op string, body any) rawResponse {
	t.Helper()
	return rawCall(t, targetDynamoDB+op, body)
}

// wantRawOK fails unless r is HTTP 200 and returns its decoded JSON body.
func wantRawOK(t testing.TB, r rawResponse) map[string]any {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.Status, r.Body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.Body, err)
	}
	return m
}

// wantRawError fails unless r is an HTTP 400 error whose __type is exactly
// typ (namespace included) and, when msg is not empty, whose message is
// exactly msg.
func wantRawError(t testing.TB, r rawResponse, typ, msg string) {
	t.Helper()
	e := r.envelope()
	if r.Status != http.StatusBadRequest || e.Type != typ {
		t.Fatalf("got %d %s, want 400 %s (%q); body %s", r.Status, e.Type, typ, msg, r.Body)
	}
	if msg != "" && e.Message != msg {
		t.Fatalf("%s message =\n  %q\nwant\n  %q", typ, e.Message, msg)
	}
}

// wantRawErrorContains is wantRawError with a substring of the message.
func wantRawErrorContains(t testing.TB, r rawResponse, typ, substr string) {
	t.Helper()
	e := r.envelope()
	if r.Status != http.StatusBadRequest || e.Type != typ || !strings.Contains(e.Message, substr) {
		t.Fatalf("got %d %s %q, want 400 %s containing %q", r.Status, e.Type, e.Message, typ, substr)
	}
}
