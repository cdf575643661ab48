package certify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// Scenario is one named, independent test of a consumer: a workload
// written to a fresh table, steps (faults, shard actions, clock moves,
// consumer restarts, waits) taken when the workload reaches given points,
// and what is expected of the consumer. Its JSON form is the scenario file
// format (docs/certify.md).
type Scenario struct {
	// Name identifies the scenario: letters, digits, '-', '_' and '.'.
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Kinds lists the consumer kinds the scenario applies to ("process",
	// "mapping"); absent: both. Others report it as skipped.
	Kinds    []string `json:"kinds,omitempty"`
	Workload Workload `json:"workload"`
	Steps    []Step   `json:"steps,omitempty"`
	Expect   Expect   `json:"expect"`
}

// Consumer kinds a scenario can be limited to.
const (
	// KindProcess is a consumer that reads the stream itself through the
	// DynamoDB Streams API: a command, a Go function or a running reader.
	KindProcess = "process"
	// KindMapping is an event source mapping that invokes a function.
	KindMapping = "mapping"
)

// Workload is the deterministic write pattern of a scenario: Writes
// writes, one after the other, each to one of Keys items drawn from the
// seed; a write to an absent item inserts it, a write to a present one
// deletes it with probability DeleteRatio and updates it otherwise. Every
// item carries a version that each of its writes bumps (a delete consumes
// one too), so a consumer can check that it saw every change in order.
type Workload struct {
	// Seed, when not 0, replaces the seed derived from the battery's seed
	// and the scenario's name.
	Seed uint64 `json:"seed,omitempty"`
	// Keys is the number of distinct items (default 32).
	Keys int `json:"keys,omitempty"`
	// Writes is the number of writes (default 200).
	Writes int `json:"writes,omitempty"`
	// DeleteRatio is the probability that a write to an existing item
	// deletes it (default 0.1; -1 for none).
	DeleteRatio float64 `json:"deleteRatio,omitempty"`
	// Shards is the number of open shards of the stream (default 4).
	Shards int `json:"shards,omitempty"`
	// PayloadBytes is the size of each item's payload attribute
	// (default 64).
	PayloadBytes int `json:"payloadBytes,omitempty"`
	// Rate bounds the writes per second (0: as fast as the table takes
	// them).
	Rate float64 `json:"rate,omitempty"`
}

// Workload defaults.
const (
	defaultKeys         = 32
	defaultWrites       = 200
	defaultDeleteRatio  = 0.1
	defaultShards       = 4
	defaultPayloadBytes = 64
	maxWrites           = 1_000_000
	maxKeys             = 100_000
	maxShards           = 64
	maxPayloadBytes     = 64 << 10
)

// withDefaults returns w with its zero fields set to the defaults.
func (w Workload) withDefaults() Workload {
	if w.Keys == 0 {
		w.Keys = defaultKeys
	}
	if w.Writes == 0 {
		w.Writes = defaultWrites
	}
	switch {
	case w.DeleteRatio == 0:
		w.DeleteRatio = defaultDeleteRatio
	case w.DeleteRatio < 0:
		w.DeleteRatio = 0
	}
	if w.Shards == 0 {
		w.Shards = defaultShards
	}
	if w.PayloadBytes == 0 {
		w.PayloadBytes = defaultPayloadBytes
	}
	return w
}

// Step is one action of a scenario, taken once At writes of the workload
// are done (0: before the first; the workload's Writes: after the last).
// Steps at the same point run in the order listed.
type Step struct {
	At int `json:"at"`
	// Do names the action (the Do* constants).
	Do string `json:"do"`
	// Rule is the fault rule of addRule, in the admin API's form. An
	// empty match.table is the scenario's table; match.accessKeyId
	// "$CONSUMER" is the consumer's access key id. Its id is required.
	Rule json.RawMessage `json:"rule,omitempty"`
	// RuleID names the rule of removeRule and waitFired.
	RuleID string `json:"ruleId,omitempty"`
	// Times is how many firings waitFired waits for.
	Times int `json:"times,omitempty"`
	// Shard selects the shard of pause, resume, rollover and split: the
	// index of an open shard in creation order; absent (and no Key):
	// every open shard.
	Shard *int `json:"shard,omitempty"`
	// Key selects instead the shard of this workload item (its index,
	// 0 to Keys-1).
	Key *int `json:"key,omitempty"`
	// Duration is the clock move of advanceClock, the wall time of wait,
	// the age of trim (records at least this old; absent: every record)
	// and the time limit of waitFired and waitCaughtUp (default: the
	// scenario's catch-up deadline).
	Duration faults.Duration `json:"duration,omitempty"`
}

// The step actions.
const (
	DoAddRule         = "addRule"         // add Rule (removed when the scenario ends)
	DoRemoveRule      = "removeRule"      // remove the rule RuleID
	DoWaitFired       = "waitFired"       // wait until rule RuleID fired Times times
	DoPause           = "pause"           // pause shards: reads return no records
	DoResume          = "resume"          // resume paused shards
	DoRollover        = "rollover"        // close shards, each with one child
	DoSplit           = "split"           // close shards, each with two children
	DoTrim            = "trim"            // trim the stream as retention would
	DoExpireIterators = "expireIterators" // every iterator issued so far expires
	DoAdvanceClock    = "advanceClock"    // move the server's clock forward
	DoStopConsumer    = "stopConsumer"    // stop the consumer (a planned stop)
	DoStartConsumer   = "startConsumer"   // start it again
	DoRestartConsumer = "restartConsumer" // stop and start it
	DoWait            = "wait"            // let Duration of wall time pass
	DoWaitCaughtUp    = "waitCaughtUp"    // wait until the consumer read every change so far
)

// stepActions lists the valid values of Step.Do.
var stepActions = []string{DoAddRule, DoRemoveRule, DoWaitFired, DoPause, DoResume, DoRollover, DoSplit, //nolint:gochecknoglobals // constant
	DoTrim, DoExpireIterators, DoAdvanceClock, DoStopConsumer, DoStartConsumer, DoRestartConsumer, DoWait, DoWaitCaughtUp}

// Expect is what a scenario requires of the consumer. Changes it did not
// receive for a reason not in AllowMissed, more duplicates, order
// violations or crashes than allowed, a loss it did not report when Report
// is set, or not catching up within CatchUpWithin fail the scenario.
type Expect struct {
	// AllowMissed lists the reasons for which changes may be missed:
	// "dropped" (a fault removed them from the stream), "trimmed"
	// (retention removed them while the consumer could not read),
	// "discarded" (a mapping gave up on them). Pending and unread changes
	// at the deadline always fail (the consumer stalled).
	AllowMissed []string `json:"allowMissed,omitempty"`
	// MaxDuplicates bounds the records handed to the consumer more than
	// once (a re-read, a duplicate fault). Default 0.
	MaxDuplicates int `json:"maxDuplicates,omitempty"`
	// MaxOrderViolations bounds the child shards read before their
	// parent was finished. Default 0.
	MaxOrderViolations int `json:"maxOrderViolations,omitempty"`
	// MaxCrashes bounds the consumer's unplanned exits. Default 0.
	MaxCrashes int `json:"maxCrashes,omitempty"`
	// Report requires the consumer to say that it lost or misordered
	// something: a line of its output must match the report pattern.
	Report bool `json:"report,omitempty"`
	// CatchUpWithin is the wall time the consumer has, after the last
	// step and write, to read every change (default 30s).
	CatchUpWithin faults.Duration `json:"catchUpWithin,omitempty"`
}

// defaultCatchUp is the default of Expect.CatchUpWithin.
const defaultCatchUp = 30 * time.Second

// lossReasons are the reasons AllowMissed may list.
var lossReasons = []string{"dropped", "trimmed", "skipped", "discarded"} //nolint:gochecknoglobals // constant

// namePattern is what a scenario name may look like.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`) //nolint:gochecknoglobals // constant

// Validate reports the first problem of s, naming the field.
func (s Scenario) Validate() error {
	if !namePattern.MatchString(s.Name) {
		return fmt.Errorf("name: %q must be 1 to 64 letters, digits, '.', '_' or '-'", s.Name)
	}
	for _, k := range s.Kinds {
		if k != KindProcess && k != KindMapping {
			return fmt.Errorf("kinds: %q is not %s or %s", k, KindProcess, KindMapping)
		}
	}
	if err := s.Workload.validate(); err != nil {
		return fmt.Errorf("workload.%w", err)
	}
	w := s.Workload.withDefaults()
	ids := map[string]bool{}
	for i, st := range s.Steps {
		if i > 0 && st.At < s.Steps[i-1].At {
			return fmt.Errorf("steps[%d].at: %d comes before the previous step's %d (list steps in order)", i, st.At, s.Steps[i-1].At)
		}
		if err := st.validate(w, ids); err != nil {
			return fmt.Errorf("steps[%d].%w", i, err)
		}
	}
	if err := s.Expect.validate(); err != nil {
		return fmt.Errorf("expect.%w", err)
	}
	return nil
}

func (w Workload) validate() error {
	switch {
	case w.Keys < 0 || w.Keys > maxKeys:
		return fmt.Errorf("keys: %d is not in [1, %d]", w.Keys, maxKeys)
	case w.Writes < 0 || w.Writes > maxWrites:
		return fmt.Errorf("writes: %d is not in [1, %d]", w.Writes, maxWrites)
	case w.DeleteRatio > 1 || (w.DeleteRatio < 0 && w.DeleteRatio != -1):
		return fmt.Errorf("deleteRatio: %g is not in [0, 1] (or -1 for none)", w.DeleteRatio)
	case w.Shards < 0 || w.Shards > maxShards:
		return fmt.Errorf("shards: %d is not in [1, %d]", w.Shards, maxShards)
	case w.PayloadBytes < 0 || w.PayloadBytes > maxPayloadBytes:
		return fmt.Errorf("payloadBytes: %d is not in [1, %d]", w.PayloadBytes, maxPayloadBytes)
	case w.Rate < 0:
		return fmt.Errorf("rate: %g is negative", w.Rate)
	}
	return nil
}

// validate checks one step of a scenario with workload w; ids collects
// the rule ids added so far.
func (st Step) validate(w Workload, ids map[string]bool) error {
	if st.At < 0 || st.At > w.Writes {
		return fmt.Errorf("at: %d is not in [0, %d] (the workload's writes)", st.At, w.Writes)
	}
	if !slices.Contains(stepActions, st.Do) {
		return fmt.Errorf("do: %q is not one of %s", st.Do, strings.Join(stepActions, ", "))
	}
	if st.Rule != nil && st.Do != DoAddRule {
		return fmt.Errorf("rule: only for %s", DoAddRule)
	}
	if st.RuleID != "" && st.Do != DoRemoveRule && st.Do != DoWaitFired {
		return fmt.Errorf("ruleId: only for %s and %s", DoRemoveRule, DoWaitFired)
	}
	if (st.Shard != nil || st.Key != nil) && !slices.Contains([]string{DoPause, DoResume, DoRollover, DoSplit}, st.Do) {
		return fmt.Errorf("shard: only for %s, %s, %s and %s", DoPause, DoResume, DoRollover, DoSplit)
	}
	switch {
	case st.Shard != nil && st.Key != nil:
		return errors.New("shard: shard and key exclude each other")
	case st.Shard != nil && (*st.Shard < 0 || *st.Shard >= maxShards):
		return fmt.Errorf("shard: %d is not a shard index", *st.Shard)
	case st.Key != nil && (*st.Key < 0 || *st.Key >= w.Keys):
		return fmt.Errorf("key: %d is not in [0, %d)", *st.Key, w.Keys)
	}
	switch st.Do {
	case DoAddRule:
		return st.validateRule(ids)
	case DoRemoveRule, DoWaitFired:
		if !ids[st.RuleID] {
			return fmt.Errorf("ruleId: %q is not added by an earlier step", st.RuleID)
		}
		if st.Do == DoWaitFired && st.Times < 1 {
			return errors.New("times: must be at least 1")
		}
	case DoAdvanceClock, DoWait:
		if st.Duration <= 0 {
			return errors.New("duration: required")
		}
	}
	return nil
}

// validateRule checks the rule of an addRule step.
func (st Step) validateRule(ids map[string]bool) error {
	if st.Rule == nil {
		return errors.New("rule: required")
	}
	r, err := st.rule("certify-table", "CERTIFYKEY")
	if err != nil {
		return err
	}
	if r.ID == "" {
		return errors.New("rule.id: required (removeRule and waitFired name it)")
	}
	if ids[r.ID] {
		return fmt.Errorf("rule.id: %q is added twice", r.ID)
	}
	ids[r.ID] = true
	return nil
}

// consumerPlaceholder in a rule's match.accessKeyId stands for the
// consumer's access key id.
const consumerPlaceholder = "$CONSUMER"

// rule decodes the step's rule for the table and consumer key.
func (st Step) rule(table, consumerKey string) (faults.Rule, error) {
	rules, err := faults.ParseRules(st.Rule)
	var fe *faults.FieldError
	switch {
	case errors.As(err, &fe):
		return faults.Rule{}, fmt.Errorf("rule.%w", err)
	case err != nil:
		return faults.Rule{}, fmt.Errorf("rule: %w", err)
	case len(rules) != 1:
		return faults.Rule{}, errors.New("rule: must be one rule object")
	}
	r := rules[0]
	if r.Match.Table == "" {
		r.Match.Table = table
	}
	if r.Match.AccessKeyID == consumerPlaceholder {
		r.Match.AccessKeyID = consumerKey
	}
	return r, nil
}

func (e Expect) validate() error {
	for _, r := range e.AllowMissed {
		if !slices.Contains(lossReasons, r) {
			return fmt.Errorf("allowMissed: %q is not one of %s", r, strings.Join(lossReasons, ", "))
		}
	}
	switch {
	case e.MaxDuplicates < 0:
		return errors.New("maxDuplicates: negative")
	case e.MaxOrderViolations < 0:
		return errors.New("maxOrderViolations: negative")
	case e.MaxCrashes < 0:
		return errors.New("maxCrashes: negative")
	}
	return nil
}

// catchUp is the scenario's catch-up deadline.
func (e Expect) catchUp() time.Duration {
	if e.CatchUpWithin > 0 {
		return e.CatchUpWithin.Std()
	}
	return defaultCatchUp
}

// appliesTo reports whether the scenario applies to consumers of kind.
func (s Scenario) appliesTo(kind string) bool {
	return len(s.Kinds) == 0 || slices.Contains(s.Kinds, kind)
}

// ParseScenarios decodes a scenario file: one scenario object or an array
// of them. Unknown fields are errors, and each scenario is validated.
func ParseScenarios(data []byte) ([]Scenario, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("not a scenario array: %w", err)
		}
		out := make([]Scenario, 0, len(raws))
		for i, raw := range raws {
			s, err := parseScenario(raw)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := parseScenario(data)
	if err != nil {
		return nil, err
	}
	return []Scenario{s}, nil
}

// parseScenario decodes and validates one scenario object.
func parseScenario(data []byte) (Scenario, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, fmt.Errorf("decoding: %w", err)
	}
	if dec.More() {
		return Scenario{}, errors.New("decoding: more than one JSON value")
	}
	if err := s.Validate(); err != nil {
		if s.Name != "" {
			return Scenario{}, fmt.Errorf("scenario %s: %w", s.Name, err)
		}
		return Scenario{}, err
	}
	return s, nil
}

