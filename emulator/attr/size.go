package attr

// Size is DynamoDB's size of a value (without the attribute name), following
// dynalite's valSize (db/index.js), whose item-size tests were recorded
// against DynamoDB:
//
//	S     UTF-8 bytes
//	B     raw bytes
//	N     1 + ceil(digits/2), +1 when digits and exponent are both even,
//	      +1 when negative; zero is 1 (digits = significant digits,
//	      exponent = that of the leading digit)
//	BOOL, NULL  1
//	SS, NS, BS  sum of the members' sizes
//	L     3 + sum over elements of (1 + size)
//	M     3 + sum over entries of (1 + UTF-8 name length + size)
//
// dynalite counts strings in UTF-16 units; DynamoDB counts UTF-8 bytes, as
// here.
func Size(v Value) int {
	switch v.Type {
	case S, B:
		return len(v.S)
	case N:
		return numberSize(v.S)
	case BOOL, NULL:
		return 1
	case SS, BS:
		n := 0
		for _, m := range v.Set {
			n += len(m)
		}
		return n
	case NS:
		n := 0
		for _, m := range v.Set {
			n += numberSize(m)
		}
		return n
	case L:
		n := 3
		for _, e := range v.L {
			n += 1 + Size(e)
		}
		return n
	case M:
		n := 3
		for k, e := range v.M {
			n += 1 + len(k) + Size(e)
		}
		return n
	}
	return 0
}

// numberSize is dynalite's valSize for N:
//
//	1 + Math.ceil(numDigits / 2) + (numDigits % 2 || val.e % 2 ? 0 : 1) + (val.s == -1 ? 1 : 0)
func numberSize(s string) int {
	n, ok := parseNumber(s)
	if !ok || n.first < 0 {
		return 1
	}
	d := n.sigDigits()
	size := 1 + (d+1)/2
	if d%2 == 0 && n.exp%2 == 0 {
		size++
	}
	if n.neg {
		size++
	}
	return size
}

// ItemSize is DynamoDB's item size: sum over attributes of UTF-8 name length
// plus Size of the value.
func ItemSize(it Item) int {
	n := 0
	for k, v := range it {
		n += len(k) + Size(v)
	}
	return n
}
