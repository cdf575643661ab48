package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// operation is one entry of a dispatch table: it decodes a request body,
// runs the engine operation and encodes the output into out.
type operation struct {
	call func(ctx context.Context, body []byte, out *bytes.Buffer) error
	// emptyBody: a success is answered with an empty body, not "{}"
	// (TagResource, UntagResource).
	emptyBody bool
	// done is told the outcome of each call (SetObserver); nil: nobody.
	done func(code string, elapsed time.Duration)
}

// op adapts an engine operation to the dispatch table: one JSON decode into
// a fresh *In, one call, one JSON encode of *Out ("{}" for a nil output).
// Plain request bodies are decoded by a fastDecoder and item outputs
// encoded by a fastEncoder; both give the bytes and values encoding/json
// gives.
func op[In, Out any](f func(context.Context, *In) (*Out, error)) operation {
	dec, enc := fastDecoder[In](), fastEncoder[Out]()
	return operation{call: func(ctx context.Context, body []byte, out *bytes.Buffer) error {
		in := new(In)
		if dec == nil || !dec(body, in) {
			if dec != nil {
				in = new(In) // the fast decoder may have filled some members
			}
			if decoded, err := decodeBody(body, in); err != nil {
				// An invalid attribute value: the operation may have
				// checks that DynamoDB makes first (decode_lax.go).
				held, ok := decodeDeferred[In](decoded, err)
				if !ok {
					return err
				}
				in = held
			}
		}
		res, err := f(ctx, in)
		if err != nil {
			return err
		}
		if res == nil {
			out.WriteString("{}")
			return nil
		}
		if enc != nil {
			return encodeWith(out, enc, res)
		}
		return encode(out, res)
	}}
}

// opNoBody is op for operations whose success response has an empty body.
func opNoBody[In, Out any](f func(context.Context, *In) (*Out, error)) operation {
	o := op(f)
	o.emptyBody = true
	return o
}

// encodeWith appends res to buf with a fast encoder.
func encodeWith[Out any](buf *bytes.Buffer, enc appendFunc[Out], res *Out) error {
	b, err := enc(buf.AvailableBuffer(), res)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

// encode writes v as compact JSON without HTML escaping (as DynamoDB does)
// and without the encoder's trailing newline.
func encode(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if n := buf.Len(); n > 0 && buf.Bytes()[n-1] == '\n' {
		buf.Truncate(n - 1)
	}
	return nil
}
