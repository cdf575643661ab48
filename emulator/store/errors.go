package store

import (
	"errors"
	"fmt"
)

// Errors returned by this package. Functions wrap them with details; test
// with errors.Is.
var (
	// ErrTableExists is returned by Catalog.Create for a name in use.
	ErrTableExists = errors.New("store: table already exists")
	// ErrTableDropped is returned by View, Update, UpdateMany and ViewMany
	// on a table that Catalog.Drop (or Reset) removed after the caller
	// looked it up: the caller must answer as if the table did not exist.
	ErrTableDropped = errors.New("store: table dropped")
	// ErrNoSuchIndex is returned for an index name the table does not have.
	ErrNoSuchIndex = errors.New("store: no such index")
	// ErrInvalidDef is returned (or, from Tx.SetDef, panicked and so
	// returned by Update) for a malformed TableDef.
	ErrInvalidDef = errors.New("store: invalid table definition")
	// ErrInvalidKey is returned for a key value missing or of the wrong
	// type: a Put of an item without its key attributes, a Query of a
	// partition-key value of another type, a bad exclusive start key.
	ErrInvalidKey = errors.New("store: invalid key")
	// ErrInvalidSegment is returned by Scan unless 0 <= segment < total.
	ErrInvalidSegment = errors.New("store: invalid scan segment")
	// ErrReadOnly is the panic value of a mutating Tx method inside View.
	ErrReadOnly = errors.New("store: write in a read-only transaction")
	// ErrWriteInIteration is the panic value of a mutating Tx method
	// called from inside a Query or Scan callback. Collect, then write.
	ErrWriteInIteration = errors.New("store: write during a Query or Scan of the same table")
	// ErrTxClosed is the panic value of a Tx method called after its
	// View or Update returned.
	ErrTxClosed = errors.New("store: transaction used after it ended")

	errNilTable = errors.New("store: nil table")
)

// PanicError is returned by View, Update and UpdateMany when the function
// (or the OnCommit hook) panicked. Unwrap returns the panic value when it is
// an error.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack of the panicking goroutine
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("store: panic in transaction: %v", e.Value)
}

// Unwrap returns the panic value if it is an error, else nil.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
