package engine

import (
	"context"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/emulator/store"
)

// Limits and messages of the PartiQL operations.
const (
	maxStatementLen    = 8192
	maxNextTokenLen    = 32768
	msgExistsOutsideTx = "EXISTS can only be used in ExecuteTransaction write requests."
	msgIncompleteKey   = "Where clause does not contain a mandatory equality on all key attributes"
	msgDuplicateItem   = "Duplicate primary key exists in table"
	msgSameKeyTwice    = "Multiple conditions on same key "
	msgSameKeyTail     = ". Only single item Update/Insert/Delete are supported"
	msgKeyAbsent       = "Key attribute should be present in the item: Key "
	msgKeyTypeSchema   = "Key attribute's data type should match its data type in table's schema: Key "
	msgIndexWrite      = "This operation is not supported on an index"
	msgBatchReadKey    = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."
	msgMultiKeyIndex   = "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys."
	msgEmptyParameter  = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
)

// ExecuteStatement runs one PartiQL statement: a SELECT (a Query of one
// partition when the WHERE clause fixes the partition key by equality, a
// Scan with a filter otherwise, paged by Limit, the 1 MB cap and
// NextToken), or an INSERT, UPDATE or DELETE of one item, which runs
// through the same checks and write path as PutItem, UpdateItem and
// DeleteItem.
func (e *Engine) ExecuteStatement(ctx context.Context, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	st, err := parseStatement(*in.Statement, in.Parameters, func(partiql.Statement) error { return in.hv.check() })
	if err != nil {
		return nil, err
	}
	switch s := st.(type) {
	case *partiql.Select:
		return e.executeSelect(s, in)
	case *partiql.Exists:
		return nil, validationErr(msgExistsOutsideTx)
	}
	opts := writeOptions{onFailure: in.ReturnValuesOnConditionCheckFailure, capacity: in.ReturnConsumedCapacity}
	return e.executeWrite(st, in.Parameters, opts)
}

// validate applies ExecuteStatement's parameter constraints.
func (in *ExecuteStatementInput) validate() error {
	var v violations
	v.checkStatement(in.Statement, "statement")
	v.checkParameters(in.Parameters, "parameters")
	v.checkMin(wide(in.Limit), "limit", 1)
	v.checkLen(in.NextToken, "nextToken", 1, maxNextTokenLen)
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	v.checkEnum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", returnOnFailureEnum...)
	return v.err()
}

// checkStatement applies the constraints on a Statement member.
func (v *violations) checkStatement(s *string, path string) {
	v.checkNotNull(s != nil, path)
	v.checkLen(s, path, 1, maxStatementLen)
}

// checkParameters rejects an empty (but present) Parameters list.
func (v *violations) checkParameters(params []attr.Value, path string) {
	if params != nil && len(params) == 0 {
		v.add(quote("[]"), path, minLengthFmt+"1")
	}
}

// parseStatement parses src and checks that params has one value per ?.
// held is given the parsed statement and reports an invalid value of
// params, which DynamoDB validates after it parses the statement
// (DynamoDB Local 3.3.1), or another error to report before it.
func parseStatement(src string, params []attr.Value, held func(partiql.Statement) error) (partiql.Statement, error) {
	st, err := partiql.Parse(src)
	if err != nil {
		return nil, partiqlErr(err)
	}
	if err := held(st); err != nil {
		return nil, err
	}
	if st.Params() != len(params) {
		return nil, validationErr(partiql.MsgParamCount)
	}
	for _, p := range params {
		if p.Type == attr.Invalid {
			return nil, validationErr(msgEmptyParameter)
		}
	}
	return st, nil
}

// writeOptions are the request parameters a PartiQL write honours.
type writeOptions struct {
	onFailure *string // ReturnValuesOnConditionCheckFailure
	capacity  *string // ReturnConsumedCapacity
}

// executeWrite runs an INSERT, UPDATE or DELETE in its table's critical
// section.
func (e *Engine) executeWrite(st partiql.Statement, params []attr.Value, opts writeOptions) (*ExecuteStatementOutput, error) {
	t, err := e.lookup(partiql.TableOf(st))
	if err != nil {
		return nil, err
	}
	out := &ExecuteStatementOutput{Items: []attr.Item{}}
	err = t.Update(func(tx *store.Tx) error {
		pw, err := bindWrite(tx.Def(), st, params, opts)
		if err != nil {
			return err
		}
		res, err := pw.run(e, tx)
		if err != nil {
			return err
		}
		if res.returned != nil {
			out.Items = append(out.Items, res.returned)
		}
		out.ConsumedCapacity = res.capacity
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// splitKey separates the WHERE clause of a single-item statement into the
// item's key (one equality per key attribute) and the remaining condition.
func splitKey(def store.TableDef, where partiql.Expr, params []attr.Value) (attr.Item, []partiql.Expr, error) {
	key := attr.Item{}
	var rest []partiql.Expr
	for _, c := range conjuncts(where) {
		name, val, ok := keyEquality(c)
		k, isKey := keyAttrNamed(def.Key, name)
		if !ok || !isKey {
			rest = append(rest, c)
			continue
		}
		if _, dup := key[name]; dup {
			return nil, nil, validationErr(msgSameKeyTwice + name + msgSameKeyTail)
		}
		v, err := partiql.Value(val, params)
		if err != nil {
			return nil, nil, partiqlErr(err)
		}
		if v.Type != k.typ {
			return nil, nil, validationErr(msgKeyTypeSchema + name)
		}
		key[name] = v
	}
	if len(key) != len(keyAttrs(def.Key)) {
		return nil, nil, validationErr(msgIncompleteKey)
	}
	return key, rest, nil
}

// keyAttrNamed returns the key attribute of ks named name.
func keyAttrNamed(ks store.KeySchema, name string) (keyAttr, bool) {
	for _, k := range indexKeyAttrs(ks) {
		if k.name == name {
			return k, true
		}
	}
	return keyAttr{}, false
}

// errorCode is how BatchExecuteStatement and cancellation reasons name an
// error: the exception name without "Exception"; ValidationError for
// ValidationException.
func errorCode(e *Error) string {
	switch e.Code {
	case Validation:
		return "ValidationError"
	case Throttling:
		return "ThrottlingError"
	case InternalServerError:
		return "InternalServerError"
	}
	c := string(e.Code)
	if n := len(c) - len("Exception"); n > 0 && c[n:] == "Exception" {
		return c[:n]
	}
	return c
}

// statementPath names the n-th (from 0) member of a list parameter.
func statementPath(list string, n int) string {
	return list + "." + strconv.Itoa(n+1) + ".member."
}
