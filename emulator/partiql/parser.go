package partiql

import (
	"strings"
)

// maxDepth bounds the nesting of expressions so that a hostile statement
// cannot exhaust the stack.
const maxDepth = 100

// parser is a recursive-descent parser over the tokens of one statement.
type parser struct {
	toks   []token
	pos    int
	params int // ? seen so far
	depth  int
	// afterInfix is set when the next operand follows an infix operator.
	afterInfix bool
}

// bail aborts parsing with err; Parse recovers it.
type bail struct{ err *Error }

// fail aborts parsing with err.
func (p *parser) fail(err *Error) { panic(bail{err}) }

// failAt aborts with a syntax error at the current token.
func (p *parser) failAt(detail string) { p.fail(syntaxErr(p.peek().pos, detail)) }

// Parse parses one statement. A trailing semicolon is allowed.
func Parse(src string) (st Statement, err error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			st, err = nil, b.err
		}
	}()
	st = p.statement()
	if p.peek().is(";") {
		p.next()
	}
	if p.peek().kind != tEOF {
		p.failAt(detailLeftover)
	}
	return st, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// keyword consumes the bare word kw when it comes next.
func (p *parser) keyword(kw string) bool {
	if p.peek().isKeyword(kw) {
		p.next()
		return true
	}
	return false
}

// expectKeyword consumes kw or fails with detail.
func (p *parser) expectKeyword(kw, detail string) {
	if !p.keyword(kw) {
		p.failAt(detail)
	}
}

// punct consumes the punctuation s when it comes next.
func (p *parser) punct(s string) bool {
	if p.peek().is(s) {
		p.next()
		return true
	}
	return false
}

// statement parses the statement by its first word.
func (p *parser) statement() Statement {
	t := p.peek()
	switch {
	case t.isKeyword("SELECT"):
		return p.selectStmt()
	case t.isKeyword("INSERT"):
		return p.insertStmt()
	case t.isKeyword("UPDATE"):
		return p.updateStmt()
	case t.isKeyword("DELETE"):
		return p.deleteStmt()
	case t.isKeyword("EXISTS"):
		return p.existsStmt()
	case t.kind == tEOF || t.is(";"):
		p.failAt(detailTerm)
	}
	p.failAt(detailDML)
	return nil
}

// selectStmt parses SELECT ... FROM ... [WHERE ...] [ORDER BY ...].
func (p *parser) selectStmt() *Select {
	p.next()
	s := &Select{}
	if p.peek().isKeyword("VALUE") || p.peek().isKeyword("PIVOT") {
		p.fail(plainErr(MsgSelectValue))
	}
	s.Projection = p.projection()
	if !p.keyword("FROM") {
		if p.peek().kind == tEOF {
			p.failAt(detailTerm)
		}
		p.failAt(detailExpectedFrom)
	}
	s.Table, s.Index = p.source()
	p.noAlias()
	if p.keyword("WHERE") {
		s.Where = p.condition()
	}
	if p.keyword("ORDER") {
		p.expectKeyword("BY", detailExpectedBy)
		s.OrderBy = p.orderBy()
	}
	s.params = p.params
	return s
}

// projection parses * or a list of paths.
func (p *parser) projection() []Path {
	if p.punct("*") {
		if p.peek().is(",") {
			p.fail(plainErr(MsgStarAndOthers))
		}
		return nil
	}
	var out []Path
	for {
		if p.peek().is("*") {
			p.fail(plainErr(MsgStarAndOthers))
		}
		out = append(out, p.path())
		if !p.punct(",") {
			return out
		}
	}
}

// source parses the table name and optional index name of FROM.
func (p *parser) source() (table, index string) {
	if p.peek().kind == tEOF || p.peek().is(";") {
		p.failAt(detailTerm)
	}
	table = p.name(detailTerm)
	if table == "" {
		p.fail(plainErr(MsgEmptyPathElement)) // FROM ""
	}
	if p.punct(".") {
		index = p.name(detailIdentifier)
		if index == "" {
			p.fail(plainErr(MsgEmptyPathElement))
		}
		if p.peek().is(".") {
			p.fail(plainErr(MsgFromPath))
		}
	}
	return table, index
}

// dmlTable parses the table name of INSERT, UPDATE and DELETE.
func (p *parser) dmlTable() string {
	name := p.name(detailIdentifier)
	if p.peek().is(".") || p.peek().is("[") {
		p.fail(plainErr("FROM clause may only contain a single table name in data manipulation statements"))
	}
	return name
}

// noAlias refuses a table alias (FROM "t" x, FROM "t" AS x).
func (p *parser) noAlias() {
	t := p.peek()
	if t.isKeyword("AS") || t.kind == tQIdent || t.kind == tIdent && !isClauseWord(t.text) {
		p.fail(plainErr(MsgAliasing))
	}
}

// isClauseWord reports whether a bare word may follow a table name.
func isClauseWord(w string) bool {
	switch strings.ToUpper(w) {
	case "WHERE", "ORDER", "SET", "REMOVE", "RETURNING", "VALUE", "VALUES", "LIMIT", "GROUP", "HAVING":
		return true
	}
	return false
}

