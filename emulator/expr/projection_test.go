package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestParseProjection(t *testing.T) {
	const p = "Invalid ProjectionExpression: "
	tests := []struct{ in, want, err string }{
		{"a", "a", ""},
		{"a, b.c, lst[1], #n", "a b.c lst[1] name", ""},
		{"#dot", "x.y", ""},
		{"a,", "", p + `Syntax error; token: "<EOF>", near: ","`},
		{"a b", "", p + `Syntax error; token: "b", near: "a b"`},
		{"name", "", p + "Attribute name is a reserved keyword; reserved keyword: name"},
		{"#zz", "", p + "An expression attribute name used in the document path is not defined; attribute name: #zz"},
		{"a, a", "", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"a.b, a", "", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
		{"a[0], a.b", "", p + "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]"},
	}
	for _, tt := range tests {
		paths, err := ParseProjection(tt.in, testEnv(t))
		if errText(err) != tt.err {
			t.Errorf("%q: error %q, want %q", tt.in, errText(err), tt.err)
			continue
		}
		var got []string
		for _, p := range paths {
			got = append(got, p.String())
		}
		if joinSpace(got) != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, joinSpace(got), tt.want)
		}
	}
}

func TestProject(t *testing.T) {
	item := attr.Item{
		"a":   str("x"),
		"lst": attr.List(str("0"), str("1"), str("2"), str("3")),
		"mp":  attr.Map(map[string]attr.Value{"k": str("v"), "n": num("5"), "qq": attr.Map(map[string]attr.Value{"z": str("z")})}),
	}
	tests := []struct {
		proj string
		want attr.Item
	}{
		{"a", attr.Item{"a": str("x")}},
		{"a, nope", attr.Item{"a": str("x")}},
		{"lst[3], lst[1]", attr.Item{"lst": attr.List(str("1"), str("3"))}},
		{"lst[9]", attr.Item{}},
		{"mp.k, mp.qq.z", attr.Item{"mp": attr.Map(map[string]attr.Value{
			"k": str("v"), "qq": attr.Map(map[string]attr.Value{"z": str("z")}),
		})}},
		{"mp.k.x", attr.Item{}},
	}
	for _, tt := range tests {
		paths, err := ParseProjection(tt.proj, nil)
		if err != nil {
			t.Fatalf("%q: %v", tt.proj, err)
		}
		if got := Project(item, paths); !attrItemsEqual(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.proj, got, tt.want)
		}
	}
}
