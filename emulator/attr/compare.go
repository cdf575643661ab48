package attr

import "strings"

// Compare orders two values of the same scalar type (S, N or B) the way
// DynamoDB orders keys and evaluates < <= > >=: N numerically, S by UTF-8
// bytes, B as unsigned bytes. ok is false when the types differ or are not
// S/N/B.
func Compare(a, b Value) (c int, ok bool) {
	if a.Type != b.Type {
		return 0, false
	}
	switch a.Type {
	case S, B:
		return strings.Compare(a.S, b.S), true
	case N:
		return CompareNumbers(a.S, b.S), true
	}
	return 0, false
}

// Equal reports deep equality as DynamoDB's = operator sees it: same type and
// same value; sets compare as unordered sets; maps by key; lists in order.
// Numbers are canonical, so equal numbers have equal strings.
func Equal(a, b Value) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case S, N, B:
		return a.S == b.S
	case BOOL:
		return a.Bool == b.Bool
	case NULL, Invalid:
		return true
	case SS, NS, BS:
		return sameSet(a.Set, b.Set)
	case L:
		return equalLists(a.L, b.L)
	case M:
		return equalMaps(a.M, b.M)
	}
	return false
}

// sameSet reports whether two duplicate-free slices hold the same members.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) <= 8 {
		for _, x := range a {
			if !containsString(b, x) {
				return false
			}
		}
		return true
	}
	seen := make(map[string]struct{}, len(b))
	for _, x := range b {
		seen[x] = struct{}{}
	}
	for _, x := range a {
		if _, ok := seen[x]; !ok {
			return false
		}
	}
	return true
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func equalLists(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalMaps(a, b map[string]Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !Equal(av, bv) {
			return false
		}
	}
	return true
}
