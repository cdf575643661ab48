// Package filter implements the event pattern language of Lambda event
// filtering (FilterCriteria), which is EventBridge's: a pattern is a JSON
// object whose members name fields of the event; a nested object matches a
// nested object of the event (every member must match: AND) and an array
// lists the values or operators one of which the field must match (OR). A
// field the event holds as an array matches when any element does.
//
// Values: strings, numbers, true, false and null match exactly; numbers
// compare by their JSON text (300 and 3e2 differ), as Lambda documents.
// Operators: prefix, suffix and equals-ignore-case (also as the value of
// prefix and suffix), anything-but (a value, a list of values, or a
// prefix, suffix or equals-ignore-case object), numeric (one comparison or
// a range: "<", "<=", "=", ">=", ">", applied to JSON numbers only, so a
// DynamoDB N attribute, a JSON string, never matches), exists, wildcard
// ("*" matches any run of characters, "\*" a star) and cidr (IPv4 and
// IPv6). "$or" at any level lists alternative patterns. Every field a
// pattern names must be present in the event, except under
// {"exists": false}.
//
// Compile rejects everything else (unknown operators, empty lists, a
// pattern that is not an object, more than 4096 characters) with
// ErrInvalid.
package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net/netip"
	"slices"
	"strings"
)

// MaxPatternLength is the longest pattern Lambda accepts, in characters.
const MaxPatternLength = 4096

// ErrInvalid is the error of every pattern Compile rejects; the Lambda
// API answers it with "Invalid filter pattern definition.".
var ErrInvalid = errors.New("filter: invalid filter pattern definition")

// Pattern is a compiled pattern. Safe for concurrent use.
type Pattern struct{ root *node }

// node is an object level of a pattern: each field must match, and at
// least one of the alternatives of each $or.
type node struct {
	fields []field
	ors    [][]*node
}

type field struct {
	name  string
	sub   *node  // nested object
	conds []cond // leaf: any of these
}

// cond is one value or operator of a leaf list.
type cond struct {
	kind    string // "exact", "prefix", "suffix", "eic", "anything-but", "numeric", "exists", "wildcard", "cidr"
	raw     string // exact: the JSON text of the value
	str     string
	nested  *cond    // anything-but with prefix/suffix/equals-ignore-case
	list    []string // anything-but: JSON texts
	exists  bool
	nums    []numCmp
	network netip.Prefix
}

type numCmp struct {
	op string
	n  *big.Float
}

// Compile parses a pattern.
func Compile(pattern string) (*Pattern, error) {
	if len([]rune(pattern)) > MaxPatternLength {
		return nil, ErrInvalid
	}
	v, err := decode([]byte(pattern))
	if err != nil {
		return nil, ErrInvalid
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, ErrInvalid
	}
	n, err := compileNode(obj, 0)
	if err != nil {
		return nil, ErrInvalid
	}
	return &Pattern{root: n}, nil
}

// maxDepth bounds the nesting of a pattern (and of a decoded event).
const maxDepth = 64

func compileNode(obj map[string]any, depth int) (*node, error) {
	if depth > maxDepth || len(obj) == 0 {
		return nil, ErrInvalid
	}
	n := &node{}
	for _, name := range sortedKeys(obj) {
		v := obj[name]
		if name == "$or" {
			alts, ok := v.([]any)
			if !ok || len(alts) < 2 {
				return nil, ErrInvalid
			}
			var or []*node
			for _, a := range alts {
				o, ok := a.(map[string]any)
				if !ok {
					return nil, ErrInvalid
				}
				sub, err := compileNode(o, depth+1)
				if err != nil {
					return nil, err
				}
				or = append(or, sub)
			}
			n.ors = append(n.ors, or)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			sub, err := compileNode(v, depth+1)
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, field{name: name, sub: sub})
		case []any:
			if len(v) == 0 {
				return nil, ErrInvalid
			}
			f := field{name: name}
			for _, c := range v {
				cd, err := compileCond(c)
				if err != nil {
					return nil, err
				}
				f.conds = append(f.conds, cd)
			}
			n.fields = append(n.fields, f)
		default:
			return nil, ErrInvalid
		}
	}
	return n, nil
}

