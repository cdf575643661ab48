package mapping

import "fmt"

// Error codes of the Lambda API that this package raises; the lambda
// package maps them to HTTP statuses and bodies.
const (
	CodeNotFound     = "ResourceNotFoundException"
	CodeInvalidValue = "InvalidParameterValueException"
	CodeConflict     = "ResourceConflictException"
	CodeInUse        = "ResourceInUseException"
)

// Error is an API error with Lambda's code and message.
type Error struct {
	Code, Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Messages AWS answers (see docs/mappings.md for the evidence).
const (
	msgNotFound       = "The resource you requested does not exist."
	msgNoFunction     = "Function does not exist"
	msgUnknownSource  = "Unrecognized event source."
	msgInvalidFilter  = "Invalid filter pattern definition."
	msgBadDestination = "Unsupported DestinationConfig parameter for given event source mapping type."
)

// errNotFound is the error of an unknown UUID.
func errNotFound() *Error { return &Error{Code: CodeNotFound, Message: msgNotFound} }
