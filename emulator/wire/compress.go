package wire

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/dynafault/dynafault/emulator/engine"
)

// Compressed requests and responses.
//
// A request with Content-Encoding gzip (or x-gzip) or deflate (zlib, or
// raw deflate as some clients send it), as an SDK with request compression
// sends it, is inflated before anything reads it; several encodings are
// undone last first. MaxBodyBytes applies to the inflated body while it is
// inflated, so a small body that would inflate past it (a decompression
// bomb) costs at most MaxBodyBytes+1 bytes of memory before the 413. A
// body that does not inflate is a SerializationException naming the
// encoding; an encoding other than these and identity is one too.
//
// A response to a request that accepts gzip (Accept-Encoding) is sent
// compressed with Content-Encoding gzip, and its x-amz-crc32 is the CRC32
// of the bytes as sent, the compressed ones, which is what the SDKs check
// (aws-sdk-go-v2 service/dynamodb validates the checksum before it
// inflates the body when EnableAcceptEncodingGzip is set).

// inflateBody returns the body decoded per the request's Content-Encoding
// header, and whether serving should go on; when not, the answer is sent
// (413 with the error body of a plain body over the limit).
func (h *Handler) inflateBody(q *request, body []byte) ([]byte, bool) {
	values := q.r.Header["Content-Encoding"]
	if len(values) == 0 {
		return body, true
	}
	var codings []string
	for _, v := range values {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	for i := len(codings) - 1; i >= 0; i-- {
		out, err := inflate(codings[i], body)
		switch {
		case errors.Is(err, errInflatedTooLarge):
			h.writeError(q, engine.NewError(requestEntityTooLarge, msgTooLarge))
			return nil, false
		case err != nil:
			h.writeError(q, engine.NewError(engine.Serialization, err.Error()))
			return nil, false
		}
		body = out
	}
	return body, true
}

var errInflatedTooLarge = errors.New("inflated request body over the limit")

// inflate decodes body compressed with coding, refusing more than
// MaxBodyBytes of output.
func inflate(coding string, body []byte) ([]byte, error) {
	var r io.Reader
	var err error
	switch coding {
	case "gzip", "x-gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "deflate":
		// RFC 9110 deflate is the zlib format; some clients send raw
		// deflate, told apart by the zlib header check.
		if r, err = zlib.NewReader(bytes.NewReader(body)); err != nil {
			r, err = flate.NewReader(bytes.NewReader(body)), nil
		}
	default:
		return nil, errors.New("The Content-Encoding " + coding + " is not supported; use gzip or deflate")
	}
	if err != nil {
		return nil, errors.New("The request body could not be decoded as " + coding)
	}
	var out bytes.Buffer
	n, err := out.ReadFrom(io.LimitReader(r, MaxBodyBytes+1))
	if n > MaxBodyBytes {
		return nil, errInflatedTooLarge
	}
	if err != nil {
		return nil, errors.New("The request body could not be decoded as " + coding)
	}
	if c, ok := r.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return nil, errors.New("The request body could not be decoded as " + coding)
		}
	}
	return out.Bytes(), nil
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a q value of 0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		if v == "identity" { // what the SDKs send: no parsing
			continue
		}
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "x-gzip" && name != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// newGzipWriter is the New of Handler.gzips.
func newGzipWriter() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}

// gzipBody returns body compressed with gzip in dst.
func (h *Handler) gzipBody(dst *bytes.Buffer, body []byte) []byte {
	w := h.gzips.Get().(*gzip.Writer)
	defer h.gzips.Put(w)
	w.Reset(dst)
	_, _ = w.Write(body) // writes to a bytes.Buffer do not fail
	_ = w.Close()
	return dst.Bytes()
}