func compileCond(v any) (cond, error) {
	switch v := v.(type) {
	case nil, bool, string, json.Number:
		return cond{kind: "exact", raw: text(v)}, nil
	case map[string]any:
		if len(v) != 1 {
			return cond{}, ErrInvalid
		}
		for op, arg := range v {
			return compileOp(op, arg)
		}
	}
	return cond{}, ErrInvalid
}

func compileOp(op string, arg any) (cond, error) {
	switch op {
	case "prefix", "suffix":
		if s, ok := arg.(string); ok {
			return cond{kind: op, str: s}, nil
		}
		if m, ok := arg.(map[string]any); ok && len(m) == 1 {
			if s, ok := m["equals-ignore-case"].(string); ok {
				return cond{kind: op + "-eic", str: strings.ToLower(s)}, nil
			}
		}
	case "equals-ignore-case":
		if s, ok := arg.(string); ok {
			return cond{kind: "eic", str: strings.ToLower(s)}, nil
		}
	case "exists":
		if b, ok := arg.(bool); ok {
			return cond{kind: "exists", exists: b}, nil
		}
	case "wildcard":
		if s, ok := arg.(string); ok && !strings.Contains(s, "**") {
			return cond{kind: "wildcard", str: s}, nil
		}
	case "cidr":
		if s, ok := arg.(string); ok {
			if p, err := netip.ParsePrefix(s); err == nil {
				return cond{kind: "cidr", network: p.Masked()}, nil
			}
		}
	case "numeric":
		return compileNumeric(arg)
	case "anything-but":
		return compileAnythingBut(arg)
	}
	return cond{}, ErrInvalid
}

func compileAnythingBut(arg any) (cond, error) {
	switch a := arg.(type) {
	case string, json.Number:
		return cond{kind: "anything-but", list: []string{text(a)}}, nil
	case []any:
		if len(a) == 0 {
			return cond{}, ErrInvalid
		}
		c := cond{kind: "anything-but"}
		for _, e := range a {
			switch e.(type) {
			case string, json.Number:
				c.list = append(c.list, text(e))
			default:
				return cond{}, ErrInvalid
			}
		}
		return c, nil
	case map[string]any:
		if len(a) != 1 {
			return cond{}, ErrInvalid
		}
		for op, v := range a {
			if op != "prefix" && op != "suffix" && op != "equals-ignore-case" {
				return cond{}, ErrInvalid
			}
			if op == "equals-ignore-case" {
				if l, ok := v.([]any); ok && len(l) > 0 {
					c := cond{kind: "anything-but", nested: &cond{kind: "eic-list"}}
					for _, e := range l {
						s, ok := e.(string)
						if !ok {
							return cond{}, ErrInvalid
						}
						c.nested.list = append(c.nested.list, strings.ToLower(s))
					}
					return c, nil
				}
			}
			inner, err := compileOp(op, v)
			if err != nil {
				return cond{}, err
			}
			return cond{kind: "anything-but", nested: &inner}, nil
		}
	}
	return cond{}, ErrInvalid
}

func compileNumeric(arg any) (cond, error) {
	l, ok := arg.([]any)
	if !ok || (len(l) != 2 && len(l) != 4) {
		return cond{}, ErrInvalid
	}
	c := cond{kind: "numeric"}
	for i := 0; i < len(l); i += 2 {
		op, ok := l[i].(string)
		num, ok2 := l[i+1].(json.Number)
		if !ok || !ok2 {
			return cond{}, ErrInvalid
		}
		switch op {
		case "<", "<=", "=", ">=", ">":
		default:
			return cond{}, ErrInvalid
		}
		f, _, err := big.ParseFloat(string(num), 10, 128, big.ToNearestEven)
		if err != nil {
			return cond{}, ErrInvalid
		}
		c.nums = append(c.nums, numCmp{op: op, n: f})
	}
	if len(c.nums) == 2 { // a range: one lower and one upper bound
		lo, hi := c.nums[0], c.nums[1]
		if !(strings.HasPrefix(lo.op, ">") && strings.HasPrefix(hi.op, "<")) || lo.n.Cmp(hi.n) >= 0 {
			return cond{}, ErrInvalid
		}
	}
	return c, nil
}

// Match reports whether the event (JSON) matches the pattern. An event
// that is not a JSON object matches nothing.
func (p *Pattern) Match(event []byte) bool {
	v, err := decode(event)
	if err != nil {
		return false
	}
	return p.MatchValue(v)
}

// MatchValue is Match for an event already decoded with Decode.
func (p *Pattern) MatchValue(event any) bool {
	obj, ok := event.(map[string]any)
	return ok && p.root.match(obj)
}

