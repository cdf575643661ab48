package partiql

import (
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// enter and leave bound the nesting depth.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.failAt(detailTerm)
	}
}

func (p *parser) leave() { p.depth-- }

// condition parses a WHERE condition.
func (p *parser) condition() Expr { return p.expr() }

// expr parses an OR expression, the loosest binding.
func (p *parser) expr() Expr {
	p.enter()
	defer p.leave()
	x := p.and()
	for p.keyword("OR") {
		p.afterInfix = true
		x = &Binary{Op: "OR", L: x, R: p.and()}
	}
	return x
}

func (p *parser) and() Expr {
	x := p.not()
	for p.keyword("AND") {
		p.afterInfix = true
		x = &Binary{Op: "AND", L: x, R: p.not()}
	}
	return x
}

func (p *parser) not() Expr {
	if p.keyword("NOT") {
		p.afterInfix = false
		p.enter()
		defer p.leave()
		return &Not{X: p.not()}
	}
	return p.predicate()
}

// comparison operators, with != spelled as <>.
func cmpOp(t token) (string, bool) {
	if t.kind != tPunct {
		return "", false
	}
	switch t.text {
	case "=", "<>", "<", "<=", ">", ">=":
		return t.text, true
	case "!=":
		return "<>", true
	}
	return "", false
}

// predicate parses a comparison, BETWEEN, IN, IS or a plain operand.
func (p *parser) predicate() Expr {
	x := p.additive()
	if op, ok := cmpOp(p.peek()); ok {
		p.next()
		p.afterInfix = true
		return &Binary{Op: op, L: x, R: p.additive()}
	}
	not := false
	if p.peek().isKeyword("NOT") && (p.peekAt(1).isKeyword("BETWEEN") || p.peekAt(1).isKeyword("IN")) {
		p.next()
		not = true
	}
	switch {
	case p.keyword("BETWEEN"):
		lo := p.additive()
		p.expectKeyword("AND", detailExpectedAnd)
		p.afterInfix = true
		return &Between{X: x, Lo: lo, Hi: p.additive(), Not: not}
	case p.keyword("IN"):
		return &In{X: x, List: p.sequence(), Not: not}
	case p.keyword("IS"):
		return p.isType(x)
	}
	return x
}

// sequence parses the right side of IN: [a, b] or (a, b).
func (p *parser) sequence() []Expr {
	var end string
	switch {
	case p.punct("["):
		end = "]"
	case p.punct("("):
		end = ")"
	case p.peek().kind == tParam:
		return []Expr{p.primary()}
	default:
		p.failAt(detailExpectedSeq)
	}
	var list []Expr
	if p.punct(end) {
		return list
	}
	for {
		list = append(list, p.additive())
		if p.punct(end) {
			return list
		}
		if !p.punct(",") {
			p.failAt(closeDetail(end))
		}
	}
}

// isType parses the type after IS [NOT].
func (p *parser) isType(x Expr) Expr {
	not := p.keyword("NOT")
	t := p.peek()
	if t.kind != tIdent {
		p.failAt(detailTypeName)
	}
	name := strings.ToUpper(t.text)
	if !isTypeName(name) {
		p.failAt(detailTypeName)
	}
	p.next()
	if !isIsType(name) {
		p.fail(plainErr(msgUnsupportedIS + name + msgUnsupportedISEnd))
	}
	return &Is{X: x, Type: name, Not: not}
}

// isIsType reports whether IS supports the type name.
func isIsType(name string) bool {
	switch name {
	case "MISSING", "NULL", "BOOLEAN", "BLOB", "STRING", "NUMERIC", "STRUCT", "TUPLE", "LIST":
		return true
	}
	return false
}

// isTypeName reports whether name is one of PartiQL's type names.
func isTypeName(name string) bool {
	if isIsType(name) {
		return true
	}
	switch name {
	case "INT", "INT4", "INT8", "INTEGER", "SMALLINT", "BIGINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL",
		"NUMBER", "CHAR", "CHARACTER", "VARCHAR", "SYMBOL", "CLOB", "BOOL", "BAG", "SEXP", "DATE", "TIME",
		"TIMESTAMP", "ANY":
		return true
	}
	return false
}

// additive parses a + b - c.
func (p *parser) additive() Expr {
	x := p.unary()
	for p.peek().is("+") || p.peek().is("-") {
		op := p.next().text
		p.afterInfix = true
		x = &Binary{Op: op, L: x, R: p.unary()}
	}
	return x
}

// unary parses -x.
func (p *parser) unary() Expr {
	if p.punct("-") {
		p.enter()
		defer p.leave()
		return &Neg{X: p.unary()}
	}
	return p.primary()
}

// primary parses a literal, a parameter, a path, a call, a parenthesized
// expression or a tuple, list or bag literal.
func (p *parser) primary() Expr {
	afterInfix := p.afterInfix
	p.afterInfix = false
	t := p.peek()
	switch t.kind {
	case tString:
		p.next()
		return &Lit{Value: attr.Str(t.text), Pos: t.pos}
	case tNumber:
		p.next()
		return &Lit{Value: attr.Value{Type: attr.N, S: t.text}, Pos: t.pos}
	case tParam:
		p.next()
		p.params++
		return &Param{N: p.params - 1}
	case tQIdent:
		return p.pathOrCall()
	case tIdent:
		return p.word(t, afterInfix)
	case tPunct:
		return p.punctPrimary(t, afterInfix)
	}
	if afterInfix {
		p.failAt(detailMissingRHS)
	}
	p.failAt(detailTerm)
	return nil
}

