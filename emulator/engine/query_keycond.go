package engine

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Key conditions are checked in two steps, as DynamoDB does: their shape
// before the table is looked up (syntax, operators, one or two
// conditions), then against the key schema of the table or index, one key
// attribute at a time together with the exclusive start key (dynalite
// actions/query.js, whose order was recorded against DynamoDB).

// Key condition messages that depend on the key schema.
const (
	msgMissedKey       = "Query condition missed key schema element: "
	msgKeyCondNotSupp  = "Query key condition not supported"
	msgNotIndexable    = "Attempted conditional constraint is not an indexable operation"
	msgCondTypeMismach = msgInvalidParams + "Condition parameter type does not match schema type"
	msgCondLength      = "Conditions can be of length 1 or 2 only"
)

// keyTerms is a key condition flattened per attribute: the values each
// attribute is compared against and, for the legacy parameter, the
// operator.
type keyTerms struct {
	vals map[string][]attr.Value
	ops  map[string]string // KeyConditions only
	// hashOpBad: the partition key condition is not an equality (known for
	// KeyConditionExpression from the schema-aware parse).
	hashOpBad bool
}

// schemaDependent reports whether err is one of the key-condition errors
// that need the key schema (ignored by the schema-free first pass).
func schemaDependent(err error) bool {
	e := AsError(err)
	return strings.HasPrefix(e.Message, msgMissedKey) || e.Message == msgKeyCondNotSupp || e.Message == msgCondLength
}

// parseKeySyntax parses KeyConditionExpression for its syntax and
// placeholders only (its structure is checked after the other expressions).
func parseKeySyntax(s string, r *readExprs) error {
	_, err := expr.ParseCondition(s, expr.KeyConditionKind, r.env)
	return exprError(err)
}

// precheckKeyExpr is the schema-free pass over KeyConditionExpression:
// everything but the errors that need the key schema.
func precheckKeyExpr(s string, env *expr.Env) error {
	_, err := expr.ParseKeyCondition(s, env, "", "")
	if err != nil && !schemaDependent(err) {
		return exprError(err)
	}
	return nil
}

// precheckKeyConditions is the schema-free pass over KeyConditions: the
// operand checks of every condition, then their number.
func precheckKeyConditions(m Conditions) error {
	if _, err := expr.FromConditions(m.toExpr(), nil, expr.KeyConditionKind); err != nil {
		return exprError(err)
	}
	return nil
}

// bindKeyCondition matches the key condition of a Query against the key
// schema of target, checking the exclusive start key attribute by
// attribute on the way, and returns the bound condition.
func bindKeyCondition(in *QueryInput, env *expr.Env, target *readTarget) (*expr.KeyCondition, error) {
	ks := target.key
	if ks.Multi() {
		return bindMultiKeyCondition(in, env, ks)
	}
	var (
		kc    *expr.KeyCondition
		kcErr error
		terms keyTerms
	)
	if in.KeyConditionExpression != nil {
		kc, kcErr = expr.ParseKeyCondition(*in.KeyConditionExpression, env, ks.Hash, ks.Range)
		c, err := expr.ParseCondition(*in.KeyConditionExpression, expr.KeyConditionKind, env)
		if err != nil {
			return nil, exprError(err)
		}
		terms.vals = expr.CondValues(c)
		terms.hashOpBad = kcErr != nil && AsError(kcErr).Message == msgKeyCondNotSupp
	} else {
		kc, kcErr = expr.KeyConditionFromConditions(in.KeyConditions.toExpr(), ks.Hash, ks.Range)
		terms.vals, terms.ops = map[string][]attr.Value{}, map[string]string{}
		for name, c := range in.KeyConditions {
			terms.vals[name], terms.ops[name] = c.AttributeValueList, str(c.ComparisonOperator)
		}
		terms.hashOpBad = terms.ops[ks.Hash] != "EQ"
	}
	// Counted after the table lookup: a multi-attribute key takes more.
	if n := len(terms.vals); n != 1 && n != 2 {
		return nil, validationErr(msgCondLength)
	}
	if err := checkTerms(ks, terms, in.ExclusiveStartKey); err != nil {
		return nil, err
	}
	if kcErr != nil {
		return nil, exprError(kcErr)
	}
	if err := kc.CheckTypes(ks.HashType, ks.RangeType); err != nil {
		return nil, exprError(err)
	}
	return kc, nil
}

