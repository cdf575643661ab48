package expr

import (
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// PathElem is one step of a document path: a map key (Name) or, when
// IsIndex is set, a list position (Index).
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path such as a.b[2].c, with placeholders resolved.
type Path []PathElem

// String renders p as "a.b[2].c".
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			b.WriteString("[" + strconv.Itoa(e.Index) + "]")
		case i > 0:
			b.WriteString("." + e.Name)
		default:
			b.WriteString(e.Name)
		}
	}
	return b.String()
}

// errString renders p the way DynamoDB's messages list paths: [a, b, [2]].
func (p Path) errString() string {
	parts := make([]string, len(p))
	for i, e := range p {
		if e.IsIndex {
			parts[i] = "[" + strconv.Itoa(e.Index) + "]"
		} else {
			parts[i] = e.Name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// equal reports whether p and q are the same path.
func (p Path) equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// lookup returns the value at p in item, if every step exists.
func lookup(item attr.Item, p Path) (attr.Value, bool) {
	if len(p) == 0 || p[0].IsIndex {
		return attr.Value{}, false
	}
	v, ok := item[p[0].Name]
	if !ok {
		return attr.Value{}, false
	}
	for _, e := range p[1:] {
		if v, ok = step(v, e); !ok {
			return attr.Value{}, false
		}
	}
	return v, true
}

// step descends one path element into v.
func step(v attr.Value, e PathElem) (attr.Value, bool) {
	if e.IsIndex {
		if v.Type != attr.L || e.Index >= len(v.L) {
			return attr.Value{}, false
		}
		return v.L[e.Index], true
	}
	if v.Type != attr.M {
		return attr.Value{}, false
	}
	c, ok := v.M[e.Name]
	return c, ok
}

// pathRelation classifies two paths for the overlap and conflict checks:
// relOverlap when one is a prefix of the other (or they are equal),
// relConflict when they first differ by a name against an index.
type pathRel int

const (
	relNone pathRel = iota
	relOverlap
	relConflict
)

func relate(p, q Path) pathRel {
	for i := 0; i < len(p) && i < len(q); i++ {
		if p[i].IsIndex != q[i].IsIndex {
			return relConflict
		}
		if p[i] != q[i] {
			return relNone
		}
	}
	return relOverlap
}

// checkPaths applies DynamoDB's overlap and conflict rules to paths in
// order, returning the first overlap, else the first conflict, message.
func checkPaths(paths []Path) (overlap, conflict string) {
	var kept []Path
	for _, p := range paths {
		for _, q := range kept {
			switch relate(q, p) {
			case relOverlap:
				return msgOverlap + q.errString() + ", path two: " + p.errString(), conflict
			case relConflict:
				if conflict == "" {
					conflict = msgConflict + q.errString() + ", path two: " + p.errString()
				}
			}
		}
		kept = append(kept, p)
	}
	return "", conflict
}
