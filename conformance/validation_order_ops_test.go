package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Which error comes first, continued: the PartiQL operations, the table
// operations other than CreateTable, the TTL operations and the Streams
// operations (docs/fidelity.md, "Validation order and wording"). Sources:
// nubo-db/dynamodb-conformance tier3 validation-ordering and
// error-messages partiql (run against DynamoDB) for PartiQL's checks before
// the table; dynalite's captures (test/updateTable.js, deleteTable.js,
// describeTable.js, updateTimeToLive.js, describeTimeToLive.js) for the
// table operations; scylladb test_streams.py (run against DynamoDB) for a
// stream ARN checked before the shard; DynamoDB Local 3.3.1 where these
// are silent. See conformance/README.md, "Validation order and value
// layers".

// Texts these tests combine.
const (
	msgLimit0       = "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	msgNotWellMade  = "Statement wasn't well formed, can't be processed"
	msgOperandBool  = "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"
	msgEmptyPathEl  = "Path component cannot be an empty string"
	msgTableNameLen = "TableName must be at least 3 characters long and at most 255 characters long"
	msgNamePattern  = "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
)

func TestValidationOrderExecuteStatement(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	// Member constraints first: a Limit of 0 before a statement that does
	// not parse.
	wantRawError(t, ddbCall(t, "ExecuteStatement", map[string]any{"Statement": "SELEKT * FROM x", "Limit": 0}),
		nsValidate+"ValidationException", one(msgLimit0))
	// The statement is parsed before its parameters' values are checked.
	_, err := execStmt(t, "SELEKT * FROM x", emptySS())
	wantAPIErrorContains(t, err, "ValidationException", msgNotWellMade)
	// The parameters' values, then the table.
	_, err = execStmt(t, fmt.Sprintf("SELECT * FROM %q WHERE pk = ? AND a = ?", absent), avS("x"), emptySS())
	wantAPIError(t, err, "ValidationException", msgEmptySS)
	// An operand of the wrong type, and an empty path component, before the
	// table is resolved (nubo-db validation-ordering partiql, DynamoDB).
	for _, name := range []string{absent, table} {
		_, err = execStmt(t, fmt.Sprintf("SELECT pk FROM %q WHERE pk = ? AND val < ?", name), avS("x"), avBool(true))
		wantAPIError(t, err, "ValidationException", msgOperandBool)
	}
	_, err = execStmt(t, fmt.Sprintf("SELECT pk FROM %q WHERE pk = ?", absent), avS("x"))
	wantAPIErrorContains(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = execStmt(t, `SELECT * FROM "" WHERE pk = 'x'`)
	wantAPIError(t, err, "ValidationException", msgEmptyPathEl)
	_, err = execStmt(t, fmt.Sprintf(`SELECT * FROM %q."" WHERE pk = 'x'`, table))
	wantAPIError(t, err, "ValidationException", msgEmptyPathEl)
	// The WHERE clause before the index (DynamoDB Local).
	_, err = execStmt(t, fmt.Sprintf(`SELECT * FROM %q."nope" WHERE pk = 'a' AND val < ?`, absent), avBool(true))
	wantAPIError(t, err, "ValidationException", msgOperandBool)
}

func TestValidationOrderBatchExecuteStatement(t *testing.T) {
	t.Parallel()
	absent := uniqueName("absent")
	sel := fmt.Sprintf("SELECT * FROM %q WHERE pk = 'a'", absent)
	ins := fmt.Sprintf("INSERT INTO %q VALUE {'pk': 'a'}", absent)
	batch := func(rcc types.ReturnConsumedCapacity, stmts ...types.BatchStatementRequest) (*dynamodb.BatchExecuteStatementOutput, error) {
		return ddb(t).BatchExecuteStatement(ctx(t), &dynamodb.BatchExecuteStatementInput{Statements: stmts, ReturnConsumedCapacity: rcc})
	}
	stmt := func(s string, p ...types.AttributeValue) types.BatchStatementRequest {
		return types.BatchStatementRequest{Statement: aws.String(s), Parameters: p}
	}
	// Member constraints first.
	_, err := batch("BOGUS", stmt("SELEKT * FROM x"))
	wantAPIError(t, err, "ValidationException", one(enumRCC))
	// A statement that does not parse is its own error, whatever its
	// parameters; an invalid value in another statement's parameters fails
	// the request (DynamoDB Local).
	out, err := batch("", stmt("SELEKT * FROM x", emptySS()), stmt(sel))
	if err != nil {
		t.Fatalf("BatchExecuteStatement: %v", err)
	}
	if len(out.Responses) != 2 || out.Responses[0].Error == nil || out.Responses[1].Error == nil ||
		out.Responses[0].Error.Code != types.BatchStatementErrorCodeEnumValidationError ||
		!strings.HasPrefix(aws.ToString(out.Responses[0].Error.Message), msgNotWellMade) ||
		out.Responses[1].Error.Code != types.BatchStatementErrorCodeEnumResourceNotFound {
		t.Fatalf("Responses = %s, want the statement's ValidationError, then ResourceNotFound", batchErrors(out))
	}
	_, err = batch("", stmt("SELEKT * FROM x"), stmt(fmt.Sprintf("SELECT * FROM %q WHERE pk = ?", absent), emptySS()))
	wantAPIError(t, err, "ValidationException", msgEmptySS)
	// Reads and writes together, before the tables and whatever a
	// statement that does not parse.
	_, err = batch("", stmt(sel), stmt(ins), stmt("SELEKT * FROM x"))
	wantAPIError(t, err, "ValidationException", "Read and write requests together in the same batch is not supported.")
}

// batchErrors renders the errors of a BatchExecuteStatement's responses.
func batchErrors(out *dynamodb.BatchExecuteStatementOutput) string {
	var parts []string
	for _, r := range out.Responses {
		if r.Error == nil {
			parts = append(parts, "ok")
			continue
		}
		parts = append(parts, string(r.Error.Code)+": "+aws.ToString(r.Error.Message))
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

func TestValidationOrderExecuteTransaction(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	sel := fmt.Sprintf("SELECT * FROM %q WHERE pk = 'a'", absent)
	ins := fmt.Sprintf("INSERT INTO %q VALUE {'pk': 'a'}", absent)
	tx := func(rcc types.ReturnConsumedCapacity, stmts ...types.ParameterizedStatement) error {
		_, err := ddb(t).ExecuteTransaction(ctx(t), &dynamodb.ExecuteTransactionInput{TransactStatements: stmts, ReturnConsumedCapacity: rcc})
		return err
	}
	stmt := func(s string, p ...types.AttributeValue) types.ParameterizedStatement {
		return types.ParameterizedStatement{Statement: aws.String(s), Parameters: p}
	}
	// Member constraints first.
	wantAPIError(t, tx("BOGUS", stmt("SELEKT * FROM x")), "ValidationException", one(enumRCC))
	// Then one statement after the other, each parsed, then checked for a
	// read among writes (or a write among reads), then its parameters'
	// values (DynamoDB Local).
	withBadValue := stmt(fmt.Sprintf("SELECT * FROM %q WHERE pk = ?", absent), emptySS())
	wantAPIError(t, tx("", withBadValue, stmt("SELEKT * FROM x")), "ValidationException", msgEmptySS)
	wantAPIErrorContains(t, tx("", stmt("SELEKT * FROM x"), withBadValue), "ValidationException", msgNotWellMade)
	wantAPIErrorContains(t, tx("", stmt("SELEKT * FROM x"), stmt(sel), stmt(ins)), "ValidationException", msgNotWellMade)
	const mixed = "ExecuteTransaction API does not support both read and write operations in the same request."
	wantAPIError(t, tx("", stmt(sel), stmt(ins), stmt("SELEKT * FROM x")), "ValidationException", mixed)
	wantAPIError(t, tx("", stmt(sel), stmt(fmt.Sprintf("INSERT INTO %q VALUE {'pk': ?}", absent), emptySS())), "ValidationException", mixed)
	// Then the tables, then each statement against its table.
	returning := stmt(fmt.Sprintf("UPDATE %q SET a = 1 WHERE pk = 'x' RETURNING ALL NEW *", table))
	wantAPIError(t, tx("", stmt(ins), returning), "ResourceNotFoundException", "")
	wantAPIError(t, tx("", returning), "ValidationException",
		"Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.")
	wantAttrs(t, "refused transactions", getOK(t, table, pk("x")), nil)
}

func TestValidationOrderTableOperations(t *testing.T) {
	t.Parallel()
	// A missing TableName, then a name of the wrong length (here also of
	// the wrong characters), each alone; then the composite; then the
	// table. UpdateTable and UpdateTimeToLive miss their other members too.
	for _, op := range []string{"DeleteTable", "DescribeTable", "UpdateTable", "UpdateTimeToLive", "DescribeTimeToLive"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			wantRawError(t, ddbCall(t, op, map[string]any{}), nsValidate+"ValidationException",
				"The parameter 'TableName' is required but was not present in the request")
			wantRawError(t, ddbCall(t, op, map[string]any{"TableName": "a;"}), nsValidate+"ValidationException", msgTableNameLen)
			wantRawError(t, ddbCall(t, op, map[string]any{"TableName": "abc;"}), nsValidate+"ValidationException", one(msgNamePattern))
		})
	}
}

func TestValidationOrderUpdateTable(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	update := func(name string, body map[string]any) rawResponse {
		body["TableName"] = name
		return ddbCall(t, "UpdateTable", body)
	}
	pt := func(r, w int64) map[string]any {
		return map[string]any{"ReadCapacityUnits": r, "WriteCapacityUnits": w}
	}
	const big = 1000000000001
	// Member constraints before the capacity bounds, which come read
	// first and before the table.
	wantRawError(t, update(absent, map[string]any{"ProvisionedThroughput": pt(big, -1)}), nsValidate+"ValidationException",
		one("Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"))
	wantRawError(t, ddbCall(t, "UpdateTable", `{"TableName":"`+absent+`","ProvisionedThroughput":{"WriteCapacityUnits":1000000000001,"ReadCapacityUnits":1000000000001}}`),
		nsValidate+"ValidationException", "Given value 1000000000001 for ReadCapacityUnits is out of bounds")
	wantRawError(t, update(absent, map[string]any{"ProvisionedThroughput": pt(big-1, big)}), nsValidate+"ValidationException",
		"Given value 1000000000001 for WriteCapacityUnits is out of bounds")
	// The members of every index update in one composite.
	wantComposite(t, update(absent, map[string]any{"GlobalSecondaryIndexUpdates": []any{
		map[string]any{"Update": map[string]any{"IndexName": "a", "ProvisionedThroughput": map[string]any{}}},
		map[string]any{"Update": map[string]any{"IndexName": "abc;", "ProvisionedThroughput": pt(big, 0)}},
	}}),
		"Value 'a' at 'globalSecondaryIndexUpdates.1.member.update.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3",
		"Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null",
		"Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null",
		"Value 'abc;' at 'globalSecondaryIndexUpdates.2.member.update.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
		"Value '0' at 'globalSecondaryIndexUpdates.2.member.update.provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1")
	// The request's own rules before the table: nothing to change, an
	// empty index update (before their count), the same index twice.
	wantRawErrorContains(t, update(absent, map[string]any{"GlobalSecondaryIndexUpdates": []any{}}), nsValidate+"ValidationException",
		"At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates")
	empty := []any{}
	for range 6 {
		empty = append(empty, map[string]any{})
	}
	wantRawError(t, update(absent, map[string]any{"GlobalSecondaryIndexUpdates": empty}), nsValidate+"ValidationException",
		"One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
	del := func(name string) map[string]any { return map[string]any{"Delete": map[string]any{"IndexName": name}} }
	wantRawError(t, update(absent, map[string]any{"GlobalSecondaryIndexUpdates": []any{del("abc"), del("abc")}}), nsValidate+"ValidationException",
		"One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: abc")
	// The table before an index's capacity bounds; then, for an index the
	// table does not have, those bounds in other words.
	bigIndex := map[string]any{"GlobalSecondaryIndexUpdates": []any{
		map[string]any{"Update": map[string]any{"IndexName": "abc", "ProvisionedThroughput": pt(big, big)}}}}
	wantRawError(t, update(absent, bigIndex), nsDynamoDB+"ResourceNotFoundException", "Requested resource not found: Table: "+absent+" not found")
	wantRawError(t, update(table, bigIndex), nsValidate+"ValidationException",
		"This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate")
	six := []any{}
	for _, n := range []string{"abc", "abd", "abe", "abf", "abg", "abh"} {
		six = append(six, del(n))
	}
	wantRawError(t, update(table, map[string]any{"GlobalSecondaryIndexUpdates": six}), nsDynamoDB+"LimitExceededException",
		"Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
}

func TestValidationOrderTimeToLive(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	ttl := func(name string, spec map[string]any) rawResponse {
		return ddbCall(t, "UpdateTimeToLive", map[string]any{"TableName": name, "TimeToLiveSpecification": spec})
	}
	// The specification's members before the table.
	wantComposite(t, ttl(absent, map[string]any{}),
		"Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
		"Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null")
	// An empty attribute name before the table (its text mentions the
	// length: scylladb test_ttl.py).
	r := ttl(absent, map[string]any{"AttributeName": "", "Enabled": true})
	wantRawErrorContains(t, r, nsValidate+"ValidationException", "length")
	// Then the table, then its TTL state.
	wantRawError(t, ttl(absent, map[string]any{"AttributeName": "a", "Enabled": false}), nsDynamoDB+"ResourceNotFoundException",
		"Requested resource not found: Table: "+absent+" not found")
	wantRawError(t, ttl(table, map[string]any{"AttributeName": "a", "Enabled": false}), nsValidate+"ValidationException",
		"TimeToLive is already disabled")
	wantRawError(t, ddbCall(t, "DescribeTimeToLive", map[string]any{"TableName": absent}), nsDynamoDB+"ResourceNotFoundException",
		"Requested resource not found: Table: "+absent+" not found")
}

func TestValidationOrderStreams(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	shard := aws.ToString(e.shards(arn, 0)[0].ShardId)
	missing := missingStreamARN()
	const notARN = "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"
	// Member constraints first, in one composite, before the stream ARN's
	// shape and the stream.
	_, err := e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(0), ExclusiveStartStreamArn: aws.String(notARN)})
	wantAPIError(t, err, "ValidationException", one(msgLimit0))
	_, err = e.st.DescribeStream(ctx(t), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(notARN), Limit: aws.Int32(0)})
	wantAPIError(t, err, "ValidationException", one(msgLimit0))
	_, err = e.st.DescribeStream(ctx(t), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(missing), ExclusiveStartShardId: aws.String("x")})
	wantAPIError(t, err, "ValidationException",
		one("Value 'x' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28"))
	gsi := func(streamARN, shardID string, typ sstypes.ShardIteratorType) error {
		_, err := e.st.GetShardIterator(ctx(t), &dynamodbstreams.GetShardIteratorInput{
			StreamArn: aws.String(streamARN), ShardId: aws.String(shardID), ShardIteratorType: typ})
		return err
	}
	wantAPIError(t, gsi(missing, shard, "bulle"), "ValidationException", one("Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"))
	wantAPIError(t, gsi(missing, "x", sstypes.ShardIteratorTypeLatest), "ValidationException",
		one("Value 'x' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"))
	// The sequence-number rules before the stream is looked up (their text
	// is not captured).
	wantAPIError(t, gsi(missing, shard, sstypes.ShardIteratorTypeAtSequenceNumber), "ValidationException", "")
	// A malformed stream ARN before the shard (scylladb
	// test_get_shard_iterator_for_nonexistent_stream, DynamoDB).
	wantAPIError(t, gsi(notARN, shard, sstypes.ShardIteratorTypeLatest), "ValidationException", "")
	wantAPIError(t, gsi(missing, shard, sstypes.ShardIteratorTypeLatest), "ResourceNotFoundException", "")
	_, err = e.st.GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(notARN), Limit: aws.Int32(0)})
	wantAPIError(t, err, "ValidationException", one(msgLimit0))
}
