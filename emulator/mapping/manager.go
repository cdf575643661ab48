package mapping

import (
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/mapping/filter"
	"github.com/dynafault/dynafault/emulator/stream"
)

// States of a mapping.
const (
	Creating  = "Creating"
	Enabling  = "Enabling"
	Enabled   = "Enabled"
	Disabling = "Disabling"
	Disabled  = "Disabled"
	Updating  = "Updating"
	Deleting  = "Deleting"
)

// LastProcessingResult values.
const (
	ResultNone    = "No records processed"
	ResultOK      = "OK"
	ResultProblem = "PROBLEM: Function call failed"
	// ResultThrottled and ResultNoFunction are what a mapping shows while
	// its invocations are throttled or its function is not registered.
	ResultThrottled  = "PROBLEM: Function call throttled"
	ResultNoFunction = "PROBLEM: Function not found"
)

// Streams is what a mapping reads: the stream registry, seen through
// positions (the emulator adapts *stream.Registry). Errors:
// stream.ErrStreamNotFound, stream.ErrShardNotFound, stream.ErrTrimmed.
type Streams interface {
	// Describe returns the table and view type of a live stream.
	Describe(streamARN string) (table, viewType string, err error)
	ShardList(streamARN string) ([]stream.ShardRef, error)
	ReadAt(streamARN, shardID string, pos stream.Position, limit, maxBytes int) (stream.Chunk, error)
	// Appended is kicked after every append to any stream.
	Appended() *stream.Signal
}

// Observer learns what a mapping did with stream records. Calls are made
// in order per shard.
type Observer interface {
	// Handled: the mapping is done with these records of one shard and
	// moved its checkpoint past them: delivered in a batch the function
	// processed (filtered=false) or filtered out by FilterCriteria
	// (filtered=true).
	Handled(mappingUUID, streamARN, shardID string, recs []stream.Record, filtered bool)
	// Discarded: the mapping gave up on these records; reason is the
	// failure condition ("RetryAttemptsExhausted", "RecordAgeExceeded").
	Discarded(mappingUUID, streamARN, shardID string, recs []stream.Record, reason string)
}

// Starter is implemented by an Observer that must also learn when a
// mapping starts reading a stream (at create time, from its
// StartingPosition), e.g. to know which records were the mapping's to
// miss. Calls are made under the Manager's lock: they must not call back
// into the Manager.
type Starter interface {
	Started(mappingUUID, streamARN, startingPosition string)
}

// Journal records, for the fault journal, every record a mapping discards.
type Journal interface {
	Discarded(mappingUUID, streamARN, table string, recs []stream.Record, condition, detail string)
}

// Backoff is the wait before retry attempt n (1 for the first retry) of
// a failed batch, in clock time: Base doubled for each earlier retry, at
// most Max. Throttled and failed invokes wait the same way.
type Backoff struct {
	Base, Max time.Duration
}

// DefaultBackoff is the retry schedule unless Options.Backoff sets one:
// 1s, 2s, 4s ... at most 1m.
var DefaultBackoff = Backoff{Base: time.Second, Max: time.Minute}

// Wait is the delay before retry n (n >= 1).
func (b Backoff) Wait(n int) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Options configure a Manager.
type Options struct {
	Region, AccountID string
	Clock             *clock.Clock
	Logger            *slog.Logger
	Streams           Streams
	Observer          Observer // optional
	Journal           Journal  // optional
	// Backoff is the retry schedule; zero: DefaultBackoff.
	Backoff Backoff
	// Transition is how long, in clock time, a mapping stays in a
	// transient state (Creating, Enabling, Updating, Disabling, Deleting).
	// Zero: the answer of the call shows the transient state and the next
	// call sees it settled.
	Transition time.Duration
	// PollInterval is the wall-time fallback poll of an idle shard (appends
	// wake pollers at once). Default 250ms, Lambda's four polls a second.
	PollInterval time.Duration
	// WrapInvoke, when set, wraps the function through which every
	// invocation goes (delivery faults).
	WrapInvoke func(InvokeFunc) InvokeFunc
	// HTTPClient calls URL functions and destinations. Default: a client
	// without a global timeout (each call has the function's).
	HTTPClient *http.Client
	// MaxFailures bounds the failure records kept per mapping (oldest
	// dropped first). Default 1000.
	MaxFailures int
}

