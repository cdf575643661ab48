package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
)

// BatchGetItemInput is the BatchGetItem request.
type BatchGetItemInput struct {
	RequestItems           map[string]*KeysAndAttributes `json:"RequestItems"`
	ReturnConsumedCapacity *string                       `json:"ReturnConsumedCapacity,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *BatchGetItemInput) held() *heldValue { return &in.hv }

// KeysAndAttributes is what BatchGetItem reads from one table (and what
// UnprocessedKeys gives back).
type KeysAndAttributes struct {
	Keys                     []attr.Item       `json:"Keys"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
}

// BatchGetItemOutput is the BatchGetItem response. Responses and
// UnprocessedKeys are always present.
type BatchGetItemOutput struct {
	Responses        map[string][]ReadItem         `json:"Responses"`
	UnprocessedKeys  map[string]*KeysAndAttributes `json:"UnprocessedKeys"`
	ConsumedCapacity []*ConsumedCapacity           `json:"ConsumedCapacity,omitempty"`
}

// BatchWriteItemInput is the BatchWriteItem request.
type BatchWriteItemInput struct {
	RequestItems                map[string][]WriteRequest `json:"RequestItems"`
	ReturnConsumedCapacity      *string                   `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics *string                   `json:"ReturnItemCollectionMetrics,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *BatchWriteItemInput) held() *heldValue { return &in.hv }

// WriteRequest is one write of a BatchWriteItem: exactly one of PutRequest
// and DeleteRequest.
type WriteRequest struct {
	PutRequest    *PutRequest    `json:"PutRequest,omitempty"`
	DeleteRequest *DeleteRequest `json:"DeleteRequest,omitempty"`
}

// PutRequest stores Item.
type PutRequest struct {
	Item attr.Item `json:"Item"`
}

// DeleteRequest deletes the item with Key.
type DeleteRequest struct {
	Key attr.Item `json:"Key"`
}

// BatchWriteItemOutput is the BatchWriteItem response. UnprocessedItems is
// always present.
type BatchWriteItemOutput struct {
	UnprocessedItems      map[string][]WriteRequest           `json:"UnprocessedItems"`
	ConsumedCapacity      []*ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]*ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// TransactWriteItemsInput is the TransactWriteItems request.
type TransactWriteItemsInput struct {
	TransactItems               []TransactWriteItem `json:"TransactItems"`
	ClientRequestToken          *string             `json:"ClientRequestToken,omitempty"`
	ReturnConsumedCapacity      *string             `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics *string             `json:"ReturnItemCollectionMetrics,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *TransactWriteItemsInput) held() *heldValue { return &in.hv }

// TransactWriteItem is one action of a write transaction: exactly one of
// ConditionCheck, Put, Update and Delete.
type TransactWriteItem struct {
	ConditionCheck *ConditionCheck `json:"ConditionCheck,omitempty"`
	Put            *TransactPut    `json:"Put,omitempty"`
	Update         *TransactUpdate `json:"Update,omitempty"`
	Delete         *TransactDelete `json:"Delete,omitempty"`
}

// transactCommon are the members every write action has.
type transactCommon struct {
	TableName                           *string           `json:"TableName"`
	ConditionExpression                 *string           `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           ExpressionValues  `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure *string           `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// ConditionCheck checks a condition on the item with Key without writing it.
type ConditionCheck struct {
	transactCommon
	Key attr.Item `json:"Key"`
}

// TransactPut stores Item when its condition holds.
type TransactPut struct {
	transactCommon
	Item attr.Item `json:"Item"`
}

// TransactUpdate applies UpdateExpression to the item with Key when its
// condition holds.
type TransactUpdate struct {
	transactCommon
	Key              attr.Item `json:"Key"`
	UpdateExpression *string   `json:"UpdateExpression"`
}

// TransactDelete deletes the item with Key when its condition holds.
type TransactDelete struct {
	transactCommon
	Key attr.Item `json:"Key"`
}

// TransactWriteItemsOutput is the TransactWriteItems response.
type TransactWriteItemsOutput struct {
	ConsumedCapacity      []*ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]*ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// TransactGetItemsInput is the TransactGetItems request.
type TransactGetItemsInput struct {
	TransactItems          []TransactGetItem `json:"TransactItems"`
	ReturnConsumedCapacity *string           `json:"ReturnConsumedCapacity,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *TransactGetItemsInput) held() *heldValue { return &in.hv }

// TransactGetItem is one read of a TransactGetItems.
type TransactGetItem struct {
	Get *TransactGet `json:"Get"`
}

// TransactGet reads the item with Key, projected to ProjectionExpression.
type TransactGet struct {
	TableName                *string           `json:"TableName"`
	Key                      attr.Item         `json:"Key"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
}

// TransactGetItemsOutput is the TransactGetItems response: one entry per
// Get, in order, with no Item for a missing item.
type TransactGetItemsOutput struct {
	Responses        []ItemResponse      `json:"Responses"`
	ConsumedCapacity []*ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// ItemResponse is one item of TransactGetItems.
type ItemResponse struct {
	Item attr.Item `json:"Item,omitzero"`
}
