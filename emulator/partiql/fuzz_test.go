package partiql

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// FuzzParse checks that no statement makes Parse or Value panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`SELECT * FROM "t" WHERE pk = ? AND sk BETWEEN 1 AND 2 ORDER BY sk DESC`,
		`INSERT INTO t VALUE {'pk': 'a', 'l': [1, <<'x'>>, {'m': null}]}`,
		`UPDATE t SET a = a + 1, b = set_add(b, <<1>>) REMOVE c WHERE pk = 'x' RETURNING MODIFIED NEW *`,
		`DELETE FROM t WHERE pk = 1 AND a IS NOT MISSING`,
		`EXISTS(SELECT * FROM t WHERE pk = 'a')`,
		`SELECT a.b[0]['c'] FROM t."i" WHERE NOT (x IN [1, 2] OR begins_with(y, 'z'))`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		st, err := Parse(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) returned %T", src, err)
			}
			return
		}
		params := make([]attr.Value, st.Params())
		for i := range params {
			params[i] = attr.Str("p")
		}
		if ins, ok := st.(*Insert); ok {
			_, _ = Value(ins.Item, params)
		}
	})
}
