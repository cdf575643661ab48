package wire

import (
	"net/http"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// Namespaces of the __type member, as the real service sends them.
const (
	nsDynamoDB     = "com.amazonaws.dynamodb.v20120810#"
	nsValidate     = "com.amazon.coral.validate#"
	nsService      = "com.amazon.coral.service#"
	nsAvailability = "com.amazon.coral.availability#"
)

// Codes the wire layer raises itself that the engine never returns.
const (
	incompleteSignature engine.Code = "IncompleteSignatureException"
	invalidSignature    engine.Code = "InvalidSignatureException"
	// requestEntityTooLarge and requestTimeout: body.go.
)

// errorKind is how one Code travels: its __type namespace and HTTP status.
type errorKind struct {
	namespace string
	status    int
}

// errorKinds maps every known Code to its namespace and status. A Code that
// is missing (a service error added later) is a 400 in the DynamoDB
// namespace, which is right for every DynamoDB service exception.
//
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
var errorKinds = map[engine.Code]errorKind{ //nolint:gochecknoglobals // constant table
	engine.Validation:                      {nsValidate, http.StatusBadRequest},
	engine.Serialization:                   {nsService, http.StatusBadRequest},
	engine.UnknownOperation:                {nsService, http.StatusBadRequest},
	engine.MissingAuthenticationToken:      {nsService, http.StatusBadRequest},
	engine.UnrecognizedClient:              {nsService, http.StatusBadRequest},
	engine.AccessDenied:                    {nsService, http.StatusBadRequest},
	incompleteSignature:                    {nsService, http.StatusBadRequest},
	invalidSignature:                       {nsService, http.StatusBadRequest},
	requestEntityTooLarge:                  {nsService, http.StatusRequestEntityTooLarge},
	requestTimeout:                         {nsService, http.StatusRequestTimeout},
	engine.Throttling:                      {nsAvailability, http.StatusBadRequest},
	engine.ResourceNotFound:                {nsDynamoDB, http.StatusBadRequest},
	engine.ResourceInUse:                   {nsDynamoDB, http.StatusBadRequest},
	engine.ConditionalCheckFailed:          {nsDynamoDB, http.StatusBadRequest},
	engine.DuplicateItem:                   {nsDynamoDB, http.StatusBadRequest},
	engine.TransactionCanceled:             {nsDynamoDB, http.StatusBadRequest},
	engine.TransactionConflict:             {nsDynamoDB, http.StatusBadRequest},
	engine.TransactionInProgress:           {nsDynamoDB, http.StatusBadRequest},
	engine.IdempotentParameterMismatch:     {nsDynamoDB, http.StatusBadRequest},
	engine.TableNotFound:                   {nsDynamoDB, http.StatusBadRequest},
	engine.LimitExceeded:                   {nsDynamoDB, http.StatusBadRequest},
	engine.ProvisionedThroughputExceeded:   {nsDynamoDB, http.StatusBadRequest},
	engine.RequestLimitExceeded:            {nsDynamoDB, http.StatusBadRequest},
	engine.ItemCollectionSizeLimitExceeded: {nsDynamoDB, http.StatusBadRequest},
	engine.ExpiredIterator:                 {nsDynamoDB, http.StatusBadRequest},
	engine.TrimmedDataAccess:               {nsDynamoDB, http.StatusBadRequest},
	engine.InternalServerError:             {nsDynamoDB, http.StatusInternalServerError},
	engine.ServiceUnavailable:              {nsDynamoDB, http.StatusServiceUnavailable},
}

// kindOf returns the namespace and status of code.
func kindOf(code engine.Code) errorKind {
	if k, ok := errorKinds[code]; ok {
		return k
	}
	return errorKind{nsDynamoDB, http.StatusBadRequest}
}

// errorBody is the JSON error envelope. DynamoDB spells the message member
// "message", except for SerializationException and
// TransactionCanceledException, which use "Message"; an empty message is
// left out (SerializationException for malformed JSON, UnknownOperation).
type errorBody struct {
	Type                string                      `json:"__type"`
	Message             string                      `json:"message,omitempty"`
	MessageCap          string                      `json:"Message,omitempty"`
	CancellationReasons []engine.CancellationReason `json:"CancellationReasons,omitempty"`
	Item                attr.Item                   `json:"Item,omitempty"`
}

// newErrorBody builds the envelope of e.
func newErrorBody(e *engine.Error) *errorBody {
	b := &errorBody{Type: kindOf(e.Code).namespace + string(e.Code)}
	switch e.Code {
	case engine.Serialization, engine.TransactionCanceled:
		b.MessageCap = e.Message
	default:
		b.Message = e.Message
	}
	b.CancellationReasons = e.CancellationReasons
	if e.Code == engine.ConditionalCheckFailed {
		b.Item = e.Item
	}
	return b
}