// Manager holds the event source mappings and functions of one emulator
// and runs their pollers. Safe for concurrent use.
type Manager struct {
	opts    Options
	clock   *clock.Clock
	log     *slog.Logger
	streams Streams
	funcs   *functions
	http    *http.Client
	call    InvokeFunc
	arnBase string // arn:aws:lambda:<region>:<account>:event-source-mapping:

	mu       sync.Mutex
	mappings map[string]*Mapping // by UUID
	closed   bool
	wg       sync.WaitGroup // every poller goroutine
}

// New returns a Manager with no mappings and no functions.
func New(opts Options) *Manager {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.AccountID == "" {
		opts.AccountID = "000000000000"
	}
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Backoff.Base <= 0 {
		opts.Backoff.Base = DefaultBackoff.Base
	}
	if opts.Backoff.Max < opts.Backoff.Base {
		opts.Backoff.Max = max(opts.Backoff.Base, DefaultBackoff.Max)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 250 * time.Millisecond
	}
	if opts.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64 // a function with a higher concurrency keeps its connections
		opts.HTTPClient = &http.Client{Transport: tr}
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 1000
	}
	m := &Manager{
		opts: opts, clock: opts.Clock, log: opts.Logger, streams: opts.Streams,
		funcs: newFunctions(opts.Region, opts.AccountID), http: opts.HTTPClient,
		arnBase:  "arn:aws:lambda:" + opts.Region + ":" + opts.AccountID + ":event-source-mapping:",
		mappings: map[string]*Mapping{},
	}
	m.call = m.invoke
	if opts.WrapInvoke != nil {
		m.call = opts.WrapInvoke(m.call)
	}
	return m
}

// Mapping is one event source mapping. Its fields are guarded by the
// Manager's mutex.
type Mapping struct {
	uuid, arn    string
	cfg          Config
	fnName       string // the registered function
	fnARN        string // FunctionArn as shown
	filters      []*filter.Pattern
	table        string
	viewType     string
	state        string
	reason       string
	since        time.Time // start of the current transient state
	lastModified time.Time
	lastResult   string

	// ckpt is the committed position per shard: the next record to read.
	ckpt map[string]stream.Position
	// finished holds the shards processed to their end.
	finished map[string]bool
	shards   map[string]*shardStats
	failures []Failure
	dropped  int // failure records dropped to respect MaxFailures
	stats    Stats
	tags     map[string]string
	run      *run // the poller, while one runs
}

// View is a snapshot of a mapping for the API.
type View struct {
	UUID                  string    `json:"uuid"`
	ARN                   string    `json:"eventSourceMappingArn"`
	FunctionArn           string    `json:"functionArn"`
	Config                Config    `json:"config"`
	State                 string    `json:"state"`
	StateTransitionReason string    `json:"stateTransitionReason"`
	LastModified          time.Time `json:"lastModified"`
	LastProcessingResult  string    `json:"lastProcessingResult"`
}

