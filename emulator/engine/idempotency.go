package engine

import (
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"
)

// idempotencyWindow is how long (in clock time) a ClientRequestToken of a
// successful TransactWriteItems is remembered.
const idempotencyWindow = 10 * time.Minute

// Messages of the idempotency errors.
const (
	msgTokenMismatch   = "The request uses the same client token as a previous, but non-identical request."
	msgTokenInProgress = "Transaction with the same client token is in progress"
)

// idempotency remembers the ClientRequestTokens of TransactWriteItems. Its
// zero value is ready to use; it is safe for concurrent use.
type idempotency struct {
	mu      sync.Mutex             // guards entries
	entries map[string]*tokenEntry // by token
}

// tokenEntry is one token: the fingerprint of its request and, once the
// request succeeded, its output and when.
type tokenEntry struct {
	fingerprint string
	done        bool
	at          time.Time
	out         *TransactWriteItemsOutput
}

// begin starts a request with token whose parameters have fingerprint fp.
// It returns the output of an earlier identical request (to be returned
// again without running anything), an IdempotentParameterMismatch or
// TransactionInProgress error, or (nil, nil): the caller runs the request
// and must call finish.
func (s *idempotency) begin(token, fp string, now time.Time) (*TransactWriteItemsOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	if s.entries == nil {
		s.entries = map[string]*tokenEntry{}
	}
	ent, ok := s.entries[token]
	switch {
	case !ok:
		s.entries[token] = &tokenEntry{fingerprint: fp}
		return nil, nil
	case ent.fingerprint != fp:
		return nil, NewError(IdempotentParameterMismatch, msgTokenMismatch)
	case !ent.done:
		return nil, NewError(TransactionInProgress, msgTokenInProgress)
	}
	return ent.out, nil
}

// finish ends a request begun with token: a success (out != nil) is
// remembered from now on; a failure forgets the token, so that the request
// may be retried with it.
func (s *idempotency) finish(token string, out *TransactWriteItemsOutput, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ent, ok := s.entries[token]
	if !ok {
		return
	}
	if out == nil {
		delete(s.entries, token)
		return
	}
	ent.done, ent.at, ent.out = true, now, out
}

// reset forgets every token.
func (s *idempotency) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = nil
}

// expire forgets the successes older than the window. Must be called with
// s.mu held.
func (s *idempotency) expire(now time.Time) {
	for token, ent := range s.entries {
		if ent.done && now.Sub(ent.at) >= idempotencyWindow {
			delete(s.entries, token)
		}
	}
}

// fingerprint identifies the parameters of a TransactWriteItems request
// that must match when its ClientRequestToken is reused.
func (in *TransactWriteItemsInput) fingerprint() string {
	b, err := json.Marshal(struct {
		Items                       []TransactWriteItem
		ReturnConsumedCapacity      *string
		ReturnItemCollectionMetrics *string
	}{in.TransactItems, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return string(sum[:])
}
