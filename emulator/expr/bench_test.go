package expr

import "testing"

func BenchmarkConditionParseEval(b *testing.B) {
	item := testItem()
	for b.Loop() {
		c, err := ParseCondition("attribute_exists(a) AND (b BETWEEN :n AND :m OR contains(ss, :s)) AND size(lst) > :n",
			ConditionKind, testEnv(b))
		if err != nil {
			b.Fatal(err)
		}
		EvalCondition(c, item)
	}
}

func BenchmarkUpdateParseApply(b *testing.B) {
	item := testItem()
	for b.Loop() {
		u, err := ParseUpdate("SET a = :s, c = if_not_exists(c, :zero) + :n, mp.k = :t REMOVE lst[0] ADD ss :ss",
			testEnv(b))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := u.Apply(item); err != nil {
			b.Fatal(err)
		}
	}
}
