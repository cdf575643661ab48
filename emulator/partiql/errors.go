package partiql

// Error is a statement DynamoDB refuses with a ValidationException. Msg is
// the complete message.
type Error struct {
	Msg string
	// Pos is the byte offset of the offending token for syntax errors, or -1.
	Pos int
}

func (e *Error) Error() string { return e.Msg }

// PrefixSyntax starts every syntax error's message.
const PrefixSyntax = "Statement wasn't well formed, can't be processed: "

// Details of syntax errors (the part after PrefixSyntax), as DynamoDB's
// parser words them.
const (
	detailLeftover      = "Unexpected token after expression"
	detailTerm          = "Unexpected term"
	detailKeyword       = "Unexpected keyword"
	detailOperator      = "Unexpected operator"
	detailMissingRHS    = "Missing right-hand side expression of infix operator"
	detailIdentifier    = "Expected identifier for simple path"
	detailDML           = "Expected data manipulation"
	detailTypeName      = "Expected type name"
	detailRightParen    = "Expected right parenthesis"
	detailRightBracket  = "Expected right bracket"
	detailRightBrace    = "Expected right curly brace"
	detailRightBag      = "Expected right angle bracket"
	detailExpectedFrom  = "Expected FROM"
	detailExpectedInto  = "Expected INTO"
	detailExpectedValue = "Expected VALUE"
	detailExpectedSet   = "Expected SET or REMOVE"
	detailExpectedBy    = "Expected BY"
	detailExpectedEq    = "Expected ="
	detailExpectedStar  = "Expected *"
	detailExpectedColon = "Expected :"
	detailExpectedAnd   = "Expected AND"
	detailExpectedSeq   = "Expected a list"
)

// Messages of statements that parse but that DynamoDB does not support.
const (
	MsgAliasing         = "Aliasing is not supported"
	MsgSelectValue      = "Select projection doesn't support value or pivot keywords"
	MsgInsertMultiple   = "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead"
	MsgInsertReturning  = "RETURNING is not supported in INSERT"
	MsgItemSyntax       = "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."
	MsgEmptyBag         = "Empty bags are not supported"
	MsgBagType          = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"
	MsgMissingLiteral   = "MISSING must be compared using IS operator"
	MsgParamCount       = "Number of parameters in request and statement don't match."
	MsgStarAndOthers    = "Other attributes should not be present in the projection when '*' is used."
	MsgReturningSyntax  = "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"
	MsgPathListStart    = "A path cannot start with a list index"
	MsgEmptyPathElement = "Path component cannot be an empty string"
	MsgFromPath         = "A path may contain at most 2 components in the FROM clause"
	msgDeleteReturning  = "Invalid returning clause: RETURNING "
	msgDeleteReturnTail = ". Only RETURNING ALL OLD * is allowed in DELETE statements."
	msgDuplicateKeys    = "Duplicate keys in tuple. Key: "
	msgTupleKeyType     = "Tuple keys must be of type String. Actual type: "
	msgUnsupportedToken = "Unsupported token in expression: "
	msgUnsupportedIS    = "Unsupported data type for IS operator: "
	msgUnsupportedISEnd = ". Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"
)

// syntaxErr is a syntax error at pos with the given detail.
func syntaxErr(pos int, detail string) *Error {
	return &Error{Msg: PrefixSyntax + detail, Pos: pos}
}

// plainErr is a refusal without the syntax prefix.
func plainErr(msg string) *Error { return &Error{Msg: msg, Pos: -1} }
