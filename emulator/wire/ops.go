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
	return map[string]operation{}
}

// streamsOps is the dispatch table of DynamoDBStreams_20120810.<Op>.
func streamsOps(e *engine.Engine) map[string]operation {
	return map[string]operation{}
}
