package wire

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/faults"
)

// SetFaults attaches the fault injector whose api rules are decided around
// each operation (see runWithFaults). It must be called before the handler
// serves requests; nil detaches. Without api rules a request pays one nil
// check and one atomic load.
func (h *Handler) SetFaults(in *faults.Injector) { h.faults = in }

// runWithFaults is run for a request while api rules exist. It reads the
// tables the request addresses, asks the injector, waits out the latency
// (a cancelled request is answered with nothing), then applies the
// decision: an error instead of the operation; the operation with
// unprocessed batch items or an empty GetRecords page; or the operation
// followed by a failure (commitThenFail). Every firing is journaled by
// the injector before it answers.
func (h *Handler) runWithFaults(ctx context.Context, q *request, name string, o operation, body []byte, akid string) {
	t := requestTables(body)
	d := h.faults.DecideAPI(faults.APIEvent{
		Operation: name, Table: t.table, Tables: t.tables, AccessKeyID: akid, RequestID: q.id,
	})
	if d.Latency > 0 {
		// The body has been read: a server's read deadline
		// (http.Server.ReadTimeout) must not cancel the request while it
		// waits.
		_ = http.NewResponseController(q.w).SetReadDeadline(time.Time{})
	}
	if err := faults.Wait(ctx, d.Latency); err != nil {
		return // the client went away: nothing to answer
	}
	switch {
	case d.Error != nil:
		o.observe(time.Now(), injectedError(d.Error))
		h.writeFault(q, d.Error, t.first())
		return
	case d.CommitThenFail != nil:
		h.commitThenFail(ctx, q, name, o, body, d.CommitThenFail, t.first())
		return
	case d.PartialBatch != nil:
		pb := d.PartialBatch
		ctx = engine.WithOverrides(ctx, engine.Overrides{Unprocessed: func(table string, key attr.Item) bool {
			return pb.Unprocessed(table, faultKey(key))
		}})
	case d.EmptyRecords:
		ctx = engine.WithOverrides(ctx, engine.Overrides{EmptyRecords: true})
	}
	h.run(ctx, q, name, o, body)
}

// commitThenFail runs the operation (its write and stream record happen)
// and then answers the failure instead of its output: the error, or a
// connection closed without an answer (when the connection cannot be
// taken over, as with HTTP/2, an InternalServerError instead). When the
// operation itself fails nothing was committed, and its own error is
// answered.
func (h *Handler) commitThenFail(ctx context.Context, q *request, name string, o operation, body []byte,
	c *faults.CommitSpec, table string) {
	out := h.bufs.Get().(*bytes.Buffer)
	defer h.putBuf(out)
	start := time.Now()
	if err := h.call(ctx, q, name, o, body, out); err != nil {
		o.observe(start, err)
		h.writeErrorOp(q, name, err)
		return
	}
	if c.Drop && h.dropConnection(q) {
		o.observe(start, engine.NewError(engine.InternalServerError, "connection dropped"))
		return
	}
	spec := c.Error
	if spec == nil {
		spec, _ = internalErrorSpec()
	}
	o.observe(start, injectedError(spec))
	h.writeFault(q, spec, table)
}

// internalErrorSpec is the InternalServerError of the catalogue.
func internalErrorSpec() (*faults.ErrorSpec, bool) {
	info, ok := faults.LookupError(string(engine.InternalServerError))
	return &faults.ErrorSpec{Code: info.Code, Type: info.Type(), HTTPStatus: info.HTTPStatus, Message: info.Message}, ok
}

// dropConnection closes the client connection without an answer. It
// reports false when the connection cannot be taken over (HTTP/2, or a
// writer without http.Hijacker).
func (h *Handler) dropConnection(q *request) bool {
	if q.r.ProtoMajor >= 2 {
		return false
	}
	conn, _, err := http.NewResponseController(q.w).Hijack()
	if err != nil {
		return false
	}
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tc.SetLinger(0) // reset rather than a clean close, like a crashed peer
	}
	_ = conn.Close()
	h.log.LogAttrs(q.r.Context(), slog.LevelDebug, "fault dropped the connection", slog.String(logKeyRequestID, q.id))
	return true
}

// injectedError is spec as an engine error, for the observer.
func injectedError(spec *faults.ErrorSpec) error {
	return engine.NewError(engine.Code(spec.Code), spec.Message)
}

// faultErrorBody is the envelope of an injected error: DynamoDB's, with
// the extra members of TransactionCanceledException and the throttling
// errors.
type faultErrorBody struct {
	Type                string                      `json:"__type"`
	Message             string                      `json:"message,omitempty"`
	MessageCap          string                      `json:"Message,omitempty"`
	CancellationReasons []engine.CancellationReason `json:"CancellationReasons,omitempty"`
	ThrottlingReasons   []throttlingReason          `json:"ThrottlingReasons,omitempty"`
	// ThrottlingException spells its list throttlingReasons (the service
	// model's member name).
	ThrottlingReasonsLC []throttlingReason `json:"throttlingReasons,omitempty"`
}

// throttlingReason is one member of ThrottlingReasons, spelled as the
// service spells it.
type throttlingReason struct {
	Reason   string `json:"reason"`
	Resource string `json:"resource,omitempty"`
}