// streamARNRE is the shape of a DynamoDB stream ARN.
var streamARNRE = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[a-zA-Z0-9_.-]{3,255}/stream/.+$`)

// Create adds a mapping and, when enabled, starts its poller. With
// StartingPosition LATEST the position of every shard is taken now.
func (m *Manager) Create(cfg Config) (View, error) {
	if cfg.EventSourceArn == "" {
		return View{}, &Error{Code: CodeInvalidValue, Message: msgUnknownSource}
	}
	f, fnARN, err := m.funcs.resolve(cfg.FunctionName)
	if err != nil {
		return View{}, err
	}
	if err := checkStartingPosition(cfg); err != nil {
		return View{}, err
	}
	table, viewType, err := m.streams.Describe(cfg.EventSourceArn)
	if err != nil {
		return View{}, errorf(CodeInvalidValue, "Stream not found: %s", cfg.EventSourceArn)
	}
	filters, err := compileFilters(cfg.Filters)
	if err != nil {
		return View{}, err
	}
	if err := checkDestination(cfg.OnFailure); err != nil {
		return View{}, err
	}
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return View{}, errorf("ServiceException", "the emulator is shutting down")
	}
	m.settleLocked(now)
	for _, o := range m.mappings {
		if o.cfg.EventSourceArn == cfg.EventSourceArn && o.fnARN == fnARN {
			return View{}, errorf(CodeConflict, `The event source arn (" %s ") and function (" %s ") provided mapping already exists. Please update or delete the existing mapping with UUID %s`,
				cfg.EventSourceArn, f.Name, o.uuid)
		}
	}
	id := newRequestID()
	mp := &Mapping{
		uuid: id, arn: m.arnBase + id, cfg: cfg, fnName: f.Name, fnARN: fnARN, filters: filters,
		table: table, viewType: viewType, state: Creating, reason: "User action", since: now,
		lastModified: now, lastResult: ResultNone, ckpt: map[string]stream.Position{},
		finished: map[string]bool{}, shards: map[string]*shardStats{}, tags: maps.Clone(cfg.Tags),
	}
	mp.cfg.Tags = nil
	if cfg.StartingPosition == Latest {
		refs, err := m.streams.ShardList(cfg.EventSourceArn)
		if err != nil {
			return View{}, errorf(CodeInvalidValue, "Stream not found: %s", cfg.EventSourceArn)
		}
		for _, r := range refs {
			mp.ckpt[r.ID] = r.Latest
		}
	}
	m.mappings[id] = mp
	if st, ok := m.opts.Observer.(Starter); ok {
		st.Started(id, cfg.EventSourceArn, cfg.StartingPosition)
	}
	view := mp.view()
	if cfg.Enabled {
		m.startLocked(mp)
	}
	m.log.Info("event source mapping created", "uuid", id, "function", f.Name, "stream", cfg.EventSourceArn)
	return view, nil
}

// checkStartingPosition applies Lambda's rules for a stream source.
func checkStartingPosition(cfg Config) error {
	switch cfg.StartingPosition {
	case TrimHorizon, Latest:
		return nil
	case "":
		return &Error{Code: CodeInvalidValue, Message: "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."}
	case "AT_TIMESTAMP":
		return errorf(CodeInvalidValue, "Unsupported starting position for arn type: %s", cfg.EventSourceArn)
	}
	return errorf("ValidationException", "1 validation error detected: Value '%s' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]", cfg.StartingPosition)
}

// IsStreamARN reports whether s has the shape of a DynamoDB stream ARN.
func IsStreamARN(s string) bool { return streamARNRE.MatchString(s) }

// Get returns the mapping with the UUID.
func (m *Manager) Get(id string) (View, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(m.clock.Now())
	mp := m.mappings[id]
	if mp == nil {
		return View{}, errNotFound()
	}
	return mp.view(), nil
}

// ListFilter selects mappings for List; empty fields match all.
type ListFilter struct {
	EventSourceArn string
	FunctionName   string // name or ARN, as CreateEventSourceMapping takes
}

// List returns the mappings that match, ordered by UUID. A filter naming
// an unknown function or stream matches nothing (no error). A function
// name with a version or alias lists the mappings of that version or
// alias; one without lists every mapping of the function.
func (m *Manager) List(f ListFilter) []View {
	var fn functionRef
	if f.FunctionName != "" {
		var ok bool
		if fn, ok = m.funcs.parseFunctionName(f.FunctionName); !ok {
			return nil
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(m.clock.Now())
	var out []View
	for _, mp := range m.mappings {
		if f.EventSourceArn != "" && mp.cfg.EventSourceArn != f.EventSourceArn {
			continue
		}
		if f.FunctionName != "" && (mp.fnName != fn.name || fn.qualifier != "" && !strings.HasSuffix(mp.fnARN, ":"+fn.name+":"+fn.qualifier)) {
			continue
		}
		out = append(out, mp.view())
	}
	slices.SortFunc(out, func(a, b View) int { return strings.Compare(a.UUID, b.UUID) })
	return out
}

// Update changes a mapping. Another FunctionName, like a Disable and a
// later Enable, keeps the per-shard checkpoints: the new poller resumes
// where the old one committed.
func (m *Manager) Update(id string, p Patch) (View, error) {
	var f *function
	var fnARN string
	if p.FunctionName != nil {
		var err error
		if f, fnARN, err = m.funcs.resolve(*p.FunctionName); err != nil {
			return View{}, err
		}
	}
	var filters []*filter.Pattern
	if p.Filters != nil {
		var err error
		if filters, err = compileFilters(*p.Filters); err != nil {
			return View{}, err
		}
	}
	if p.OnFailure != nil {
		if err := checkDestination(*p.OnFailure); err != nil {
			return View{}, err
		}
	}
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(now)
	mp := m.mappings[id]
	if mp == nil {
		return View{}, errNotFound()
	}
	switch mp.state {
	case Creating, Deleting, Updating, Enabling, Disabling:
		return View{}, errorf(CodeInUse, "Cannot update the event source mapping %s while it is in state %s. Please try again later.", id, mp.state)
	}
	if f != nil {
		for _, o := range m.mappings {
			if o != mp && o.cfg.EventSourceArn == mp.cfg.EventSourceArn && o.fnARN == fnARN {
				return View{}, errorf(CodeConflict, `The event source arn (" %s ") and function (" %s ") provided mapping already exists. Please update or delete the existing mapping with UUID %s`,
					mp.cfg.EventSourceArn, f.Name, o.uuid)
			}
		}
		mp.fnName, mp.fnARN = f.Name, fnARN
	}
	if p.Filters != nil {
		mp.filters = filters
	}
	wasEnabled := mp.cfg.Enabled
	mp.cfg = p.apply(mp.cfg)
	mp.lastModified, mp.since, mp.reason = now, now, "User action"
	switch {
	case wasEnabled && !mp.cfg.Enabled:
		mp.state = Disabling
		m.stopLocked(mp)
	case !wasEnabled && mp.cfg.Enabled:
		mp.state = Enabling
		m.startLocked(mp)
	case mp.cfg.Enabled:
		mp.state = Updating
		m.stopLocked(mp)
		m.startLocked(mp)
	default:
		mp.state = Updating
	}
	return mp.view(), nil
}

// Delete stops a mapping and forgets it: the answer shows it Deleting,
// later calls do not find it.
func (m *Manager) Delete(id string) (View, error) {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(now)
	mp := m.mappings[id]
	if mp == nil {
		return View{}, errNotFound()
	}
	if mp.state == Updating || mp.state == Deleting {
		return View{}, errorf(CodeInUse, "Cannot delete the event source mapping %s while it is in state %s. Please try again later.", id, mp.state)
	}
	mp.state, mp.since, mp.reason = Deleting, now, "User action"
	m.stopLocked(mp)
	return mp.view(), nil
}

// settleLocked ends the transient states whose time is up: Deleting
// mappings are forgotten, Disabling ones become Disabled once their poller
// has stopped. Must be called with m.mu held.
func (m *Manager) settleLocked(now time.Time) {
	for id, mp := range m.mappings {
		if now.Before(mp.since.Add(m.opts.Transition)) {
			continue
		}
		switch mp.state {
		case Creating, Enabling, Updating:
			mp.state = Disabled
			if mp.cfg.Enabled {
				mp.state = Enabled
			}
		case Disabling:
			if mp.run == nil {
				mp.state = Disabled
			}
		case Deleting:
			delete(m.mappings, id)
		}
	}
}

func (mp *Mapping) view() View {
	c := mp.cfg
	c.FunctionResponseTypes = slices.Clone(c.FunctionResponseTypes)
	c.Filters = slices.Clone(c.Filters)
	return View{
		UUID: mp.uuid, ARN: mp.arn, FunctionArn: mp.fnARN, Config: c, State: mp.state,
		StateTransitionReason: mp.reason, LastModified: mp.lastModified, LastProcessingResult: mp.lastResult,
	}
}

// Reset stops every poller and forgets every mapping (functions stay).
func (m *Manager) Reset() {
	m.mu.Lock()
	runs := m.stopAllLocked()
	m.mappings = map[string]*Mapping{}
	m.mu.Unlock()
	for _, r := range runs {
		<-r.done
	}
}

// Close stops every poller and waits for them; the Manager refuses new
// mappings afterwards.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.stopAllLocked()
	m.mu.Unlock()
	m.wg.Wait()
}

// stopAllLocked kills every poller (in-flight invocations are abandoned)
// and returns them. Must be called with m.mu held.
func (m *Manager) stopAllLocked() []*run {
	var runs []*run
	for _, mp := range m.mappings {
		if r := mp.run; r != nil {
			r.stop()
			r.kill()
			runs = append(runs, r)
		}
	}
	return runs
}

// RegisterFunction registers (or replaces) a function.
func (m *Manager) RegisterFunction(f Function) (FunctionInfo, error) { return m.funcs.put(f) }

// Function returns a registered function.
func (m *Manager) Function(name string) (FunctionInfo, bool) {
	f := m.funcs.get(name)
	if f == nil {
		return FunctionInfo{}, false
	}
	return f.info(), true
}

// Functions lists the registered functions by name.
func (m *Manager) Functions() []FunctionInfo { return m.funcs.list() }

// RemoveFunction forgets a function; mappings to it stay (as in Lambda,
// where deleting a function leaves its mappings) and their invocations
// fail as invoke errors until it is registered again.
func (m *Manager) RemoveFunction(name string) bool { return m.funcs.remove(name) }
