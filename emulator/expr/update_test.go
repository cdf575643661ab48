package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestParseUpdatePrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SET a = :s", "SET a = :s"},
		{"set a=:s,b=:n", "SET a = :s, b = :n"},
		{"SET a = b + :n", "SET a = b + :n"},
		{"SET a = (b - :n)", "SET a = b - :n"},
		{"SET a = if_not_exists(a, :zero) + :n", "SET a = if_not_exists(a, :zero) + :n"},
		{"SET lst = list_append(lst, :l)", "SET lst = list_append(lst, :l)"},
		{"SET lst = list_append(if_not_exists(lst, :l), :l2)", "SET lst = list_append(if_not_exists(lst, :l), :l2)"},
		{"REMOVE a, mp.k, lst[1]", "REMOVE a, mp.k, lst[1]"},
		{"ADD b :n, ss :ss", "ADD b :n, ss :ss"},
		{"DELETE ss :ss", "DELETE ss :ss"},
		{"SET a = :s REMOVE b ADD c :n DELETE ss :ss", "SET a = :s REMOVE b ADD c :n DELETE ss :ss"},
		{"remove b set a = :s", "REMOVE b SET a = :s"},
		{"SET #n = :s", "SET #n = :s"},
	}
	for _, tt := range tests {
		env := testEnv(t)
		u, err := ParseUpdate(tt.in, env)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("%q printed %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseUpdateErrors(t *testing.T) {
	const p = "Invalid UpdateExpression: "
	tests := []struct{ in, want string }{
		{"", p + "The expression can not be empty;"},
		{"a = :s", p + `Syntax error; token: "a", near: "a ="`},
		{"SET _123 = :n", p + `Syntax error; token: "_", near: "SET _123"`},
		{"SET a :s", p + `Syntax error; token: ":s", near: "a :s"`},
		{"SET a = :s +", p + `Syntax error; token: "<EOF>", near: "+"`},
		{"SET a = :s + :n + :m", p + `Syntax error; token: "+", near: ":n + :m"`},
		{"REMOVE a = :s", p + `Syntax error; token: "=", near: "a = :s"`},
		{"ADD a", p + `Syntax error; token: "<EOF>", near: "a"`},
		{"SET a = :s SET b = :n", p + `The "SET" section can only be used once in an update expression;`},
		{"REMOVE a REMOVE b", p + `The "REMOVE" section can only be used once in an update expression;`},
		{"SET a = foo(b)", p + "Invalid function name; function: foo"},
		{"SET a = size(b)", p + "Invalid function name; function: size"},
		{"SET size = :s", p + "Attribute name is a reserved keyword; reserved keyword: size"},
		{"SET #zz = :zz", p + "An expression attribute name used in the document path is not defined; attribute name: #zz"},
		{"SET a = :zz", p + "An expression attribute value used in expression is not defined; attribute value: :zz"},
		{"SET a = :s, a = :t", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET mp = :s REMOVE mp.k", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [mp], path two: [mp, k]"},
		{"SET #a = :s REMOVE a", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET lst[1] = :s REMOVE lst.x", p + "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [lst, [1]], path two: [lst, x]"},
		{"ADD a :s", p + "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
		{"ADD a :l", p + "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"},
		{"DELETE a :n", p + "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
		{"SET a = :s + :n", p + "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"SET a = list_append(a, :s)", p + "Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"SET a = and", p + "Attribute name is a reserved keyword; reserved keyword: and"},
		{"SET a = if_not_exists(:s, a)", p + "Operator or function requires a document path; operator or function: if_not_exists"},
		{"SET a = list_append(a)", p + "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
		// Priority: reserved before undefined names before overlap.
		{"SET a = :zz, a = :s, size = :s", p + "Attribute name is a reserved keyword; reserved keyword: size"},
		{"SET a = :zz, #zz = :s", p + "An expression attribute name used in the document path is not defined; attribute name: #zz"},
	}
	for _, tt := range tests {
		_, err := ParseUpdate(tt.in, testEnv(t))
		if got := errText(err); got != tt.want {
			t.Errorf("%q:\n got  %q\n want %q", tt.in, got, tt.want)
		}
	}
}

func TestUpdateApply(t *testing.T) {
	tests := []struct {
		in    string
		check string // condition that must hold on the result
	}{
		{"SET a = :t", "a = :t"},
		{"SET z = :s", "z = :s"},
		{"SET b = b + :n", "b = :m"},
		{"SET b = :big - b", "b BETWEEN :m AND :big AND NOT b = :big"},
		{"SET z = if_not_exists(z, :zero) + :n", "z = :n"},
		{"SET b = if_not_exists(b, :zero) + :n", "b = :m"},
		{"SET lst = list_append(lst, :l)", "size(lst) > :m AND lst[3] = :s AND NOT size(lst) > :big"},
		{"SET lst[1] = :s", "lst[1] = :s AND size(lst) > :m"},
		{"SET lst[9] = :s", "lst[3] = :s"},
		{"SET lst[9] = :s, lst[5] = :t", "lst[3] = :t AND lst[4] = :s"},
		{"SET mp.k = :t, mp.z = :s", "mp.k = :t AND mp.z = :s AND attribute_exists(mp.n)"},
		{"SET lst[2].d = :s", "lst[2].d = :s"},
		{"SET c = b, b = c", "c = :n AND b = :m"},
		{"REMOVE a", "attribute_not_exists(a)"},
		{"REMOVE nope", "attribute_exists(a)"},
		{"REMOVE lst[0]", "lst[0] = :n AND size(lst) = :m"},
		{"REMOVE lst[0], lst[1]", "size(lst) = :n AND attribute_exists(lst[0].d)"},
		{"REMOVE lst[7]", "size(lst) > :m"},
		{"REMOVE mp.k", "attribute_not_exists(mp.k) AND attribute_exists(mp.n)"},
		{"ADD b :n", "b = :m"},
		{"ADD z :n", "z = :n"},
		{"ADD ss :ss", "contains(ss, :s) AND contains(ss, :t) AND size(ss) = :m" + " OR size(ss) > :m"},
		{"ADD zs :ss", "zs = :ss"},
		{"DELETE ss :ss", "ss = :ssY"},
		{"DELETE ns :ns", "ns = :nsY"},
		{"DELETE zs :ss", "attribute_not_exists(zs)"},
	}
	vals := testValues()
	vals[":ssY"] = attr.Value{Type: attr.SS, Set: []string{"y"}}
	vals[":nsY"] = attr.Value{Type: attr.NS, Set: []string{"2"}}
	item := testItem()
	for _, tt := range tests {
		env, _ := NewEnv(testNames, vals, true, true)
		u, err := ParseUpdate(tt.in, env)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		out, err := u.Apply(item)
		if err != nil {
			t.Errorf("%q: apply: %v", tt.in, err)
			continue
		}
		c, err := ParseCondition(tt.check, ConditionKind, env)
		if err != nil {
			t.Fatalf("check %q: %v", tt.check, err)
		}
		if !EvalCondition(c, out) {
			t.Errorf("%q: result fails %q: %v", tt.in, tt.check, out)
		}
	}
	if !attrItemsEqual(item, testItem()) {
		t.Error("Apply modified its input")
	}
}

func TestUpdateApplyDeleteLastMember(t *testing.T) {
	env := testEnv(t)
	u, err := ParseUpdate("DELETE ss :ss", env)
	if err != nil {
		t.Fatal(err)
	}
	out, err := u.Apply(attr.Item{"ss": {Type: attr.SS, Set: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["ss"]; ok {
		t.Errorf("empty set kept: %v", out)
	}
}

func TestUpdateApplyErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SET z = nope", "The provided expression refers to an attribute that does not exist in the item"},
		{"SET z = nope + :n", "The provided expression refers to an attribute that does not exist in the item"},
		{"SET z = a + :n", "An operand in the update expression has an incorrect data type"},
		{"SET z = list_append(a, :l)", "An operand in the update expression has an incorrect data type"},
		{"SET nope.x = :s", "The document path provided in the update expression is invalid for update"},
		{"SET a.x = :s", "The document path provided in the update expression is invalid for update"},
		{"SET mp[0] = :s", "The document path provided in the update expression is invalid for update"},
		{"REMOVE nope.x", "The document path provided in the update expression is invalid for update"},
		{"ADD a :n", "An operand in the update expression has an incorrect data type"},
		{"ADD ns :ss", "An operand in the update expression has an incorrect data type"},
		{"DELETE a :ss", "An operand in the update expression has an incorrect data type"},
		{"SET a = :t ADD nm :n", "An operand in the update expression has an incorrect data type"},
	}
	item := testItem()
	for _, tt := range tests {
		u, err := ParseUpdate(tt.in, testEnv(t))
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		out, err := u.Apply(item)
		if got := errText(err); got != tt.want || out != nil {
			t.Errorf("%q: got %q (item %v), want %q", tt.in, got, out, tt.want)
		}
	}
	if !attrItemsEqual(item, testItem()) {
		t.Error("failed Apply modified its input")
	}
}

func TestUpdateNumberRange(t *testing.T) {
	vals := map[string]attr.Value{":big": num("99999999999999999999999999999999999999")}
	env, _ := NewEnv(nil, vals, false, true)
	u, err := ParseUpdate("SET n = :big + :big", env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Apply(nil); err == nil {
		t.Error("39-digit sum accepted")
	}
}

func TestUpdatePathsAndKeys(t *testing.T) {
	u, err := ParseUpdate("SET #k = :s, mp.k = :t REMOVE lst[0]", testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range u.Paths() {
		got = append(got, p.String())
	}
	if want := "key mp.k lst[0]"; joinSpace(got) != want {
		t.Errorf("Paths = %q, want %q", joinSpace(got), want)
	}
	if !u.TouchesAttr("key") || !u.TouchesAttr("mp") || u.TouchesAttr("k") {
		t.Error("TouchesAttr wrong")
	}
	if n := u.NestedAttrs(); len(n) != 2 || n[0] != "mp" || n[1] != "lst" {
		t.Errorf("NestedAttrs = %v", n)
	}
	if u.SetType("key") != attr.S || u.SetType("mp") != attr.Invalid {
		t.Error("SetType wrong")
	}
}

func joinSpace(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func attrItemsEqual(a, b attr.Item) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !attr.Equal(v, w) {
			return false
		}
	}
	return true
}
