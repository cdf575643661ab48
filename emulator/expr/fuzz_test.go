package expr

import (
	"testing"
)

// Seeds for the fuzz targets: a sample of every table's inputs.
var (
	condSeeds = []string{
		"a = :s", "#a <> :s", "a < :s AND b >= :n", "(a = :s OR b = :n) AND c = :m",
		"NOT (a = :s AND b = :n)", "not not a = :s", "b BETWEEN :n AND :m", "a IN (:s, :t)",
		"attribute_exists(mp.k)", "size(lst[2].d) > :n", "begins_with(nm, :pre)", "contains(ss, :s)",
		"attribute_type(a, :tS)", "(a) = (:s)", "((a = :s))", "foo(a)", "size(a)", "a = a",
		"a BETWEEN :m AND :n", "a.1 = :s", "_a = :s", "a = :s !", "a = (b = :s)", "a IN ()",
		"a = :s AND (b = :n OR NOT c = :m)", "lst [ 0 ] = :s", "a = :zz", "#zz = :s",
	}
	updateSeeds = []string{
		"SET a = :s", "SET a = b + :n", "SET a = (b - :n)", "SET a = if_not_exists(a, :zero) + :n",
		"SET lst = list_append(if_not_exists(lst, :l), :l2)", "REMOVE a, mp.k, lst[1]",
		"ADD b :n, ss :ss", "DELETE ss :ss", "SET a = :s REMOVE b ADD c :n DELETE ss :ss",
		"SET a = :s SET b = :n", "SET a = :s, a = :t", "SET _123 = :n", "SET a = :s + :n + :m",
		"SET lst[9] = :s", "REMOVE lst[0], lst[1]", "SET a = list_append((a), b)",
	}
	projSeeds = []string{"a", "a, b.c, lst[1], #n", "#dot", "a,", "a b", "name", "a.b, a", "a[0], a.b"}
	keySeeds  = []string{
		"a = :s", "a = :s AND b > :n", ":n < b AND a = :s", "a = :s AND b BETWEEN :n AND :m",
		"a = :s AND begins_with(b, :t)", "a = :s OR b = :n", "a = :s AND size(b) > :n", "a = b",
	}
)

func FuzzParseCondition(f *testing.F) {
	for _, s := range condSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s, FilterKind, testEnv(t))
		if err != nil {
			return
		}
		EvalCondition(c, testItem())
		c2, err := ParseCondition(c.String(), FilterKind, testEnv(t))
		if err != nil {
			t.Fatalf("%q printed %q, which fails: %v", s, c.String(), err)
		}
		if c2.String() != c.String() {
			t.Fatalf("%q printed %q, then %q", s, c.String(), c2.String())
		}
	})
}

func FuzzParseUpdate(f *testing.F) {
	for _, s := range updateSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUpdate(s, testEnv(t))
		if err != nil {
			return
		}
		_, _ = u.Apply(testItem())
		u2, err := ParseUpdate(u.String(), testEnv(t))
		if err != nil {
			t.Fatalf("%q printed %q, which fails: %v", s, u.String(), err)
		}
		if u2.String() != u.String() {
			t.Fatalf("%q printed %q, then %q", s, u.String(), u2.String())
		}
	})
}

func FuzzParseProjection(f *testing.F) {
	for _, s := range projSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		paths, err := ParseProjection(s, testEnv(t))
		if err != nil {
			return
		}
		Project(testItem(), paths)
	})
}

func FuzzParseKeyCondition(f *testing.F) {
	for _, s := range keySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeyCondition(s, testEnv(t), "a", "b")
		if err != nil {
			return
		}
		k.MatchRange(num("1"))
		k2, err := ParseKeyCondition(k.String(), testEnv(t), "a", "b")
		if err != nil || k2.String() != k.String() {
			t.Fatalf("%q printed %q, which gives %v", s, k.String(), err)
		}
	})
}

// FuzzParseMultiKeyCondition parses key conditions for a multi-attribute
// key (HASH a, b; RANGE c, d, e): an accepted condition binds every
// partition-key attribute and a gap-free prefix of the sort key, and
// prints back to the same condition.
func FuzzParseMultiKeyCondition(f *testing.F) {
	for _, s := range append(keySeeds, "a = :s AND b = :n", "b = :n AND a = :s AND c = :s AND d > :n",
		"a = :s AND b = :n AND d = :n", "a = :s AND b = :n AND c = :s AND d = :n AND begins_with(e, :t)") {
		f.Add(s)
	}
	hash, rng := []string{"a", "b"}, []string{"c", "d", "e"}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseMultiKeyCondition(s, testEnv(t), hash, rng)
		if err != nil {
			return
		}
		if len(k.HashMore) != 1 || len(k.Leading) > 2 || (k.RangeOp == RangeNone) != (k.RangeKey == "") {
			t.Fatalf("%q bound to %+v", s, k)
		}
		if k.RangeKey != "" && k.RangeKey != rng[len(k.Leading)] {
			t.Fatalf("%q: range on %s after %d leading attributes", s, k.RangeKey, len(k.Leading))
		}
		k2, err := ParseMultiKeyCondition(k.String(), testEnv(t), hash, rng)
		if err != nil || k2.String() != k.String() {
			t.Fatalf("%q printed %q, which gives %v", s, k.String(), err)
		}
	})
}
