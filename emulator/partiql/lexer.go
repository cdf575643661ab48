package partiql

import (
	"strings"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // a bare name or keyword
	tQIdent         // a "double-quoted" name
	tString         // a 'single-quoted' string
	tNumber         // 1, 1.5, .5, 1e3
	tParam          // ?
	tPunct          // ( ) [ ] { } , . : ; * = <> != < <= > >= + - << >>
)

// token is one lexeme. text is the name, the unquoted string, the number
// as written or the punctuation.
type token struct {
	kind tokKind
	text string
	pos  int
}

// is reports whether t is the punctuation p.
func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }

// isKeyword reports whether t is the bare word kw (case-insensitive).
func (t token) isKeyword(kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

// lexer splits a statement into tokens.
type lexer struct {
	src  string
	pos  int
	toks []token
}

// lex splits src into tokens ending with tEOF. Comments (-- to the end of
// the line, /* ... */) and whitespace are dropped. A character PartiQL
// does not know, an unterminated string or comment, or a number it cannot
// represent is a syntax error with nothing after the prefix, as DynamoDB
// reports it.
func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	for {
		if err := l.skipSpace(); err != nil {
			return nil, err
		}
		if l.pos >= len(src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: len(src)})
			return l.toks, nil
		}
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		l.toks = append(l.toks, t)
	}
}

// skipSpace skips whitespace and comments.
func (l *lexer) skipSpace() error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], "--"):
			end := strings.IndexByte(l.src[l.pos:], '\n')
			if end < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += end + 1
			}
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				return syntaxErr(l.pos, "")
			}
			l.pos += end + 4
		default:
			return nil
		}
	}
	return nil
}

// next reads the token at l.pos (not whitespace, not the end).
func (l *lexer) next() (token, error) {
	start := l.pos
	c := l.src[start]
	switch {
	case isIdentStart(c):
		for l.pos < len(l.src) && isIdentPart(l.src[l.pos]) {
			l.pos++
		}
		return token{kind: tIdent, text: l.src[start:l.pos], pos: start}, nil
	case c == '"':
		s, err := l.quoted('"')
		return token{kind: tQIdent, text: s, pos: start}, err
	case c == '\'':
		s, err := l.quoted('\'')
		return token{kind: tString, text: s, pos: start}, err
	case isDigit(c) || c == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]):
		return l.number()
	case c == '?':
		l.pos++
		return token{kind: tParam, text: "?", pos: start}, nil
	}
	for _, p := range [...]string{"<>", "!=", "<=", ">=", "<<", ">>", "||"} {
		if strings.HasPrefix(l.src[start:], p) {
			l.pos += 2
			return token{kind: tPunct, text: p, pos: start}, nil
		}
	}
	if strings.IndexByte("()[]{},.:;*=<>+-/%", c) >= 0 {
		l.pos++
		return token{kind: tPunct, text: string(c), pos: start}, nil
	}
	return token{}, syntaxErr(start, "")
}

// quoted reads a string or quoted name; a doubled quote stands for itself.
func (l *lexer) quoted(q byte) (string, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c != q {
			b.WriteByte(c)
			l.pos++
			continue
		}
		if l.pos+1 < len(l.src) && l.src[l.pos+1] == q {
			b.WriteByte(q)
			l.pos += 2
			continue
		}
		l.pos++
		return b.String(), nil
	}
	return "", syntaxErr(start, "")
}

// maxScale bounds the exponent and the scale of a number literal, as
// DynamoDB's parser (32-bit integers) does.
const maxScale = 1<<31 - 1

// number reads a decimal literal: digits, an optional fraction and an
// optional exponent.
func (l *lexer) number() (token, error) {
	start := l.pos
	l.digits()
	frac := 0
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		frac = l.digits()
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		save := l.pos
		l.pos++
		neg := false
		if l.pos < len(l.src) && (l.src[l.pos] == '+' || l.src[l.pos] == '-') {
			neg = l.src[l.pos] == '-'
			l.pos++
		}
		expStart := l.pos
		if l.digits() == 0 {
			l.pos = save // "1e" then a name: leave the name for the parser
		} else if !exponentFits(l.src[expStart:l.pos], neg, frac) {
			return token{}, syntaxErr(start, "")
		}
	}
	return token{kind: tNumber, text: l.src[start:l.pos], pos: start}, nil
}

// exponentFits reports whether the exponent digits (negative when neg) and
// the scale they leave with frac fraction digits fit in 32 bits.
func exponentFits(digits string, neg bool, frac int) bool {
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 10 {
		return false
	}
	var e int64
	for i := 0; i < len(digits); i++ {
		e = e*10 + int64(digits[i]-'0')
	}
	if e > maxScale {
		return false
	}
	scale := int64(frac) - e
	if neg {
		scale = int64(frac) + e
	}
	return scale <= maxScale && scale >= -maxScale-1
}

// digits skips decimal digits and returns how many there were.
func (l *lexer) digits() int {
	n := 0
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
		n++
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) }
