package expr

import (
	"errors"
	"testing"
)

func TestParseConditionPrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a = :s", "a = :s"},
		{"  a   =   :s  ", "a = :s"},
		{"#a <> :s", "#a <> :s"},
		{"a < :s AND b >= :n", "a < :s AND b >= :n"},
		{"a = :s OR b = :n AND c = :m", "a = :s OR b = :n AND c = :m"},
		{"(a = :s OR b = :n) AND c = :m", "(a = :s OR b = :n) AND c = :m"},
		{"a = :s AND (b = :n AND c = :m)", "a = :s AND (b = :n AND c = :m)"},
		{"NOT a = :s AND b = :n", "NOT a = :s AND b = :n"},
		{"NOT (a = :s AND b = :n)", "NOT (a = :s AND b = :n)"},
		{"not not a = :s", "NOT NOT a = :s"},
		{"b BETWEEN :n AND :m", "b BETWEEN :n AND :m"},
		{"b between :n and :m", "b BETWEEN :n AND :m"},
		{"a IN (:s, :t)", "a IN (:s, :t)"},
		{"a in(:s,:t)", "a IN (:s, :t)"},
		{"attribute_exists(a)", "attribute_exists(a)"},
		{"attribute_not_exists(mp.k)", "attribute_not_exists(mp.k)"},
		{"size(lst) > :n", "size(lst) > :n"},
		{"size(lst[2].d) > :n", "size(lst[2].d) > :n"},
		{"begins_with(nm, :pre)", "begins_with(nm, :pre)"},
		{"contains(ss, :s)", "contains(ss, :s)"},
		{"attribute_type(a, :tS)", "attribute_type(a, :tS)"},
		{"(a) = (:s)", "a = :s"},
		{"(a = :s)", "a = :s"},
		{"mp.#k = :s", "mp.#k = :s"},
		{"lst [ 0 ] = :s", "lst[0] = :s"},
		{"a = b", "a = b"},
		{":s = a", ":s = a"},
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.in, ConditionKind, testEnv(t))
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.want {
			t.Errorf("%q printed %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseConditionErrors(t *testing.T) {
	const p = "Invalid ConditionExpression: "
	tests := []struct{ in, want string }{
		{"", p + "The expression can not be empty;"},
		{"   ", p + "The expression can not be empty;"},
		{"foo", p + `Syntax error; token: "<EOF>", near: "foo"`},
		{"a = AND", p + `Syntax error; token: "AND", near: "= AND"`},
		{"a = :s AND", p + `Syntax error; token: "<EOF>", near: "AND"`},
		{"a =", p + `Syntax error; token: "<EOF>", near: "="`},
		{"a = :s b", p + `Syntax error; token: "b", near: ":s b"`},
		{"_a = :s", p + `Syntax error; token: "_", near: "_a"`},
		{"a = :s !", p + `Syntax error; token: "!", near: ":s !"`},
		{"a == :s", p + `Syntax error; token: "=", near: "== :s"`},
		{"a = :s AND b", p + `Syntax error; token: "<EOF>", near: "b"`},
		{"(a) AND b = :s", p + `Syntax error; token: "AND", near: ") AND b"`},
		{"a IN ()", p + `Syntax error; token: ")", near: "()"`},
		{"a = :s)", p + `Syntax error; token: ")", near: ":s)"`},
		{"a.1 = :s", p + `Syntax error; token: "1", near: ".1 ="`},
		{"a = (b = :s)", p + `Syntax error; token: "=", near: "b = :s"`},
		{"a BETWEEN :n OR :m", p + `Syntax error; token: "OR", near: ":n OR :m"`},
		{"((a = :s))", p + "The expression has redundant parentheses;"},
		{"((a)) = :s", p + "The expression has redundant parentheses;"},
		{"foo(a)", p + "Invalid function name; function: foo"},
		{"attribute_exists(a) = :s", p + "The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"size(a)", p + "The function is not allowed to be used this way in an expression; function: size"},
		{"size(a) AND b = :n", p + "The function is not allowed to be used this way in an expression; function: size"},
		{"begins_with(size(a), :s)", p + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"begins_with(attribute_exists(a), :s)", p + "The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"size = :n", p + "Attribute name is a reserved keyword; reserved keyword: size"},
		{"a.Name = :n", p + "Attribute name is a reserved keyword; reserved keyword: Name"},
		{"#zz = :s", p + "An expression attribute name used in the document path is not defined; attribute name: #zz"},
		{"a = :zz", p + "An expression attribute value used in expression is not defined; attribute value: :zz"},
		{"a = :zz AND #zz = :s", p + "An expression attribute value used in expression is not defined; attribute value: :zz"},
		{"attribute_exists(a, b)", p + "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{"attribute_exists(:s)", p + "Operator or function requires a document path; operator or function: attribute_exists"},
		{"begins_with(a, :n)", p + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"attribute_type(a, b)", p + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}"},
		{"attribute_type(a, :n)", p + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"attribute_type(a, :tX)", p + "Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
		{"size(:n) > :n", p + "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"a = a", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"contains(#a, a)", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"},
		{"a IN (:s, a)", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a]"},
		{"a > :bool", p + "Incorrect operand type for operator or function; operator or function: >, operand type: BOOL"},
		{"a <= :ss", p + "Incorrect operand type for operator or function; operator or function: <=, operand type: SS"},
		{"a = :bool", ""},
		{"a BETWEEN :n AND :bool", p + "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL"},
		{"a BETWEEN :m AND :n", p + "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"},
		{"a BETWEEN :n AND :s", p + "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"},
		// First failing simple condition wins; its own categories in order.
		{"begins_with(a, :n) AND b = :zz", p + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"b = :zz AND begins_with(a, :n)", p + "An expression attribute value used in expression is not defined; attribute value: :zz"},
		// Category priority: parentheses, unknown function, misuse, reserved, condition.
		{"size = :zz", p + "Attribute name is a reserved keyword; reserved keyword: size"},
		{"foo(size) AND ((a = :s))", p + "The expression has redundant parentheses;"},
		{"size(a) AND foo(b)", p + "Invalid function name; function: foo"},
	}
	for _, tt := range tests {
		_, err := ParseCondition(tt.in, ConditionKind, testEnv(t))
		if got := errText(err); got != tt.want {
			t.Errorf("%q:\n got  %q\n want %q", tt.in, got, tt.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%q: error %T is not *Error", tt.in, err)
		}
	}
}

func TestConditionSize(t *testing.T) {
	big := make([]byte, MaxExpressionBytes+1)
	for i := range big {
		big[i] = 'a'
	}
	_, err := ParseCondition("attribute_exists("+string(big)+")", ConditionKind, testEnv(t))
	want := "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4115"
	if errText(err) != want {
		t.Errorf("got %q", errText(err))
	}
	_, err = ParseProjection(string(big), testEnv(t))
	if errText(err) != "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;" {
		t.Errorf("got %q", errText(err))
	}
	_, err = ParseCondition(string(big[:MaxExpressionBytes-7])+" = :s", FilterKind, testEnv(t))
	if err != nil {
		t.Errorf("4096 bytes rejected: %v", err)
	}
}
