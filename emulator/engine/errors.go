package engine

import (
	"errors"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Code names a DynamoDB or DynamoDB Streams error. Its value is the exception
// name that goes after '#' in the wire's __type. The wire package maps each
// Code to its namespace and HTTP status; see
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
type Code string

// Error codes. Client errors are HTTP 400 unless noted.
const (
	// Validation: a parameter failed a constraint or a semantic check.
	Validation Code = "ValidationException"
	// Serialization: the request body could not be deserialized.
	Serialization Code = "SerializationException"
	// UnknownOperation: the X-Amz-Target names no operation.
	UnknownOperation Code = "UnknownOperationException"
	// ResourceNotFound: the table, index or stream does not exist.
	ResourceNotFound Code = "ResourceNotFoundException"
	// ResourceInUse: the table exists already or is being created/deleted.
	ResourceInUse Code = "ResourceInUseException"
	// ConditionalCheckFailed: a ConditionExpression or Expected evaluated false.
	ConditionalCheckFailed Code = "ConditionalCheckFailedException"
	// DuplicateItem: a PartiQL INSERT found an item with the same key.
	DuplicateItem Code = "DuplicateItemException"
	// TransactionCanceled: a transaction was cancelled; see CancellationReasons.
	TransactionCanceled Code = "TransactionCanceledException"
	// TransactionConflict: another transaction holds an item.
	TransactionConflict Code = "TransactionConflictException"
	// TransactionInProgress: a transaction with the same token is running.
	TransactionInProgress Code = "TransactionInProgressException"
	// IdempotentParameterMismatch: a ClientRequestToken was reused with other parameters.
	IdempotentParameterMismatch Code = "IdempotentParameterMismatchException"
	// TableNotFound: the table of a backup or continuous-backups operation does not exist.
	TableNotFound Code = "TableNotFoundException"
	// LimitExceeded: too many concurrent control-plane operations.
	LimitExceeded Code = "LimitExceededException"
	// ProvisionedThroughputExceeded: throughput exceeded (retryable).
	ProvisionedThroughputExceeded Code = "ProvisionedThroughputExceededException"
	// RequestLimitExceeded: account throughput exceeded (retryable).
	RequestLimitExceeded Code = "RequestLimitExceeded"
	// Throttling: the request rate is too high (retryable).
	Throttling Code = "ThrottlingException"
	// ItemCollectionSizeLimitExceeded: an LSI item collection exceeded 10 GB.
	ItemCollectionSizeLimitExceeded Code = "ItemCollectionSizeLimitExceededException"
	// AccessDenied: the caller may not do this (malformed resource ARNs).
	AccessDenied Code = "AccessDeniedException"
	// MissingAuthenticationToken: no Authorization header.
	MissingAuthenticationToken Code = "MissingAuthenticationTokenException"
	// UnrecognizedClient: the access key is not valid.
	UnrecognizedClient Code = "UnrecognizedClientException"
	// ExpiredIterator: a shard iterator is older than 15 minutes (Streams).
	ExpiredIterator Code = "ExpiredIteratorException"
	// TrimmedDataAccess: the requested records are past retention (Streams).
	TrimmedDataAccess Code = "TrimmedDataAccessException"
	// InternalServerError: HTTP 500.
	InternalServerError Code = "InternalServerError"
	// ServiceUnavailable: HTTP 503.
	ServiceUnavailable Code = "ServiceUnavailable"
)

// Error is an error the client sees as a DynamoDB exception.
type Error struct {
	Code    Code
	Message string
	// Item is the old item returned with ConditionalCheckFailed when the
	// request asked for ReturnValuesOnConditionCheckFailure=ALL_OLD.
	Item attr.Item
	// CancellationReasons accompany TransactionCanceled, one per action.
	CancellationReasons []CancellationReason
	// ThrottlingReasons accompany the throttling errors: why the request
	// was throttled and which table or index throttled it.
	ThrottlingReasons []ThrottlingReason
}

// ThrottlingReason is one member of a throttling error's
// ThrottlingReasons (spelled in lower case on the wire, as DynamoDB does).
type ThrottlingReason struct {
	Reason   string `json:"reason"`   // e.g. TableWriteKeyRangeThroughputExceeded
	Resource string `json:"resource"` // the table's or index's ARN
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// CancellationReason explains the fate of one action of a cancelled transaction.
type CancellationReason struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitempty"`
}

// Errorf-free constructors keep messages literal and greppable.

// NewError returns an *Error with code and message.
func NewError(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

func validationErr(msg string) *Error { return &Error{Code: Validation, Message: msg} }

// AsError converts any error from the engine or its dependencies into the
// *Error the client must see: attr validation and serialization errors keep
// their messages; store.ErrTableDropped is the data-plane ResourceNotFound;
// anything unknown becomes an InternalServerError with a
// generic message (the Go error text is never shown to clients).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, store.ErrTableDropped) {
		// Dropped by a DeleteTable after this request looked it up: the
		// request answers as if it had come after the delete. Control-plane
		// operations say so in their own words (droppedAs).
		return errTableNotFound()
	}
	var ve *attr.ValidationError
	if errors.As(err, &ve) {
		return validationErr(ve.Msg)
	}
	var se *attr.SerializationError
	if errors.As(err, &se) {
		return &Error{Code: Serialization, Message: se.Msg}
	}
	var xe *expr.Error
	if errors.As(err, &xe) {
		return validationErr(xe.Error())
	}
	return &Error{Code: InternalServerError, Message: "Internal server error"}
}
