// Package wire serves the AWS JSON 1.0 protocol of DynamoDB and DynamoDB
// Streams over HTTP: it checks each request the way DynamoDB does, decodes
// the body into the engine operation's input type, calls the operation and
// encodes its output or error.
//
// # Request checks
//
// The checks run in the order DynamoDB applies them (as reconstructed by
// dynalite, whose tests were captured against the live service):
//
//  1. a method other than POST (GET / is the health check), or a non-empty
//     body whose media type (the Content-Type before its first ';', trimmed,
//     in any case) is neither application/x-amz-json-1.0 nor
//     application/json: HTTP 404 with the body <UnknownOperationException/>;
//     before the body, a POST whose Origin the CORS allow-list (cors.go)
//     does not name is refused with AccessDeniedException. The path is not
//     looked at;
//  2. a body over 16 MB (with or without Content-Length): HTTP 413 with a
//     RequestEntityTooLargeException envelope. Bodies are read as their
//     bytes arrive (body.go), within a read deadline (408) and a memory
//     budget for the bodies in flight (503);
//  3. a body that is not JSON, or JSON null: SerializationException;
//  4. an X-Amz-Target naming no operation: UnknownOperationException;
//  5. no SigV4 Authorization header: MissingAuthenticationTokenException, or
//     IncompleteSignatureException when it lacks a part (signatures are not
//     verified);
//  6. a member of the wrong JSON type: SerializationException with the
//     service's Java-flavoured message (a number with a fraction or an
//     exponent in an integer member is read truncated toward zero, as
//     DynamoDB reads it, when it fits);
//  7. the operation itself, whose *engine.Error becomes the error envelope.
//     An invalid attribute value found while decoding does not answer at
//     once: the body is decoded again with the value at a placeholder
//     (decode_lax.go) and the operation reports the value's error in its
//     own order of checks (engine.HoldValueError).
//
// Targets DynamoDB_20120810.<Op> and DynamoDBStreams_20120810.<Op> are
// served on the same port from two dispatch tables built in ops.go.
//
// # Responses
//
// Every response carries Content-Type (application/x-amz-json-1.0, or
// application/json when the request used it), x-amzn-RequestId (52
// upper-case characters, unique per Handler), x-amz-crc32 (IEEE CRC32 of the
// body bytes sent) and Content-Length; a CORS preflight answer has no body,
// Content-Type or x-amz-crc32 (cors.go). Errors are
// {"__type":"<namespace>#<Name>","message":"..."} with DynamoDB's namespace
// and HTTP status for each code (errors.go).
//
// # Faults
//
// With an injector attached (SetFaults) and api rules stored, each request
// that passed checks 1-5 is decided before its operation runs (faults.go):
// the tables it addresses are read from TableName, RequestItems,
// TransactItems, StreamArn, the ShardIterator's stream or ResourceArn
// (PartiQL statements are not parsed), then the injector's latency is
// waited out (a cancelled request gets no answer), and then:
//
//   - error: the error is answered with its catalogue status, __type and
//     message, plus CancellationReasons or ThrottlingReasons (an empty
//     resource is the table's ARN); the operation does not run;
//   - commitThenFail: the operation runs (its write and stream record
//     happen), then the client gets the rule's error (InternalServerError
//     by default) or, with "drop", a connection closed without an answer
//     (a 500 when the connection cannot be taken over, as with HTTP/2). If
//     the operation fails, nothing was committed and its error is answered;
//   - partialBatch and emptyRecords: the operation runs with
//     engine.Overrides that leave the chosen items unprocessed or return a
//     page of no records at the same position.
//
// The injector journals every firing before it answers. Without api rules
// the cost is a nil check and one atomic load; admin routes never reach
// this handler.
//
// A Handler is safe for concurrent use.
package wire
