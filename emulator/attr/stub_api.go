package attr

// THIS FILE IS A PLACEHOLDER holding the API contract of package attr. The
// real implementations replace these stubs in number.go, compare.go, size.go,
// key.go and json.go; delete this file when they exist.

// ParseNumber validates a DynamoDB number string and returns its canonical
// form: plain decimal, no exponent, no leading '+' or zeros, no trailing
// fractional zeros, "-0" -> "0" ("1e3" -> "1000", ".5" -> "0.5").
// Errors are *ValidationError with DynamoDB's texts (38 significant digits,
// overflow, underflow, "The parameter cannot be converted to a numeric value: <v>").
func ParseNumber(s string) (string, error) { panic("unimplemented") }

// CompareNumbers compares two canonical numbers numerically: -1, 0 or +1.
func CompareNumbers(a, b string) int { panic("unimplemented") }

// AddNumbers returns a+b in canonical form, or a *ValidationError when the
// result leaves DynamoDB's range or needs more than 38 significant digits.
func AddNumbers(a, b string) (string, error) { panic("unimplemented") }

// SubtractNumbers returns a-b like AddNumbers.
func SubtractNumbers(a, b string) (string, error) { panic("unimplemented") }

// Compare orders two values of the same scalar type (S, N or B) the way
// DynamoDB orders keys and evaluates < <= > >=: N numerically, S by UTF-8
// bytes, B as unsigned bytes. ok is false when the types differ or are not
// S/N/B.
func Compare(a, b Value) (c int, ok bool) { panic("unimplemented") }

// Equal reports deep equality as DynamoDB's = operator sees it: same type and
// same value; sets compare as unordered sets; maps by key; lists in order.
func Equal(a, b Value) bool { panic("unimplemented") }

// Size is DynamoDB's size of a value (without the attribute name).
func Size(v Value) int { panic("unimplemented") }

// ItemSize is DynamoDB's item size: sum over attributes of UTF-8 name length
// plus Size of the value.
func ItemSize(it Item) int { panic("unimplemented") }

// EncodeKey returns an order-preserving byte encoding of an S, N or B value:
// bytes.Compare(EncodeKey(a), EncodeKey(b)) has the sign of Compare(a, b) for
// values of one type. Equal numbers ("1e3", "1000") encode identically.
func EncodeKey(v Value) string { panic("unimplemented") }

// PartitionHash is a stable 64-bit hash of a partition-key value, used for
// scan order and parallel-scan segments. Equal keys hash equally.
func PartitionHash(v Value) uint64 { panic("unimplemented") }

// MarshalJSON encodes v in DynamoDB's JSON form ({"S":"x"}, B base64, ...).
func (v Value) MarshalJSON() ([]byte, error) { panic("unimplemented") }

// UnmarshalJSON decodes DynamoDB's JSON form, validating as DynamoDB does.
func (v *Value) UnmarshalJSON(b []byte) error { panic("unimplemented") }
