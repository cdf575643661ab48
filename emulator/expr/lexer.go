package expr

import (
	"strings"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF     tokKind = iota
	tIdent           // a name or keyword: [a-zA-Z][a-zA-Z0-9_]*
	tName            // #placeholder
	tValue           // :placeholder
	tNumber          // [0-9]+ (list indexes)
	tLParen          // (
	tRParen          // )
	tLBrack          // [
	tRBrack          // ]
	tComma           // ,
	tDot             // .
	tEq              // =
	tNe              // <>
	tLt              // <
	tLe              // <=
	tGt              // >
	tGe              // >=
	tPlus            // +
	tMinus           // -
	tIllegal         // any other rune
)

// token is one lexeme: its kind and its byte span in the source.
type token struct {
	kind       tokKind
	start, end int
}

// lex splits src into tokens, ending with a tEOF token at len(src).
// Whitespace separates tokens and is dropped; unknown runes become
// one-rune tIllegal tokens so the parser reports them in context.
func lex(src string) []token {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tEOF, start: len(src), end: len(src)})
		}
		t := lexOne(src, i)
		toks = append(toks, t)
		i = t.end
	}
}

// lexOne reads the token starting at src[i] (not whitespace, not EOF).
func lexOne(src string, i int) token {
	c := src[i]
	switch {
	case isLetter(c):
		return token{kind: tIdent, start: i, end: scanWord(src, i+1)}
	case isDigit(c):
		j := i + 1
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		return token{kind: tNumber, start: i, end: j}
	case c == '#' || c == ':':
		j := scanWord(src, i+1)
		if j == i+1 {
			return token{kind: tIllegal, start: i, end: j}
		}
		if c == '#' {
			return token{kind: tName, start: i, end: j}
		}
		return token{kind: tValue, start: i, end: j}
	}
	return lexPunct(src, i)
}

var punct = map[byte]tokKind{
	'(': tLParen, ')': tRParen, '[': tLBrack, ']': tRBrack, ',': tComma,
	'.': tDot, '=': tEq, '+': tPlus, '-': tMinus, '<': tLt, '>': tGt,
}

// lexPunct reads an operator or punctuation token, or one illegal rune.
func lexPunct(src string, i int) token {
	c := src[i]
	if i+1 < len(src) {
		switch src[i : i+2] {
		case "<>":
			return token{kind: tNe, start: i, end: i + 2}
		case "<=":
			return token{kind: tLe, start: i, end: i + 2}
		case ">=":
			return token{kind: tGe, start: i, end: i + 2}
		}
	}
	if k, ok := punct[c]; ok {
		return token{kind: k, start: i, end: i + 1}
	}
	_, n := utf8.DecodeRuneInString(src[i:])
	return token{kind: tIllegal, start: i, end: i + n}
}

// scanWord returns the end of a run of [a-zA-Z0-9_] starting at i.
func scanWord(src string, i int) int {
	for i < len(src) && isWordByte(src[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool    { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isLetter(c byte) bool   { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// text returns the source text of t.
func (t token) text(src string) string { return src[t.start:t.end] }

// is reports whether t is the identifier kw, case-insensitively.
func (t token) is(src, kw string) bool {
	return t.kind == tIdent && strings.EqualFold(t.text(src), kw)
}

// syntaxError builds DynamoDB's syntax error for the token at toks[i]:
// the token's text ("<EOF>" at the end) and a window running from the
// previous token to the next one, whitespace included.
func syntaxError(k Kind, src string, toks []token, i int) *Error {
	t := toks[i]
	bad := t.text(src)
	if t.kind == tEOF {
		bad = "<EOF>"
	}
	from, to := t.start, t.end
	if i > 0 {
		from = toks[i-1].start
	}
	if t.kind != tEOF && i+1 < len(toks) {
		to = toks[i+1].end
	}
	msg := `Syntax error; token: "` + bad + `", near: "` + src[from:to] + `"`
	return &Error{Kind: k, Msg: msg, Pos: t.start}
}
