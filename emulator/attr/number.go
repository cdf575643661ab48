package attr

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// DynamoDB's number limits (awsdocs Limits.md): 38 significant digits and a
// magnitude between 1E-130 and 9.99…E+125, written here as the exponent of
// the leading digit in scientific notation.
const (
	maxSigDigits = 38
	maxExponent  = 125
	minExponent  = -130
	// maxNumberLen bounds a canonical number: sign, "0.", 129 zeros and
	// 38 digits.
	maxNumberLen = 1 + 2 + (-minExponent - 1) + maxSigDigits
)

// DynamoDB's texts for invalid numbers (dynalite validations/index.js,
// checkNum; its tests were captured against DynamoDB).
const (
	msgNotNumeric    = "The parameter cannot be converted to a numeric value"
	msgTooManyDigits = "Attempting to store more than 38 significant digits in a Number"
	msgOverflow      = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow     = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)

// number is a parsed decimal string. The significant digits are the digits
// of mant (skipping a '.') at indexes first..last; first < 0 means zero.
type number struct {
	neg         bool
	mant        string // digits with at most one '.'
	pointPos    int    // number of digits before the '.' (len of digits if none)
	first, last int
	exp         int64 // scientific exponent of the leading significant digit
}

// sigDigits is the count of significant digits (0 for zero).
func (n *number) sigDigits() int {
	if n.first < 0 {
		return 0
	}
	return n.last - n.first + 1
}

// digit returns the k-th digit of the mantissa, skipping the '.'.
func (n *number) digit(k int) byte {
	if k < n.pointPos {
		return n.mant[k]
	}
	if n.pointPos < len(n.mant) { // there is a '.' at mant[pointPos]
		return n.mant[k+1]
	}
	return n.mant[k]
}

// parseNumber parses [+-]digits[.digits][(e|E)[+-]digits], the syntax
// DynamoDB accepts (scylladb test_number.py: "+3", ".123", "0001.23",
// "1e+5", "-17.4E37" are valid; " 1", "1 ", "NaN", "Infinity" are not).
func parseNumber(s string) (number, bool) {
	var n number
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		n.neg = s[i] == '-'
		i++
	}
	start := i
	digits, dot := 0, -1
	n.first, n.last = -1, -1
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if c != '0' {
				if n.first < 0 {
					n.first = digits
				}
				n.last = digits
			}
			digits++
			continue
		}
		if c == '.' && dot < 0 {
			dot = digits
			continue
		}
		break
	}
	if digits == 0 {
		return n, false
	}
	n.mant = s[start:i]
	n.pointPos = digits
	if dot >= 0 {
		n.pointPos = dot
	}
	if i < len(s) {
		e, ok := parseExponent(s[i:])
		if !ok {
			return n, false
		}
		n.exp = e
	}
	if n.first < 0 {
		n.neg = false
		n.exp = 0
		return n, true
	}
	n.exp += int64(n.pointPos - n.first - 1)
	return n, true
}

