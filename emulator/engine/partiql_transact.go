package engine

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/emulator/store"
)

// Messages of ExecuteTransaction.
const (
	msgTxMixed         = "ExecuteTransaction API does not support both read and write operations in the same request."
	msgTxReadKey       = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
	msgTxReadIndex     = "Reads on indices are not supported within transactions."
	msgTxExistsKey     = "EXISTS() must contain a single item read with additional condition"
	msgTxExistsIndex   = "Operations on indices are not supported in transactions"
	msgTxFailedPrefix  = "Validation failed in TransactStatements["
	msgTxFailedPostfix = "]: "
)

// ExecuteTransaction runs up to 100 PartiQL statements as one transaction:
// all SELECTs of single items (one consistent snapshot), or all writes
// (INSERT, UPDATE, DELETE and EXISTS condition checks), applied all or
// nothing like TransactWriteItems, with TransactionCanceledException and
// one cancellation reason per statement when any fails.
func (e *Engine) ExecuteTransaction(ctx context.Context, in *ExecuteTransactionInput) (*ExecuteTransactionOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	parsed := make([]partiql.Statement, len(in.TransactStatements))
	reads := 0
	mixed := validationErr(msgTxMixed)
	for i, s := range in.TransactStatements {
		// One statement after the other: parsed, then a read among writes
		// (or a write among reads) so far is refused, then an invalid value
		// in the statement's Parameters fails the request as it is
		// (DynamoDB Local 3.3.1).
		held := in.hv.in("TransactStatements", i)
		st, err := parseStatement(*s.Statement, s.Parameters, func(st partiql.Statement) error {
			if _, ok := st.(*partiql.Select); ok {
				reads++
			}
			if reads > 0 && reads <= i {
				return mixed
			}
			return held
		})
		if err != nil {
			if err == held || err == mixed {
				return nil, err
			}
			return nil, txStatementErr(i, err)
		}
		parsed[i] = st
	}
	if err := in.hv.check(); err != nil {
		return nil, err
	}
	tables, err := e.txTables(parsed)
	if err != nil {
		return nil, err
	}
	if reads > 0 {
		return e.txRead(in, parsed, tables)
	}
	if in.ClientRequestToken == nil {
		return e.txWrite(in, parsed, tables)
	}
	token, fp := *in.ClientRequestToken, in.fingerprint()
	if done, err := e.idem.begin(token, fp, e.clock.Now()); done != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return &ExecuteTransactionOutput{ConsumedCapacity: e.txReplayCapacity(in, parsed, tables)}, nil
	}
	out, err := e.txWrite(in, parsed, tables)
	var remembered *TransactWriteItemsOutput
	if err == nil {
		remembered = &TransactWriteItemsOutput{ConsumedCapacity: out.ConsumedCapacity}
	}
	e.idem.finish(token, remembered, e.clock.Now())
	return out, err
}

// validate applies ExecuteTransaction's parameter constraints.
func (in *ExecuteTransactionInput) validate() error {
	var v violations
	switch {
	case in.TransactStatements == nil:
		v.add(null, "transactStatements", mustNotBeNull)
	case len(in.TransactStatements) == 0:
		v.add(quote("[]"), "transactStatements", minLengthFmt+"1")
	case len(in.TransactStatements) > maxTransactItems:
		v.addBare("TransactStatements", maxLengthFmt+strconv.Itoa(maxTransactItems))
	}
	for i, s := range in.TransactStatements {
		path := statementPath("transactStatements", i)
		v.checkStatement(s.Statement, path+"statement")
		v.checkParameters(s.Parameters, path+"parameters")
		v.checkEnum(s.ReturnValuesOnConditionCheckFailure, path+"returnValuesOnConditionCheckFailure", returnOnFailureEnum...)
	}
	v.checkLen(in.ClientRequestToken, "clientRequestToken", 1, maxRequestTokenLen)
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	return v.err()
}

// txStatementErr names the statement a validation error belongs to.
func txStatementErr(i int, err error) error {
	e := AsError(err)
	if e.Code != Validation {
		return e
	}
	return validationErr(msgTxFailedPrefix + strconv.Itoa(i) + msgTxFailedPostfix + e.Message)
}

