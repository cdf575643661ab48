package engine

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/emulator/store"
)

// pqWrite is an INSERT, UPDATE or DELETE bound to its table: the same
// action TransactWriteItems builds from a Put, an Update or a Delete, so
// that it runs through the item API's check-then-compute step.
type pqWrite struct {
	txAction
	insert    bool // a failed condition means the item exists already
	returning partiql.Returning
	capacity  *string
}

// pqResult is what one write did.
type pqResult struct {
	returned attr.Item // the RETURNING item, nil when none
	capacity *ConsumedCapacity
}

// bindWrite binds a write statement to the table shaped like def.
func bindWrite(def store.TableDef, st partiql.Statement, params []attr.Value, opts writeOptions) (*pqWrite, error) {
	switch s := st.(type) {
	case *partiql.Insert:
		return bindInsert(def, s, params, opts)
	case *partiql.Update:
		return bindUpdate(def, s, params, opts)
	case *partiql.Delete:
		return bindDelete(def, s, params, opts)
	}
	return nil, validationErr(msgExistsOutsideTx)
}

// bindInsert builds a Put of the item on the condition that no item has
// its key.
func bindInsert(def store.TableDef, s *partiql.Insert, params []attr.Value, opts writeOptions) (*pqWrite, error) {
	v, err := partiql.Value(s.Item, params)
	if err != nil {
		return nil, partiqlErr(err)
	}
	item := attr.Item(v.M)
	for _, k := range keyAttrs(def.Key) {
		kv, ok := item[k.name]
		if !ok {
			return nil, validationErr(msgKeyAbsent + k.name)
		}
		if kv.Type != k.typ {
			return nil, validationErr(msgKeyTypeSchema + k.name)
		}
	}
	if attr.ItemSize(item) > maxItemSize {
		return nil, validationErr(msgItemTooBig)
	}
	b := newExprBuilder(params)
	w, err := b.writeExprs("attribute_not_exists("+b.name(def.Key.Hash)+")", nil)
	if err != nil {
		return nil, err
	}
	put := &PutItemInput{TableName: &s.Table, Item: item,
		ReturnValuesOnConditionCheckFailure: opts.onFailure, ReturnConsumedCapacity: opts.capacity}
	return &pqWrite{
		txAction: txAction{kind: kindPut, table: s.Table, key: item, w: w, put: put},
		insert:   true, capacity: opts.capacity,
	}, nil
}

// bindUpdate builds an Update of the item the WHERE clause names, on the
// condition that it exists and that the rest of the WHERE clause holds.
func bindUpdate(def store.TableDef, s *partiql.Update, params []attr.Value, opts writeOptions) (*pqWrite, error) {
	key, rest, err := splitKey(def, s.Where, params)
	if err != nil {
		return nil, err
	}
	b := newExprBuilder(params)
	cond := "attribute_exists(" + b.name(def.Key.Hash) + ")"
	if r := andAll(rest); r != nil {
		rs, err := b.cond(r)
		if err != nil {
			return nil, err
		}
		cond += " AND (" + rs + ")"
	}
	upd, err := b.update(s.Actions)
	if err != nil {
		return nil, err
	}
	w, err := b.writeExprs(cond, &upd)
	if err != nil {
		return nil, err
	}
	rv := returnValuesOf(s.Returning)
	in := &UpdateItemInput{TableName: &s.Table, Key: key, ReturnValues: rv,
		ReturnValuesOnConditionCheckFailure: opts.onFailure, ReturnConsumedCapacity: opts.capacity}
	return &pqWrite{
		txAction:  txAction{kind: kindUpdate, table: s.Table, key: key, w: w, update: in},
		returning: s.Returning, capacity: opts.capacity,
	}, nil
}

