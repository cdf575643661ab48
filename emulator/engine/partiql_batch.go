package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/emulator/store"
)

// Limits and messages of BatchExecuteStatement.
const (
	maxBatchStatements = 25
	msgBatchMixed      = "Read and write requests together in the same batch is not supported."
)

// BatchExecuteStatement runs up to 25 PartiQL statements, all reads (each
// a SELECT of one item by its full key) or all writes. It is not a
// transaction: each statement succeeds or fails on its own, and a failure
// is reported in its response's Error.
func (e *Engine) BatchExecuteStatement(ctx context.Context, in *BatchExecuteStatementInput) (*BatchExecuteStatementOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	// An invalid value in a statement's Parameters fails the request, once
	// its statement is parsed: a statement that does not parse is that
	// statement's error, whatever its parameters (DynamoDB Local 3.3.1).
	parsed := make([]partiql.Statement, len(in.Statements))
	errs := make([]error, len(in.Statements))
	reads, writes := 0, 0
	for i, s := range in.Statements {
		held := in.hv.in("Statements", i)
		st, err := parseStatement(*s.Statement, s.Parameters, func(partiql.Statement) error { return held })
		if held != nil && err == held {
			return nil, err
		}
		if _, ok := st.(*partiql.Exists); ok {
			err = validationErr(msgExistsOutsideTx)
		}
		if err != nil {
			errs[i] = err
			continue
		}
		parsed[i] = st
		if _, ok := st.(*partiql.Select); ok {
			reads++
		} else {
			writes++
		}
	}
	// The decoder holds the first invalid value only and leaves any other
	// at a placeholder: when the held one was in a statement that did not
	// parse, a placeholder in another statement fails the request with it.
	if err := in.hv.check(); err != nil && in.placeholders() {
		return nil, err
	}
	if reads > 0 && writes > 0 {
		return nil, validationErr(msgBatchMixed)
	}
	out := &BatchExecuteStatementOutput{Responses: make([]BatchStatementResponse, len(in.Statements))}
	capacity := capacityByTable{}
	for i, s := range in.Statements {
		if errs[i] == nil {
			out.Responses[i], errs[i] = e.batchStatement(parsed[i], s, in.ReturnConsumedCapacity, capacity)
		}
		if errs[i] != nil {
			out.Responses[i] = batchError(errs[i])
		}
	}
	out.ConsumedCapacity = capacity.list()
	return out, nil
}

// placeholders reports whether a statement's Parameters hold a value the
// decoder left at its placeholder (an invalid value).
func (in *BatchExecuteStatementInput) placeholders() bool {
	held := in.hv.path
	for i, s := range in.Statements {
		if len(held) > 1 && strings.EqualFold(held[0], "Statements") && held[1] == strconv.Itoa(i) {
			continue // the statement of the held value
		}
		for _, p := range s.Parameters {
			if p.Type == attr.Invalid {
				return true
			}
		}
	}
	return false
}

// validate applies BatchExecuteStatement's parameter constraints.
func (in *BatchExecuteStatementInput) validate() error {
	var v violations
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	switch {
	case in.Statements == nil:
		v.add(null, "statements", mustNotBeNull)
	case len(in.Statements) == 0:
		v.add(quote("[]"), "statements", minLengthFmt+"1")
	case len(in.Statements) > maxBatchStatements:
		v.addBare("Statements", maxLengthFmt+"25")
	}
	for i, s := range in.Statements {
		path := statementPath("statements", i)
		v.checkStatement(s.Statement, path+"statement")
		v.checkParameters(s.Parameters, path+"parameters")
		v.checkEnum(s.ReturnValuesOnConditionCheckFailure, path+"returnValuesOnConditionCheckFailure", returnOnFailureEnum...)
	}
	return v.err()
}

// batchStatement runs one statement of a batch.
func (e *Engine) batchStatement(st partiql.Statement, s BatchStatementRequest, mode *string,
	capacity capacityByTable,
) (BatchStatementResponse, error) {
	table := partiql.TableOf(st)
	if sel, ok := st.(*partiql.Select); ok {
		consistent := s.ConsistentRead != nil && *s.ConsistentRead
		item, cc, err := e.readOne(sel, s.Parameters, mode, consistent)
		if err != nil {
			return BatchStatementResponse{}, err
		}
		capacity.add(cc)
		return BatchStatementResponse{TableName: table, Item: item}, nil
	}
	opts := writeOptions{onFailure: s.ReturnValuesOnConditionCheckFailure, capacity: mode}
	res, err := e.executeWrite(st, s.Parameters, opts)
	if err != nil {
		return BatchStatementResponse{}, err
	}
	capacity.add(res.ConsumedCapacity)
	return BatchStatementResponse{TableName: table}, nil
}

// batchError is the response of a statement that failed.
func batchError(err error) BatchStatementResponse {
	e := AsError(err)
	return BatchStatementResponse{Error: &BatchStatementError{Code: errorCode(e), Message: e.Message, Item: e.Item}}
}

// readOne runs a SELECT of one item by its full key.
func (e *Engine) readOne(s *partiql.Select, params []attr.Value, mode *string, consistent bool) (attr.Item, *ConsumedCapacity, error) {
	t, err := e.lookup(s.Table)
	if err != nil {
		return nil, nil, err
	}
	var item attr.Item
	var cc *ConsumedCapacity
	err = t.View(func(tx *store.Tx) error {
		kr, err := bindKeyRead(tx.Def(), s, params)
		if err != nil {
			return err
		}
		var size int
		item, size = kr.read(tx)
		if err := e.admitRead(tx, "", kr.key[tx.Def().Key.Hash], readUnits(size, consistent)); err != nil {
			item = nil
			return err
		}
		cc = readCapacity(mode, t.Name(), size, consistent)
		return nil
	})
	return item, cc, err
}

// keyRead is a SELECT of one item by its full key.
type keyRead struct {
	key    attr.Item
	filter condition
	proj   []expr.Path
}

// bindKeyRead binds a single-item SELECT to the table shaped like def.
func bindKeyRead(def store.TableDef, s *partiql.Select, params []attr.Value) (*keyRead, error) {
	if s.Index != "" {
		if ix, ok := def.Index(s.Index); ok && ix.Key.Multi() {
			return nil, validationErr(msgMultiKeyIndex)
		}
		return nil, validationErr(msgBatchReadKey)
	}
	key, rest, err := splitKey(def, s.Where, params)
	if err != nil {
		return nil, err
	}
	if err := checkKey(def, key); err != nil {
		return nil, err
	}
	kr := &keyRead{key: key}
	if r := andAll(rest); r != nil {
		b := newExprBuilder(params)
		cs, err := b.cond(r)
		if err != nil {
			return nil, err
		}
		env, err := b.env()
		if err != nil {
			return nil, err
		}
		c, err := expr.ParseCondition(cs, expr.FilterKind, env)
		if err != nil {
			return nil, partiqlExprErr(err)
		}
		kr.filter = condition{cond: c, set: true}
	}
	for _, p := range s.Projection {
		kr.proj = append(kr.proj, exprPath(p))
	}
	return kr, nil
}

// read returns the item (projected; nil when missing or filtered out) and
// the size read.
func (kr *keyRead) read(tx *store.Tx) (attr.Item, int) {
	item := getItem(tx, kr.key)
	if item == nil {
		return nil, 0
	}
	size := attr.ItemSize(item)
	if !kr.filter.holds(item) {
		return nil, size
	}
	if kr.proj != nil {
		return expr.Project(item, kr.proj), size
	}
	return item.Clone(), size
}
