package faults

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Errors of the rule-set operations; the admin API maps them to 409 and 404.
var (
	ErrDuplicateID = errors.New("faults: duplicate rule id")
	ErrNotFound    = errors.New("faults: no rule with this id")
)

// Options configure an Injector.
type Options struct {
	// Seed seeds every rule's random generator.
	Seed uint64
	// Now is the virtual clock, for journal times (default time.Now).
	Now func() time.Time
	// WallNow is the wall clock, for rule TTLs and journal wall times
	// (default time.Now).
	WallNow func() time.Time
	// Logger receives rule changes, firings and shard actions (Info) and
	// follow-ups (Debug); nil discards.
	Logger *slog.Logger
	// JournalLimit is how many entries the journal keeps (default
	// DefaultJournalLimit); older ones are evicted and counted.
	JournalLimit int
}

// Injector holds the rules and the journal and makes the decisions. It is
// safe for concurrent use.
type Injector struct {
	now, wallNow func() time.Time
	log          *slog.Logger

	// nAPI, nStream and nDelivery count the stored rules per target, so
	// a decision with no rule for its target takes no lock. Written under
	// mu.
	nAPI, nStream, nDelivery atomic.Int64

	mu       sync.Mutex // guards the fields below and every ruleState
	seed     uint64
	rules    []*ruleState // in the order they were added
	nextID   int          // counter of generated ids
	nextTTL  time.Time    // earliest expiresAt of any rule (zero: none)
	journal  journal
	journalN int // the journal limit, for Reset
}

// New returns an Injector with no rules and an empty journal.
func New(opts Options) *Injector {
	in := &Injector{now: opts.Now, wallNow: opts.WallNow, log: opts.Logger, seed: opts.Seed}
	if in.now == nil {
		in.now = time.Now
	}
	if in.wallNow == nil {
		in.wallNow = time.Now
	}
	if in.log == nil {
		in.log = slog.New(slog.DiscardHandler)
	}
	in.journalN = opts.JournalLimit
	if in.journalN <= 0 {
		in.journalN = DefaultJournalLimit
	}
	in.journal.limit = in.journalN
	return in
}

// Seed returns the seed of the rules' random generators.
func (in *Injector) Seed() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.seed
}

// SetSeed changes the seed and restarts every rule's random generator from
// it (counters are kept).
func (in *Injector) SetSeed(seed uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.seed = seed
	for _, s := range in.rules {
		s.reseed(seed)
	}
	in.log.Info("fault seed set", "seed", seed)
}

// Add validates and stores rules after the existing ones, all or none. An
// empty id is replaced by a generated one ("rule-N"); an id already stored
// or repeated in rules fails with ErrDuplicateID. The rules are active for
// the next decision when Add returns.
func (in *Injector) Add(rules ...Rule) ([]RuleStatus, error) {
	if len(rules) == 0 {
		return []RuleStatus{}, nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	states, err := in.prepare(rules, in.rules)
	if err != nil {
		return nil, err
	}
	in.rules = append(in.rules, states...)
	in.changed("fault rules added", states)
	return statuses(states), nil
}

// Replace validates rules and swaps them for the whole rule set, all or
// none. The journal is kept.
func (in *Injector) Replace(rules []Rule) ([]RuleStatus, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	states, err := in.prepare(rules, nil)
	if err != nil {
		return nil, err
	}
	in.rules = states
	in.changed("fault rules replaced", states)
	return statuses(states), nil
}

// prepare validates rules, fills ids and defaults, and checks ids against
// existing and against each other. Must be called with mu held.
func (in *Injector) prepare(rules []Rule, existing []*ruleState) ([]*ruleState, error) {
	taken := make(map[string]bool, len(existing)+len(rules))
	for _, s := range existing {
		taken[s.rule.ID] = true
	}
	for i, r := range rules {
		if err := r.Validate(); err != nil {
			return nil, indexed(len(rules), i, err)
		}
		if r.ID != "" && taken[r.ID] {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateID, r.ID)
		}
		taken[r.ID] = r.ID != ""
	}
	now := in.wallNow()
	states := make([]*ruleState, len(rules))
	for i, r := range rules {
		r = cloneRule(r)
		if r.ID == "" {
			r.ID = in.generateID(taken)
		}
		enabled := r.IsEnabled()
		r.Enabled = &enabled
		states[i] = newRuleState(r, in.seed, now)
	}
	return states, nil
}

