package sdkhttp

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

type captureRT struct{ body io.ReadCloser }

func (c *captureRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.body = r.Body
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
}

// TestTransportHidesWriterTo: the transport sees a body without WriteTo,
// with the same bytes, and a read after Close ends the body cleanly.
func TestTransportHidesWriterTo(t *testing.T) {
	inner := &captureRT{}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader([]byte(`{"TableName":"t"}`))) // NopCloser keeps WriteTo
	if _, ok := req.Body.(io.WriterTo); !ok {
		t.Fatal("test body should implement io.WriterTo")
	}
	if _, err := Transport(inner).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if _, ok := inner.body.(io.WriterTo); ok {
		t.Fatal("body passed to the transport still implements io.WriterTo")
	}
	got, err := io.ReadAll(inner.body)
	if err != nil || string(got) != `{"TableName":"t"}` {
		t.Fatalf("body = %q, %v", got, err)
	}
}

func TestPlainBodiesNoBody(t *testing.T) {
	inner := &captureRT{}
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Transport(inner).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if inner.body != nil {
		t.Fatalf("body = %T, want nil", inner.body)
	}
}
