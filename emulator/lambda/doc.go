// Package lambda serves the part of the AWS Lambda REST-JSON API that
// event source mappings need, on the emulator's port: the
// CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings,
// UpdateEventSourceMapping and DeleteEventSourceMapping operations under
// /2015-03-31/event-source-mappings/, and TagResource, UntagResource and
// ListTags for mapping ARNs under /2017-03-31/tags/. It decodes and
// validates requests the way Lambda does (shapes, ranges, the
// ValidationException and InvalidParameterValueException texts), calls
// package mapping, and encodes answers and errors (the X-Amzn-Errortype
// header and the JSON body, with Lambda's casing of "message"/"Message").
// Signatures are not verified.
package lambda