// LoadScenarios reads the scenarios of a file, or of every *.json file of
// a directory (in name order).
func LoadScenarios(path string) ([]Scenario, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return loadFile(os.DirFS(filepath.Dir(path)), filepath.Base(path), path)
	}
	return loadDir(os.DirFS(path), ".", path)
}

// loadDir reads every *.json file of dir in fsys; where names it in
// errors.
func loadDir(fsys fs.FS, dir, where string) ([]Scenario, error) {
	names, err := fs.Glob(fsys, pathJoin(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Scenario
	for _, n := range names {
		ss, err := loadFile(fsys, n, filepath.Join(where, filepath.Base(n)))
		if err != nil {
			return nil, err
		}
		all = append(all, ss...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no *.json scenario files", where)
	}
	return all, nil
}

// loadFile reads one scenario file of fsys; where names it in errors.
func loadFile(fsys fs.FS, name, where string) ([]Scenario, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	ss, err := ParseScenarios(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return ss, nil
}

// pathJoin joins fs.FS path elements ("." is the root).
func pathJoin(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

// Merge returns base with the scenarios of extra added, an extra scenario
// replacing the base scenario of the same name in place. A name repeated
// within extra is an error.
func Merge(base, extra []Scenario) ([]Scenario, error) {
	out := slices.Clone(base)
	seen := map[string]bool{}
	for _, s := range extra {
		if seen[s.Name] {
			return nil, fmt.Errorf("scenario %s is defined twice", s.Name)
		}
		seen[s.Name] = true
		if i := slices.IndexFunc(out, func(b Scenario) bool { return b.Name == s.Name }); i >= 0 {
			out[i] = s
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

// Select returns the scenarios whose name matches re (all when re is nil).
func Select(ss []Scenario, re *regexp.Regexp) []Scenario {
	if re == nil {
		return ss
	}
	var out []Scenario
	for _, s := range ss {
		if re.MatchString(s.Name) {
			out = append(out, s)
		}
	}
	return out
}
