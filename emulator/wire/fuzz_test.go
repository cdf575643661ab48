package wire

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// FuzzHandler sends arbitrary targets, content types and bodies through
// the handler. Properties: nothing panics out of ServeHTTP, every response
// carries the protocol headers, and every error body is a well-formed
// envelope without Go error text.
func FuzzHandler(f *testing.F) {
	h, _ := newTestHandler(f)
	names := append(slices.Sorted(maps.Keys(h.dynamo)), "Nope")
	for _, n := range names {
		f.Add(prefixDynamoDB+"."+n, contentTypeAmzJSON, []byte(`{}`), true)
		f.Add(prefixDynamoDB+"."+n, contentTypeAmzJSON, []byte(`{"TableName":"t","Key":{"k":{"S":"v"}}}`), true)
	}
	f.Add(prefixDynamoDB+".CreateTable", contentTypeJSON, []byte(`{"TableName":"tbl","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],`+
		`"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`), true)
	f.Add(prefixDynamoDB+".PutItem", contentTypeAmzJSON, []byte(`{"TableName":"tbl","Item":{"k":{"S":"v"},"n":{"N":"1e3"}}}`), true)
	f.Add(prefixStreams+".ListStreams", contentTypeAmzJSON, []byte(`{"Limit":"x"}`), false)
	f.Add("", "", []byte(nil), false)
	f.Add(prefixDynamoDB+".ListTables", "text/plain", []byte(`[`), true)
	f.Fuzz(func(t *testing.T, target, ct string, body []byte, auth bool) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", ct)
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("X-Amz-Date", "20260101T000000Z")
		if auth {
			r.Header.Set("Authorization", testAuth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkCommonHeaders(t, w)
		checkFuzzResponse(t, w)
	})
}

func checkFuzzResponse(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	switch w.Code {
	case http.StatusOK, http.StatusNotFound:
		return
	case http.StatusBadRequest:
	default:
		// No fault rules are loaded here: any input must get a 200, a 404 or
		// a client error, never a 5xx.
		t.Fatalf("unexpected status %d: %s", w.Code, w.Body)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env["__type"] == nil {
		t.Fatalf("status %d with a body that is no error envelope: %q", w.Code, w.Body)
	}
	for _, leak := range []string{"json:", "runtime error", "goroutine", "reflect", "invalid memory"} {
		if bytes.Contains(w.Body.Bytes(), []byte(leak)) {
			t.Fatalf("Go text %q in response: %s", leak, w.Body)
		}
	}
}
