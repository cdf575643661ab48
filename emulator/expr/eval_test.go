package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestEvalCondition(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a = :s", true},
		{"a = :t", false},
		{"a = :n", false}, // different types are never equal
		{"a <> :t", true},
		{"a <> :s", false},
		{"nope <> :s", true},
		{"nope = :s", false},
		{"b < :m", true},
		{"b <= :n", true},
		{"b > :n", false},
		{"b >= :n", true},
		{"a < :n", false}, // S against N: false, not an error
		{"c > b", true},
		{"b BETWEEN :n AND :m", true},
		{"c BETWEEN :zero AND :n", false},
		{"nope BETWEEN :n AND :m", false},
		{"a IN (:t, :s)", true},
		{"a IN (:t, :n)", false},
		{"nope IN (:s)", false},
		{"attribute_exists(a)", true},
		{"attribute_exists(mp.k)", true},
		{"attribute_exists(mp.zz)", false},
		{"attribute_exists(lst[2].d)", true},
		{"attribute_exists(lst[3])", false},
		{"attribute_exists(a.b)", false},
		{"attribute_exists(#dot)", true},
		{"attribute_exists(mp.#dot)", true},
		{"attribute_not_exists(nope)", true},
		{"attribute_type(a, :tS)", true},
		{"attribute_type(b, :tS)", false},
		{"attribute_type(b, :tN)", true},
		{"begins_with(nm, :pre)", true},
		{"begins_with(bin, :b)", true},
		{"begins_with(a, :pre)", false},
		{"contains(nm, :s)", false},
		{"contains(a, :s)", true},
		{"contains(ss, :s)", true},
		{"contains(ss, :t)", true},
		{"contains(ns, :n)", true},
		{"contains(ns, :s)", false},
		{"contains(lst, :s)", true},
		{"contains(lst, :n)", true},
		{"contains(lst, :t)", false},
		{"contains(bin, :b)", true},
		{"size(nm) = :m", false},
		{"size(lst) > :m", true},
		{"size(ss) = :m", true},
		{"size(mp) > :m", true},
		{"size(b) > :zero", false}, // size of a number has no value
		{"size(b) <> :zero", true},
		{"size(nope) > :zero", false},
		{"a = :s AND b = :n", true},
		{"a = :t AND b = :n", false},
		{"a = :t OR b = :n", true},
		{"NOT a = :t", true},
		{"NOT (a = :s OR b = :m)", false},
		{"mp.n = :big", false},
		{"lst[1] = :n", true},
		{"flag = :bool", true},
		{"nul = :null", true},
	}
	item := testItem()
	for _, tt := range tests {
		c, err := ParseCondition(tt.in, FilterKind, testEnv(t))
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got := EvalCondition(c, item); got != tt.want {
			t.Errorf("%q = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !EvalCondition(nil, item) {
		t.Error("nil condition must hold")
	}
}

func TestEvalNeverMutates(t *testing.T) {
	item := testItem()
	before := item.Clone()
	c, err := ParseCondition("size(lst) > :n AND contains(ss, :s)", ConditionKind, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	EvalCondition(c, item)
	for k, v := range before {
		if !attr.Equal(v, item[k]) {
			t.Errorf("attribute %s changed", k)
		}
	}
}
