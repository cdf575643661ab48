package faults

import "strings"

// CompareSequenceNumbers compares two DynamoDB Streams sequence numbers
// (decimal strings, as journal entries and GetRecords carry them) as the
// numbers they are: -1 when a < b, 0 when equal, +1 when a > b. Numbers of
// different lengths compare correctly ("99" < "100"), with or without
// leading zeros. A string that is not all digits sorts after every
// sequence number, and two such strings compare as strings.
func CompareSequenceNumbers(a, b string) int {
	da, db := isDigits(a), isDigits(b)
	switch {
	case !da || !db:
		if da != db {
			if da {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	}
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// SequenceNumberLess reports whether sequence number a is lower than b
// (see CompareSequenceNumbers), for sort.Slice and slices.SortFunc-style
// callers.
func SequenceNumberLess(a, b string) bool { return CompareSequenceNumbers(a, b) < 0 }

// isDigits reports whether s is a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
