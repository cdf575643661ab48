package expr

import "strings"

// condKeywords are the words the condition grammar reserves for itself;
// they can be neither attribute names nor function names.
func isCondKeyword(s string) bool {
	switch strings.ToUpper(s) {
	case "AND", "OR", "NOT", "BETWEEN", "IN":
		return true
	}
	return false
}

// maxInOperands is DynamoDB's limit on the right-hand list of IN.
const maxInOperands = 100

// parseCondExpr parses a whole condition expression into an unbound AST.
// The grammar, loosest first:
//
//	or      = and { OR and }
//	and     = not { AND not }
//	not     = NOT not | compare
//	compare = operand [ comparator operand
//	                  | BETWEEN operand AND operand
//	                  | IN "(" operand { "," operand } ")" ]
//	operand = "(" or ")" | function | :value | path
func (p *parser) parseCondExpr() node {
	n := p.parseOr()
	if p.peek().kind != tEOF {
		p.fail()
	}
	p.needCond(n)
	return n
}

// needCond fails at the current token unless n can be a condition.
func (p *parser) needCond(n node) {
	if !isCondition(n) {
		p.fail()
	}
}

func (p *parser) parseOr() node {
	l := p.parseAnd()
	for p.peek().is(p.src, "OR") {
		p.needCond(l)
		p.next()
		r := p.parseAnd()
		p.needCond(r)
		l = &logicNode{op: "OR", l: l, r: r}
	}
	return l
}

func (p *parser) parseAnd() node {
	l := p.parseNot()
	for p.peek().is(p.src, "AND") {
		p.needCond(l)
		p.next()
		r := p.parseNot()
		p.needCond(r)
		l = &logicNode{op: "AND", l: l, r: r}
	}
	return l
}

func (p *parser) parseNot() node {
	if !p.peek().is(p.src, "NOT") {
		return p.parseCompare()
	}
	p.next()
	p.enter()
	x := p.parseNot()
	p.needCond(x)
	p.leave()
	return &notNode{x: x}
}

var comparators = map[tokKind]string{tEq: "=", tNe: "<>", tLt: "<", tLe: "<=", tGt: ">", tGe: ">="}

func (p *parser) parseCompare() node {
	l := p.parseCondOperand(false)
	t := p.peek()
	op, isCmp := comparators[t.kind]
	switch {
	case isCmp:
		p.needOperand(l)
		p.next()
		return &cmpNode{op: op, l: l, r: p.parseCondOperand(true)}
	case t.is(p.src, "BETWEEN"):
		p.needOperand(l)
		p.next()
		lo := p.parseCondOperand(true)
		if !p.peek().is(p.src, "AND") {
			p.fail()
		}
		p.next()
		return &betweenNode{x: l, lo: lo, hi: p.parseCondOperand(true)}
	case t.is(p.src, "IN"):
		p.needOperand(l)
		p.next()
		return &inNode{x: l, list: p.parseArgs(func() node { return p.parseCondOperand(true) })}
	}
	return l
}

// needOperand fails at the current token unless n can be an operand.
func (p *parser) needOperand(n node) {
	if !isOperand(n) {
		p.fail()
	}
}

// parseCondOperand reads an operand. Where a condition may also start
// (strict false), "(" opens a parenthesized condition or operand;
// elsewhere it can only wrap an operand.
func (p *parser) parseCondOperand(strict bool) node {
	t := p.peek()
	switch t.kind {
	case tLParen:
		return p.parseParens(strict)
	case tValue:
		p.next()
		return &valueNode{ph: t.text(p.src)}
	case tName:
		return p.parsePath(isCondKeyword)
	case tIdent:
		if isCondKeyword(t.text(p.src)) {
			p.fail()
		}
		if p.toks[p.i+1].kind == tLParen {
			p.next()
			return &funcNode{name: t.text(p.src), args: p.parseArgs(func() node { return p.parseCondOperand(true) })}
		}
		return p.parsePath(isCondKeyword)
	}
	p.fail()
	return nil
}

// parseParens reads "(" ... ")" and flags "((x))" as redundant.
func (p *parser) parseParens(strict bool) node {
	p.next()
	p.enter()
	var n node
	if strict {
		n = p.parseCondOperand(true)
	} else {
		n = p.parseOr()
	}
	p.expect(tRParen)
	p.leave()
	b := n.base()
	if b.parens > 0 {
		p.redundant = true
	}
	b.parens++
	return n
}