// parseExponent parses "e[+-]digits", saturating far outside the range.
func parseExponent(s string) (int64, bool) {
	if len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
		return 0, false
	}
	i, neg := 1, false
	if s[i] == '+' || s[i] == '-' {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var e int64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if e < 1e12 {
			e = e*10 + int64(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

// check returns DynamoDB's message for a number out of range or precision,
// in dynalite's order: overflow, underflow, then digits.
func (n *number) check() string {
	if n.first < 0 {
		return ""
	}
	switch {
	case n.exp > maxExponent:
		return msgOverflow
	case n.exp < minExponent:
		return msgUnderflow
	case n.sigDigits() > maxSigDigits:
		return msgTooManyDigits
	}
	return ""
}

// appendCanonical writes n in plain decimal form (n must pass check).
func (n *number) appendCanonical(dst []byte) []byte {
	if n.first < 0 {
		return append(dst, '0')
	}
	if n.neg {
		dst = append(dst, '-')
	}
	nsig := n.sigDigits()
	if n.exp < 0 {
		dst = append(dst, '0', '.')
		for range -n.exp - 1 {
			dst = append(dst, '0')
		}
		for k := n.first; k <= n.last; k++ {
			dst = append(dst, n.digit(k))
		}
		return dst
	}
	intLen := int(n.exp) + 1
	for j := range intLen {
		if j < nsig {
			dst = append(dst, n.digit(n.first+j))
		} else {
			dst = append(dst, '0')
		}
	}
	if nsig > intLen {
		dst = append(dst, '.')
		for k := n.first + intLen; k <= n.last; k++ {
			dst = append(dst, n.digit(k))
		}
	}
	return dst
}

// ParseNumber validates a DynamoDB number string and returns its canonical
// form: plain decimal, no exponent, no leading '+' or zeros, no trailing
// fractional zeros, "-0" -> "0" ("1e3" -> "1000", ".5" -> "0.5").
// Errors are *ValidationError with DynamoDB's texts (38 significant digits,
// overflow, underflow, "The parameter cannot be converted to a numeric value: <v>";
// for an empty string DynamoDB leaves out the ": <v>").
func ParseNumber(s string) (string, error) {
	if s == "" {
		return "", &ValidationError{Msg: msgNotNumeric, Now: msgNotNumeric + ": "}
	}
	n, ok := parseNumber(s)
	if !ok {
		return "", invalid(msgNotNumeric + ": " + s)
	}
	if msg := n.check(); msg != "" {
		if raw := n.exp - int64(n.pointPos-n.first-1); msg == msgOverflow && n.exp >= math.MaxInt32 && raw <= math.MaxInt32 {
			// The older layer reads the number as Java's BigDecimal, whose
			// 32-bit exponent arithmetic wraps: 1e2147483647 underflows
			// there (paritysuite valueLayers).
			return "", &ValidationError{Msg: msgUnderflow, Now: msgOverflow}
		}
		return "", invalid(msg)
	}
	var buf [maxNumberLen]byte
	out := n.appendCanonical(buf[:0])
	if string(out) == s {
		return s, nil
	}
	return string(out), nil
}

// CompareNumbers compares two canonical numbers numerically: -1, 0 or +1.
// It works on the strings directly: sign, then the length of the integer
// part, then the digits.
func CompareNumbers(a, b string) int {
	an := len(a) > 0 && a[0] == '-'
	bn := len(b) > 0 && b[0] == '-'
	if an != bn {
		if an {
			return -1
		}
		return 1
	}
	if an {
		return -compareMagnitudes(a[1:], b[1:])
	}
	return compareMagnitudes(a, b)
}

// compareMagnitudes compares two unsigned canonical numbers.
func compareMagnitudes(a, b string) int {
	ai, bi := integerLen(a), integerLen(b)
	if ai != bi {
		if ai < bi {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// integerLen is the number of integer digits of an unsigned canonical
// number, counting "0" (as in "0.5") as none.
func integerLen(s string) int {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		i = len(s)
	}
	if i == 1 && s[0] == '0' {
		return 0
	}
	return i
}

// AddNumbers returns a+b in canonical form, or a *ValidationError when the
// result leaves DynamoDB's range or needs more than 38 significant digits.
func AddNumbers(a, b string) (string, error) { return arith(a, b, false) }

// SubtractNumbers returns a-b like AddNumbers.
func SubtractNumbers(a, b string) (string, error) { return arith(a, b, true) }

// arith computes a±b exactly, then applies DynamoDB's limits to the result.
// A result that would need more than 38 significant digits is reported as
// an overflow: that is what DynamoDB answers for 1e50 + 1 (scylladb
// test_number.py, test_update_expression_plus_imprecise).
func arith(a, b string, subtract bool) (string, error) {
	x, err := decimalOf(a)
	if err != nil {
		return "", err
	}
	y, err := decimalOf(b)
	if err != nil {
		return "", err
	}
	var z apd.Decimal
	// Precision 0 is exact for addition; operands are bounded by the
	// number limits, so the result has at most a few hundred digits.
	ctx := apd.Context{MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent}
	if subtract {
		_, err = ctx.Sub(&z, x, y)
	} else {
		_, err = ctx.Add(&z, x, y)
	}
	if err != nil {
		return "", invalid(msgOverflow)
	}
	s := z.Text('f')
	n, ok := parseNumber(s)
	if !ok {
		return "", invalid(msgNotNumeric + ": " + s)
	}
	switch msg := n.check(); msg {
	case "":
	case msgTooManyDigits:
		return "", invalid(msgOverflow)
	default:
		return "", invalid(msg)
	}
	var buf [maxNumberLen]byte
	return string(n.appendCanonical(buf[:0])), nil
}

// decimalOf parses a number operand, validating it like ParseNumber.
func decimalOf(s string) (*apd.Decimal, error) {
	c, err := ParseNumber(s)
	if err != nil {
		return nil, err
	}
	d, _, err := apd.NewFromString(c)
	if err != nil {
		return nil, invalid(msgNotNumeric + ": " + s)
	}
	return d, nil
}
