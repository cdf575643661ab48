package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// adminPrefix is the path prefix of every admin endpoint.
const adminPrefix = "/_admin"

// maxErrorBody bounds how much of a non-JSON error answer becomes the
// message of an *Error.
const maxErrorBody = 4 << 10

// Client calls the admin API of one dynafault server. It is safe for
// concurrent use.
type Client struct {
	base  string // scheme://host[:port][/path], without a trailing slash
	token string
	http  *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends "Authorization: Bearer <token>" with every request, for
// a server started with --admin-token.
func WithToken(token string) Option {
	return func(c *Client) { c.token = token }
}

// WithHTTPClient sets the HTTP client (default http.DefaultClient), e.g.
// an httptest server's Client() or one with a timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// New returns a client of the server at baseURL, e.g.
// "http://127.0.0.1:8000" (the same URL the AWS SDKs use). A trailing
// slash or "/_admin" suffix is accepted and ignored.
func New(baseURL string, opts ...Option) *Client {
	base := strings.TrimRight(baseURL, "/")
	base = strings.TrimSuffix(base, adminPrefix)
	c := &Client{base: base, http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	return c
}

// BaseURL returns the server URL the client was made with, without the
// admin prefix.
func (c *Client) BaseURL() string { return c.base }

// Error is an answer of the admin API with a status of 400 or more.
type Error struct {
	// Op is the request, e.g. "POST /_admin/faults".
	Op string
	// Status is the HTTP status code.
	Status int
	// Message is the server's "error" text (or the body, when it is not
	// JSON).
	Message string
	// Field is the path of the bad field of a rejected rule, e.g.
	// "action.type" or "[1].when.times"; empty otherwise.
	Field string
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" && !strings.HasPrefix(msg, e.Field) {
		msg = e.Field + ": " + msg
	}
	return fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, msg)
}

// IsNotFound reports whether err is an *Error with status 404.
func IsNotFound(err error) bool { return IsStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is an *Error with status 409 (a rule id
// that is already taken).
func IsConflict(err error) bool { return IsStatus(err, http.StatusConflict) }

// IsStatus reports whether err is an *Error with the HTTP status.
func IsStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

// errorBody is the JSON form of an admin API error.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field"`
}

// do sends method path?query with in as the JSON body (none when nil) and
// decodes a 2xx answer into out (ignored when nil or the body is empty).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	req, err := c.newRequest(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	op := method + " " + req.URL.Path
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", op, err)
	}
	if resp.StatusCode >= http.StatusBadRequest {
		return answerError(op, resp, body)
	}
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: decoding the answer: %w", op, err)
	}
	return nil
}

// newRequest builds the HTTP request of do.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, in any) (*http.Request, error) {
	u := c.base + adminPrefix + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s%s: encoding the body: %w", method, adminPrefix, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// answerError builds the *Error of an answer with status >= 400.
func answerError(op string, resp *http.Response, body []byte) *Error {
	e := &Error{Op: op, Status: resp.StatusCode}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil && eb.Error != "" {
		e.Message, e.Field = eb.Error, eb.Field
		return e
	}
	text := strings.TrimSpace(string(body[:min(len(body), maxErrorBody)]))
	if text == "" {
		text = http.StatusText(resp.StatusCode)
	}
	e.Message = text
	return e
}

// pathEscape escapes one path segment (a table name, shard or rule id).
func pathEscape(s string) string { return url.PathEscape(s) }
