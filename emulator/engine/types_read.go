package engine

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

// QueryInput is the Query request.
type QueryInput struct {
	TableName                 *string           `json:"TableName"`
	IndexName                 *string           `json:"IndexName,omitempty"`
	Select                    *string           `json:"Select,omitempty"`
	AttributesToGet           []string          `json:"AttributesToGet,omitempty"`
	Limit                     *int32            `json:"Limit,omitempty"`
	ConsistentRead            *bool             `json:"ConsistentRead,omitempty"`
	KeyConditions             Conditions        `json:"KeyConditions,omitempty"`
	QueryFilter               Conditions        `json:"QueryFilter,omitempty"`
	ConditionalOperator       *string           `json:"ConditionalOperator,omitempty"`
	ScanIndexForward          *bool             `json:"ScanIndexForward,omitempty"`
	ExclusiveStartKey         StartKey          `json:"ExclusiveStartKey,omitempty"`
	ReturnConsumedCapacity    *string           `json:"ReturnConsumedCapacity,omitempty"`
	ProjectionExpression      *string           `json:"ProjectionExpression,omitempty"`
	FilterExpression          *string           `json:"FilterExpression,omitempty"`
	KeyConditionExpression    *string           `json:"KeyConditionExpression,omitempty"`
	ExpressionAttributeNames  map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues ExpressionValues  `json:"ExpressionAttributeValues,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *QueryInput) held() *heldValue { return &in.hv }

// QueryOutput is the Query response. Items is absent with Select=COUNT and
// an empty list when nothing matched; LastEvaluatedKey is absent on the
// last page.
type QueryOutput struct {
	Items            []ReadItem        `json:"Items,omitzero"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// ScanInput is the Scan request.
type ScanInput struct {
	TableName                 *string           `json:"TableName"`
	IndexName                 *string           `json:"IndexName,omitempty"`
	AttributesToGet           []string          `json:"AttributesToGet,omitempty"`
	Limit                     *int32            `json:"Limit,omitempty"`
	Select                    *string           `json:"Select,omitempty"`
	ScanFilter                Conditions        `json:"ScanFilter,omitempty"`
	ConditionalOperator       *string           `json:"ConditionalOperator,omitempty"`
	ExclusiveStartKey         StartKey          `json:"ExclusiveStartKey,omitempty"`
	ReturnConsumedCapacity    *string           `json:"ReturnConsumedCapacity,omitempty"`
	TotalSegments             *int32            `json:"TotalSegments,omitempty"`
	Segment                   *int32            `json:"Segment,omitempty"`
	ProjectionExpression      *string           `json:"ProjectionExpression,omitempty"`
	FilterExpression          *string           `json:"FilterExpression,omitempty"`
	ExpressionAttributeNames  map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues ExpressionValues  `json:"ExpressionAttributeValues,omitempty"`
	ConsistentRead            *bool             `json:"ConsistentRead,omitempty"`

	hv heldValue // an invalid attribute value the decoder met (HoldValueError)
}

func (in *ScanInput) held() *heldValue { return &in.hv }

// ScanOutput is the Scan response, shaped like QueryOutput.
type ScanOutput struct {
	Items            []ReadItem        `json:"Items,omitzero"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// Conditions is a legacy KeyConditions, QueryFilter or ScanFilter
// parameter: attribute name to condition.
type Conditions map[string]Condition

// Condition is one legacy comparison. ComparisonOperator is a pointer so
// that a missing operator is reported as null.
type Condition struct {
	ComparisonOperator *string      `json:"ComparisonOperator,omitempty"`
	AttributeValueList []attr.Value `json:"AttributeValueList,omitempty"`
}

// toExpr converts the conditions for package expr (nil stays nil).
func (cs Conditions) toExpr() map[string]expr.Condition {
	if cs == nil {
		return nil
	}
	out := make(map[string]expr.Condition, len(cs))
	for name, c := range cs {
		out[name] = expr.Condition{ComparisonOperator: str(c.ComparisonOperator), AttributeValueList: c.AttributeValueList}
	}
	return out
}

// checkConditions applies the constraints on a legacy conditions
// parameter at path: every ComparisonOperator present and known.
func (v *violations) checkConditions(cs Conditions, path string) {
	for _, name := range sortedKeys(cs) {
		p := path + "." + name + ".member.comparisonOperator"
		if cs[name].ComparisonOperator == nil {
			v.add(null, p, mustNotBeNull)
			continue
		}
		v.checkEnum(cs[name].ComparisonOperator, p, comparisonOperatorEnum...)
	}
}

// wide returns *n as an *int64 for the constraint checks (nil stays nil).
func wide(n *int32) *int64 {
	if n == nil {
		return nil
	}
	w := int64(*n)
	return &w
}

// Values of the Select parameter.
const (
	selectAll       = "ALL_ATTRIBUTES"
	selectProjected = "ALL_PROJECTED_ATTRIBUTES"
	selectSpecific  = "SPECIFIC_ATTRIBUTES"
	selectCount     = "COUNT"
)

// selectEnum is the Select value set in DynamoDB's message order.
var selectEnum = []string{selectSpecific, selectCount, selectAll, selectProjected}

// StartKey is an ExclusiveStartKey. It decodes like an item, but words
// invalid values as DynamoDB does for this parameter: most messages get
// the "The provided starting key is invalid: " prefix, while number
// errors, empty number sets and duplicate set members keep their plain
// text (dynalite test/query.js and test/scan.js, recorded against
// DynamoDB).
type StartKey attr.Item

// UnmarshalJSON implements json.Unmarshaler.
func (k *StartKey) UnmarshalJSON(b []byte) error {
	var it attr.Item
	err := it.UnmarshalJSON(b)
	if ve, ok := err.(*attr.ValidationError); ok && startKeyPrefixed(ve.Msg) {
		return &attr.ValidationError{Msg: msgStartKeyInvalid + ": " + ve.Msg, Now: msgStartKeyInvalid + ": " + ve.Current()}
	}
	if err != nil {
		return err
	}
	if it != nil {
		*k = StartKey(it)
	}
	return nil
}

// msgStartKeyInvalid opens every ExclusiveStartKey error.
const msgStartKeyInvalid = "The provided starting key is invalid"

// startKeyPrefixed reports whether DynamoDB prefixes a value error of an
// ExclusiveStartKey with msgStartKeyInvalid.
func startKeyPrefixed(msg string) bool {
	for _, plain := range []string{"numeric value", "Number overflow", "Number underflow",
		"significant digits", "Input collection", "An number set"} {
		if strings.Contains(msg, plain) {
			return false
		}
	}
	return true
}