// Decode parses an event for MatchValue (numbers kept as their JSON text).
func Decode(event []byte) (any, error) { return decode(event) }

func (n *node) match(obj map[string]any) bool {
	for _, f := range n.fields {
		v, present := obj[f.name]
		if !f.match(v, present) {
			return false
		}
	}
	for _, or := range n.ors {
		ok := false
		for _, alt := range or {
			if alt.match(obj) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (f field) match(v any, present bool) bool {
	if f.sub != nil {
		if !present { // only {"exists": false} members can match
			return f.sub.match(map[string]any{})
		}
		switch v := v.(type) {
		case map[string]any:
			return f.sub.match(v)
		case []any:
			for _, e := range v {
				if m, ok := e.(map[string]any); ok && f.sub.match(m) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range f.conds {
		if c.kind == "exists" {
			leaf := present && isLeaf(v)
			if leaf == c.exists {
				return true
			}
			continue
		}
		if !present {
			continue
		}
		if arr, ok := v.([]any); ok {
			for _, e := range arr {
				if c.matchValue(e) {
					return true
				}
			}
			continue
		}
		if c.matchValue(v) {
			return true
		}
	}
	return false
}

// isLeaf reports whether v is a value exists can see: not an object, and
// not an empty array.
func isLeaf(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range v {
			if isLeaf(e) {
				return true
			}
		}
		return false
	}
	return true
}

func (c cond) matchValue(v any) bool {
	switch c.kind {
	case "exact":
		if _, ok := v.(map[string]any); ok {
			return false
		}
		return text(v) == c.raw
	case "anything-but":
		return c.matchAnythingBut(v)
	case "numeric":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, _, err := big.ParseFloat(string(n), 10, 128, big.ToNearestEven)
		if err != nil {
			return false
		}
		for _, nc := range c.nums {
			if !compare(f.Cmp(nc.n), nc.op) {
				return false
			}
		}
		return true
	}
	s, ok := v.(string)
	if !ok {
		return false
	}
	switch c.kind {
	case "prefix":
		return strings.HasPrefix(s, c.str)
	case "suffix":
		return strings.HasSuffix(s, c.str)
	case "prefix-eic":
		return strings.HasPrefix(strings.ToLower(s), c.str)
	case "suffix-eic":
		return strings.HasSuffix(strings.ToLower(s), c.str)
	case "eic":
		return strings.ToLower(s) == c.str
	case "wildcard":
		return wildcard(c.str, s)
	case "cidr":
		a, err := netip.ParseAddr(s)
		return err == nil && c.network.Contains(a)
	}
	return false
}

func (c cond) matchAnythingBut(v any) bool {
	if c.nested != nil {
		s, ok := v.(string)
		if !ok {
			return false
		}
		if c.nested.kind == "eic-list" {
			for _, x := range c.nested.list {
				if strings.ToLower(s) == x {
					return false
				}
			}
			return true
		}
		return !c.nested.matchValue(s)
	}
	switch v.(type) {
	case string, json.Number:
	default:
		return false
	}
	t := text(v)
	for _, x := range c.list {
		if t == x {
			return false
		}
	}
	return true
}

func compare(cmp int, op string) bool {
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case "=":
		return cmp == 0
	case ">=":
		return cmp >= 0
	}
	return cmp > 0
}

// wildcard matches s against pattern p, where "*" matches any run of
// characters and "\*" a literal star.
func wildcard(p, s string) bool {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '\\' && i+1 < len(p) && p[i+1] == '*':
			cur.WriteByte('*')
			i++
		case p[i] == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(p[i])
		}
	}
	parts = append(parts, cur.String())
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// text is the JSON text of a scalar, for exact comparison.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case json.Number:
		return string(v)
	case string:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

// decode parses JSON keeping numbers as text; the last of duplicate keys
// wins (encoding/json's rule, and the one Lambda documents). It refuses
// trailing data and nesting deeper than maxDepth.
func decode(b []byte) (any, error) {
	if depth(b) > maxDepth {
		return nil, ErrInvalid
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, ErrInvalid
	}
	return v, nil
}

// depth is the deepest bracket nesting of b, ignoring strings.
func depth(b []byte) int {
	d, deepest, inStr := 0, 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			d++
			deepest = max(deepest, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return deepest
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
