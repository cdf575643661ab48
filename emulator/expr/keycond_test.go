package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestParseKeyCondition(t *testing.T) {
	tests := []struct {
		in, hash, rng string
		want          string // "hash=<v> <op> <n values>" or the error
	}{
		{"a = :s", "a", "", "a EQ 0"},
		{"a = :s AND b > :n", "a", "b", "a GT 1"},
		{":n < b AND a = :s", "a", "b", "a GT 1"},
		{"a = :s AND b BETWEEN :n AND :m", "a", "b", "a BETWEEN 2"},
		{"a = :s AND begins_with(b, :t)", "a", "b", "a BEGINS_WITH 1"},
		{"#a = :s AND (b <= :n)", "a", "b", "a LE 1"},
		{"a = :s", "a", "b", "a EQ 0"},
		{"a = :s OR b = :n", "a", "b", "Invalid operator used in KeyConditionExpression: OR"},
		{"NOT a = :s", "a", "b", "Invalid operator used in KeyConditionExpression: NOT"},
		{"a IN (:s)", "a", "b", "Invalid operator used in KeyConditionExpression: IN"},
		{"a <> :s", "a", "b", "Invalid operator used in KeyConditionExpression: <>"},
		{"a = :s AND attribute_exists(b)", "a", "b", "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"a = :s AND size(b) > :n", "a", "b", "KeyConditionExpressions cannot contain nested operations"},
		{"a = :s AND :n BETWEEN b AND :m", "a", "b", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"},
		{"a = :s AND begins_with(:t, b)", "a", "b", "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"},
		{"a = b", "a", "b", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"a.x = :s", "a", "b", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{":s = :t", "a", "b", "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{"a = :s AND a = :t", "a", "b", "KeyConditionExpressions must only contain one condition per key"},
		{"b = :s", "a", "b", "Query condition missed key schema element: a"},
		{"a = :s AND c = :n", "a", "b", "Query condition missed key schema element: b"},
		{"a = :s AND b = :n", "a", "", "Query key condition not supported"},
		{"a > :s", "a", "b", "Query key condition not supported"},
		{"a = :s AND b = :n AND c = :m", "a", "b", "Conditions can be of length 1 or 2 only"},
		{"a = :bool", "a", "b", "One or more parameter values were invalid: ComparisonOperator EQ is not valid for BOOL AttributeValue type"},
		{"a = :zz", "a", "b", "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz"},
		{"a = :s AND b BETWEEN :m AND :n", "a", "b", "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"},
	}
	for _, tt := range tests {
		k, err := ParseKeyCondition(tt.in, testEnv(t), tt.hash, tt.rng)
		got := errText(err)
		if err == nil {
			got = k.HashKey + " " + k.RangeOp.String() + " " + string(rune('0'+len(k.Range)))
			if k.RangeOp == RangeNone {
				got = k.HashKey + " EQ 0"
			}
		}
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeyConditionMatch(t *testing.T) {
	k, err := ParseKeyCondition("a = :s AND b BETWEEN :n AND :big", testEnv(t), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if !k.Hash.Type.IsScalarKey() || k.Hash.S != "x" {
		t.Errorf("hash = %v", k.Hash)
	}
	for v, want := range map[string]bool{"0": false, "1": true, "5": true, "10": true, "11": false} {
		if got := k.MatchRange(num(v)); got != want {
			t.Errorf("MatchRange(%s) = %v", v, got)
		}
	}
	if err := k.CheckTypes(attr.S, attr.N); err != nil {
		t.Error(err)
	}
	if err := k.CheckTypes(attr.S, attr.S); errText(err) != "One or more parameter values were invalid: Condition parameter type does not match schema type" {
		t.Errorf("CheckTypes: %v", err)
	}
	b, err := ParseKeyCondition("a = :s AND begins_with(b, :pre)", testEnv(t), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if !b.MatchRange(str("abc")) || b.MatchRange(str("b")) {
		t.Error("begins_with MatchRange wrong")
	}
}

func TestKeyConditionFromConditions(t *testing.T) {
	m := map[string]Condition{
		"a": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{str("x")}},
		"b": {ComparisonOperator: "GE", AttributeValueList: []attr.Value{num("3")}},
	}
	k, err := KeyConditionFromConditions(m, "a", "b")
	if err != nil || k.RangeOp != RangeGE || !k.MatchRange(num("3")) || k.MatchRange(num("2")) {
		t.Fatalf("got %+v, %v", k, err)
	}
	m["b"] = Condition{ComparisonOperator: "NE", AttributeValueList: []attr.Value{num("3")}}
	if _, err := KeyConditionFromConditions(m, "a", "b"); errText(err) != "Attempted conditional constraint is not an indexable operation" {
		t.Errorf("NE: %v", err)
	}
}
