package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// bindMultiKeyCondition is bindKeyCondition for a GSI with a
// multi-attribute key: the partition-key and sort-key rules of
// expr.ParseMultiKeyCondition, then the exclusive start key attribute by
// attribute, then the types of the values.
func bindMultiKeyCondition(in *QueryInput, env *expr.Env, ks store.KeySchema) (*expr.KeyCondition, error) {
	var hash, rng []string
	for _, a := range ks.HashAttrs() {
		hash = append(hash, a.Name)
	}
	for _, a := range ks.RangeAttrs() {
		rng = append(rng, a.Name)
	}
	var (
		kc  *expr.KeyCondition
		err error
	)
	if in.KeyConditionExpression != nil {
		kc, err = expr.ParseMultiKeyCondition(*in.KeyConditionExpression, env, hash, rng)
	} else {
		kc, err = expr.MultiKeyConditionFromConditions(in.KeyConditions.toExpr(), hash, rng)
	}
	if err != nil {
		return nil, exprError(err)
	}
	if in.ExclusiveStartKey != nil {
		for _, k := range indexKeyAttrs(ks) {
			if err := checkStartPiece(k, in.ExclusiveStartKey); err != nil {
				return nil, err
			}
		}
	}
	if !multiTypesMatch(ks, kc) {
		return nil, validationErr(msgCondTypeMismach)
	}
	return kc, nil
}

// multiTypesMatch reports whether every value of kc has the type of the
// key attribute it is compared with.
func multiTypesMatch(ks store.KeySchema, kc *expr.KeyCondition) bool {
	ok := true
	for i, v := range kc.HashValues() {
		ok = ok && v.Type == ks.HashAttrs()[i].Type
	}
	rng := ks.RangeAttrs()
	for i, v := range kc.Leading {
		ok = ok && v.Type == rng[i].Type
	}
	for _, v := range kc.Range {
		ok = ok && v.Type == rng[len(kc.Leading)].Type
	}
	return ok
}

// checkMultiStartBounds is checkStartBounds for a multi-attribute key.
func checkMultiStartBounds(kc *expr.KeyCondition, ks store.KeySchema, start StartKey) error {
	same := true
	for i, a := range ks.HashAttrs() {
		same = same && attr.Equal(start[a.Name], kc.HashValues()[i])
	}
	for i, v := range kc.Leading {
		same = same && attr.Equal(start[ks.RangeAttrs()[i].Name], v)
	}
	if !same {
		return validationErr("The provided starting key is outside query boundaries based on provided conditions")
	}
	if kc.RangeOp != expr.RangeNone && !kc.MatchRange(start[kc.RangeKey]) {
		return validationErr("The provided starting key does not match the range key predicate")
	}
	return nil
}
