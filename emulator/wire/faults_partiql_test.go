package wire

import (
	"net/http"
	"strings"
	"testing"
)

func TestRequestTablesPartiQL(t *testing.T) {
	cases := []struct {
		body, table, tables string
	}{
		{`{"Statement":"SELECT * FROM \"t\" WHERE pk = 'a'"}`, "t", ""},
		{`{"Statement":"SELECT * FROM \"t\".\"gsi\""}`, "t", ""},
		{`{"Statement":"INSERT INTO \"t\" VALUE {'pk': ?}","Parameters":[{"S":"a"}]}`, "t", ""},
		{`{"Statement":"UPDATE \"t\" SET v = 1 WHERE pk = 'a'"}`, "t", ""},
		{`{"Statement":"DELETE FROM t WHERE pk = 'a'"}`, "t", ""},
		{`{"Statement":"SELEC nonsense"}`, "", ""},
		{`{"Statements":[{"Statement":"SELECT * FROM \"u\" WHERE pk = 'a'"},{"Statement":"DELETE FROM \"t\" WHERE pk = 'a'"}]}`, "", "t,u"},
		{`{"Statements":[{"Statement":"SELECT * FROM \"t\" WHERE pk = 'a'"},{"Statement":"bad"}]}`, "t", "t"},
		{`{"TransactStatements":[{"Statement":"EXISTS(SELECT * FROM \"c\" WHERE pk = 'a')"},` +
			`{"Statement":"INSERT INTO \"p\" VALUE {'pk': 'a'}"}]}`, "", "c,p"},
		{`{"Statement":5}`, "", ""},
	}
	for _, c := range cases {
		got := requestTables([]byte(c.body))
		if got.table != c.table || strings.Join(got.tables, ",") != c.tables {
			t.Errorf("requestTables(%s) = %q %q, want %q %q", c.body, got.table, got.tables, c.table, c.tables)
		}
	}
}

// An api rule matching a table applies to the PartiQL operations on that
// table, and only to them.
func TestFaultTableRuleMatchesPartiQL(t *testing.T) {
	h, in := newFaultHandler(t)
	fcall(t, h, "CreateTable", `{"TableName":"other","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	addRule(t, in, `{"id":"pq","target":"api","match":{"table":"tbl","operation":["ExecuteStatement","BatchExecuteStatement","ExecuteTransaction"]},`+
		`"action":{"type":"error","code":"ThrottlingException"}}`)
	const throttled = "#ThrottlingException"

	fcall(t, h, "ExecuteStatement", `{"Statement":"SELECT * FROM \"other\" WHERE pk = 'a'"}`)
	fcall(t, h, "BatchExecuteStatement", `{"Statements":[{"Statement":"SELECT * FROM \"other\" WHERE pk = 'a'"}]}`)
	fcall(t, h, "ExecuteTransaction", `{"TransactStatements":[{"Statement":"INSERT INTO \"other\" VALUE {'pk': 'a'}"}]}`)
	if e := journal(in, "pq"); len(e) != 0 {
		t.Fatalf("the rule on tbl fired for statements on other: %+v", e)
	}

	for _, c := range []struct{ op, body string }{
		{"ExecuteStatement", `{"Statement":"SELECT * FROM \"tbl\" WHERE pk = 'a'"}`},
		{"BatchExecuteStatement", `{"Statements":[{"Statement":"SELECT * FROM \"other\" WHERE pk = 'a'"},` +
			`{"Statement":"UPDATE \"tbl\" SET v = 1 WHERE pk = 'a'"}]}`},
		{"ExecuteTransaction", `{"TransactStatements":[{"Statement":"INSERT INTO \"tbl\" VALUE {'pk': 'b'}"}]}`},
	} {
		w := serve(t, h, opRequest(c.op, c.body))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), throttled) {
			t.Errorf("%s on tbl = %d %s, want the injected ThrottlingException", c.op, w.Code, w.Body)
		}
	}
	e := journal(in, "pq")
	if len(e) != 3 || e[0].Operation != "ExecuteStatement" || e[0].Table != "tbl" {
		t.Errorf("journal %+v", e)
	}
}
