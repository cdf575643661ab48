package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// Table and index statuses.
const (
	statusCreating = "CREATING"
	statusUpdating = "UPDATING"
	statusDeleting = "DELETING"
	statusActive   = "ACTIVE"
)

// Billing modes.
const (
	billingProvisioned   = "PROVISIONED"
	billingPayPerRequest = "PAY_PER_REQUEST"
)

// tableMeta is everything of a table's description that is not derived from
// its data or its store.TableDef. It is stored as the store's Meta of the
// table. A *tableMeta is never modified once stored: writers copy it with
// clone, change the copy and store it with tx.SetMeta inside Table.Update;
// readers use it inside Table.View (or keep the pointer: it stays valid).
type tableMeta struct {
	ARN     string    // table ARN, arn:aws:dynamodb:<region>:<account>:table/<name>
	ID      string    // TableId, a UUID v4
	Created time.Time // CreationDateTime
	// Updated is the time of the last UpdateTable that put the table in
	// UPDATING (zero when never); see tableStatus.
	Updated time.Time

	Billing            string    // billingProvisioned or billingPayPerRequest
	BillingSet         bool      // BillingMode was ever given explicitly (reports BillingModeSummary)
	LastToPPR          time.Time // last switch to (or creation with) PAY_PER_REQUEST
	Throughput         throughput
	OnDemand           onDemandMax // OnDemandThroughput
	Warm               warmUnits   // WarmThroughput requested
	DeletionProtection bool
	TableClass         string // "" when never given
	KMSKey             string // ARN of the KMS key of the table's encryption, "" for the AWS owned key

	// Stream is the current stream settings. When the stream is disabled,
	// Label and ARN still name the latest stream (DynamoDB keeps reporting
	// them); Label is "" when the table never had a stream.
	Stream streamMeta
	// OldStreams are the streams this table had before the latest one, oldest
	// first, for stream listing and the 24 h readability of disabled streams.
	OldStreams []streamMeta

	TTL ttlMeta

	// Tags in the order they were first added.
	Tags []tagKV

	// GSIs holds per-GSI settings and transitions, in the order the indexes
	// were created; entries with Status statusDeleting are indexes already
	// removed from the store that are still reported as DELETING. LSIs need
	// no metadata (their order is the TableDef's).
	GSIs []gsiMeta
}

// throughput is a provisioned capacity with its change history.
type throughput struct {
	Read, Write                int64
	LastIncrease, LastDecrease time.Time // zero when never
	DecreasesToday             int64
	// Changing is set by the UpdateTable that changed the capacity (the
	// next one clears it); while that update is in progress the capacity is
	// described as FromRead and FromWrite, with FromDecreases, the
	// decreases of the day before it.
	Changing                           bool
	FromRead, FromWrite, FromDecreases int64
}

// streamMeta describes one stream of the table.
type streamMeta struct {
	Enabled  bool
	ViewType string    // NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY
	Label    string    // ISO-8601 creation time with milliseconds, no zone
	ARN      string    // <tableArn>/stream/<label>
	Created  time.Time // when the stream was enabled
	Disabled time.Time // when it was disabled; zero while enabled
}

// ttlMeta is the table's time-to-live setting.
type ttlMeta struct {
	Enabled    bool
	Attr       string    // the TTL attribute while Enabled
	LastChange time.Time // last successful UpdateTimeToLive; zero when never
}

// tagKV is one tag.
type tagKV struct{ Key, Value string }

// gsiMeta is the per-GSI metadata.
type gsiMeta struct {
	Name       string
	Throughput throughput  // zero for on-demand tables
	OnDemand   onDemandMax // OnDemandThroughput
	Warm       warmUnits   // WarmThroughput requested
	// Status is statusActive, or statusCreating / statusDeleting from Since
	// until Since + Options.IndexTransition (see indexStatus).
	Status string
	Since  time.Time
	// Backfill is set for an index added by UpdateTable (reported with
	// Backfilling while CREATING).
	Backfill bool
	// Removed is the definition of an index that is DELETING (no longer in
	// the store's TableDef but still described).
	Removed *store.IndexDef
}