// bindDelete builds a Delete of the item the WHERE clause names: a missing
// item is no error; an existing one must satisfy the rest of the clause.
func bindDelete(def store.TableDef, s *partiql.Delete, params []attr.Value, opts writeOptions) (*pqWrite, error) {
	key, rest, err := splitKey(def, s.Where, params)
	if err != nil {
		return nil, err
	}
	b := newExprBuilder(params)
	w := &writeExprs{}
	if r := andAll(rest); r != nil {
		rs, err := b.cond(r)
		if err != nil {
			return nil, err
		}
		if w, err = b.writeExprs("attribute_not_exists("+b.name(def.Key.Hash)+") OR ("+rs+")", nil); err != nil {
			return nil, err
		}
	}
	in := &DeleteItemInput{TableName: &s.Table, Key: key,
		ReturnValuesOnConditionCheckFailure: opts.onFailure, ReturnConsumedCapacity: opts.capacity}
	return &pqWrite{
		txAction:  txAction{kind: kindDelete, table: s.Table, key: key, w: w, del: in},
		returning: s.Returning, capacity: opts.capacity,
	}, nil
}

// returnValuesOf maps RETURNING to UpdateItem's ReturnValues.
func returnValuesOf(r partiql.Returning) *string {
	var rv string
	switch r {
	case partiql.ReturnAllOld:
		rv = returnAllOld
	case partiql.ReturnModifiedOld:
		rv = returnUpdatedOld
	case partiql.ReturnAllNew:
		rv = returnAllNew
	case partiql.ReturnModifiedNew:
		rv = returnUpdatedNew
	default:
		return nil
	}
	return &rv
}

// writeExprs parses the rendered condition and update (nil: none) with the
// placeholders collected so far.
func (b *exprBuilder) writeExprs(cond string, update *string) (*writeExprs, error) {
	env, err := b.env()
	if err != nil {
		return nil, err
	}
	w := &writeExprs{env: env}
	if update != nil {
		if w.update, err = expr.ParseUpdate(*update, env); err != nil {
			return nil, partiqlExprErr(err)
		}
	}
	c, err := expr.ParseCondition(cond, expr.ConditionKind, env)
	if err != nil {
		return nil, partiqlExprErr(err)
	}
	w.cond = condition{cond: c, set: true}
	return w, nil
}

// step runs the item API's check-then-compute step; a failed condition of
// an INSERT is DuplicateItemException.
func (pw *pqWrite) step(def store.TableDef, old attr.Item) (attr.Item, error) {
	item, err := pw.txAction.step(def, old)
	if err != nil && pw.insert {
		if e := AsError(err); e.Code == ConditionalCheckFailed {
			return nil, NewError(DuplicateItem, msgDuplicateItem)
		}
	}
	return item, err
}

// run performs the write in tx.
func (pw *pqWrite) run(e *Engine, tx *store.Tx) (pqResult, error) {
	def := tx.Def()
	old := getItem(tx, pw.key)
	item, err := pw.step(def, old)
	if e.limiter.Active() {
		err = e.gateWrite(tx, pw.key, old, item, err)
	}
	if err != nil {
		return pqResult{}, err
	}
	return pw.write(tx, def, old, item), nil
}

// write stores the computed item (or deletes the old one) and reports what
// the statement returns.
func (pw *pqWrite) write(tx *store.Tx, def store.TableDef, old, item attr.Item) pqResult {
	var res pqResult
	switch {
	case pw.kind == kindDelete:
		if old != nil {
			tx.Delete(pw.key)
		}
		if pw.returning == partiql.ReturnAllOld {
			res.returned = old
		}
	case item != nil:
		tx.Put(item)
		if pw.update != nil {
			res.returned = pw.w.returnValues(str(pw.update.ReturnValues), old, item)
		}
	}
	res.capacity = writeCapacity(pw.capacity, tableNameOf(pw.table), def, old, item)
	return res
}

