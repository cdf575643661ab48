package partiql

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestParseStatements(t *testing.T) {
	tests := []struct {
		src  string
		want Statement
	}{
		{`SELECT * FROM "t"`, &Select{Table: "t"}},
		{`select a, b.c, d[2] from t;`, &Select{Table: "t", Projection: []Path{
			{{Name: "a"}}, {{Name: "b"}, {Name: "c"}}, {{Name: "d"}, {Index: 2, IsIndex: true}},
		}}},
		{`SELECT * FROM "t"."ix" WHERE pk = ? ORDER BY sk DESC`, &Select{
			Table: "t", Index: "ix", params: 1,
			Where:   &Binary{Op: "=", L: Path{{Name: "pk"}}, R: &Param{N: 0}},
			OrderBy: []OrderKey{{Name: "sk", Desc: true}},
		}},
		{`INSERT INTO "t" VALUE {'pk': 'a', 'n': ?}`, &Insert{Table: "t", params: 1, Item: &Tuple{Fields: []Field{
			{Key: &Lit{Value: attr.Str("pk"), Pos: 23}, Value: &Lit{Value: attr.Str("a"), Pos: 29}},
			{Key: &Lit{Value: attr.Str("n"), Pos: 34}, Value: &Param{N: 0}},
		}}}},
		{`UPDATE t SET a = 1 REMOVE c SET b = b + 1 WHERE pk = 'x' RETURNING ALL NEW *`, &Update{
			Table: "t",
			Actions: []Action{
				{Path: Path{{Name: "a"}}, Value: &Lit{Value: attr.Value{Type: attr.N, S: "1"}, Pos: 17}},
				{Remove: true, Path: Path{{Name: "c"}}},
				{Path: Path{{Name: "b"}}, Value: &Binary{Op: "+", L: Path{{Name: "b"}},
					R: &Lit{Value: attr.Value{Type: attr.N, S: "1"}, Pos: 40}}},
			},
			Where:     &Binary{Op: "=", L: Path{{Name: "pk"}}, R: &Lit{Value: attr.Str("x"), Pos: 53}},
			Returning: ReturnAllNew,
		}},
		{`DELETE FROM "t" WHERE "pk" = 'a' RETURNING ALL OLD *`, &Delete{
			Table: "t", Returning: ReturnAllOld,
			Where: &Binary{Op: "=", L: Path{{Name: "pk"}}, R: &Lit{Value: attr.Str("a"), Pos: 29}},
		}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.src, got, tt.want)
		}
	}
}

