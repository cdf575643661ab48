package certify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// invoke posts event to the server's invoke URL of path and returns the
// status, the function error header and the body.
func invoke(t *testing.T, s *handlerServer, path, event string) (int, string, string) {
	t.Helper()
	url := "http://" + s.ln.Addr().String() + path
	resp, err := http.Post(url, "application/json", strings.NewReader(event)) //nolint:noctx // a test
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Amz-Function-Error"), string(body)
}

// The in-process handler answers as the Lambda Invoke API does: the
// response, or a function error with Lambda's error document for an
// error, a panic and a timeout; a path that is no invocation is a
// service error.
func TestHandlerServerAnswersAsTheInvokeAPI(t *testing.T) {
	s, err := startHandlerServer("127.0.0.1:0", 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	fn := "/2015-03-31/functions/certify-handler/invocations"
	if got := s.url("certify-handler"); got != "http://"+s.ln.Addr().String()+fn {
		t.Errorf("url %s", got)
	}
	all, err := startHandlerServer(":0", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer all.close()
	if got := all.url("f"); !strings.HasPrefix(got, "http://127.0.0.1:") {
		t.Errorf("a listener on every interface registers %s", got)
	}
	if st, fe, body := invoke(t, s, fn, `{}`); st != 200 || fe != "Unhandled" || !strings.Contains(body, `"errorType":"Certify.NoScenario"`) {
		t.Errorf("no handler: %d %q %s", st, fe, body)
	}
	s.use(func(ctx context.Context, event []byte) ([]byte, error) {
		switch string(event) {
		case `"fail"`:
			return nil, errors.New("cannot process")
		case `"panic"`:
			panic("boom")
		case `"hang"`:
			<-ctx.Done()
			return nil, ctx.Err()
		case `"empty"`:
			return nil, nil
		}
		return []byte(`{"batchItemFailures":[]}`), nil
	})
	for _, c := range []struct {
		event, fe, errType, msg, body string
	}{
		{event: `{"Records":[]}`, body: `{"batchItemFailures":[]}`},
		{event: `"empty"`, body: `null`},
		{event: `"fail"`, fe: "Unhandled", errType: "errorString", msg: "cannot process"},
		{event: `"panic"`, fe: "Unhandled", errType: "string", msg: "boom"},
		{event: `"hang"`, fe: "Unhandled", errType: "Sandbox.Timedout", msg: "Error: Task timed out after 0.20 seconds"},
	} {
		st, fe, body := invoke(t, s, fn, c.event)
		if st != 200 || fe != c.fe {
			t.Errorf("%s: status %d, X-Amz-Function-Error %q, want 200 %q", c.event, st, fe, c.fe)
		}
		if c.fe == "" {
			if body != c.body {
				t.Errorf("%s: body %s, want %s", c.event, body, c.body)
			}
			continue
		}
		var doc struct{ ErrorType, ErrorMessage string }
		if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.ErrorType != c.errType || !strings.Contains(doc.ErrorMessage, c.msg) {
			t.Errorf("%s: error document %s, want errorType %s and a message with %q", c.event, body, c.errType, c.msg)
		}
	}
	if st, fe, _ := invoke(t, s, "/2015-03-31/functions/x", `{}`); st != http.StatusNotFound || fe != "" {
		t.Errorf("another path: %d %q", st, fe)
	}
	big := `"` + strings.Repeat("x", maxInvokePayload) + `"`
	if st, _, _ := invoke(t, s, fn, big); st != http.StatusRequestEntityTooLarge {
		t.Errorf("an event over 6 MB: %d", st)
	}
	s.use(nil)
	if _, fe, _ := invoke(t, s, fn, `{}`); fe != "Unhandled" {
		t.Errorf("after use(nil) the handler still answers")
	}
}
