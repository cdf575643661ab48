package attr

// unpacker reads the packed form (see pack.go). A read past the end or a
// malformed field sets bad; every later read then returns zero values, so
// callers check bad once at the end of a loop step. No input panics it, and
// no count is trusted beyond what the remaining bytes could hold, so
// garbage never makes it allocate more than a few times the input length.
type unpacker struct {
	s   string
	pos int
	bad bool
}

// item reads count and name-value pairs.
func (d *unpacker) item() Item {
	n := d.count(2) // a name takes at least 1 byte, a value 1
	if d.bad {
		return nil
	}
	it := make(Item, n)
	for range n {
		k := d.str()
		v := d.value()
		if d.bad {
			return nil
		}
		it[k] = v
	}
	return it
}

func (d *unpacker) value() Value {
	t := d.typ()
	switch t {
	case S, N, B:
		return Value{Type: t, S: d.str()}
	case BOOL:
		b := d.byte()
		if b > 1 {
			d.bad = true
		}
		return Value{Type: BOOL, Bool: b == 1}
	case NULL:
		return Null()
	case SS, NS, BS:
		set := make([]string, d.count(1))
		for i := range set {
			if set[i] = d.str(); d.bad {
				break
			}
		}
		return Value{Type: t, Set: set}
	case L:
		l := make([]Value, d.count(1))
		for i := range l {
			if l[i] = d.value(); d.bad {
				break
			}
		}
		return Value{Type: L, L: l}
	case M:
		return Value{Type: M, M: d.item()}
	}
	return Value{} // Invalid (or bad)
}

// skipValue reads past one value without building it.
func (d *unpacker) skipValue() {
	switch d.typ() {
	case S, N, B:
		d.str()
	case BOOL:
		d.byte()
	case SS, NS, BS:
		for n := d.count(1); n > 0 && !d.bad; n-- {
			d.str()
		}
	case L:
		for n := d.count(1); n > 0 && !d.bad; n-- {
			d.skipValue()
		}
	case M:
		for n := d.count(2); n > 0 && !d.bad; n-- {
			d.str()
			d.skipValue()
		}
	}
}

// typ reads a type byte; an unknown type sets bad.
func (d *unpacker) typ() Type {
	t := Type(d.byte())
	if t > BOOL {
		d.bad = true
		return Invalid
	}
	return t
}

func (d *unpacker) byte() byte {
	if d.bad || d.pos >= len(d.s) {
		d.bad = true
		return 0
	}
	c := d.s[d.pos]
	d.pos++
	return c
}

// str reads a length-prefixed string: a substring of d.s.
func (d *unpacker) str() string {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.s)-d.pos) {
		d.bad = true
		return ""
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s
}

// count reads the number of elements that follow, each of at least min
// bytes; more than the remaining bytes could hold sets bad.
func (d *unpacker) count(min int) int {
	n := d.uvarint()
	if d.bad || n > uint64((len(d.s)-d.pos)/min) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *unpacker) uvarint() uint64 {
	if d.pos < len(d.s) && d.s[d.pos] < 0x80 { // the common one-byte case
		d.pos++
		return uint64(d.s[d.pos-1])
	}
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c := d.byte()
		if d.bad {
			return 0
		}
		if c < 0x80 {
			if shift == 63 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	d.bad = true
	return 0
}
