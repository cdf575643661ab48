package lambda

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// FuzzCreateAndUpdate checks that no body makes CreateEventSourceMapping
// or UpdateEventSourceMapping panic or answer a server error.
func FuzzCreateAndUpdate(f *testing.F) {
	f.Add(`{"FunctionName":"f","EventSourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/x","StartingPosition":"LATEST"}`)
	f.Add(`{"FunctionName":"f","BatchSize":1e40,"FilterCriteria":{"Filters":[{"Pattern":"{\"a\":[1]}"}]}}`)
	f.Add(`{"DestinationConfig":{"OnSuccess":{"Destination":"x"}},"MaximumRecordAgeInSeconds":-5}`)
	f.Add(`[]`)
	m := mapping.New(mapping.Options{Streams: &noStreams{}})
	f.Cleanup(m.Close)
	_, _ = m.RegisterFunction(mapping.Function{Name: "f", URL: "http://127.0.0.1:9"})
	h := NewHandler(m, nil)
	f.Fuzz(func(t *testing.T, body string) {
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/2015-03-31/event-source-mappings/", strings.NewReader(body)),
			httptest.NewRequest(http.MethodPut, "/2015-03-31/event-source-mappings/x", strings.NewReader(body)),
		} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s %s: %d %s", req.Method, body, w.Code, w.Body)
			}
		}
	})
}
