package engine

import "github.com/dynafault/dynafault/emulator/attr"

// ExecuteStatementInput is the ExecuteStatement request.
type ExecuteStatementInput struct {
	Statement                           *string      `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters,omitempty"`
	ConsistentRead                      *bool        `json:"ConsistentRead,omitempty"`
	NextToken                           *string      `json:"NextToken,omitempty"`
	Limit                               *int32       `json:"Limit,omitempty"`
	ReturnConsumedCapacity              *string      `json:"ReturnConsumedCapacity,omitempty"`
	ReturnValuesOnConditionCheckFailure *string      `json:"ReturnValuesOnConditionCheckFailure,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *ExecuteStatementInput) held() *heldValue { return &in.hv }

// ExecuteStatementOutput is the ExecuteStatement response. Items is always
// present (empty for writes without RETURNING).
type ExecuteStatementOutput struct {
	Items            []attr.Item       `json:"Items"`
	NextToken        *string           `json:"NextToken,omitempty"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// BatchExecuteStatementInput is the BatchExecuteStatement request.
type BatchExecuteStatementInput struct {
	Statements             []BatchStatementRequest `json:"Statements"`
	ReturnConsumedCapacity *string                 `json:"ReturnConsumedCapacity,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *BatchExecuteStatementInput) held() *heldValue { return &in.hv }

// BatchStatementRequest is one statement of a BatchExecuteStatement.
type BatchStatementRequest struct {
	Statement                           *string      `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters,omitempty"`
	ConsistentRead                      *bool        `json:"ConsistentRead,omitempty"`
	ReturnValuesOnConditionCheckFailure *string      `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// BatchExecuteStatementOutput is the BatchExecuteStatement response: one
// response per statement, in order.
type BatchExecuteStatementOutput struct {
	Responses        []BatchStatementResponse `json:"Responses"`
	ConsumedCapacity []*ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
}

// BatchStatementResponse is the result of one statement of a batch: its
// table and the item read, or the error it met.
type BatchStatementResponse struct {
	Error     *BatchStatementError `json:"Error,omitempty"`
	TableName string               `json:"TableName,omitempty"`
	Item      attr.Item            `json:"Item,omitempty"`
}

// BatchStatementError is the error one statement of a batch met. Code is
// one of ConditionalCheckFailed, DuplicateItem, ValidationError,
// ResourceNotFound, ... (the exception name without "Exception").
type BatchStatementError struct {
	Code    string    `json:"Code"`
	Message string    `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitempty"`
}

// ExecuteTransactionInput is the ExecuteTransaction request.
type ExecuteTransactionInput struct {
	TransactStatements     []ParameterizedStatement `json:"TransactStatements"`
	ClientRequestToken     *string                  `json:"ClientRequestToken,omitempty"`
	ReturnConsumedCapacity *string                  `json:"ReturnConsumedCapacity,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *ExecuteTransactionInput) held() *heldValue { return &in.hv }

// ParameterizedStatement is one statement of an ExecuteTransaction.
type ParameterizedStatement struct {
	Statement                           *string      `json:"Statement"`
	Parameters                          []attr.Value `json:"Parameters,omitempty"`
	ReturnValuesOnConditionCheckFailure *string      `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// ExecuteTransactionOutput is the ExecuteTransaction response. A read
// transaction has one response per statement (an empty one for a missing
// item); a write transaction has none.
type ExecuteTransactionOutput struct {
	Responses        []ItemResponse      `json:"Responses,omitempty"`
	ConsumedCapacity []*ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}
