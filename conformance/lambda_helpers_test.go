package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/mapping"
)

// Helpers of the event source mapping tests (lambda_*_test.go). Mappings
// and functions are dynafault features (functions are registered through
// its options and admin API), so every test runs its own in-process
// emulator and is skipped against other endpoints.

// lambdaEnv is a private emulator with DynamoDB, Streams and Lambda clients.
type lambdaEnv struct {
	*streamEnv
	emu *emulator.Emulator
	lam *lambda.Client
}

// newLambdaEnv starts a private emulator with opts (a fast retry backoff
// unless opts sets one).
func newLambdaEnv(t *testing.T, opts emulator.Options) *lambdaEnv {
	t.Helper()
	if external() {
		t.Skip("event source mappings and functions are dynafault features; runs in-process only")
	}
	if opts.Mappings.RetryBackoff.Base == 0 {
		opts.Mappings.RetryBackoff = mapping.Backoff{Base: 5 * time.Millisecond, Max: 20 * time.Millisecond}
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		_ = emu.Close()
		srv.Close()
	})
	cfg := awsConfig()
	cfg.BaseEndpoint = aws.String(srv.URL)
	return &lambdaEnv{
		streamEnv: &streamEnv{t: t, db: dynamodb.NewFromConfig(cfg), st: dynamodbstreams.NewFromConfig(cfg), url: srv.URL},
		emu:       emu, lam: lambda.NewFromConfig(cfg),
	}
}

// handler is an in-process function that records the events it gets and
// answers with respond (success with null when nil).
type handler struct {
	mu      sync.Mutex
	events  []json.RawMessage
	respond func(n int, event []byte) ([]byte, error)
}

func (h *handler) fn(_ context.Context, event []byte) ([]byte, error) {
	h.mu.Lock()
	h.events = append(h.events, append(json.RawMessage(nil), event...))
	n, respond := len(h.events), h.respond
	h.mu.Unlock()
	if respond != nil {
		return respond(n, event)
	}
	return []byte("null"), nil
}

// got returns the events received so far.
func (h *handler) got() []json.RawMessage {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]json.RawMessage(nil), h.events...)
}

// function returns a mapping.Function named name running h.
func (h *handler) function(name string) mapping.Function {
	return mapping.Function{Name: name, Handler: h.fn}
}

// streamTable creates a table keyed by pk (S) with a NEW_AND_OLD_IMAGES
// stream and returns its name and stream ARN.
func (e *lambdaEnv) streamTable() (string, string) {
	e.t.Helper()
	return e.newTable(types.StreamViewTypeNewAndOldImages, "pk")
}

// createMapping creates a mapping and fails the test on error.
func (e *lambdaEnv) createMapping(in *lambda.CreateEventSourceMappingInput) *lambda.CreateEventSourceMappingOutput {
	e.t.Helper()
	out, err := e.lam.CreateEventSourceMapping(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("CreateEventSourceMapping: %v", err)
	}
	return out
}

// getMapping gets a mapping and fails the test on error.
func (e *lambdaEnv) getMapping(id string) *lambda.GetEventSourceMappingOutput {
	e.t.Helper()
	out, err := e.lam.GetEventSourceMapping(ctx(e.t), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil {
		e.t.Fatalf("GetEventSourceMapping: %v", err)
	}
	return out
}

// adminGet GETs /_admin/<path> into v (200 expected).
func (e *lambdaEnv) adminGet(path string, v any) {
	e.t.Helper()
	e.adminDo(http.MethodGet, path, nil, http.StatusOK, v)
}

// adminDo sends a request to the admin API and checks the status.
func (e *lambdaEnv) adminDo(method, path string, body any, status int, v any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx(e.t), method, e.url+"/_admin/"+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s /_admin/%s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		e.t.Fatalf("%s /_admin/%s: %d %s, want %d", method, path, resp.StatusCode, b, status)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			e.t.Fatalf("%s /_admin/%s: %v in %s", method, path, err, b)
		}
	}
}

// status reads GET /_admin/mappings/{uuid}.
func (e *lambdaEnv) status(id string) mapping.Status {
	e.t.Helper()
	var s mapping.Status
	e.adminGet("mappings/"+id, &s)
	return s
}

// failures reads GET /_admin/mappings/{uuid}/failures.
func (e *lambdaEnv) failures(id string) []map[string]any {
	e.t.Helper()
	var body struct {
		Failures []map[string]any `json:"failures"`
	}
	e.adminGet("mappings/"+id+"/failures", &body)
	return body.Failures
}

// waitFor polls cond every few milliseconds for up to 15 s of wall time.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ddbEvent is the part of a Lambda DynamoDB event the tests read.
type ddbEvent struct {
	Records []ddbRecord `json:"Records"`
}

type ddbRecord struct {
	EventID        string `json:"eventID"`
	EventName      string `json:"eventName"`
	EventSourceARN string `json:"eventSourceARN"`
	Dynamodb       struct {
		Keys           map[string]map[string]any `json:"Keys"`
		NewImage       map[string]map[string]any `json:"NewImage"`
		SequenceNumber string                    `json:"SequenceNumber"`
	} `json:"dynamodb"`
}

// pk returns the S value of a record's pk.
func (r ddbRecord) pk() string {
	s, _ := r.Dynamodb.Keys["pk"]["S"].(string)
	return s
}

// parseEvent decodes an event.
func parseEvent(t testing.TB, raw []byte) ddbEvent {
	t.Helper()
	var ev ddbEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("event %s: %v", raw, err)
	}
	return ev
}

// pks lists the pk of each record of each event.
func pks(t testing.TB, events []json.RawMessage) [][]string {
	var out [][]string
	for _, raw := range events {
		var b []string
		for _, r := range parseEvent(t, raw).Records {
			b = append(b, r.pk())
		}
		out = append(out, b)
	}
	return out
}

// putPK writes an item {pk: pk, n: n}.
func (e *lambdaEnv) putPK(table, pk string, n int) {
	e.t.Helper()
	e.put(table, attrs{"pk": &types.AttributeValueMemberS{Value: pk}, "n": &types.AttributeValueMemberN{Value: itoa(n)}})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// minimal is a CreateEventSourceMapping input with only the required fields.
func minimal(fn, streamARN string) *lambda.CreateEventSourceMappingInput {
	return &lambda.CreateEventSourceMappingInput{
		FunctionName: aws.String(fn), EventSourceArn: aws.String(streamARN),
		StartingPosition: ltypes.EventSourcePositionTrimHorizon,
	}
}