func TestParseConditions(t *testing.T) {
	tests := []string{
		`SELECT * FROM t WHERE a = 1 AND b <> 'x' OR NOT c < 2`,
		`SELECT * FROM t WHERE a BETWEEN 1 AND 5 AND b NOT IN [1, 2] AND c IN ('a', 'b')`,
		`SELECT * FROM t WHERE a IS MISSING AND b IS NOT NULL AND c IS STRING`,
		`SELECT * FROM t WHERE begins_with(a, 'x') AND contains(b, ?) AND size(c) > 3`,
		`SELECT * FROM t WHERE attribute_exists(a) AND attribute_not_exists("b"."c")`,
		`SELECT * FROM t WHERE a.b[1]['c'] >= -1.5e3 -- comment`,
		`SELECT * FROM t /* comment */ WHERE ((a = 1))`,
		`EXISTS(SELECT * FROM t WHERE pk = 'a' AND a IS MISSING)`,
		`UPDATE t SET s = set_add(s, <<'a', 'b'>>), l = list_append(l, [1, {'k': null}]) WHERE pk = 1`,
		// A keyword in double quotes names an attribute.
		`SELECT "user", "date" FROM t WHERE "key" = 1 AND a."count" > 2`,
		`UPDATE t SET "date" = 1 REMOVE "size" WHERE pk = 1`,
	}
	for _, src := range tests {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const wf = PrefixSyntax
	tests := []struct{ src, msg string }{
		{``, wf + detailTerm},
		{`SLECT * FROM t`, wf + detailDML},
		{`SELECT * FROM t WHERE pk = 1 foo`, wf + detailLeftover},
		{`SELECT * FROM t WHERE pk = 1 e5`, wf + detailLeftover},
		{`SELECT * FROM t WHERE pk = 1)`, wf + detailLeftover},
		{`DELETE FROM t WHERE pk = 3 ORDER BY pk`, wf + detailLeftover},
		{`SELECT * FROM t ORDER BY pk WHERE pk = 1`, wf + detailLeftover},
		{`SELECT * FROM t WHERE pk = 1e2147483648`, wf},
		{`SELECT * FROM t WHERE pk = 1.5e-2147483647`, wf},
		{`SELECT * FROM t WHERE pk = 1 # note`, wf},
		{`SELECT * FROM t WHERE pk = 1 /* note`, wf},
		{`SELECT * FROM t WHERE pk = 'abc`, wf},
		{`SELECT * FROM "t" x WHERE pk = 'x'`, MsgAliasing},
		{`SELECT * FROM "t" AS x WHERE pk = 'x'`, MsgAliasing},
		{`UPDATE "t" x SET a = 3 WHERE pk = 'x'`, MsgAliasing},
		{`DELETE FROM "t" x WHERE pk = 'x'`, MsgAliasing},
		{`INSERT INTO "t" x VALUE {'pk': 'x'}`, wf + detailLeftover},
		{`SELECT * FROM t WHERE`, wf + detailTerm},
		{`SELECT * FROM t WHERE;`, wf + detailTerm},
		{`UPDATE t SET a = 1 WHERE`, wf + detailTerm},
		{`SELECT * FROM t WHERE NOT`, wf + detailTerm},
		{`SELECT * FROM t WHERE (`, wf + detailTerm},
		{`SELECT * FROM t WHERE pk = 'p1' AND`, wf + detailMissingRHS},
		{`SELECT * FROM t WHERE pk = 'p1' OR`, wf + detailMissingRHS},
		{`SELECT * FROM t WHERE ORDER BY pk`, wf + detailKeyword},
		// Every PartiQL keyword is reserved: a bare one names no attribute.
		{`SELECT user FROM t`, wf + detailKeyword},
		{`SELECT * FROM t WHERE pk = 'a' AND key = 1`, wf + detailKeyword},
		{`SELECT * FROM t WHERE Date > 3`, wf + detailKeyword},
		{`UPDATE t SET date = 1 WHERE pk = 'a'`, wf + detailKeyword},
		{`UPDATE t REMOVE count WHERE pk = 'a'`, wf + detailKeyword},
		{`SELECT * FROM t WHERE size = 1`, wf + detailKeyword},
		{`SELECT * FROM t WHERE pk = 'a' AND x IS FOO`, wf + detailTypeName},
		{`SELECT * FROM t WHERE IS NULL`, wf + detailOperator},
		{`SELECT * FROM t WHERE pk = LIKE`, wf + detailOperator},
		{`DELETE FROM`, wf + detailIdentifier},
		{`DELETE FROM;`, wf + detailIdentifier},
		{`DELETE FROM WHERE pk = 'a'`, wf + detailIdentifier},
		{`SELECT * FROM`, wf + detailTerm},
		{`INSERT INTO t VALUES ('a')`, MsgInsertMultiple},
		{`INSERT INTO t VALUE 'a'`, MsgItemSyntax},
		{`INSERT INTO t VALUE {'pk': 'a'} RETURNING ALL OLD *`, MsgInsertReturning},
		{`SELECT *, a FROM t`, MsgStarAndOthers},
		{`SELECT VALUE a FROM t`, MsgSelectValue},
		{`UPDATE t SET a = 1 WHERE pk = 'a' RETURNING ALL`, MsgReturningSyntax},
		{`DELETE FROM t WHERE pk = 'a' RETURNING ALL NEW *`,
			"Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."},
		{`SELECT * FROM t WHERE a IS INT`, "Unsupported data type for IS operator: INT. Supported data types are " +
			"[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"},
		{`SELECT * FROM "a"."b"."c"`, MsgFromPath},
		{`SELECT [0] FROM t`, MsgPathListStart},
		{`SELECT * FROM t WHERE ` + strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200), wf + detailTerm},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Parse(%q) error = %v, want %q", tt.src, err, tt.msg)
		}
	}
}

func TestParamsCounted(t *testing.T) {
	st, err := Parse(`UPDATE t SET a = ?, b = [?, ?] WHERE pk = ? AND c IN [?]`)
	if err != nil {
		t.Fatal(err)
	}
	if st.Params() != 5 {
		t.Errorf("Params() = %d, want 5", st.Params())
	}
}
