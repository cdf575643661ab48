package expr

import "strconv"

// Kind names the request parameter an expression came from. Its String is
// the parameter name used in the "Invalid <Kind>: " message prefix.
type Kind int

// Expression kinds. NoKind marks errors DynamoDB reports without a prefix.
const (
	NoKind Kind = iota
	ConditionKind
	FilterKind
	KeyConditionKind
	ProjectionKind
	UpdateKind
)

var kindNames = [...]string{
	NoKind:           "",
	ConditionKind:    "ConditionExpression",
	FilterKind:       "FilterExpression",
	KeyConditionKind: "KeyConditionExpression",
	ProjectionKind:   "ProjectionExpression",
	UpdateKind:       "UpdateExpression",
}

// String returns the request parameter name ("ConditionExpression", ...).
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a DynamoDB validation failure found while parsing, binding or
// applying an expression. Error() is DynamoDB's complete message.
type Error struct {
	// Kind is the expression the error belongs to; NoKind means the
	// message carries no "Invalid <Kind>: " prefix.
	Kind Kind
	// Msg is the message after the prefix.
	Msg string
	// Pos is the byte offset of the offending token for syntax errors, or -1.
	Pos int
}

func (e *Error) Error() string {
	if e.Kind == NoKind {
		return e.Msg
	}
	return "Invalid " + e.Kind.String() + ": " + e.Msg
}

// errorf-free constructors keep messages literal and greppable.

func kindErr(k Kind, msg string) *Error { return &Error{Kind: k, Msg: msg, Pos: -1} }

func plainErr(msg string) *Error { return &Error{Kind: NoKind, Msg: msg, Pos: -1} }

// Messages shared by several parts of the package.
const (
	msgEmpty          = "The expression can not be empty;"
	msgTooLarge       = "Expression size has exceeded the maximum allowed size;"
	msgRedundant      = "The expression has redundant parentheses;"
	msgReservedPrefix = "Attribute name is a reserved keyword; reserved keyword: "
	msgUndefinedName  = "An expression attribute name used in the document path is not defined; attribute name: "
	msgUndefinedValue = "An expression attribute value used in expression is not defined; attribute value: "
	msgBadFunction    = "Invalid function name; function: "
	msgOperandCount   = "Incorrect number of operands for operator or function; operator or function: "
	msgOperandType    = "Incorrect operand type for operator or function; operator or function: "
	msgNeedsPath      = "Operator or function requires a document path; operator or function: "
	msgMisused        = "The function is not allowed to be used this way in an expression; function: "
	msgDistinct       = "The first operand must be distinct from the remaining operands for this operator or function; operator: "
	msgOverlap        = "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
	msgConflict       = "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
	msgInvalidParam   = "One or more parameter values were invalid: "
)

// MaxExpressionBytes is DynamoDB's limit on the length of one expression.
const MaxExpressionBytes = 4096

// checkSize rejects empty and oversized expressions with DynamoDB's texts.
// Condition and filter expressions append the size, the others do not.
func checkSize(s string, k Kind) error {
	if isBlank(s) {
		return kindErr(k, msgEmpty)
	}
	if len(s) <= MaxExpressionBytes {
		return nil
	}
	if k == ConditionKind || k == FilterKind {
		return kindErr(k, msgTooLarge+" expression size: "+strconv.Itoa(len(s)))
	}
	return kindErr(k, msgTooLarge)
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}
