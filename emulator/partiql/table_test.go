package partiql

import "testing"

func TestTableOf(t *testing.T) {
	for src, want := range map[string]string{
		`SELECT * FROM "orders"."byUser" WHERE pk = 'a'`: "orders",
		`INSERT INTO "orders" VALUE {'pk': 'a'}`:         "orders",
		`UPDATE "orders" SET n = 1 WHERE pk = 'a'`:       "orders",
		`DELETE FROM orders WHERE pk = 'a'`:              "orders",
		`EXISTS(SELECT * FROM "orders" WHERE pk = 'a')`:  "orders",
	} {
		st, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := TableOf(st); got != want {
			t.Errorf("TableOf(%s) = %q, want %q", src, got, want)
		}
	}
	if got := TableOf(nil); got != "" {
		t.Errorf("TableOf(nil) = %q", got)
	}
}
