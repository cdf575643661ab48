package attr

import (
	"unicode/utf16"
	"unicode/utf8"
)

// msgMalformed is the SerializationException text for input that is not
// JSON at all.
const msgMalformed = "Malformed JSON"

// scanner is a minimal JSON reader over a byte slice. It never recurses:
// skipValue walks nested containers with a counter, so any depth of input
// is safe.
type scanner struct {
	data []byte
	pos  int
}

func serialization(msg string) error { return &SerializationError{Msg: msg} }

func malformed() error { return serialization(msgMalformed) }

// peek skips white space and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// atEnd reports whether only white space is left.
func (s *scanner) atEnd() bool { return s.peek() == 0 && s.pos == len(s.data) }

// more prepares the next member or element of the container being read:
// it consumes the closing byte and returns false at the end, and consumes
// the ',' between entries. i is the index of the entry about to be read.
func (s *scanner) more(end byte, i int) (bool, error) {
	c := s.peek()
	if c == end {
		s.pos++
		return false, nil
	}
	if i > 0 {
		if c != ',' {
			return false, malformed()
		}
		s.pos++
		s.peek()
	}
	return true, nil
}

// readKey reads an object member name and the ':' after it.
func (s *scanner) readKey() (string, error) {
	if s.peek() != '"' {
		return "", malformed()
	}
	k, err := s.readString()
	if err != nil {
		return "", err
	}
	if s.peek() != ':' {
		return "", malformed()
	}
	s.pos++
	return k, nil
}

// readString reads a JSON string at the current position (a '"').
// Invalid UTF-8 and lone surrogates become U+FFFD, as encoding/json does.
func (s *scanner) readString() (string, error) {
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			raw := s.data[start:i]
			if ascii || utf8.Valid(raw) {
				return string(raw), nil
			}
			return string(appendValidUTF8(nil, raw)), nil
		case c == '\\':
			return s.readEscaped(start)
		case c < 0x20:
			return "", malformed()
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", malformed()
}

// readEscaped is the slow path of readString for strings with escapes.
func (s *scanner) readEscaped(start int) (string, error) {
	buf := make([]byte, 0, 2*(len(s.data)-start)/3+8)
	i := start
	for i < len(s.data) {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			return "", malformed()
		case c == '\\':
			n, err := s.unescape(&buf, i)
			if err != nil {
				return "", err
			}
			i = n
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(s.data[i:])
			buf = utf8.AppendRune(buf, r)
			i += size
		}
	}
	return "", malformed()
}

// unescape decodes the escape sequence at data[i] (a '\\') into buf and
// returns the index after it.
func (s *scanner) unescape(buf *[]byte, i int) (int, error) {
	if i+1 >= len(s.data) {
		return 0, malformed()
	}
	switch c := s.data[i+1]; c {
	case '"', '\\', '/':
		*buf = append(*buf, c)
	case 'b':
		*buf = append(*buf, '\b')
	case 'f':
		*buf = append(*buf, '\f')
	case 'n':
		*buf = append(*buf, '\n')
	case 'r':
		*buf = append(*buf, '\r')
	case 't':
		*buf = append(*buf, '\t')
	case 'u':
		r, ok := hex4(s.data, i+2)
		if !ok {
			return 0, malformed()
		}
		next := i + 6
		if utf16.IsSurrogate(r) {
			r2, ok2 := rune(-1), false
			if next+1 < len(s.data) && s.data[next] == '\\' && s.data[next+1] == 'u' {
				r2, ok2 = hex4(s.data, next+2)
			}
			if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
				r = dec
				next += 6
			} else {
				r = utf8.RuneError
			}
		}
		*buf = utf8.AppendRune(*buf, r)
		return next, nil
	default:
		return 0, malformed()
	}
	return i + 2, nil
}

// hex4 parses four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// appendValidUTF8 appends b with each invalid byte replaced by U+FFFD.
func appendValidUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		dst = utf8.AppendRune(dst, r)
		b = b[size:]
	}
	return dst
}

// readNumber consumes a JSON number and reports whether it is an integer
// (no fraction or exponent), which is how DynamoDB names it in errors
// (NUMBER_VALUE versus DECIMAL_VALUE).
func (s *scanner) readNumber() (isInt bool, err error) {
	i := s.pos
	if i < len(s.data) && s.data[i] == '-' {
		i++
	}
	d := digitsAt(s.data, i)
	if d == 0 || (s.data[i] == '0' && d > 1) {
		return false, malformed()
	}
	i += d
	isInt = true
	if i < len(s.data) && s.data[i] == '.' {
		isInt = false
		d = digitsAt(s.data, i+1)
		if d == 0 {
			return false, malformed()
		}
		i += 1 + d
	}
	if i < len(s.data) && (s.data[i] == 'e' || s.data[i] == 'E') {
		isInt = false
		i++
		if i < len(s.data) && (s.data[i] == '+' || s.data[i] == '-') {
			i++
		}
		d = digitsAt(s.data, i)
		if d == 0 {
			return false, malformed()
		}
		i += d
	}
	s.pos = i
	return isInt, nil
}

func digitsAt(data []byte, i int) int {
	n := 0
	for i+n < len(data) && data[i+n] >= '0' && data[i+n] <= '9' {
		n++
	}
	return n
}

// readLiteral consumes true, false or null.
func (s *scanner) readLiteral(lit string) error {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return malformed()
	}
	s.pos += len(lit)
	return nil
}

// skipValue consumes one JSON value of any kind and depth without
// recursion, checking its syntax.
func (s *scanner) skipValue() error {
	var stack []byte // open containers: '{' or '['
	for {
		opened, err := s.skipScalarOrOpen(&stack)
		if err != nil {
			return err
		}
		if opened {
			continue
		}
		for {
			if len(stack) == 0 {
				return nil
			}
			top := stack[len(stack)-1]
			end := byte('}')
			if top == '[' {
				end = ']'
			}
			c := s.peek()
			if c == end {
				s.pos++
				stack = stack[:len(stack)-1]
				continue
			}
			if c != ',' {
				return malformed()
			}
			s.pos++
			if top == '{' {
				if _, err := s.readKey(); err != nil {
					return err
				}
			}
			break
		}
	}
}

// skipScalarOrOpen consumes a scalar, or the opening of a container (and,
// for an object, its first key) pushing it on stack. An empty container is
// consumed whole. opened reports that a container was pushed.
func (s *scanner) skipScalarOrOpen(stack *[]byte) (opened bool, err error) {
	switch c := s.peek(); c {
	case '{', '[':
		s.pos++
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		if s.peek() == end {
			s.pos++
			return false, nil
		}
		*stack = append(*stack, c)
		if c == '{' {
			_, err = s.readKey()
		}
		return true, err
	case '"':
		_, err = s.readString()
	case 't':
		err = s.readLiteral("true")
	case 'f':
		err = s.readLiteral("false")
	case 'n':
		err = s.readLiteral("null")
	default:
		_, err = s.readNumber()
	}
	return false, err
}
