package conformance

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

// wantAPIError fails the test unless err is an API error with the given
// code (the exception name, e.g. "ValidationException") and, when message is
// not empty, exactly that message.
func wantAPIError(t testing.TB, err error, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s: %q", code, message)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got non-API error %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("error code = %s (%q), want %s (%q)", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
	if message != "" && ae.ErrorMessage() != message {
		t.Fatalf("%s message =\n  %q\nwant\n  %q", code, ae.ErrorMessage(), message)
	}
}

// wantAPIErrorContains is wantAPIError for cases where only part of the
// message is specified by AWS-verified sources.
func wantAPIErrorContains(t testing.TB, err error, code, substr string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s containing %q", code, substr)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got non-API error %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), substr) {
		t.Fatalf("got %s %q, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), code, substr)
	}
}
