package wire

import "github.com/dynafault/dynafault/emulator/engine"

// Target prefixes of the two services served on one port.
const (
	prefixDynamoDB = "DynamoDB_20120810"
	prefixStreams  = "DynamoDBStreams_20120810"
)

// dynamoOps is the dispatch table of DynamoDB_20120810.<Op>: one line per
// operation.
func dynamoOps(e *engine.Engine) map[string]operation {
	return map[string]operation{
		// Control plane.
		"CreateTable":               op(e.CreateTable),
		"DeleteTable":               op(e.DeleteTable),
		"DescribeTable":             op(e.DescribeTable),
		"ListTables":                op(e.ListTables),
		"UpdateTable":               op(e.UpdateTable),
		"UpdateTimeToLive":          op(e.UpdateTimeToLive),
		"DescribeTimeToLive":        op(e.DescribeTimeToLive),
		"TagResource":               opNoBody(e.TagResource),
		"UntagResource":             opNoBody(e.UntagResource),
		"ListTagsOfResource":        op(e.ListTagsOfResource),
		"DescribeEndpoints":         op(e.DescribeEndpoints),
		"DescribeLimits":            op(e.DescribeLimits),
		"DescribeContinuousBackups": op(e.DescribeContinuousBackups),
		// Items.
		"PutItem":    op(e.PutItem),
		"GetItem":    op(e.GetItem),
		"UpdateItem": op(e.UpdateItem),
		"DeleteItem": op(e.DeleteItem),
		"Query":      op(e.Query),
		"Scan":       op(e.Scan),
		// PartiQL.
		"ExecuteStatement":      op(e.ExecuteStatement),
		"BatchExecuteStatement": op(e.BatchExecuteStatement),
		"ExecuteTransaction":    op(e.ExecuteTransaction),
		// Batches and transactions.
		"BatchGetItem":       op(e.BatchGetItem),
		"BatchWriteItem":     op(e.BatchWriteItem),
		"TransactWriteItems": op(e.TransactWriteItems),
		"TransactGetItems":   op(e.TransactGetItems),
	}
}

// streamsOps is the dispatch table of DynamoDBStreams_20120810.<Op>.
func streamsOps(e *engine.Engine) map[string]operation {
	return map[string]operation{
		"ListStreams":      op(e.ListStreams),
		"DescribeStream":   op(e.DescribeStream),
		"GetShardIterator": op(e.GetShardIterator),
		"GetRecords":       op(e.GetRecords),
	}
}
