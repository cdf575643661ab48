package engine

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// FuzzExecuteStatement runs arbitrary statements against a small table:
// no statement may panic or come back as an internal error.
func FuzzExecuteStatement(f *testing.F) {
	for _, s := range []string{
		`SELECT * FROM "rrr" WHERE pk = 'p' AND sk BETWEEN 1 AND 3 ORDER BY sk DESC`,
		`SELECT a.b[0], c FROM "rrr"."gsi" WHERE g = 'x' OR NOT (n IN [1, 2] AND begins_with(t, 'z'))`,
		`INSERT INTO "rrr" VALUE {'pk': 'q', 'sk': 2, 'l': [1, <<'x'>>, {'m': null}]}`,
		`UPDATE "rrr" SET n = n + 1, s = set_add(s, <<1>>) REMOVE c WHERE pk = 'p' AND sk = 1 RETURNING ALL NEW *`,
		`DELETE FROM "rrr" WHERE pk = 'p' AND sk = 1 AND a IS NOT MISSING RETURNING ALL OLD *`,
		`SELECT * FROM "hhh" WHERE size(a) > 2 AND attribute_type(a, 'S') AND contains(a, 'x')`,
	} {
		f.Add(s)
	}
	e := newPartiQLEngine(f)
	mustPut(f, e, "rrr", attr.Item{"pk": itemS("p"), "sk": itemN("1"), "n": itemN("1"), "s": itemNS("1")})
	f.Fuzz(func(t *testing.T, stmt string) {
		_, err := pqErr(e, stmt)
		if err != nil && AsError(err).Code == InternalServerError {
			t.Fatalf("ExecuteStatement(%q): %v", stmt, err)
		}
	})
}
