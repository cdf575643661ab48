package expr

import "strings"

// isUpdateKeyword reports the words the update grammar reserves.
func isUpdateKeyword(s string) bool {
	switch strings.ToUpper(s) {
	case "SET", "REMOVE", "ADD", "DELETE":
		return true
	}
	return false
}

// sectionOf maps a section keyword to its kind.
func sectionOf(t token, src string) (actionKind, bool) {
	for k, name := range sectionNames {
		if t.is(src, name) {
			return actionKind(k), true
		}
	}
	return 0, false
}

// parseUpdateExpr parses an UpdateExpression into unbound actions. dup
// names the first section that appeared twice, if any.
//
//	update  = section { section }
//	section = SET path "=" value {"," ...} | REMOVE path {"," path}
//	        | ADD path :value {"," ...}     | DELETE path :value {"," ...}
//	value   = term [ ("+" | "-") term ] | "(" value ")"
//	term    = "(" term ")" | function | :value | path
func (p *parser) parseUpdateExpr() (acts []action, dup string) {
	seen := map[actionKind]bool{}
	for {
		kind, ok := sectionOf(p.peek(), p.src)
		if !ok {
			p.fail()
		}
		p.next()
		acts = append(acts, p.parseSection(kind)...)
		if seen[kind] && dup == "" {
			dup = sectionNames[kind]
		}
		seen[kind] = true
		if p.peek().kind == tEOF {
			return acts, dup
		}
	}
}

func (p *parser) parseSection(kind actionKind) []action {
	acts := []action{p.parseAction(kind)}
	for p.peek().kind == tComma {
		p.next()
		acts = append(acts, p.parseAction(kind))
	}
	return acts
}

func (p *parser) parseAction(kind actionKind) action {
	a := action{kind: kind, src: p.parsePath(isUpdateKeyword).src}
	switch kind {
	case actSet:
		p.expect(tEq)
		a.val = p.parseSetValue()
	case actAdd, actDelete:
		t := p.expect(tValue)
		a.val = &valueNode{ph: t.text(p.src)}
	}
	return a
}

// parseSetValue reads the right-hand side of a SET action.
func (p *parser) parseSetValue() node {
	l := p.parseTerm()
	if _, isArith := l.(*arithNode); isArith {
		return l
	}
	t := p.peek()
	if t.kind != tPlus && t.kind != tMinus {
		return l
	}
	p.next()
	return &arithNode{op: t.text(p.src), l: l, r: p.parseTerm()}
}

// parseTerm reads one operand of a SET value; a parenthesized group may
// hold a whole arithmetic value.
func (p *parser) parseTerm() node {
	t := p.peek()
	switch t.kind {
	case tLParen:
		p.next()
		p.enter()
		n := p.parseSetValue()
		p.expect(tRParen)
		p.leave()
		return n
	case tValue:
		p.next()
		return &valueNode{ph: t.text(p.src)}
	case tIdent:
		if p.toks[p.i+1].kind == tLParen && !isUpdateKeyword(t.text(p.src)) {
			p.next()
			return &funcNode{name: t.text(p.src), args: p.parseArgs(p.parseArg)}
		}
	}
	return p.parsePath(isUpdateKeyword)
}

// parseArg reads a function argument: an operand, optionally in parentheses.
func (p *parser) parseArg() node {
	if p.peek().kind != tLParen {
		return p.parseTerm()
	}
	p.next()
	p.enter()
	n := p.parseTerm()
	if _, isArith := n.(*arithNode); isArith {
		p.fail()
	}
	p.expect(tRParen)
	p.leave()
	return n
}
