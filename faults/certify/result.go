package certify

import (
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

// Statuses of a scenario's result.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"
	StatusSkip  = "skip"  // the scenario does not apply to this consumer
	StatusError = "error" // the battery could not run it (the endpoint failed)
)

// Result is one scenario's line of the report card, with its evidence.
type Result struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Status is pass, fail, skip or error.
	Status string `json:"status"`
	// Failures says why it failed, one sentence each.
	Failures []string `json:"failures,omitempty"`
	// Reason says why it was skipped or could not run.
	Reason string `json:"reason,omitempty"`
	// Notes are facts worth knowing that are not failures (a wait that
	// timed out, a rule that fired fewer times than waited for).
	Notes []string `json:"notes,omitempty"`

	Seed      uint64 `json:"seed"`
	Table     string `json:"table,omitempty"`
	StreamARN string `json:"streamArn,omitempty"`
	// Consumer is the consumer's access key id in the scenario.
	Consumer string `json:"consumer,omitempty"`
	// Writes is the number of workload writes, Changes the changes the
	// table committed (its change ledger).
	Writes  int `json:"writes"`
	Changes int `json:"changes"`

	// Missed counts, by reason, the changes the consumer did not receive
	// (from dynafault's consumer oracle); Examples shows a few of each.
	Missed   map[string]int        `json:"missed"`
	Examples []client.MissedChange `json:"examples,omitempty"`
	// Duplicates counts records handed to the consumer again;
	// OrderViolations the child shards it read before their parent was
	// finished.
	Duplicates      uint64 `json:"duplicates"`
	OrderViolations uint64 `json:"orderViolations"`
	// Crashes are its unplanned exits; Starts counts its starts and
	// PlannedRestarts the restarts the scenario asked for.
	Crashes         []Crash `json:"crashes,omitempty"`
	Starts          int     `json:"starts"`
	PlannedRestarts int     `json:"plannedRestarts"`
	// CaughtUp reports whether it read every change before the deadline;
	// CatchUp is the wall time it took after the last step and write.
	CaughtUp       bool    `json:"caughtUp"`
	CatchUpSeconds float64 `json:"catchUpSeconds"`
	// PeakLagSeconds is the largest lag the oracle reported while the
	// scenario ran (sampled; clock time, so a clock move shows in it).
	PeakLagSeconds float64 `json:"peakLagSeconds"`
	// Reported are the consumer's output lines that matched the report
	// pattern (its own account of a loss).
	Reported []string `json:"reported,omitempty"`
	// Faults lists the fault rules of the scenario with their firings.
	Faults []FaultCount `json:"faults,omitempty"`
	// LastLines are the consumer's last output lines.
	LastLines       []string `json:"lastLines,omitempty"`
	DurationSeconds float64  `json:"durationSeconds"`
}

// FaultCount is one fault rule of a scenario and how often it fired.
type FaultCount struct {
	Rule   string `json:"rule"`
	Action string `json:"action"`
	Fired  uint64 `json:"fired"`
}

// Report is the report card of one battery run.
type Report struct {
	// Consumer describes the consumer (its command, or "Go function").
	Consumer string    `json:"consumer"`
	Kind     string    `json:"kind"`
	Endpoint string    `json:"endpoint"`
	Seed     uint64    `json:"seed"`
	Started  time.Time `json:"started"`
	// DurationSeconds is the wall time of the whole run.
	DurationSeconds float64  `json:"durationSeconds"`
	Results         []Result `json:"results"`
	Passed          int      `json:"passed"`
	Failed          int      `json:"failed"`
	Skipped         int      `json:"skipped"`
	Errors          int      `json:"errors"`
}

// OK reports whether no scenario failed or could not run.
func (r *Report) OK() bool { return r.Failed == 0 && r.Errors == 0 }

// add appends a result and counts it.
func (r *Report) add(res Result) {
	r.Results = append(r.Results, res)
	switch res.Status {
	case StatusPass:
		r.Passed++
	case StatusFail:
		r.Failed++
	case StatusSkip:
		r.Skipped++
	default:
		r.Errors++
	}
}

// Result returns the result of the scenario with the name.
func (r *Report) Result(name string) (Result, bool) {
	for _, res := range r.Results {
		if res.Name == name {
			return res, true
		}
	}
	return Result{}, false
}
