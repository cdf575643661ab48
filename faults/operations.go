package faults

// Operation names with special meaning for some actions.
const (
	OpBatchWriteItem = "BatchWriteItem"
	OpBatchGetItem   = "BatchGetItem"
	OpGetRecords     = "GetRecords"
)

// operations are the DynamoDB and DynamoDB Streams operation names an api
// rule may match; a name outside this set is rejected, so a typo cannot
// silently disarm a rule. The value says whether the operation writes.
var operations = map[string]bool{ //nolint:gochecknoglobals // constant table
	// DynamoDB, data plane.
	"BatchExecuteStatement": true, "BatchGetItem": false, "BatchWriteItem": true,
	"DeleteItem": true, "ExecuteStatement": true, "ExecuteTransaction": true,
	"GetItem": false, "PutItem": true, "Query": false, "Scan": false,
	"TransactGetItems": false, "TransactWriteItems": true, "UpdateItem": true,
	// DynamoDB, control plane.
	"CreateBackup": true, "CreateGlobalTable": true, "CreateTable": true,
	"DeleteBackup": true, "DeleteResourcePolicy": true, "DeleteTable": true,
	"DescribeBackup": false, "DescribeContinuousBackups": false,
	"DescribeContributorInsights": false, "DescribeEndpoints": false,
	"DescribeExport": false, "DescribeGlobalTable": false,
	"DescribeGlobalTableSettings": false, "DescribeImport": false,
	"DescribeKinesisStreamingDestination": false, "DescribeLimits": false,
	"DescribeTable": false, "DescribeTableReplicaAutoScaling": false,
	"DescribeTimeToLive": false, "DisableKinesisStreamingDestination": true,
	"EnableKinesisStreamingDestination": true, "ExportTableToPointInTime": true,
	"GetResourcePolicy": false, "ImportTable": true, "ListBackups": false,
	"ListContributorInsights": false, "ListExports": false,
	"ListGlobalTables": false, "ListImports": false, "ListTables": false,
	"ListTagsOfResource": false, "PutResourcePolicy": true,
	"RestoreTableFromBackup": true, "RestoreTableToPointInTime": true,
	"TagResource": true, "UntagResource": true, "UpdateContinuousBackups": true,
	"UpdateContributorInsights": true, "UpdateGlobalTable": true,
	"UpdateGlobalTableSettings":         true,
	"UpdateKinesisStreamingDestination": true, "UpdateTable": true,
	"UpdateTableReplicaAutoScaling": true, "UpdateTimeToLive": true,
	// DynamoDB Streams.
	"DescribeStream": false, "GetRecords": false, "GetShardIterator": false,
	"ListStreams": false,
}

// eventNames are the stream event names.
var eventNames = map[string]bool{"INSERT": true, "MODIFY": true, "REMOVE": true} //nolint:gochecknoglobals // constant table

// knownOperation reports whether op is a DynamoDB or Streams operation.
func knownOperation(op string) bool {
	_, ok := operations[op]
	return ok
}

// appliesTo reports whether an api action can act on operation op: the
// special actions only make sense for some operations, and a rule of such a
// type matches only those, whatever its Match says.
func appliesTo(actionType, op string) bool {
	switch actionType {
	case ActionCommitThenFail:
		return operations[op]
	case ActionPartialBatch:
		return op == OpBatchWriteItem || op == OpBatchGetItem
	case ActionEmptyRecords:
		return op == OpGetRecords
	default:
		return true
	}
}

// applicableOps describes, for an error message, the operations an action
// type is limited to.
func applicableOps(actionType string) string {
	switch actionType {
	case ActionCommitThenFail:
		return "a write operation"
	case ActionPartialBatch:
		return "BatchWriteItem or BatchGetItem"
	case ActionEmptyRecords:
		return "GetRecords"
	default:
		return "an operation"
	}
}