// clone returns a deep copy of m for modification.
func (m *tableMeta) clone() *tableMeta {
	c := *m
	c.OldStreams = append([]streamMeta(nil), m.OldStreams...)
	c.Tags = append([]tagKV(nil), m.Tags...)
	c.GSIs = append([]gsiMeta(nil), m.GSIs...)
	return &c
}

// gsi returns the metadata of the named GSI (nil if none), including
// indexes still reported as DELETING.
func (m *tableMeta) gsi(name string) *gsiMeta {
	for i := range m.GSIs {
		if m.GSIs[i].Name == name {
			return &m.GSIs[i]
		}
	}
	return nil
}

// indexStatus is the status of the GSI g at now: CREATING and DELETING last
// for the transition duration after the change, so a zero transition makes
// the index ACTIVE (or gone) from the next request on. The UpdateTable
// response that makes the change reports the transient status regardless.
func (g *gsiMeta) indexStatus(now time.Time, transition time.Duration) string {
	if g.Status == statusActive || now.Sub(g.Since) >= transition {
		return statusActive
	}
	return g.Status
}

// pendingGSI returns the name of a GSI that is CREATING or DELETING at now, or "".
func (m *tableMeta) pendingGSI(now time.Time, transition time.Duration) string {
	for i := range m.GSIs {
		if m.GSIs[i].indexStatus(now, transition) != statusActive {
			return m.GSIs[i].Name
		}
	}
	return ""
}

// settleGSIs drops DELETING entries whose transition is over and marks
// finished CREATING ones ACTIVE. It modifies m (call it on a clone).
func (m *tableMeta) settleGSIs(now time.Time, transition time.Duration) {
	kept := m.GSIs[:0]
	for _, g := range m.GSIs {
		if g.indexStatus(now, transition) == statusActive {
			if g.Status == statusDeleting {
				continue
			}
			g.Status = statusActive
		}
		kept = append(kept, g)
	}
	m.GSIs = kept
}

// tableMetaOf returns the metadata of the table tx works on. tx must belong
// to a table created by CreateTable.
func (e *Engine) tableMetaOf(tx *store.Tx) *tableMeta {
	m, _ := tx.Meta().(*tableMeta)
	if m == nil {
		return &tableMeta{}
	}
	return m
}

// epochTime is a time that marshals as DynamoDB's epoch seconds with a
// millisecond fraction, e.g. 1732181683.123.
type epochTime time.Time

// MarshalJSON implements json.Marshaler.
func (t epochTime) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	b := strconv.AppendInt(nil, sec, 10)
	b = append(b, '.')
	f := strconv.Itoa(int(frac) + 1000) // zero-padded to 3 digits
	return append(b, f[1:]...), nil
}

// epochPtr returns t as an *epochTime, or nil when t is zero.
func epochPtr(t time.Time) *epochTime {
	if t.IsZero() {
		return nil
	}
	et := epochTime(t)
	return &et
}

// streamLabel formats t as a stream label: ISO-8601 with milliseconds and
// no zone designator, in UTC.
func streamLabel(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000")
}

// newUUID returns a random (version 4) UUID from crypto/rand.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// errTableNotFoundNamed is the control-plane answer for a missing table.
func errTableNotFoundNamed(name string) *Error {
	return NewError(ResourceNotFound, "Requested resource not found: Table: "+name+" not found")
}

// lookupNamed is lookup with the control-plane not-found message.
func (e *Engine) lookupNamed(nameOrARN string) (*store.Table, error) {
	name := tableNameOf(nameOrARN)
	t := e.catalog.Table(name)
	if t == nil {
		return nil, errTableNotFoundNamed(name)
	}
	e.looked(t)
	return t, nil
}

// droppedAs returns notFound when err says the table was dropped after the
// operation looked it up, else err: control-plane operations answer a
// missing table in their own words, not AsError's data-plane ones.
func droppedAs(err error, notFound *Error) error {
	if errors.Is(err, store.ErrTableDropped) {
		return notFound
	}
	return err
}

// sp returns a pointer to s.
func sp(s string) *string { return &s }

// bp returns a pointer to b.
func bp(b bool) *bool { return &b }
