package attr

// ValidationError is a malformed value that DynamoDB rejects with a
// ValidationException. Msg is DynamoDB's exact message text.
//
// DynamoDB validates attribute values in one of two layers, depending on
// the operation (paritysuite tier3 error-messages/valueLayers, recorded in
// four regions in October 2026): the older one (BatchWriteItem, the
// transactions, Scan; dynalite's captures) and the current one (PutItem,
// UpdateItem, DeleteItem, GetItem, BatchGetItem, Query). Msg is the older
// layer's text; Now is the current layer's when it differs.
type ValidationError struct{ Msg, Now string }

func (e *ValidationError) Error() string { return e.Msg }

// Current returns the current validation layer's text.
func (e *ValidationError) Current() string {
	if e.Now != "" {
		return e.Now
	}
	return e.Msg
}

// SerializationError is input that DynamoDB cannot even deserialize (bad
// base64, a JSON value of the wrong type). It maps to SerializationException.
type SerializationError struct{ Msg string }

func (e *SerializationError) Error() string { return e.Msg }

func invalid(msg string) error { return &ValidationError{Msg: msg} }
