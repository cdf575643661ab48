package faults

import (
	"sort"
	"time"
)

// TargetShard is the target of journal entries of shard actions (pause,
// resume, ...) taken through the admin API, and of the periodic rollovers
// the streams make themselves; no rule has it.
const TargetShard Target = "shard"

// TargetClock is the target of journal entries of changes of the virtual
// clock made through the admin API; no rule has it.
const TargetClock Target = "clock"

// Journal bounds.
const (
	// DefaultJournalLimit is how many entries a journal keeps by default.
	DefaultJournalLimit = 100_000
	// DefaultPageLimit and MaxPageLimit bound the entries of one page.
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

// Kinds of journal entries.
const (
	// KindFiring: a rule decided an action (a drop, a delay, an error...).
	KindFiring = "firing"
	// KindFollowUp: a later consequence of an earlier firing (a delayed
	// record released and renumbered, a record held behind it, a reorder
	// swapped or released in place). Outcome says which.
	KindFollowUp = "followUp"
	// KindShard: a shard action taken through the admin API (pause, resume,
	// rollover, split, trim, expiring iterators), or a periodic rollover
	// (a shard older than the stream's rollover age).
	KindShard = "shard"
	// KindLoss: records left a consumer's reach (retention trim, iterator
	// expiry, rollover or split, a mapping discarding them). Reason says
	// how.
	KindLoss = "loss"
	// KindClock: a change of the virtual clock made through the admin API
	// (advance, set, freeze, unfreeze, offset); Detail gives the time
	// before and after.
	KindClock = "clock"
)

// Kinds lists every kind of journal entry, in the order the
// documentation gives them.
func Kinds() []string {
	return []string{KindFiring, KindFollowUp, KindShard, KindLoss, KindClock}
}

// Entry is one journaled firing (or shard action, loss event, clock
// change).
type Entry struct {
	// Seq numbers entries from 1, increasing; it is the paging cursor.
	Seq uint64 `json:"seq"`
	// Kind is KindFiring, KindFollowUp, KindShard, KindLoss or KindClock.
	Kind   string `json:"kind"`
	RuleID string `json:"ruleId,omitempty"`
	Action string `json:"action"`
	Target Target `json:"target"`
	Table  string `json:"table,omitempty"`
	Keys   Key    `json:"keys,omitempty"`
	// Stream firings.
	EventName      string `json:"eventName,omitempty"`
	EventID        string `json:"eventId,omitempty"`
	SequenceNumber string `json:"sequenceNumber,omitempty"`
	ShardID        string `json:"shardId,omitempty"`
	StreamArn      string `json:"streamArn,omitempty"`
	// API firings.
	Operation   string `json:"operation,omitempty"`
	RequestID   string `json:"requestId,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	// Time is the virtual clock's time; WallTime the real one.
	Time     time.Time `json:"time"`
	WallTime time.Time `json:"wallTime"`
	// Detail says more about the firing, e.g. the delay or the error code.
	Detail string `json:"detail,omitempty"`
	// Outcome names what a follow-up entry records (e.g. "released",
	// "heldBehind", "swapped", "releasedInPlace", "heldInPlace").
	Outcome string `json:"outcome,omitempty"`
	// OriginalSequenceNumber and OriginalShardID are where a renumbered
	// record was first appended; SequenceNumber and ShardID are its new
	// place.
	OriginalSequenceNumber string `json:"originalSequenceNumber,omitempty"`
	OriginalShardID        string `json:"originalShardId,omitempty"`
	// Reason says how records were lost (KindLoss entries).
	Reason string `json:"reason,omitempty"`
	// Consumer names the consumer a loss entry is about, when it concerns
	// one consumer only (an event source mapping's UUID, an access key id).
	Consumer string `json:"consumer,omitempty"`
}

// JournalQuery selects a page of the journal.
type JournalQuery struct {
	// RuleID keeps only the entries of this rule.
	RuleID string
	// Table keeps only the entries of this table (exact name or glob).
	Table string
	// Kind keeps only the entries of this kind (KindFiring, ...).
	Kind string
	// Reason keeps only the loss entries with this reason (trimmed, ...).
	Reason string
	// Consumer keeps only the entries about this consumer.
	Consumer string
	// After is the cursor: only entries with Seq > After.
	After uint64
	// Limit caps the page (default DefaultPageLimit, at most MaxPageLimit).
	Limit int
}

// JournalPage is one page of the journal.
type JournalPage struct {
	Entries []Entry `json:"entries"`
	// Next is the After of the following page. When More is false it is
	// the newest entry's Seq, so polling from it returns only new entries.
	Next uint64 `json:"next"`
	// More reports that matching entries beyond this page exist already.
	More bool `json:"more"`
	// Evicted counts the entries dropped so far to keep the journal bounded.
	Evicted uint64 `json:"evicted"`
}

// journal is the bounded, append-only list of entries. Guarded by the
// Injector's mutex.
type journal struct {
	limit   int
	entries []Entry // entries[start:] are live, in Seq order
	start   int
	lastSeq uint64
	evicted uint64
}

// add appends e with the next Seq and returns that Seq.
func (j *journal) add(e Entry) uint64 {
	j.lastSeq++
	e.Seq = j.lastSeq
	j.entries = append(j.entries, e)
	if len(j.entries)-j.start > j.limit {
		j.entries[j.start] = Entry{}
		j.start++
		j.evicted++
	}
	if j.start > 0 && j.start >= len(j.entries)/2 {
		j.entries = append([]Entry(nil), j.entries[j.start:]...)
		j.start = 0
	}
	return e.Seq
}

// clear drops every entry; Seq keeps counting so cursors stay valid.
func (j *journal) clear() {
	j.entries, j.start = nil, 0
}

// page answers q.
func (j *journal) page(q JournalQuery) JournalPage {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageLimit
	}
	limit = min(limit, MaxPageLimit)
	live := j.entries[j.start:]
	i := sort.Search(len(live), func(i int) bool { return live[i].Seq > q.After })
	p := JournalPage{Entries: []Entry{}, Next: max(j.lastSeq, q.After), Evicted: j.evicted}
	for ; i < len(live); i++ {
		e := &live[i]
		if !q.matches(e) {
			continue
		}
		if len(p.Entries) == limit {
			p.More, p.Next = true, p.Entries[limit-1].Seq
			break
		}
		p.Entries = append(p.Entries, cloneEntry(*e))
	}
	return p
}

// matches reports whether e passes q's filters.
func (q *JournalQuery) matches(e *Entry) bool {
	if q.RuleID != "" && e.RuleID != q.RuleID {
		return false
	}
	if q.Kind != "" && e.Kind != q.Kind {
		return false
	}
	if q.Reason != "" && e.Reason != q.Reason {
		return false
	}
	if q.Consumer != "" && e.Consumer != q.Consumer {
		return false
	}
	return q.Table == "" || matchTable(q.Table, e.Table)
}

// cloneEntry copies e so a page never aliases the journal.
func cloneEntry(e Entry) Entry {
	e.Keys = e.Keys.clone()
	return e
}
