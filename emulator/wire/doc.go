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
//  1. a method other than POST, or a non-empty body whose Content-Type is
//     neither application/x-amz-json-1.0 nor application/json: HTTP 404 with
//     the body <UnknownOperationException/>;
//  2. a body over 16 MB (with or without Content-Length): HTTP 413;
//  3. a body that is not JSON: SerializationException;
//  4. an X-Amz-Target naming no operation: UnknownOperationException;
//  5. no SigV4 Authorization header: MissingAuthenticationTokenException, or
//     IncompleteSignatureException when it lacks a part (signatures are not
//     verified);
//  6. a member of the wrong JSON type: SerializationException with the
//     service's Java-flavoured message;
//  7. the operation itself, whose *engine.Error becomes the error envelope.
//
// Targets DynamoDB_20120810.<Op> and DynamoDBStreams_20120810.<Op> are
// served on the same port from two dispatch tables built in ops.go.
//
// # Responses
//
// Every response carries Content-Type (application/x-amz-json-1.0, or
// application/json when the request used it), x-amzn-RequestId (52
// upper-case characters, unique per Handler), x-amz-crc32 (IEEE CRC32 of the
// body bytes sent) and Content-Length. Errors are
// {"__type":"<namespace>#<Name>","message":"..."} with DynamoDB's namespace
// and HTTP status for each code (errors.go).
//
// A Handler is safe for concurrent use.
package wire