// txTables looks up the table of every statement.
func (e *Engine) txTables(parsed []partiql.Statement) ([]*store.Table, error) {
	names := make([]string, len(parsed))
	for i, st := range parsed {
		names[i] = partiql.TableOf(st)
	}
	return e.lookupAll(names)
}

// txRead reads every statement's item from one snapshot.
func (e *Engine) txRead(in *ExecuteTransactionInput, parsed []partiql.Statement, tables []*store.Table) (*ExecuteTransactionOutput, error) {
	out := &ExecuteTransactionOutput{Responses: make([]ItemResponse, len(parsed))}
	err := e.catalog.ViewMany(tables, func(txs []*store.Tx) error {
		reads := make([]*keyRead, len(parsed))
		for i, st := range parsed {
			kr, err := bindTxRead(txs[i].Def(), st.(*partiql.Select), in.TransactStatements[i].Parameters)
			if err != nil {
				return txStatementErr(i, err)
			}
			reads[i] = kr
		}
		capacity := capacityByTable{}
		var charges [][]capacityCharge
		for i, kr := range reads {
			item, size := kr.read(txs[i])
			out.Responses[i] = ItemResponse{Item: item}
			capacity.add(transactional(readCapacity(in.ReturnConsumedCapacity, tables[i].Name(), size, true), false))
			if e.limiter.Active() {
				def := txs[i].Def()
				charges = append(charges, readCharges(def, "", kr.key[def.Key.Hash], readUnits(size, true)*2, 0))
			}
		}
		if charges != nil {
			if err := e.admitAll(txs, charges); err != nil {
				out.Responses = nil
				return err
			}
		}
		out.ConsumedCapacity = capacity.list()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bindTxRead binds a SELECT of a read transaction: one item by its key.
func bindTxRead(def store.TableDef, s *partiql.Select, params []attr.Value) (*keyRead, error) {
	if s.Index != "" {
		return nil, validationErr(msgTxReadIndex)
	}
	kr, err := bindKeyRead(def, s, params)
	if err != nil && AsError(err).Message == msgIncompleteKey {
		return nil, validationErr(msgTxReadKey)
	}
	return kr, err
}

// txWrite applies the write statements all or nothing.
func (e *Engine) txWrite(in *ExecuteTransactionInput, parsed []partiql.Statement, tables []*store.Table) (*ExecuteTransactionOutput, error) {
	out := &ExecuteTransactionOutput{}
	err := e.catalog.UpdateMany(tables, func(txs []*store.Tx) error {
		writes, err := in.bindWrites(txs, parsed)
		if err != nil {
			return err
		}
		actions := make([]*txAction, len(writes))
		for i, w := range writes {
			actions[i] = &w.txAction
		}
		if err := checkTargets(txs, actions); err != nil {
			return err
		}
		olds, items, err := evaluateWrites(txs, writes)
		if err != nil {
			return err
		}
		txw := make([]txWrite, len(writes))
		for i := range writes {
			txw[i] = txWrite{old: olds[i], item: items[i]}
		}
		if err := e.admitTransactWrite(txs, actions, txw); err != nil {
			return err
		}
		capacity := capacityByTable{}
		for i, w := range writes {
			res := w.write(txs[i], txs[i].Def(), olds[i], items[i])
			if w.kind == kindCheck {
				capacity.add(checkCapacity(in.ReturnConsumedCapacity, tables[i].Name(), olds[i]))
				continue
			}
			capacity.add(transactional(res.capacity, true))
		}
		out.ConsumedCapacity = capacity.list()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// txReplayCapacity is replayCapacity for a write transaction of PartiQL
// statements repeated with its ClientRequestToken.
func (e *Engine) txReplayCapacity(in *ExecuteTransactionInput, parsed []partiql.Statement, tables []*store.Table) []*ConsumedCapacity {
	if !wantsCapacity(in.ReturnConsumedCapacity) {
		return nil
	}
	var actions []*txAction
	_ = e.catalog.ViewMany(tables, func(txs []*store.Tx) error {
		writes, err := in.bindWrites(txs, parsed)
		if err != nil {
			return err
		}
		for _, w := range writes {
			actions = append(actions, &w.txAction)
		}
		return nil
	})
	if len(actions) != len(parsed) {
		return nil
	}
	return e.replayCapacity(in.ReturnConsumedCapacity, actions)
}

// bindWrites binds every statement of a write transaction to its table.
func (in *ExecuteTransactionInput) bindWrites(txs []*store.Tx, parsed []partiql.Statement) ([]*pqWrite, error) {
	writes := make([]*pqWrite, len(parsed))
	for i, st := range parsed {
		s := in.TransactStatements[i]
		opts := writeOptions{onFailure: s.ReturnValuesOnConditionCheckFailure, capacity: in.ReturnConsumedCapacity}
		var w *pqWrite
		var err error
		switch x := st.(type) {
		case *partiql.Exists:
			w, err = bindExists(txs[i].Def(), x.Select, s.Parameters, opts)
		case *partiql.Update:
			if x.Returning != partiql.ReturnNone {
				err = validationErr(msgReturningInTx)
			}
		case *partiql.Delete:
			if x.Returning != partiql.ReturnNone {
				err = validationErr(msgReturningInTx)
			}
		}
		if w == nil && err == nil {
			w, err = bindWrite(txs[i].Def(), st, s.Parameters, opts)
		}
		if err != nil {
			return nil, txStatementErr(i, err)
		}
		writes[i] = w
	}
	return writes, nil
}

// msgReturningInTx refuses RETURNING inside a transaction
// (nubo-db/dynamodb-conformance tier3 error-messages partiql, eu-west-2; the
// same in DynamoDB Local 3.3.1).
const msgReturningInTx = "RETURNING clause is not supported in ExecuteTransaction."

// bindExists builds the condition check of EXISTS(SELECT ...): the item
// must exist and satisfy the rest of the WHERE clause.
func bindExists(def store.TableDef, s *partiql.Select, params []attr.Value, opts writeOptions) (*pqWrite, error) {
	if s.Index != "" {
		return nil, validationErr(msgTxExistsIndex)
	}
	key, rest, err := splitKey(def, s.Where, params)
	if err != nil || len(rest) == 0 {
		return nil, validationErr(msgTxExistsKey)
	}
	b := newExprBuilder(params)
	rs, err := b.cond(andAll(rest))
	if err != nil {
		return nil, err
	}
	w, err := b.writeExprs("attribute_exists("+b.name(def.Key.Hash)+") AND ("+rs+")", nil)
	if err != nil {
		return nil, err
	}
	del := &DeleteItemInput{TableName: &s.Table, Key: key, ReturnValuesOnConditionCheckFailure: opts.onFailure}
	return &pqWrite{txAction: txAction{kind: kindCheck, table: s.Table, key: key, w: w, del: del}}, nil
}

// evaluateWrites runs every statement's check-then-compute step against
// the current items: the old items and the items to store, or
// TransactionCanceledException with one reason per statement.
func evaluateWrites(txs []*store.Tx, writes []*pqWrite) (olds, items []attr.Item, err error) {
	olds, items = make([]attr.Item, len(writes)), make([]attr.Item, len(writes))
	reasons := make([]CancellationReason, len(writes))
	failed := false
	for i, w := range writes {
		olds[i] = getItem(txs[i], w.key)
		items[i], err = w.step(txs[i].Def(), olds[i])
		reasons[i] = CancellationReason{Code: "None"}
		if err != nil {
			reasons[i], failed = statementReason(err), true
		}
	}
	if failed {
		return nil, nil, cancelled(reasons)
	}
	return olds, items, nil
}

// statementReason is the cancellation reason of a statement that failed.
func statementReason(err error) CancellationReason {
	if e := AsError(err); e.Code == DuplicateItem {
		return CancellationReason{Code: errorCode(e), Message: e.Message}
	}
	return reasonOf(err)
}

// fingerprint identifies the parameters of an ExecuteTransaction that must
// match when its ClientRequestToken is reused.
func (in *ExecuteTransactionInput) fingerprint() string {
	b, err := json.Marshal(struct {
		Op                     string
		Statements             []ParameterizedStatement
		ReturnConsumedCapacity *string
	}{"ExecuteTransaction", in.TransactStatements, in.ReturnConsumedCapacity})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return string(sum[:])
}
