package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/partiql"
	"github.com/dynafault/dynafault/emulator/store"
)

// Messages of SELECT.
const (
	msgConsistentGSI    = "Strongly consistent read is not supported on Global Secondary Indexes"
	msgInvalidNextToken = "Invalid NextToken"
	msgTokenMismatchReq = "NextToken does not match request"
	msgOrderByNoWhere   = "Must have WHERE clause in the statement when using ORDER BY clause."
	msgOrderByNoHash    = "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."
	msgOrderByKeyPrefix = "Variable reference "
	msgOrderByKeySuffix = " in ORDER BY clause must be part of the primary key"
)

// selectPlan is how a SELECT reads its table or index.
type selectPlan struct {
	exprs   *readExprs
	sel     string
	hash    *attr.Value // the partition to Query; nil: Scan
	rng     store.KeyRange
	forward bool
}

// executeSelect runs one page of a SELECT.
func (e *Engine) executeSelect(s *partiql.Select, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	// The WHERE clause is checked before the table is looked up: an
	// operand of the wrong type is reported for a table that does not
	// exist too (nubo-db/dynamodb-conformance tier3 validation-ordering
	// partiql, run against DynamoDB).
	filter, err := selectFilter(s, in.Parameters)
	if err != nil {
		return nil, err
	}
	t, err := e.lookup(s.Table)
	if err != nil {
		return nil, err
	}
	fp := requestFingerprint(*in.Statement, in.Parameters)
	after, err := decodeNextToken(in.NextToken, fp)
	if err != nil {
		return nil, err
	}
	consistent := in.ConsistentRead != nil && *in.ConsistentRead
	out := &ExecuteStatementOutput{}
	err = t.View(func(tx *store.Tx) error {
		target, err := e.selectTarget(tx, s.Index, consistent)
		if err != nil {
			return err
		}
		plan, err := planSelect(target, s, filter, in.Parameters)
		if err != nil {
			return err
		}
		p := newPager(target, plan.exprs, plan.sel, in.Limit)
		if plan.hash != nil {
			err = tx.QueryRef(target.index, *plan.hash, plan.rng, plan.forward, after, p.visit)
		} else {
			err = tx.ScanRef(target.index, 0, 1, after, p.visit)
		}
		if err != nil {
			return validationErr(msgInvalidNextToken)
		}
		var key attr.Value
		if plan.hash != nil {
			key = *plan.hash
		}
		if err := e.admitPage(tx, p, key, consistent); err != nil {
			return err
		}
		out.Items = Items(p.items)
		if lek := p.lastEvaluatedKey(); lek != nil {
			out.LastEvaluatedKey = lek
			out.NextToken = encodeNextToken(fp, lek)
		}
		out.ConsumedCapacity = p.capacity(in.ReturnConsumedCapacity, t.Name(), consistent)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// selectTarget resolves the table or index a SELECT reads.
func (e *Engine) selectTarget(tx *store.Tx, index string, consistent bool) (*readTarget, error) {
	if index == "" {
		return e.resolveTarget(tx, nil, consistent)
	}
	ix, ok := tx.Def().Index(index)
	if !ok {
		// Without the name Query and Scan append (nubo-db/dynamodb-conformance
		// tier3 error-messages partiql, eu-west-2).
		return nil, validationErr(strings.TrimSuffix(msgNoIndex, ": "))
	}
	if ix.Key.Multi() {
		return nil, validationErr(msgMultiKeyIndex)
	}
	if !ix.Local && consistent {
		return nil, validationErr(msgConsistentGSI)
	}
	return e.resolveTarget(tx, &index, consistent)
}

// selectFilter parses the WHERE clause of a SELECT as a filter (nil when
// there is none); it needs no table.
func selectFilter(s *partiql.Select, params []attr.Value) (expr.Cond, error) {
	if s.Where == nil {
		return nil, nil
	}
	b := newExprBuilder(params)
	cs, err := b.cond(s.Where)
	if err != nil {
		return nil, err
	}
	env, err := b.env()
	if err != nil {
		return nil, err
	}
	filter, err := expr.ParseCondition(cs, expr.FilterKind, env)
	if err != nil {
		return nil, partiqlExprErr(err)
	}
	return filter, nil
}

// planSelect builds the projection of a SELECT with its filter (from
// selectFilter) and decides between a Query and a Scan.
func planSelect(target *readTarget, s *partiql.Select, filter expr.Cond, params []attr.Value) (*selectPlan, error) {
	plan := &selectPlan{exprs: &readExprs{filter: filter}, forward: true, sel: selectAll}
	if target.index != "" {
		plan.sel = selectProjected
	}
	if s.Projection != nil {
		plan.sel = selectSpecific
		plan.exprs.hasProj = true
		for _, p := range s.Projection {
			plan.exprs.projPaths = append(plan.exprs.projPaths, exprPath(p))
		}
	}
	plan.keys(target.key, s.Where, params)
	return plan, plan.order(target.key, s)
}

// exprPath converts a PartiQL path to an expr path.
func exprPath(p partiql.Path) expr.Path {
	out := make(expr.Path, len(p))
	for i, e := range p {
		out[i] = expr.PathElem{Name: e.Name, Index: e.Index, IsIndex: e.IsIndex}
	}
	return out
}

// keys finds, among the top-level conjuncts of where, an equality on the
// partition key (the read becomes a Query of that partition) and bounds on
// the sort key (the range of the Query). The whole WHERE clause remains
// the filter, so the bounds only narrow what is read.
func (plan *selectPlan) keys(ks store.KeySchema, where partiql.Expr, params []attr.Value) {
	for _, c := range conjuncts(where) {
		if name, val, ok := keyEquality(c); ok && name == ks.Hash && plan.hash == nil {
			if v, err := partiql.Value(val, params); err == nil && v.Type == ks.HashType {
				plan.hash = &v
			}
		}
	}
	if plan.hash == nil || ks.Range == "" {
		return
	}
	for _, c := range conjuncts(where) {
		plan.rangeBound(ks, c, params)
	}
}

// rangeBound narrows the Query's sort-key range by the conjunct c when it
// bounds the sort key by a value of the key's type.
func (plan *selectPlan) rangeBound(ks store.KeySchema, c partiql.Expr, params []attr.Value) {
	isRange := func(e partiql.Expr) bool {
		p, ok := e.(partiql.Path)
		return ok && len(p) == 1 && p[0].Name == ks.Range
	}
	val := func(e partiql.Expr) (attr.Value, bool) {
		if !partiql.IsConstant(e) {
			return attr.Value{}, false
		}
		v, err := partiql.Value(e, params)
		return v, err == nil && v.Type == ks.RangeType
	}
	r := &plan.rng
	switch x := c.(type) {
	case *partiql.Binary:
		if !isRange(x.L) {
			return
		}
		v, ok := val(x.R)
		if !ok {
			return
		}
		switch x.Op {
		case "=":
			setBound(&r.Lower, v, true)
			setBound(&r.Upper, v, true)
		case ">", ">=":
			setBound(&r.Lower, v, x.Op == ">=")
		case "<", "<=":
			setBound(&r.Upper, v, x.Op == "<=")
		}
	case *partiql.Between:
		lo, ok1 := val(x.Lo)
		hi, ok2 := val(x.Hi)
		if isRange(x.X) && !x.Not && ok1 && ok2 {
			setBound(&r.Lower, lo, true)
			setBound(&r.Upper, hi, true)
		}
	case *partiql.Call:
		if x.Name == "begins_with" && len(x.Args) == 2 && isRange(x.Args[0]) && r.Prefix == nil {
			if v, ok := val(x.Args[1]); ok && v.Type != attr.N {
				r.Prefix = &v
			}
		}
	}
}

// setBound sets *b unless it is set already (the first bound wins; the
// filter applies the others).
func setBound(b **store.Bound, v attr.Value, inclusive bool) {
	if *b == nil {
		*b = &store.Bound{Value: v, Inclusive: inclusive}
	}
}

// order applies ORDER BY: only on the key attributes of a Query, and only
// the direction of the sort key (or of the partition key) matters.
func (plan *selectPlan) order(ks store.KeySchema, s *partiql.Select) error {
	if len(s.OrderBy) == 0 {
		return nil
	}
	if s.Where == nil {
		return validationErr(msgOrderByNoWhere)
	}
	if plan.hash == nil {
		return validationErr(msgOrderByNoHash)
	}
	var hashDesc, rangeDesc *bool
	for _, k := range s.OrderBy {
		desc := k.Desc
		switch {
		case k.Name == ks.Hash:
			hashDesc = &desc
		case ks.Range != "" && k.Name == ks.Range:
			rangeDesc = &desc
		default:
			return validationErr(msgOrderByKeyPrefix + k.Name + msgOrderByKeySuffix)
		}
	}
	switch {
	case rangeDesc != nil:
		plan.forward = !*rangeDesc
	case hashDesc != nil:
		plan.forward = !*hashDesc
	}
	return nil
}

// nextToken is the content of a SELECT's NextToken: the request it belongs
// to and the key to resume after.
type nextToken struct {
	Request string    `json:"r"`
	Key     attr.Item `json:"k"`
}

// requestFingerprint identifies the statement and parameters a NextToken
// may be used with.
func requestFingerprint(statement string, params []attr.Value) string {
	h := sha256.New()
	h.Write([]byte(statement))
	h.Write([]byte{0})
	for _, p := range params {
		h.Write(attr.AppendJSON(nil, p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// encodeNextToken makes the NextToken that resumes after key.
func encodeNextToken(fp string, key attr.Item) *string {
	b, err := json.Marshal(nextToken{Request: fp, Key: key})
	if err != nil {
		return nil
	}
	s := base64.StdEncoding.EncodeToString(b)
	return &s
}

// decodeNextToken returns the key a NextToken resumes after (nil without
// a token).
func decodeNextToken(tok *string, fp string) (attr.Item, error) {
	if tok == nil {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(*tok)
	if err != nil {
		return nil, validationErr(msgInvalidNextToken)
	}
	var nt nextToken
	if err := json.Unmarshal(b, &nt); err != nil || nt.Key == nil {
		return nil, validationErr(msgInvalidNextToken)
	}
	if nt.Request != fp {
		return nil, validationErr(msgTokenMismatchReq)
	}
	return nt.Key, nil
}
