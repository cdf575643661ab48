package expr

import (
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of parentheses, NOT and function calls. A
// 4 KB expression cannot legitimately come near it; it only keeps the
// recursive descent safe on hostile input.
const maxDepth = 1000

// parser is the shared recursive-descent machinery. Syntax errors unwind
// with panic(*Error) and are recovered by the Parse* entry points.
type parser struct {
	src       string
	toks      []token
	i         int
	kind      Kind
	depth     int
	redundant bool // saw "((x))"
}

func newParser(src string, k Kind) *parser {
	return &parser{src: src, toks: lex(src), kind: k}
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// fail reports a syntax error at the current token.
func (p *parser) fail() { panic(syntaxError(p.kind, p.src, p.toks, p.i)) }

func (p *parser) expect(k tokKind) token {
	if p.peek().kind != k {
		p.fail()
	}
	return p.next()
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail()
	}
}

func (p *parser) leave() { p.depth-- }

// catch turns a syntax-error panic into an error; other panics propagate.
func catch(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(*Error)
		if !ok {
			panic(r)
		}
		*err = e
	}
}

// parsePath reads a document path starting at the current token: a name
// or #placeholder, then any number of .name, .#placeholder and [n].
// isKeyword rejects the grammar's keywords as names.
func (p *parser) parsePath(isKeyword func(string) bool) *pathNode {
	n := &pathNode{src: Path{p.pathName(isKeyword)}}
	for {
		switch p.peek().kind {
		case tDot:
			p.next()
			n.src = append(n.src, p.pathName(isKeyword))
		case tLBrack:
			p.next()
			n.src = append(n.src, p.pathIndex())
			p.expect(tRBrack)
		default:
			if len(n.src) > MaxPathDepth {
				panic(kindErr(p.kind, "The document path has too many nesting levels; nesting levels: "+strconv.Itoa(len(n.src))))
			}
			return n
		}
	}
}

// MaxPathDepth is how many elements a document path may have.
const MaxPathDepth = 32

func (p *parser) pathName(isKeyword func(string) bool) PathElem {
	t := p.peek()
	if t.kind == tName || t.kind == tIdent && !isKeyword(t.text(p.src)) {
		p.next()
		return PathElem{Name: t.text(p.src)}
	}
	p.fail()
	return PathElem{}
}

// maxIndex bounds list indexes so they fit an int everywhere.
const maxIndex = 1 << 30

func (p *parser) pathIndex() PathElem {
	t := p.peek()
	if t.kind != tNumber {
		p.fail()
	}
	n, err := strconv.Atoi(strings.TrimLeft(t.text(p.src), "0") + "0")
	if err != nil || n/10 > maxIndex {
		p.fail()
	}
	p.next()
	return PathElem{Index: n / 10, IsIndex: true}
}

// parseArgs reads "(" operand {"," operand} ")" after a function name.
func (p *parser) parseArgs(operand func() node) []node {
	p.expect(tLParen)
	p.enter()
	args := []node{operand()}
	for p.peek().kind == tComma {
		p.next()
		args = append(args, operand())
	}
	p.expect(tRParen)
	p.leave()
	return args
}
