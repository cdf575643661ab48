package faults

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"
)

// ruleState is a stored rule with its counters and random generator. All
// fields are guarded by the owning Injector's mutex.
type ruleState struct {
	rule      Rule
	matched   uint64
	fired     uint64
	rng       *rand.Rand
	expiresAt time.Time // zero: no TTL
	tableGlob bool      // Match.Table has glob metacharacters
}

// newRuleState stores r (already normalized) under seed; wallNow is the
// current wall-clock time, the start of the rule's TTL.
func newRuleState(r Rule, seed uint64, wallNow time.Time) *ruleState {
	s := &ruleState{rule: r, tableGlob: isGlob(r.Match.Table)}
	s.reseed(seed)
	s.setTTL(r.TTL, wallNow)
	return s
}

// reseed restarts the rule's generator from (seed, hash of id).
func (s *ruleState) reseed(seed uint64) {
	s.rng = rand.New(rand.NewPCG(seed, hashString(s.rule.ID))) //nolint:gosec // deterministic by design
}

// setTTL sets the rule's lifetime to ttl from now (0: forever).
func (s *ruleState) setTTL(ttl Duration, now time.Time) {
	s.rule.TTL = ttl
	s.expiresAt = time.Time{}
	if ttl > 0 {
		s.expiresAt = now.Add(ttl.Std())
	}
}

// expired reports whether the rule's TTL has passed at wall time now.
func (s *ruleState) expired(now time.Time) bool {
	return !s.expiresAt.IsZero() && !now.Before(s.expiresAt)
}

// exhausted reports whether the rule has fired When.Times times.
func (s *ruleState) exhausted() bool {
	return s.rule.When.Times > 0 && s.fired >= uint64(s.rule.When.Times)
}

// stats returns the rule's counters.
func (s *ruleState) stats() Stats {
	st := Stats{Matched: s.matched, Fired: s.fired, Exhausted: s.exhausted()}
	if t := s.rule.When.Times; t > 0 {
		rem := max(t-int(min(s.fired, uint64(t))), 0)
		st.Remaining = &rem
	}
	if !s.expiresAt.IsZero() {
		t := s.expiresAt
		st.ExpiresAt = &t
	}
	return st
}

// status returns a copy of the rule with its counters.
func (s *ruleState) status() RuleStatus {
	return RuleStatus{Rule: cloneRule(s.rule), Stats: s.stats()}
}

// trigger counts one match and runs skip, everyNth and probability. It
// reports whether the rule would fire; the caller counts the firing.
func (s *ruleState) trigger() bool {
	s.matched++
	if s.exhausted() {
		return false
	}
	w := s.rule.When
	if s.matched <= uint64(w.Skip) {
		return false
	}
	if n := s.matched - uint64(w.Skip); w.EveryNth > 1 && n%uint64(w.EveryNth) != 0 {
		return false
	}
	if w.Probability > 0 && w.Probability < 1 && s.rng.Float64() >= w.Probability {
		return false
	}
	return true
}

// latency draws the delay of a firing latency rule: Latency plus a uniform
// draw in [0, Jitter].
func (s *ruleState) latency() time.Duration {
	d := s.rule.Action.Latency.Std()
	if j := s.rule.Action.Jitter.Std(); j > 0 {
		d += time.Duration(s.rng.Int64N(int64(j) + 1))
	}
	return d
}

// matchAPI reports whether an api rule selects ev.
func (s *ruleState) matchAPI(ev *APIEvent) bool {
	r := &s.rule
	if r.Target != TargetAPI || !r.IsEnabled() || !appliesTo(r.Action.Type, ev.Operation) {
		return false
	}
	m := &r.Match
	if len(m.Operation) > 0 && !slices.Contains(m.Operation, ev.Operation) {
		return false
	}
	if m.AccessKeyID != "" && m.AccessKeyID != ev.AccessKeyID {
		return false
	}
	return m.Table == "" || s.matchTable(ev.Table) || slices.ContainsFunc(ev.Tables, s.matchTable)
}

// matchStream reports whether a stream rule selects ev.
func (s *ruleState) matchStream(ev *StreamEvent) bool {
	r := &s.rule
	if r.Target != TargetStream || !r.IsEnabled() {
		return false
	}
	m := &r.Match
	if m.Table != "" && !s.matchTable(ev.Table) {
		return false
	}
	if len(m.EventName) > 0 && !slices.Contains(m.EventName, ev.EventName) {
		return false
	}
	return matchKey(m.Key, ev.Keys)
}

// matchTable matches table against the rule's table pattern (set).
func (s *ruleState) matchTable(table string) bool {
	if !s.tableGlob {
		return table == s.rule.Match.Table
	}
	return globMatch(s.rule.Match.Table, table)
}

// matchTable matches a table name against an exact name or a glob.
func matchTable(pattern, table string) bool {
	if !isGlob(pattern) {
		return pattern == table
	}
	return globMatch(pattern, table)
}

// isGlob reports whether pattern has path.Match metacharacters.
func isGlob(pattern string) bool { return strings.ContainsAny(pattern, `*?[\`) }

// globMatch matches a non-empty table name against a glob.
func globMatch(pattern, table string) bool {
	if table == "" {
		return false
	}
	ok, _ := path.Match(pattern, table)
	return ok
}

// matchKey reports whether key satisfies every predicate.
func matchKey(preds map[string]KeyPredicate, key Key) bool {
	for name, p := range preds {
		v, ok := key[name]
		if !ok {
			return false
		}
		if p.Equals != nil && v.Value != *p.Equals {
			return false
		}
		if p.Prefix != nil && !strings.HasPrefix(v.Value, *p.Prefix) {
			return false
		}
	}
	return true
}

// hashString is the FNV-1a hash of s.
func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// hashFraction maps (seed, rule id, firing, table, key) to [0, 1): a
// decision that depends only on what is decided, not on call order.
func hashFraction(seed uint64, id string, firing uint64, table string, key Key) float64 {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], seed)
	binary.LittleEndian.PutUint64(b[8:], firing)
	_, _ = h.Write(b[:])
	_, _ = h.Write([]byte(id + "\x00" + table + "\x00" + key.String()))
	return float64(splitmix(h.Sum64())>>11) / (1 << 53)
}

// splitmix is the SplitMix64 finalizer, spreading FNV's weak low bits.
func splitmix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// cloneRule deep-copies r, so stored rules never alias caller memory.
func cloneRule(r Rule) Rule {
	m := &r.Match
	m.Operation = slices.Clone(m.Operation)
	m.EventName = slices.Clone(m.EventName)
	if m.Key != nil {
		k := make(map[string]KeyPredicate, len(m.Key))
		for n, p := range m.Key {
			k[n] = KeyPredicate{Equals: clonePtr(p.Equals), Prefix: clonePtr(p.Prefix)}
		}
		m.Key = k
	}
	a := &r.Action
	a.CancellationReasons = slices.Clone(a.CancellationReasons)
	a.ThrottlingReasons = slices.Clone(a.ThrottlingReasons)
	a.Then = clonePtr(a.Then)
	r.Enabled = clonePtr(r.Enabled)
	return r
}

// clonePtr returns a pointer to a copy of *p (nil stays nil).
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
