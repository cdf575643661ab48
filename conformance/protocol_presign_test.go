package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The Server header DynamoDB sends on every response, and requests signed
// in the query string (presigned). Sources: boto3's ResponseMetadata of
// live DynamoDB calls as printed in public code and lab transcripts
// (2018 to 2024: HTTPHeaders {'server': 'Server', 'content-type':
// 'application/x-amz-json-1.0', 'x-amzn-requestid': …, 'x-amz-crc32': …});
// DynamoDB accepts SigV4 in the query string (aws/aws-sdk-go#94: "Amazon
// DynamoDB itself works with the signing mechanism provided (we have
// integration tests for this case)"; boto/boto3#3512: a presigned
// ListTables from the Go SDK accepted by DynamoDB, X-Amz-Target sent as a
// header). The IncompleteSignature text is not captured from DynamoDB
// (conformance/README.md, "Texts not verified against AWS").

// presigned returns a POST / to the endpoint for target with body, signed
// in its query string by aws-sdk-go-v2's v4 signer; drop removes one query
// parameter after signing. X-Amz-Target stays a (signed) header, as in the
// request of boto/boto3#3512: by default PresignHTTP moves X-Amz-* headers
// into the query string, and no source shows DynamoDB reading the target
// from there.
func presigned(t testing.TB, target, body, drop string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", contentJSON10)
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
	signed, headers, err := signer.PresignHTTP(ctx(t), creds, req, hex.EncodeToString(sum[:]), "dynamodb", testRegion, time.Now())
	if err != nil {
		t.Fatalf("presign: %v", err)
	}
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatalf("presigned URL %q: %v", signed, err)
	}
	if drop != "" {
		q := u.Query()
		q.Del(drop)
		u.RawQuery = q.Encode()
	}
	out, err := http.NewRequestWithContext(ctx(t), http.MethodPost, u.String(), bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, vs := range headers {
		if !strings.EqualFold(k, "Host") {
			out.Header[k] = vs
		}
	}
	if out.Header.Get("Authorization") != "" || out.URL.Query().Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" ||
		!strings.Contains(out.URL.Query().Get("X-Amz-SignedHeaders"), "x-amz-target") {
		t.Fatalf("not a query-string signature: %v %v", out.URL, out.Header)
	}
	return out
}

func TestProtocolPresignedRequests(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	put := `{"TableName":"` + table + `","Item":{"pk":{"S":"presigned"},"n":{"N":"1"}}}`
	if r := doRaw(t, presigned(t, targetDynamoDB+"PutItem", put, "")); r.Status != http.StatusOK {
		t.Fatalf("presigned PutItem: %d %s", r.Status, r.Body)
	}
	r := doRaw(t, presigned(t, targetDynamoDB+"GetItem", `{"TableName":"`+table+`","Key":{"pk":{"S":"presigned"}}}`, ""))
	var got struct{ Item map[string]map[string]string }
	if err := json.Unmarshal(r.Body, &got); r.Status != http.StatusOK || err != nil || got.Item["n"]["N"] != "1" {
		t.Fatalf("presigned GetItem: %d %s", r.Status, r.Body)
	}
	wantAttrs(t, "item written by a presigned request", getOK(t, table, pk("presigned")), attrs{"pk": avS("presigned"), "n": avN("1")})
	r = doRaw(t, presigned(t, targetStreams+"ListStreams", `{"TableName":"`+table+`"}`, ""))
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"Streams"`) {
		t.Fatalf("presigned ListStreams: %d %s", r.Status, r.Body)
	}

	// A presigned request needs every signing parameter.
	for _, p := range []string{"X-Amz-Signature", "X-Amz-Credential"} {
		r := doRaw(t, presigned(t, targetDynamoDB+"ListTables", `{}`, p))
		wantRawError(t, r, nsService+"IncompleteSignatureException",
			"AWS query-string parameters must include '"+p+"'. Re-examine the query-string parameters.")
	}
}

func TestProtocolServerHeader(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	cases := map[string]rawResponse{
		"success":          ddbCall(t, "GetItem", `{"TableName":"`+table+`","Key":{"pk":{"S":"a"}}}`),
		"validation error": ddbCall(t, "GetItem", `{"TableName":"`+table+`"}`),
		"missing table":    ddbCall(t, "DescribeTable", `{"TableName":"`+uniqueName("absent")+`"}`),
		"streams call":     streamsCall(t, "ListStreams", `{}`),
		"presigned call":   doRaw(t, presigned(t, targetDynamoDB+"ListTables", `{}`, "")),
		"unsigned call":    rawHTTP(t, http.MethodPost, "/", map[string]string{"Content-Type": contentJSON10, "X-Amz-Target": targetDynamoDB + "ListTables"}, `{}`),
		"health check":     rawHTTP(t, http.MethodGet, "/", nil, ""),
		"unknown method":   rawHTTP(t, http.MethodPut, "/", nil, ""),
	}
	for what, r := range cases {
		if got := r.Header.Values("Server"); len(got) != 1 || got[0] != "Server" {
			t.Errorf("%s (%d): Server header %q, want exactly \"Server\"", what, r.Status, got)
		}
	}
}
