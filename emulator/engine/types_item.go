package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

// PutItemInput is the PutItem request.
type PutItemInput struct {
	TableName                           *string                                `json:"TableName"`
	Item                                attr.Item                              `json:"Item"`
	ConditionExpression                 *string                                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                      `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           ExpressionValues                       `json:"ExpressionAttributeValues,omitempty"`
	Expected                            map[string]expr.ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 *string                                `json:"ConditionalOperator,omitempty"`
	ReturnValues                        *string                                `json:"ReturnValues,omitempty"`
	ReturnValuesOnConditionCheckFailure *string                                `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	ReturnConsumedCapacity              *string                                `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         *string                                `json:"ReturnItemCollectionMetrics,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *PutItemInput) held() *heldValue { return &in.hv }

// PutItemOutput is the PutItem response.
type PutItemOutput struct {
	Attributes            attr.Item              `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// GetItemInput is the GetItem request.
type GetItemInput struct {
	TableName                *string           `json:"TableName"`
	Key                      attr.Item         `json:"Key"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	ReturnConsumedCapacity   *string           `json:"ReturnConsumedCapacity,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *GetItemInput) held() *heldValue { return &in.hv }

// GetItemOutput is the GetItem response. Item is absent when no item has
// the key.
type GetItemOutput struct {
	Item             ReadItem          `json:"Item,omitzero"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// UpdateItemInput is the UpdateItem request.
type UpdateItemInput struct {
	TableName                           *string                                `json:"TableName"`
	Key                                 attr.Item                              `json:"Key"`
	UpdateExpression                    *string                                `json:"UpdateExpression,omitempty"`
	ConditionExpression                 *string                                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                      `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           ExpressionValues                       `json:"ExpressionAttributeValues,omitempty"`
	AttributeUpdates                    map[string]expr.AttributeValueUpdate   `json:"AttributeUpdates,omitempty"`
	Expected                            map[string]expr.ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 *string                                `json:"ConditionalOperator,omitempty"`
	ReturnValues                        *string                                `json:"ReturnValues,omitempty"`
	ReturnValuesOnConditionCheckFailure *string                                `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	ReturnConsumedCapacity              *string                                `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         *string                                `json:"ReturnItemCollectionMetrics,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *UpdateItemInput) held() *heldValue { return &in.hv }

// UpdateItemOutput is the UpdateItem response.
type UpdateItemOutput struct {
	Attributes            attr.Item              `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// DeleteItemInput is the DeleteItem request.
type DeleteItemInput struct {
	TableName                           *string                                `json:"TableName"`
	Key                                 attr.Item                              `json:"Key"`
	ConditionExpression                 *string                                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                      `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           ExpressionValues                       `json:"ExpressionAttributeValues,omitempty"`
	Expected                            map[string]expr.ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 *string                                `json:"ConditionalOperator,omitempty"`
	ReturnValues                        *string                                `json:"ReturnValues,omitempty"`
	ReturnValuesOnConditionCheckFailure *string                                `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	ReturnConsumedCapacity              *string                                `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         *string                                `json:"ReturnItemCollectionMetrics,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *DeleteItemInput) held() *heldValue { return &in.hv }

// DeleteItemOutput is the DeleteItem response.
type DeleteItemOutput struct {
	Attributes            attr.Item              `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// ConsumedCapacity reports the capacity units an operation consumed. With
// ReturnConsumedCapacity=TOTAL only TableName and CapacityUnits are set;
// INDEXES adds Table and the per-index maps. Single-item operations never
// set the ReadCapacityUnits/WriteCapacityUnits split (DynamoDB reports it
// only for transactions).
type ConsumedCapacity struct {
	TableName              string              `json:"TableName"`
	CapacityUnits          float64             `json:"CapacityUnits"`
	ReadCapacityUnits      float64             `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits     float64             `json:"WriteCapacityUnits,omitempty"`
	Table                  *Capacity           `json:"Table,omitempty"`
	LocalSecondaryIndexes  map[string]Capacity `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes map[string]Capacity `json:"GlobalSecondaryIndexes,omitempty"`
}

// Capacity is the capacity consumed by the table or one index.
type Capacity struct {
	CapacityUnits      float64 `json:"CapacityUnits"`
	ReadCapacityUnits  float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits float64 `json:"WriteCapacityUnits,omitempty"`
}

// ItemCollectionMetrics describes the item collection (the items sharing a
// partition key in a table with local secondary indexes) a write touched.
type ItemCollectionMetrics struct {
	ItemCollectionKey   attr.Item `json:"ItemCollectionKey,omitempty"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB,omitempty"`
}

// Enum values of the item operations' parameters.
const (
	returnNone       = "NONE"
	returnAllOld     = "ALL_OLD"
	returnUpdatedOld = "UPDATED_OLD"
	returnAllNew     = "ALL_NEW"
	returnUpdatedNew = "UPDATED_NEW"

	capacityIndexes = "INDEXES"
	capacityTotal   = "TOTAL"
)

// The enum value sets, in the order DynamoDB lists them in its messages.
var (
	returnValuesEnum           = []string{returnAllNew, returnUpdatedOld, returnAllOld, returnNone, returnUpdatedNew}
	returnCapacityEnum         = []string{capacityIndexes, capacityTotal, returnNone}
	returnCollectionMetricEnum = []string{"SIZE", returnNone}
	returnOnFailureEnum        = []string{returnAllOld, returnNone}
	conditionalOperatorEnum    = []string{"OR", "AND"}
	comparisonOperatorEnum     = []string{"IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS"}
	attributeActionEnum        = []string{"ADD", "PUT", "DELETE"}
)

// ExpressionValues is a request's ExpressionAttributeValues. It decodes like
// an item, but reports an invalid value the way DynamoDB does for this
// parameter ("ExpressionAttributeValues contains invalid value: ... for key :v").
type ExpressionValues map[string]attr.Value

// UnmarshalJSON implements json.Unmarshaler.
func (ev *ExpressionValues) UnmarshalJSON(b []byte) error {
	m, err := attr.UnmarshalPlaceholderValues(b)
	if err != nil {
		return err
	}
	if m != nil {
		*ev = m
	}
	return nil
}