// update renders the SET and REMOVE actions as an UpdateExpression;
// SET p = set_add(p, v) and set_delete become ADD and DELETE.
func (b *exprBuilder) update(actions []partiql.Action) (string, error) {
	var sets, removes, adds, deletes []string
	for _, a := range actions {
		path := b.path(a.Path)
		if a.Remove {
			removes = append(removes, path)
			continue
		}
		if c, ok := a.Value.(*partiql.Call); ok && (c.Name == "set_add" || c.Name == "set_delete") {
			v, err := b.setOperation(path, c)
			if err != nil {
				return "", err
			}
			if c.Name == "set_add" {
				adds = append(adds, path+" "+v)
			} else {
				deletes = append(deletes, path+" "+v)
			}
			continue
		}
		v, err := b.updateValue(a.Value)
		if err != nil {
			return "", err
		}
		sets = append(sets, path+" = "+v)
	}
	var clauses []string
	for _, c := range []struct {
		kw    string
		parts []string
	}{{"SET", sets}, {"REMOVE", removes}, {"ADD", adds}, {"DELETE", deletes}} {
		if len(c.parts) > 0 {
			clauses = append(clauses, c.kw+" "+strings.Join(c.parts, ", "))
		}
	}
	return strings.Join(clauses, " "), nil
}

// setOperation checks set_add(path, set) or set_delete(path, set) assigned
// to path and renders the set.
func (b *exprBuilder) setOperation(path string, c *partiql.Call) (string, error) {
	op := strings.ToUpper(strings.TrimPrefix(c.Name, "set_"))
	if len(c.Args) != 2 {
		return "", validationErr("SET_" + op + " must have exactly two arguments")
	}
	first, ok := c.Args[0].(partiql.Path)
	if !ok || b.path(first) != path {
		return "", validationErr("The first argument to SET_" + op + " must equal the assignment value")
	}
	if !partiql.IsConstant(c.Args[1]) {
		return "", validationErr("The second argument to SET_" + op + " must be a value with type SET")
	}
	v, err := partiql.Value(c.Args[1], b.params)
	if err != nil {
		return "", partiqlErr(err)
	}
	if !v.Type.IsSet() {
		return "", validationErr("The second argument to SET_" + op + " must be a value with type SET")
	}
	return b.value(v), nil
}

// updateValue renders the value of a SET action: a value, a path, a + b,
// a - b, list_append(a, b) or if_not_exists(path, v).
func (b *exprBuilder) updateValue(e partiql.Expr) (string, error) {
	switch x := e.(type) {
	case partiql.Path:
		return b.path(x), nil
	case *partiql.Binary:
		if x.Op != "+" && x.Op != "-" {
			return "", validationErr(msgUpdateOperator + x.Op)
		}
		l, err := b.updateValue(x.L)
		if err != nil {
			return "", err
		}
		r, err := b.updateValue(x.R)
		if err != nil {
			return "", err
		}
		return l + " " + x.Op + " " + r, nil
	case *partiql.Call:
		if x.Name != "list_append" && x.Name != "if_not_exists" {
			return "", validationErr(msgUnknownFunction + x.Name)
		}
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			s, err := b.updateValue(a)
			if err != nil {
				return "", err
			}
			args[i] = s
		}
		return x.Name + "(" + strings.Join(args, ", ") + ")", nil
	case *partiql.Is:
		return "", validationErr("IS operator is not supported in update expressions")
	}
	if !partiql.IsConstant(e) {
		return "", validationErr(msgUpdateOperator + describeExpr(e))
	}
	v, err := partiql.Value(e, b.params)
	if err != nil {
		return "", partiqlErr(err)
	}
	return b.value(v), nil
}

// describeExpr names an expression kind in messages.
func describeExpr(e partiql.Expr) string {
	switch x := e.(type) {
	case *partiql.Binary:
		return x.Op
	case *partiql.Not:
		return "NOT"
	case *partiql.Between:
		return "BETWEEN"
	case *partiql.In:
		return "IN"
	}
	return "MISSING"
}
