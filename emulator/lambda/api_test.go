package lambda

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/emulator/stream"
)

// noStreams is a mapping.Streams with no stream.
type noStreams struct{ sig stream.Signal }

func (*noStreams) Describe(string) (string, string, error) { return "", "", stream.ErrStreamNotFound }
func (*noStreams) ShardList(string) ([]stream.ShardRef, error) {
	return nil, stream.ErrStreamNotFound
}

func (*noStreams) ReadAt(string, string, stream.Position, int, int) (stream.Chunk, error) {
	return stream.Chunk{}, stream.ErrStreamNotFound
}
func (s *noStreams) Appended() *stream.Signal { return &s.sig }

func serve(t *testing.T, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	m := mapping.New(mapping.Options{Streams: &noStreams{}})
	t.Cleanup(m.Close)
	_, _ = m.RegisterFunction(mapping.Function{Name: "f", URL: "http://127.0.0.1:9"})
	w := httptest.NewRecorder()
	NewHandler(m, nil).ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
	return w
}

func TestErrorEnvelopes(t *testing.T) {
	cases := []struct {
		method, path, body string
		status             int
		code, key, msg     string
	}{
		{"GET", "/2015-03-31/event-source-mappings/nope", "", 404, "ResourceNotFoundException", "Message", "The resource you requested does not exist."},
		{"POST", "/2015-03-31/event-source-mappings/", `{"FunctionName":"f"}`, 400, "InvalidParameterValueException", "message", "Unrecognized event source."},
		{"POST", "/2015-03-31/event-source-mappings/", `{"FunctionName":"f","BatchSize":0}`, 400, "ValidationException", "message",
			"1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"POST", "/2015-03-31/event-source-mappings/", `{"BatchSize":"ten"}`, 400, "InvalidRequestContentException", "message", ""},
		{"POST", "/2015-03-31/event-source-mappings/", `{`, 400, "InvalidRequestContentException", "message", ""},
		{"POST", "/2015-03-31/event-source-mappings/", `{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:000000000000:q"}`, 400,
			"InvalidParameterValueException", "message", ""},
		{"POST", "/2015-03-31/event-source-mappings/", `{"FunctionName":"f","EventSourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/x","StartingPosition":"LATEST"}`, 400,
			"InvalidParameterValueException", "message", "Stream not found: arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/x"},
		{"PATCH", "/2015-03-31/event-source-mappings/x", "", 400, "UnknownOperationException", "message", ""},
		{"GET", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Aevent-source-mapping%3Ax", "", 404, "ResourceNotFoundException", "Message",
			"Event source mapping not found: arn:aws:lambda:us-east-1:000000000000:event-source-mapping:x"},
	}
	for _, c := range cases {
		w := serve(t, c.method, c.path, c.body)
		var body map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != c.status || w.Header().Get("X-Amzn-Errortype") != c.code || body[c.key] == nil ||
			(c.msg != "" && body[c.key] != c.msg) || w.Header().Get("X-Amzn-Requestid") == "" {
			t.Errorf("%s %s %s: %d %s %s", c.method, c.path, c.body, w.Code, w.Header().Get("X-Amzn-Errortype"), w.Body)
		}
		if c.code == "ValidationException" && body["Type"] != nil {
			t.Errorf("ValidationException with a Type: %s", w.Body)
		}
		if c.code == "InvalidParameterValueException" && body["Type"] != "User" {
			t.Errorf("%s without Type User: %s", c.code, w.Body)
		}
	}
}

func TestOriginCheck(t *testing.T) {
	m := mapping.New(mapping.Options{Streams: &noStreams{}})
	t.Cleanup(m.Close)
	h := NewHandler(m, nil)
	h.SetOriginCheck(func(o string) bool { return o == "http://localhost:3000" })
	for origin, want := range map[string]int{"": 200, "http://localhost:3000": 200, "https://evil.example": 403} {
		r := httptest.NewRequest(http.MethodGet, "/2015-03-31/event-source-mappings/", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want || (want == 403 && w.Header().Get("X-Amzn-Errortype") != "AccessDeniedException") {
			t.Errorf("Origin %q: %d %s, want %d", origin, w.Code, w.Body, want)
		}
	}
}

func TestListEmpty(t *testing.T) {
	w := serve(t, "GET", "/2015-03-31/event-source-mappings/?FunctionName=nope", "")
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"EventSourceMappings":[]}` {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func TestServes(t *testing.T) {
	for p, want := range map[string]bool{
		"/2015-03-31/event-source-mappings": true, "/2015-03-31/event-source-mappings/x": true, "/2017-03-31/tags/arn": true,
		"/": false, "/_admin/health": false, "/2015-03-31/functions/f/invocations": false,
	} {
		if Serves(p) != want {
			t.Errorf("Serves(%s) = %v", p, !want)
		}
	}
}