// word parses a primary that starts with a bare word.
func (p *parser) word(t token, afterInfix bool) Expr {
	switch strings.ToUpper(t.text) {
	case "TRUE", "FALSE":
		p.next()
		return &Lit{Value: attr.Boolean(strings.EqualFold(t.text, "TRUE")), Pos: t.pos}
	case "NULL":
		p.next()
		return &Lit{Value: attr.Null(), Pos: t.pos}
	case "MISSING":
		p.next()
		return &Missing{Pos: t.pos}
	case "AND", "OR", "IS", "LIKE", "BETWEEN", "IN", "NOT":
		if strings.EqualFold(t.text, "NOT") {
			break
		}
		p.failAt(detailOperator)
	}
	if isReserved(t.text) {
		if afterInfix && (strings.EqualFold(t.text, "WHERE") || strings.EqualFold(t.text, "RETURNING")) {
			p.failAt(detailMissingRHS)
		}
		p.failAt(detailKeyword)
	}
	if isKeyword(t.text) && !(functionKeywords[strings.ToLower(t.text)] && p.peekAt(1).is("(")) {
		p.failAt(detailKeyword)
	}
	return p.pathOrCall()
}

// punctPrimary parses a primary that starts with punctuation.
func (p *parser) punctPrimary(t token, afterInfix bool) Expr {
	switch t.text {
	case "(":
		p.next()
		x := p.expr()
		if !p.punct(")") {
			p.failAt(detailRightParen)
		}
		return x
	case "{":
		return p.tuple()
	case "[":
		p.next()
		return &List{Elems: p.elems("]")}
	case "<<":
		p.next()
		return &Bag{Elems: p.elems(">>")}
	case ";", ")", "]", "}", ",":
		if afterInfix {
			p.failAt(detailMissingRHS)
		}
		p.failAt(detailTerm)
	}
	p.failAt(detailOperator)
	return nil
}

// elems parses the comma-separated elements of a list or bag up to end.
func (p *parser) elems(end string) []Expr {
	p.enter()
	defer p.leave()
	var out []Expr
	if p.punct(end) {
		return out
	}
	for {
		out = append(out, p.additive())
		if p.punct(end) {
			return out
		}
		if !p.punct(",") {
			p.failAt(closeDetail(end))
		}
	}
}

// closeDetail is the syntax error detail of a missing closing token.
func closeDetail(end string) string {
	switch end {
	case "]":
		return detailRightBracket
	case ")":
		return detailRightParen
	case "}":
		return detailRightBrace
	}
	return detailRightBag
}

// tuple parses {'key': value, ...}.
func (p *parser) tuple() *Tuple {
	p.next()
	p.enter()
	defer p.leave()
	t := &Tuple{}
	if p.punct("}") {
		return t
	}
	for {
		k := p.additive()
		if !p.punct(":") {
			p.failAt(detailExpectedColon)
		}
		t.Fields = append(t.Fields, Field{Key: k, Value: p.additive()})
		if p.punct("}") {
			return t
		}
		if !p.punct(",") {
			p.failAt(detailRightBrace)
		}
	}
}

// pathOrCall parses name(args) or a path that starts with a name.
func (p *parser) pathOrCall() Expr {
	t := p.peek()
	if t.kind == tIdent && p.peekAt(1).is("(") {
		p.next()
		p.next()
		return &Call{Name: strings.ToLower(t.text), Args: p.elems(")"), Pos: t.pos}
	}
	return p.path()
}

// path parses a document path: name ('.' name | '[' index ']')*.
func (p *parser) path() Path {
	if p.peek().is("[") {
		p.fail(plainErr(MsgPathListStart))
	}
	if t := p.peek(); t.kind == tIdent && isKeyword(t.text) {
		p.failAt(detailKeyword)
	}
	first := p.name(detailTerm)
	if first == "" {
		p.fail(plainErr(MsgEmptyPathElement))
	}
	path := Path{{Name: first}}
	for {
		switch {
		case p.punct("."):
			n := p.name(detailIdentifier)
			if n == "" {
				p.fail(plainErr(MsgEmptyPathElement))
			}
			path = append(path, PathElem{Name: n})
		case p.punct("["):
			path = append(path, p.index())
		default:
			return path
		}
	}
}

// index parses the inside of [ ] in a path: a number or a string key.
func (p *parser) index() PathElem {
	t := p.next()
	var e PathElem
	switch t.kind {
	case tNumber:
		n, err := strconv.Atoi(t.text)
		if err != nil || n < 0 {
			p.fail(plainErr("List index is not within the allowable range; index: [" + t.text + "]"))
		}
		e = PathElem{Index: n, IsIndex: true}
	case tString:
		if t.text == "" {
			p.fail(plainErr(MsgEmptyPathElement))
		}
		e = PathElem{Name: t.text}
	default:
		p.fail(plainErr(msgUnsupportedToken + t.text))
	}
	if !p.punct("]") {
		p.failAt(detailRightBracket)
	}
	return e
}

// isReserved reports whether a bare word is a keyword that cannot be a
// name without double quotes.
func isReserved(w string) bool {
	switch strings.ToUpper(w) {
	case "SELECT", "FROM", "WHERE", "INSERT", "INTO", "VALUE", "VALUES", "UPDATE", "SET", "REMOVE",
		"DELETE", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "LIKE", "MISSING", "NULL", "TRUE", "FALSE",
		"ORDER", "BY", "ASC", "DESC", "RETURNING", "EXISTS", "AS", "AT", "LIMIT", "GROUP", "HAVING",
		"UNION", "JOIN", "ON", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "PAD", "ALL", "DISTINCT":
		return true
	}
	return false
}
