package faults

import (
	"sort"
	"strings"
)

// Namespaces of the __type member, as DynamoDB sends them.
const (
	NamespaceDynamoDB     = "com.amazonaws.dynamodb.v20120810"
	NamespaceValidate     = "com.amazon.coral.validate"
	NamespaceService      = "com.amazon.coral.service"
	NamespaceAvailability = "com.amazon.coral.availability"
)

// HTTP statuses of the catalogue (net/http stays out of this package).
const (
	status400 = 400
	status500 = 500
	status503 = 503
	status599 = 599
)

// ErrorInfo describes one error an error rule may inject.
type ErrorInfo struct {
	// Code is the exception name, the part of __type after '#'.
	Code string `json:"code"`
	// Namespace is the part of __type before '#'.
	Namespace string `json:"namespace"`
	// HTTPStatus is the status DynamoDB answers the error with.
	HTTPStatus int `json:"httpStatus"`
	// Message is DynamoDB's default message text.
	Message string `json:"message"`
}

// Type returns the full __type, "<namespace>#<code>".
func (e ErrorInfo) Type() string { return e.Namespace + "#" + e.Code }

// Error codes with special handling.
const (
	codeTransactionCanceled = "TransactionCanceledException"
	codeInternalServerError = "InternalServerError"
)

// errorCatalog lists the injectable errors. Texts are DynamoDB's (developer
// guide "Error handling with DynamoDB" and the API reference); the Streams
// texts match the ones the engine raises.
var errorCatalog = map[string]ErrorInfo{ //nolint:gochecknoglobals // constant table
	"ProvisionedThroughputExceededException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "The level of configured provisioned throughput for the table was exceeded. " +
			"Consider increasing your provisioning level with the UpdateTable API."},
	"ThrottlingException": {Namespace: NamespaceAvailability, HTTPStatus: status400,
		Message: "Rate of requests exceeds the allowed throughput."},
	"RequestLimitExceeded": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "Throughput exceeds the current throughput limit for your account. " +
			"Please contact AWS Support at https://aws.amazon.com/support request a limit increase"},
	codeInternalServerError: {Namespace: NamespaceDynamoDB, HTTPStatus: status500,
		Message: "Internal server error"},
	"ServiceUnavailable": {Namespace: NamespaceDynamoDB, HTTPStatus: status503,
		Message: "DynamoDB is currently unavailable. (This should be a temporary state.)"},
	"TransactionConflictException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "Transaction is ongoing for the item"},
	codeTransactionCanceled: {Namespace: NamespaceDynamoDB, HTTPStatus: status400},
	"LimitExceededException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "Too many operations for a given subscriber."},
	"ItemCollectionSizeLimitExceededException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "Collection size exceeded."},
	"ExpiredIteratorException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "The provided iterator exceeds the maximum age allowed."},
	"TrimmedDataAccessException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "The data you are trying to access has been trimmed"},
	"ResourceNotFoundException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "Requested resource not found"},
	"ResourceInUseException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "The resource which you are attempting to change is in use."},
	"ConditionalCheckFailedException": {Namespace: NamespaceDynamoDB, HTTPStatus: status400,
		Message: "The conditional request failed"},
	"ValidationException": {Namespace: NamespaceValidate, HTTPStatus: status400,
		Message: "The provided key element does not match the schema"},
	"AccessDeniedException": {Namespace: NamespaceService, HTTPStatus: status400,
		Message: "Access denied."},
	"UnrecognizedClientException": {Namespace: NamespaceService, HTTPStatus: status400,
		Message: "The security token included in the request is invalid."},
	"MissingAuthenticationTokenException": {Namespace: NamespaceService, HTTPStatus: status400,
		Message: "Request is missing Authentication Token"},
}

// cancellationMessages are DynamoDB's messages of the CancellationReason
// codes; the codes without an entry carry no message.
var cancellationMessages = map[string]string{ //nolint:gochecknoglobals // constant table
	"None":                            "",
	"ConditionalCheckFailed":          "The conditional request failed",
	"ItemCollectionSizeLimitExceeded": "Collection size exceeded.",
	"TransactionConflict":             "Transaction is ongoing for the item",
	"ProvisionedThroughputExceeded": "The level of configured provisioned throughput for the table was exceeded. " +
		"Consider increasing your provisioning level with the UpdateTable API.",
	"ThrottlingError": "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically " +
		"scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: " +
		"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
	"ValidationError": "",
}

// throttlingCodes are the errors that may carry ThrottlingReasons.
var throttlingCodes = map[string]bool{ //nolint:gochecknoglobals // constant table
	"ProvisionedThroughputExceededException": true,
	"ThrottlingException":                    true,
	"RequestLimitExceeded":                   true,
}

// LookupError returns the catalogue entry of code.
func LookupError(code string) (ErrorInfo, bool) {
	e, ok := errorCatalog[code]
	e.Code = code
	return e, ok
}

// ErrorCatalog returns every injectable error, sorted by code.
func ErrorCatalog() []ErrorInfo {
	out := make([]ErrorInfo, 0, len(errorCatalog))
	for code := range errorCatalog {
		e, _ := LookupError(code)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ErrorSpec is a fully resolved error for the wire layer to render:
// {"__type": Type, "message": Message} with status HTTPStatus, plus the
// reasons when present.
type ErrorSpec struct {
	Code       string
	Type       string // "<namespace>#<code>"
	HTTPStatus int
	Message    string
	// CancellationReasons accompany TransactionCanceledException (the wire
	// layer may pad them with "None" to the number of actions).
	CancellationReasons []CancellationReason
	// ThrottlingReasons accompany the throttling errors; an empty Resource
	// is for the wire layer to fill.
	ThrottlingReasons []ThrottlingReason
}

// newErrorSpec resolves an error action's fields against the catalogue.
// The code must be valid (rules are validated before they are stored).
func newErrorSpec(code, msg string, status int, cr []CancellationReason, tr []ThrottlingReason) *ErrorSpec {
	info, _ := LookupError(code)
	s := &ErrorSpec{Code: code, Type: info.Type(), HTTPStatus: info.HTTPStatus, Message: info.Message}
	if status != 0 {
		s.HTTPStatus = status
	}
	if code == codeTransactionCanceled {
		s.CancellationReasons = cancellationReasons(cr)
		s.Message = canceledMessage(s.CancellationReasons)
	}
	if msg != "" {
		s.Message = msg
	}
	if len(tr) > 0 {
		s.ThrottlingReasons = append([]ThrottlingReason(nil), tr...)
	}
	return s
}

// cancellationReasons fills default messages; no reasons at all means one
// TransactionConflict.
func cancellationReasons(in []CancellationReason) []CancellationReason {
	if len(in) == 0 {
		in = []CancellationReason{{Code: "TransactionConflict"}}
	}
	out := make([]CancellationReason, len(in))
	for i, r := range in {
		if r.Message == "" {
			r.Message = cancellationMessages[r.Code]
		}
		out[i] = r
	}
	return out
}

// canceledMessage is DynamoDB's TransactionCanceledException message.
func canceledMessage(rs []CancellationReason) string {
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code
	}
	return "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
		strings.Join(codes, ", ") + "]"
}
