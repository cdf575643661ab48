package expr

import (
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func ptr[T any](v T) *T { return &v }

func TestFromExpected(t *testing.T) {
	const p = "One or more parameter values were invalid: "
	item := testItem()
	tests := []struct {
		name string
		m    map[string]ExpectedAttributeValue
		op   *string
		want bool
		err  string
	}{
		{"value", map[string]ExpectedAttributeValue{"a": {Value: ptr(str("x"))}}, nil, true, ""},
		{"exists true", map[string]ExpectedAttributeValue{"a": {Exists: ptr(true), Value: ptr(str("y"))}}, nil, false, ""},
		{"exists false", map[string]ExpectedAttributeValue{"zz": {Exists: ptr(false)}}, nil, true, ""},
		{"and", map[string]ExpectedAttributeValue{
			"a": {Value: ptr(str("x"))}, "b": {Value: ptr(num("9"))}}, nil, false, ""},
		{"or", map[string]ExpectedAttributeValue{
			"a": {Value: ptr(str("x"))}, "b": {Value: ptr(num("9"))}}, ptr("OR"), true, ""},
		{"operator", map[string]ExpectedAttributeValue{
			"b": {ComparisonOperator: ptr("BETWEEN"), AttributeValueList: []attr.Value{num("0"), num("1")}}}, nil, true, ""},
		{"NE missing", map[string]ExpectedAttributeValue{
			"zz": {ComparisonOperator: ptr("NE"), AttributeValueList: []attr.Value{num("0")}}}, nil, true, ""},
		{"NOT_CONTAINS", map[string]ExpectedAttributeValue{
			"ss": {ComparisonOperator: ptr("NOT_CONTAINS"), Value: ptr(str("x"))}}, nil, false, ""},
		{"IN", map[string]ExpectedAttributeValue{
			"a": {ComparisonOperator: ptr("IN"), AttributeValueList: []attr.Value{str("q"), str("x")}}}, nil, true, ""},
		{"no value", map[string]ExpectedAttributeValue{"a": {}}, nil, false,
			p + "Value must be provided when Exists is null for Attribute: a"},
		{"exists true no value", map[string]ExpectedAttributeValue{"a": {Exists: ptr(true)}}, nil, false,
			p + "Value must be provided when Exists is true for Attribute: a"},
		{"exists false value", map[string]ExpectedAttributeValue{"a": {Exists: ptr(false), Value: ptr(str("x"))}}, nil, false,
			p + "Value cannot be used when Exists is false for Attribute: a"},
		{"exists and op", map[string]ExpectedAttributeValue{"a": {Exists: ptr(true), ComparisonOperator: ptr("EQ")}}, nil, false,
			p + "Exists and ComparisonOperator cannot be used together for Attribute: a"},
		{"between count", map[string]ExpectedAttributeValue{
			"a": {ComparisonOperator: ptr("BETWEEN"), AttributeValueList: []attr.Value{num("1")}}}, nil, false,
			p + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
		{"mixed types", map[string]ExpectedAttributeValue{
			"a": {ComparisonOperator: ptr("IN"), AttributeValueList: []attr.Value{num("1"), str("x")}}}, nil, false,
			p + "AttributeValues inside AttributeValueList must be of same type"},
		{"list without op", map[string]ExpectedAttributeValue{
			"a": {AttributeValueList: []attr.Value{num("1")}}}, nil, false,
			p + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
		{"op without values", map[string]ExpectedAttributeValue{"a": {ComparisonOperator: ptr("EQ")}}, nil, false,
			p + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"},
		{"bad bounds", map[string]ExpectedAttributeValue{
			"a": {ComparisonOperator: ptr("BETWEEN"), AttributeValueList: []attr.Value{num("2"), num("1")}}}, nil, false,
			"The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"},
	}
	for _, tt := range tests {
		c, err := FromExpected(tt.m, tt.op)
		if errText(err) != tt.err {
			t.Errorf("%s: error %q, want %q", tt.name, errText(err), tt.err)
			continue
		}
		if err == nil && EvalCondition(c, item) != tt.want {
			t.Errorf("%s: %s = %v", tt.name, c, !tt.want)
		}
	}
}

func TestFromConditions(t *testing.T) {
	m := map[string]Condition{
		"nm": {ComparisonOperator: "BEGINS_WITH", AttributeValueList: []attr.Value{str("ab")}},
		"b":  {ComparisonOperator: "GT", AttributeValueList: []attr.Value{num("0")}},
	}
	c, err := FromConditions(m, nil, FilterKind)
	if err != nil || !EvalCondition(c, testItem()) {
		t.Fatalf("%v %v", c, err)
	}
	m["b"] = Condition{ComparisonOperator: "GT", AttributeValueList: []attr.Value{attr.Boolean(true)}}
	_, err = FromConditions(m, nil, FilterKind)
	if want := "One or more parameter values were invalid: ComparisonOperator GT is not valid for BOOL AttributeValue type"; errText(err) != want {
		t.Errorf("got %q", errText(err))
	}
	m["b"] = Condition{ComparisonOperator: "NULL", AttributeValueList: []attr.Value{num("1")}}
	_, err = FromConditions(m, nil, FilterKind)
	if want := "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator"; errText(err) != want {
		t.Errorf("got %q", errText(err))
	}
}

func TestFromAttributeUpdates(t *testing.T) {
	const p = "One or more parameter values were invalid: "
	tests := []struct {
		name  string
		m     map[string]AttributeValueUpdate
		check string
		err   string
	}{
		{"put", map[string]AttributeValueUpdate{"a": {Value: ptr(str("y"))}}, "a = :t", ""},
		{"put explicit", map[string]AttributeValueUpdate{"z": {Value: ptr(str("x")), Action: ptr("PUT")}}, "z = :s", ""},
		{"add number", map[string]AttributeValueUpdate{"b": {Value: ptr(num("1")), Action: ptr("ADD")}}, "b = :m", ""},
		{"add new number", map[string]AttributeValueUpdate{"z": {Value: ptr(num("1")), Action: ptr("ADD")}}, "z = :n", ""},
		{"add list appends", map[string]AttributeValueUpdate{"lst": {Value: ptr(attr.List(str("q"))), Action: ptr("ADD")}},
			"size(lst) > :m AND lst[3] = :q", ""},
		{"delete attr", map[string]AttributeValueUpdate{"a": {Action: ptr("DELETE")}}, "attribute_not_exists(a)", ""},
		{"delete members", map[string]AttributeValueUpdate{"ss": {Value: ptr(attr.Value{Type: attr.SS, Set: []string{"x"}}),
			Action: ptr("DELETE")}}, "size(ss) = :n", ""},
		{"no value", map[string]AttributeValueUpdate{"a": {Action: ptr("PUT")}}, "",
			p + "Only DELETE action is allowed when no attribute value is specified"},
		{"delete scalar", map[string]AttributeValueUpdate{"a": {Value: ptr(str("x")), Action: ptr("DELETE")}}, "",
			p + "DELETE action with value is not supported for the type S"},
		{"add string", map[string]AttributeValueUpdate{"a": {Value: ptr(str("x")), Action: ptr("ADD")}}, "",
			p + "ADD action is not supported for the type S"},
		{"add mismatch", map[string]AttributeValueUpdate{"a": {Value: ptr(num("1")), Action: ptr("ADD")}}, "",
			"Type mismatch for attribute to update"},
	}
	vals := testValues()
	vals[":q"] = str("q")
	for _, tt := range tests {
		u, err := FromAttributeUpdates(tt.m)
		var out attr.Item
		if err == nil {
			out, err = u.Apply(testItem())
		}
		if errText(err) != tt.err {
			t.Errorf("%s: error %q, want %q", tt.name, errText(err), tt.err)
			continue
		}
		if err != nil {
			continue
		}
		env, _ := NewEnv(nil, vals, false, true)
		c, err := ParseCondition(tt.check, ConditionKind, env)
		if err != nil {
			t.Fatal(err)
		}
		if !EvalCondition(c, out) {
			t.Errorf("%s: result fails %q: %v", tt.name, tt.check, out)
		}
	}
}

func TestEnv(t *testing.T) {
	tests := []struct {
		names                 map[string]string
		values                map[string]attr.Value
		namesGiven, valsGiven bool
		want                  string
	}{
		{nil, nil, false, false, ""},
		{map[string]string{}, nil, true, false, "ExpressionAttributeNames must not be empty"},
		{nil, map[string]attr.Value{}, false, true, "ExpressionAttributeValues must not be empty"},
		{map[string]string{"a": "a"}, nil, true, false, `ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`},
		{map[string]string{"#a-b": "a"}, nil, true, false, `ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"`},
		{nil, map[string]attr.Value{"#v": str("x")}, false, true, `ExpressionAttributeValues contains invalid key: Syntax error; key: "#v"`},
		{nil, map[string]attr.Value{":": str("x")}, false, true, `ExpressionAttributeValues contains invalid key: Syntax error; key: ":"`},
	}
	for _, tt := range tests {
		_, err := NewEnv(tt.names, tt.values, tt.namesGiven, tt.valsGiven)
		if errText(err) != tt.want {
			t.Errorf("%v %v: %q, want %q", tt.names, tt.values, errText(err), tt.want)
		}
	}
	env, _ := NewEnv(map[string]string{"#a": "a", "#b": "b", "#c": "c"},
		map[string]attr.Value{":x": str("x"), ":y": str("y")}, true, true)
	if _, err := ParseCondition("#a = :x", ConditionKind, env); err != nil {
		t.Fatal(err)
	}
	if want := "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}"; errText(env.CheckUnused()) != want {
		t.Errorf("got %q", errText(env.CheckUnused()))
	}
	if _, err := ParseProjection("#b, #c", env); err != nil {
		t.Fatal(err)
	}
	if want := "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}"; errText(env.CheckUnused()) != want {
		t.Errorf("got %q", errText(env.CheckUnused()))
	}
}
