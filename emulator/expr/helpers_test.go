package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// testNames and testValues are the placeholders every table test may use.
var testNames = map[string]string{
	"#a": "a", "#b": "b", "#n": "name", "#k": "key", "#dot": "x.y", "#c": "c",
}

func num(s string) attr.Value { return attr.Num(s) }

func str(s string) attr.Value { return attr.Str(s) }

func testValues() map[string]attr.Value {
	return map[string]attr.Value{
		":s": str("x"), ":t": str("y"), ":n": num("1"), ":m": num("2"), ":big": num("10"),
		":b": attr.Bin([]byte("ab")), ":bool": attr.Boolean(true), ":null": attr.Null(),
		":ss": {Type: attr.SS, Set: []string{"x", "z"}}, ":ns": {Type: attr.NS, Set: []string{"1", "3"}},
		":bs": {Type: attr.BS, Set: []string{"ab"}}, ":l": attr.List(str("x")), ":l2": attr.List(num("9")),
		":map": attr.Map(map[string]attr.Value{"k": str("v")}), ":tS": str("S"), ":tN": str("N"),
		":tX": str("XX"), ":pre": str("ab"), ":zero": num("0"),
	}
}

func testEnv(t testing.TB) *Env {
	t.Helper()
	env, err := NewEnv(testNames, testValues(), true, true)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// testItem is the item conditions and updates are evaluated against.
func testItem() attr.Item {
	return attr.Item{
		"a":    str("x"),
		"b":    num("1"),
		"c":    num("2"),
		"nm":   str("abc"),
		"bin":  attr.Bin([]byte("abc")),
		"flag": attr.Boolean(true),
		"nul":  attr.Null(),
		"ss":   {Type: attr.SS, Set: []string{"x", "y"}},
		"ns":   {Type: attr.NS, Set: []string{"1", "2"}},
		"lst":  attr.List(str("x"), num("1"), attr.Map(map[string]attr.Value{"d": str("deep")})),
		"mp":   attr.Map(map[string]attr.Value{"k": str("v"), "n": num("5"), "x.y": str("dotted")}),
		"x.y":  str("dotted"),
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