// writeFault answers an injected error with its status; an empty throttling
// resource is the ARN of table.
func (h *Handler) writeFault(q *request, spec *faults.ErrorSpec, table string) {
	b := faultErrorBody{Type: spec.Type}
	if engine.Code(spec.Code) == engine.TransactionCanceled || engine.Code(spec.Code) == engine.Serialization {
		b.MessageCap = spec.Message
	} else {
		b.Message = spec.Message
	}
	for _, r := range spec.CancellationReasons {
		b.CancellationReasons = append(b.CancellationReasons, engine.CancellationReason{Code: r.Code, Message: r.Message})
	}
	for _, r := range spec.ThrottlingReasons {
		if r.Resource == "" && table != "" {
			r.Resource = h.tableARN(table)
		}
		b.ThrottlingReasons = append(b.ThrottlingReasons, throttlingReason{Reason: r.Reason, Resource: r.Resource})
	}
	if engine.Code(spec.Code) == engine.Throttling {
		b.ThrottlingReasons, b.ThrottlingReasonsLC = nil, b.ThrottlingReasons
	}
	buf := h.bufs.Get().(*bytes.Buffer)
	defer h.putBuf(buf)
	if encode(buf, b) != nil {
		h.writeError(q, engine.NewError(engine.InternalServerError, internalErrorMessage))
		return
	}
	if q.log != nil {
		q.log.errTyp = spec.Code
	}
	h.send(q, spec.HTTPStatus, buf.Bytes())
}

// faultKey renders key attributes the way fault rules match them: strings
// as they are, numbers in canonical form, binaries in base64.
func faultKey(key attr.Item) faults.Key {
	k := make(faults.Key, len(key))
	for name, v := range key {
		switch v.Type {
		case attr.N:
			k[name] = faults.KeyN(v.S)
		case attr.B:
			k[name] = faults.KeyB(base64.StdEncoding.EncodeToString([]byte(v.S)))
		default:
			k[name] = faults.KeyS(v.S)
		}
	}
	return k
}

// targetTables are the tables a request addresses, for matching rules.
type targetTables struct {
	table  string   // the single table, when there is one
	tables []string // every table of a multi-table request
}

// first returns the request's table, or the first of its tables.
func (t targetTables) first() string {
	if t.table != "" || len(t.tables) == 0 {
		return t.table
	}
	return t.tables[0]
}

// tableRef is a member naming a table.
type tableRef struct {
	TableName string `json:"TableName"`
}

// statementRef is a member holding a PartiQL statement.
type statementRef struct {
	Statement string `json:"Statement"`
}

// tablesBody is the part of any request body that names tables: TableName
// (items, queries, control plane), RequestItems (batches), TransactItems,
// StreamArn (DescribeStream, GetShardIterator), ShardIterator (GetRecords),
// ResourceArn (tags) and the PartiQL statements (ExecuteStatement,
// BatchExecuteStatement, ExecuteTransaction).
type tablesBody struct {
	TableName     string                     `json:"TableName"`
	RequestItems  map[string]json.RawMessage `json:"RequestItems"`
	TransactItems []struct {
		ConditionCheck *tableRef `json:"ConditionCheck"`
		Put            *tableRef `json:"Put"`
		Delete         *tableRef `json:"Delete"`
		Update         *tableRef `json:"Update"`
		Get            *tableRef `json:"Get"`
	} `json:"TransactItems"`
	StreamArn     string `json:"StreamArn"`
	ShardIterator string `json:"ShardIterator"`
	ResourceArn   string `json:"ResourceArn"`

	Statement          string         `json:"Statement"`
	Statements         []statementRef `json:"Statements"`
	TransactStatements []statementRef `json:"TransactStatements"`
}

// requestTables reads the tables a request body addresses. Members of the
// wrong type are ignored here; the operation reports them. PartiQL
// statements are parsed for their table; one that does not parse addresses
// none.
func requestTables(body []byte) targetTables {
	var b tablesBody
	_ = json.Unmarshal(body, &b)
	var t targetTables
	for _, s := range []string{b.TableName, b.StreamArn, iteratorStream(b.ShardIterator), b.ResourceArn, statementTable(b.Statement)} {
		if s != "" {
			t.table = tableOf(s)
			break
		}
	}
	seen := map[string]bool{}
	add := func(name string) {
		if name = tableOf(name); name != "" && !seen[name] {
			seen[name] = true
			t.tables = append(t.tables, name)
		}
	}
	for name := range b.RequestItems {
		add(name)
	}
	for _, it := range b.TransactItems {
		for _, r := range []*tableRef{it.ConditionCheck, it.Put, it.Delete, it.Update, it.Get} {
			if r != nil {
				add(r.TableName)
			}
		}
	}
	for _, s := range slices.Concat(b.Statements, b.TransactStatements) {
		add(statementTable(s.Statement))
	}
	slices.Sort(t.tables)
	if len(t.tables) == 1 && t.table == "" {
		t.table = t.tables[0]
	}
	return t
}

// statementTable is the table a PartiQL statement addresses, "" when there
// is no statement or it does not parse.
func statementTable(src string) string {
	if src == "" {
		return ""
	}
	st, err := partiql.Parse(src)
	if err != nil {
		return ""
	}
	return partiql.TableOf(st)
}

// iteratorStream is the stream ARN a shard iterator starts with.
func iteratorStream(it string) string {
	arn, _, _ := strings.Cut(it, "|")
	return arn
}

// tableOf returns the table name of a table name, table ARN or stream ARN.
func tableOf(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return s
	}
	_, rest, ok := strings.Cut(s, ":table/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}
