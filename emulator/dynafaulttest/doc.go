// Package dynafaulttest runs a dynafault emulator inside a Go test.
//
// One call gives a test a running server on a loopback httptest listener
// (no Docker, no port to choose), an aws.Config pointed at it, ready
// DynamoDB and DynamoDB Streams clients, a client of the admin API (fault
// rules, journal, clock, shard controls) and the emulator itself; t.Cleanup
// stops it all when the test ends:
//
//	srv := dynafaulttest.Start(t)
//	db := srv.DynamoDB()
//	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{...})
//
// Every Server is independent (its own tables, streams and clock), so
// parallel tests can each start their own.
//
// A team's aws-lambda-go stream handler runs in-process behind a Lambda
// event source mapping: WithFunctions registers it (DynamoDBHandler and
// DynamoDBErrorHandler adapt the handler's signature), Lambda returns a
// client for CreateEventSourceMapping, and the journal and the admin
// client show what the mapping delivered, retried and discarded.
//
// StreamReader (and Server.ReadStream) reads a whole stream as a careful
// consumer does, parents before children, until it is caught up, and
// remembers where it stopped:
//
//	recs := srv.ReadStream(t, "orders") // []types.Record of dynamodbstreams
//
// The emulator's options are those of emulator.Options: with the zero
// value shards never roll over on their own (StreamRollover 0).
//
// Unlike the rest of the emulator tree, this package imports aws-sdk-go-v2:
// it is test support for the SDK's users, never imported by the server.
package dynafaulttest