// indexed places err under "[i]" when a call carried several rules.
func indexed(n, i int, err error) error {
	if n == 1 {
		return err
	}
	return prefixed("["+strconv.Itoa(i)+"]", err)
}

// generateID returns the next free "rule-N" and marks it taken.
func (in *Injector) generateID(taken map[string]bool) string {
	for {
		in.nextID++
		id := "rule-" + strconv.Itoa(in.nextID)
		if !taken[id] {
			taken[id] = true
			return id
		}
	}
}

// Get returns the rule with id and its counters, or ErrNotFound.
func (in *Injector) Get(id string) (RuleStatus, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	s := in.find(id)
	if s == nil {
		return RuleStatus{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return s.status(), nil
}

// List returns every rule with its counters, in the order they were added.
func (in *Injector) List() []RuleStatus {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	return statuses(in.rules)
}

// Patch changes the rule with id as p says and returns it, or fails with
// ErrNotFound or a *FieldError.
func (in *Injector) Patch(id string, p RulePatch) (RuleStatus, error) {
	if err := p.Validate(); err != nil {
		return RuleStatus{}, err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	s := in.find(id)
	if s == nil {
		return RuleStatus{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	in.applyPatch(s, p)
	in.changed("fault rule patched", []*ruleState{s})
	return s.status(), nil
}

// applyPatch applies a validated patch. Must be called with mu held.
func (in *Injector) applyPatch(s *ruleState, p RulePatch) {
	if p.Description != nil {
		s.rule.Description = *p.Description
	}
	if p.Enabled != nil {
		e := *p.Enabled
		s.rule.Enabled = &e
	}
	if p.Times != nil {
		s.rule.When.Times = *p.Times
	}
	if p.When != nil {
		s.rule.When = *p.When
		s.matched, s.fired = 0, 0
		s.reseed(in.seed)
	}
	if p.TTL != nil {
		s.setTTL(*p.TTL, in.wallNow())
	}
}

// Delete removes the rule with id, or fails with ErrNotFound.
func (in *Injector) Delete(id string) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, s := range in.rules {
		if s.rule.ID == id {
			in.rules = append(in.rules[:i:i], in.rules[i+1:]...)
			in.changed("fault rule deleted", []*ruleState{s})
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrNotFound, id)
}

// Reset removes every rule and clears the journal, back to the state New
// returned (generated ids and journal sequence numbers restart at 1); the
// seed is kept.
func (in *Injector) Reset() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules, in.nextID = nil, 0
	in.journal = journal{limit: in.journalN}
	in.changed("fault rules reset", nil)
}

// find returns the rule with id, or nil. Must be called with mu held.
func (in *Injector) find(id string) *ruleState {
	for _, s := range in.rules {
		if s.rule.ID == id {
			return s
		}
	}
	return nil
}

// changed refreshes the per-target counts and the next TTL after the rule
// set changed, and logs it. Must be called with mu held.
func (in *Injector) changed(msg string, touched []*ruleState) {
	var nAPI, nStream, nDelivery int64
	in.nextTTL = time.Time{}
	for _, s := range in.rules {
		switch s.rule.Target {
		case TargetAPI:
			nAPI++
		case TargetDelivery:
			nDelivery++
		default:
			nStream++
		}
		if !s.expiresAt.IsZero() && (in.nextTTL.IsZero() || s.expiresAt.Before(in.nextTTL)) {
			in.nextTTL = s.expiresAt
		}
	}
	in.nAPI.Store(nAPI)
	in.nStream.Store(nStream)
	in.nDelivery.Store(nDelivery)
	ids := make([]string, len(touched))
	for i, s := range touched {
		ids[i] = s.rule.ID
	}
	in.log.Info(msg, "faults", ids, "rules", len(in.rules))
}

// expireLocked removes the rules whose TTL has passed. Must be called with
// mu held.
func (in *Injector) expireLocked() {
	if in.nextTTL.IsZero() {
		return
	}
	now := in.wallNow()
	if now.Before(in.nextTTL) {
		return
	}
	var gone []*ruleState
	kept := in.rules[:0]
	for _, s := range in.rules {
		if s.expired(now) {
			gone = append(gone, s)
		} else {
			kept = append(kept, s)
		}
	}
	clear(in.rules[len(kept):])
	in.rules = kept
	in.changed("fault rules expired", gone)
}

// statuses returns the statuses of states.
func statuses(states []*ruleState) []RuleStatus {
	out := make([]RuleStatus, len(states))
	for i, s := range states {
		out[i] = s.status()
	}
	return out
}
