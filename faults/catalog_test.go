package faults

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestErrorCatalog(t *testing.T) {
	t.Parallel()
	all := ErrorCatalog()
	if !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Code < all[j].Code }) {
		t.Error("ErrorCatalog is not sorted")
	}
	want := map[string]struct {
		typ    string
		status int
	}{
		"ProvisionedThroughputExceededException": {"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400},
		"ThrottlingException":                    {"com.amazon.coral.availability#ThrottlingException", 400},
		"RequestLimitExceeded":                   {"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", 400},
		"InternalServerError":                    {"com.amazonaws.dynamodb.v20120810#InternalServerError", 500},
		"ServiceUnavailable":                     {"com.amazonaws.dynamodb.v20120810#ServiceUnavailable", 503},
		"TransactionConflictException":           {"com.amazonaws.dynamodb.v20120810#TransactionConflictException", 400},
		"TransactionCanceledException":           {"com.amazonaws.dynamodb.v20120810#TransactionCanceledException", 400},
		"LimitExceededException":                 {"com.amazonaws.dynamodb.v20120810#LimitExceededException", 400},
		"ExpiredIteratorException":               {"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException", 400},
		"TrimmedDataAccessException":             {"com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException", 400},
		"ResourceNotFoundException":              {"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400},
		"ConditionalCheckFailedException":        {"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400},
		"ValidationException":                    {"com.amazon.coral.validate#ValidationException", 400},
		"UnrecognizedClientException":            {"com.amazon.coral.service#UnrecognizedClientException", 400},
	}
	for code, w := range want {
		e, ok := LookupError(code)
		if !ok || e.Type() != w.typ || e.HTTPStatus != w.status || e.Code != code {
			t.Errorf("LookupError(%s) = %+v, %v", code, e, ok)
		}
		if e.Message == "" && code != codeTransactionCanceled {
			t.Errorf("%s has no default message", code)
		}
	}
	if _, ok := LookupError("NoSuchException"); ok {
		t.Error("unknown code found")
	}
	for _, e := range all {
		if e.HTTPStatus < http.StatusBadRequest || !strings.HasPrefix(e.Namespace, "com.amazon") {
			t.Errorf("odd catalogue entry %+v", e)
		}
	}
	if msg := errorCatalog["ThrottlingException"].Message; msg != "Rate of requests exceeds the allowed throughput." {
		t.Errorf("ThrottlingException message %q", msg)
	}
}

func TestRuleStatusJSON(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	st := ti.mustAdd(t, dropRule("", "orders", When{Times: 2}))
	data, err := json.Marshal(st[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"rule-1","target":"stream","match":{"table":"orders"},"action":{"type":"drop"},` +
		`"when":{"times":2},"enabled":true,"stats":{"matched":0,"fired":0,"remaining":2,"exhausted":false}}`
	if string(data) != want {
		t.Errorf("JSON\n got %s\nwant %s", data, want)
	}
	var back RuleStatus
	if err := json.Unmarshal(data, &back); err != nil || back.ID != "rule-1" || *back.Stats.Remaining != 2 {
		t.Errorf("decode: %+v, %v", back, err)
	}
}

func TestWait(t *testing.T) {
	t.Parallel()
	if err := Wait(context.Background(), time.Millisecond); err != nil {
		t.Errorf("Wait = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("Wait on a cancelled context = %v after %v", err, time.Since(start))
	}
}