// checkTerms walks the key attributes of ks, partition key first, with
// DynamoDB's per-attribute order of checks.
func checkTerms(ks store.KeySchema, terms keyTerms, start StartKey) error {
	n := len(terms.vals)
	for _, k := range keyAttrs(ks) {
		if start != nil {
			if err := checkStartPiece(k, start); err != nil {
				return err
			}
		}
		if k.isHash && ks.Range == "" && n > 1 {
			return validationErr(msgKeyCondNotSupp)
		}
		vals, ok := terms.vals[k.name]
		if !ok {
			if k.isHash || n > 1 {
				return validationErr(msgMissedKey + k.name)
			}
			continue
		}
		switch terms.ops[k.name] {
		case "NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN":
			return validationErr(msgNotIndexable)
		}
		for _, v := range vals {
			if v.Type != k.typ {
				return validationErr(msgCondTypeMismach)
			}
		}
		if k.isHash && terms.hashOpBad {
			return validationErr(msgKeyCondNotSupp)
		}
	}
	return nil
}

// checkStartPiece checks one key attribute of the read's key schema in an
// exclusive start key: present, of the schema's type, a valid key value.
func checkStartPiece(k keyAttr, start StartKey) error {
	v, ok := start[k.name]
	if !ok {
		return validationErr(msgStartKeyInvalid)
	}
	if v.Type != k.typ {
		return validationErr(msgKeySchema)
	}
	return checkKeyValue(k, v)
}

// keyRange converts the sort-key condition into the store's range.
func keyRange(kc *expr.KeyCondition) store.KeyRange {
	r := store.KeyRange{HashMore: kc.HashMore, Leading: kc.Leading}
	incl := func(v attr.Value) *store.Bound { return &store.Bound{Value: v, Inclusive: true} }
	excl := func(v attr.Value) *store.Bound { return &store.Bound{Value: v} }
	switch kc.RangeOp {
	case expr.RangeEQ:
		r.Lower, r.Upper = incl(kc.Range[0]), incl(kc.Range[0])
	case expr.RangeLT:
		r.Upper = excl(kc.Range[0])
	case expr.RangeLE:
		r.Upper = incl(kc.Range[0])
	case expr.RangeGT:
		r.Lower = excl(kc.Range[0])
	case expr.RangeGE:
		r.Lower = incl(kc.Range[0])
	case expr.RangeBetween:
		r.Lower, r.Upper = incl(kc.Range[0]), incl(kc.Range[1])
	case expr.RangeBeginsWith:
		p := kc.Range[0]
		r.Prefix = &p
	}
	return r
}

// checkStartBounds checks that the exclusive start key of a Query lies
// within the key condition.
func checkStartBounds(kc *expr.KeyCondition, ks store.KeySchema, start StartKey, index bool) error {
	if ks.Multi() {
		return checkMultiStartBounds(kc, ks, start)
	}
	sameHash := attr.Equal(start[ks.Hash], kc.Hash)
	if kc.RangeOp == expr.RangeNone {
		if !sameHash {
			return validationErr("The provided starting key is outside query boundaries based on provided conditions")
		}
		return nil
	}
	if !kc.MatchRange(start[ks.Range]) {
		return validationErr("The provided starting key does not match the range key predicate")
	}
	// A query pinning the whole table key reads at most one item; one
	// whose start key lies in another partition cannot be resumed either.
	// An index key is not unique: a query pinning it pages like any other.
	if kc.RangeOp == expr.RangeEQ && !index || !sameHash {
		return validationErr("The query can return at most one row and cannot be restarted")
	}
	return nil
}