// name parses a bare or double-quoted identifier.
func (p *parser) name(detail string) string {
	t := p.peek()
	switch {
	case t.kind == tQIdent:
		p.next()
		return t.text
	case t.kind == tIdent && !isReserved(t.text):
		p.next()
		return t.text
	}
	p.failAt(detail)
	return ""
}

// orderBy parses the keys of ORDER BY.
func (p *parser) orderBy() []OrderKey {
	var keys []OrderKey
	for {
		k := OrderKey{Name: p.name(detailTerm)}
		if p.keyword("DESC") {
			k.Desc = true
		} else {
			p.keyword("ASC")
		}
		keys = append(keys, k)
		if !p.punct(",") {
			return keys
		}
	}
}

// insertStmt parses INSERT INTO "t" VALUE {...}.
func (p *parser) insertStmt() *Insert {
	p.next()
	p.expectKeyword("INTO", detailExpectedInto)
	s := &Insert{Table: p.dmlTable()}
	switch {
	case p.peek().isKeyword("VALUES") || p.peek().isKeyword("SELECT"):
		p.fail(plainErr(MsgInsertMultiple))
	case p.peek().is("<<"):
		p.fail(plainErr(MsgInsertMultiple))
	}
	p.expectKeyword("VALUE", detailLeftover)
	v := p.expr()
	tuple, ok := v.(*Tuple)
	if !ok {
		p.fail(plainErr(MsgItemSyntax))
	}
	s.Item = tuple
	if p.peek().isKeyword("RETURNING") {
		p.fail(plainErr(MsgInsertReturning))
	}
	s.params = p.params
	return s
}

// updateStmt parses UPDATE "t" SET ... REMOVE ... WHERE ... RETURNING ...
func (p *parser) updateStmt() *Update {
	p.next()
	s := &Update{Table: p.dmlTable()}
	p.noAlias()
	for {
		switch {
		case p.keyword("SET"):
			s.Actions = append(s.Actions, p.setActions()...)
			continue
		case p.keyword("REMOVE"):
			s.Actions = append(s.Actions, p.removeActions()...)
			continue
		}
		break
	}
	if len(s.Actions) == 0 {
		p.failAt(detailExpectedSet)
	}
	if p.keyword("WHERE") {
		s.Where = p.condition()
	}
	s.Returning = p.returning()
	s.params = p.params
	return s
}

// setActions parses path = value, ... after SET.
func (p *parser) setActions() []Action {
	var out []Action
	for {
		path := p.path()
		if !p.punct("=") {
			p.failAt(detailExpectedEq)
		}
		out = append(out, Action{Path: path, Value: p.additive()})
		if !p.punct(",") {
			return out
		}
	}
}

// removeActions parses path, ... after REMOVE.
func (p *parser) removeActions() []Action {
	var out []Action
	for {
		out = append(out, Action{Remove: true, Path: p.path()})
		if !p.punct(",") {
			return out
		}
	}
}

// deleteStmt parses DELETE FROM "t" WHERE ... RETURNING ALL OLD *.
func (p *parser) deleteStmt() *Delete {
	p.next()
	p.expectKeyword("FROM", detailExpectedFrom)
	s := &Delete{Table: p.dmlTable()}
	p.noAlias()
	if p.keyword("WHERE") {
		s.Where = p.condition()
	}
	s.Returning = p.returning()
	if s.Returning != ReturnNone && s.Returning != ReturnAllOld {
		p.fail(plainErr(msgDeleteReturning + s.Returning.String() + msgDeleteReturnTail))
	}
	s.params = p.params
	return s
}

// String renders r as the statement spells it ("ALL OLD *"), "" for none.
func (r Returning) String() string {
	switch r {
	case ReturnAllOld:
		return "ALL OLD *"
	case ReturnModifiedOld:
		return "MODIFIED OLD *"
	case ReturnAllNew:
		return "ALL NEW *"
	case ReturnModifiedNew:
		return "MODIFIED NEW *"
	}
	return ""
}

// returning parses an optional RETURNING (ALL|MODIFIED) (OLD|NEW) *.
func (p *parser) returning() Returning {
	if !p.keyword("RETURNING") {
		return ReturnNone
	}
	var all, old bool
	switch {
	case p.keyword("ALL"):
		all = true
	case p.keyword("MODIFIED"):
	default:
		p.fail(plainErr(MsgReturningSyntax))
	}
	switch {
	case p.keyword("OLD"):
		old = true
	case p.keyword("NEW"):
	default:
		p.fail(plainErr(MsgReturningSyntax))
	}
	if !p.punct("*") {
		p.fail(plainErr(MsgReturningSyntax))
	}
	switch {
	case all && old:
		return ReturnAllOld
	case all:
		return ReturnAllNew
	case old:
		return ReturnModifiedOld
	}
	return ReturnModifiedNew
}

// existsStmt parses EXISTS(SELECT ...).
func (p *parser) existsStmt() *Exists {
	p.next()
	if !p.punct("(") {
		p.failAt(detailLeftover)
	}
	if !p.peek().isKeyword("SELECT") {
		p.failAt(detailDML)
	}
	s := p.selectStmt()
	if !p.punct(")") {
		p.failAt(detailRightParen)
	}
	return &Exists{Select: s}
}
