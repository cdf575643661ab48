package attr

// ValidationError is a malformed value that DynamoDB rejects with a
// ValidationException. Msg is DynamoDB's exact message text.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

// SerializationError is input that DynamoDB cannot even deserialize (bad
// base64, a JSON value of the wrong type). It maps to SerializationException.
type SerializationError struct{ Msg string }

func (e *SerializationError) Error() string { return e.Msg }

func invalid(msg string) error { return &ValidationError{Msg: msg} }
