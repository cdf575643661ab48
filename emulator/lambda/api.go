package lambda

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// Path prefixes this package serves.
const (
	MappingsPrefix = "/2015-03-31/event-source-mappings"
	TagsPrefix     = "/2017-03-31/tags/"
)

// maxBody bounds a request body (Lambda's control-plane requests are
// small; 6 MB is its largest payload of any kind).
const maxBody = 6 << 20

// pageSize is the most mappings one ListEventSourceMappings page holds.
const pageSize = 100

// Handler serves the Lambda API for event source mappings.
type Handler struct {
	m   *mapping.Manager
	log *slog.Logger
	// origin decides whether a browser page of an origin may call the API
	// (nil: every request with an Origin header is refused).
	origin func(string) bool
}

// SetOriginCheck sets which origins' browser pages may call the API: the
// DynamoDB port's CORS allow-list. Requests without an Origin header are
// always served. It must be called before the handler serves.
func (h *Handler) SetOriginCheck(allows func(origin string) bool) { h.origin = allows }

// NewHandler returns the API over m.
func NewHandler(m *mapping.Manager, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{m: m, log: log}
}

// Serves reports whether a request path belongs to this API.
func Serves(path string) bool {
	return path == MappingsPrefix || strings.HasPrefix(path, MappingsPrefix+"/") || strings.HasPrefix(path, TagsPrefix)
}

// ServeHTTP dispatches by path and method.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-Requestid", requestID())
	if o := r.Header.Get("Origin"); o != "" && (h.origin == nil || !h.origin(o)) {
		// A mapping can make the server POST to a URL (OnFailure): a page
		// of a foreign origin must not create one through a browser.
		writeError(w, apiError{codeAccessDenied, "Origin " + strconv.Quote(o) + " is not allowed to call this endpoint (dynafault --cors)"})
		return
	}
	path := r.URL.EscapedPath()
	if rest, ok := strings.CutPrefix(path, TagsPrefix); ok {
		h.tags(w, r, rest)
		return
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(path, MappingsPrefix), "/")
	if rest == "" {
		switch r.Method {
		case http.MethodPost:
			h.create(w, r)
		case http.MethodGet:
			h.list(w, r)
		default:
			methodNotAllowed(w)
		}
		return
	}
	id, err := url.PathUnescape(strings.TrimSuffix(rest, "/"))
	if err != nil || strings.Contains(id, "/") {
		writeError(w, apiError{"UnknownOperationException", "Unknown operation"})
		return
	}
	switch r.Method {
	case http.MethodGet:
		v, err := h.m.Get(id)
		h.answer(w, http.StatusOK, v, err)
	case http.MethodPut:
		h.update(w, r, id)
	case http.MethodDelete:
		v, err := h.m.Delete(id)
		h.answer(w, http.StatusAccepted, v, err)
	default:
		methodNotAllowed(w)
	}
}

func methodNotAllowed(w http.ResponseWriter) {
	writeError(w, apiError{"UnknownOperationException", "Unknown operation"})
}

// answer writes a mapping or an error.
func (h *Handler) answer(w http.ResponseWriter, status int, v mapping.View, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, configurationOf(v))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decode reads a JSON body into v.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return apiError{codeInvalidContent, "Could not read request body"}
	}
	if len(body) > maxBody {
		return apiError{"RequestTooLargeException", "Request must be smaller than 6291456 bytes for the CreateEventSourceMapping operation"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return apiError{codeInvalidContent, "Could not parse request body into json: " + jsonProblem(err)}
	}
	return nil
}

// jsonProblem describes a decoding error without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "Cannot deserialize value of type " + te.Value + " at '" + te.Field + "'"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "Unexpected character at offset " + strconv.FormatInt(se.Offset, 10)
	}
	return "malformed request body"
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	var in createInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var v validator
	if in.FunctionName == nil {
		v.add("Value null at 'functionName' failed to satisfy constraint: Member must not be null")
	}
	v.common(in.FunctionName, in.BatchSize, in.MaximumBatchingWindowInSeconds, in.ParallelizationFactor,
		in.MaximumRecordAgeInSeconds, in.MaximumRetryAttempts, in.TumblingWindowInSeconds, in.FunctionResponseTypes, in.FilterCriteria)
	if err := v.err(); err != nil {
		writeError(w, err)
		return
	}
	if in.EventSourceArn == nil || *in.EventSourceArn == "" {
		writeError(w, &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Unrecognized event source."})
		return
	}
	if !mapping.IsStreamARN(*in.EventSourceArn) {
		writeError(w, &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Unrecognized event source, must be DynamoDB stream ARN: " + *in.EventSourceArn})
		return
	}
	if f := in.foreign(); f != "" {
		writeError(w, &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Unsupported parameter for the event source mapping of a DynamoDB stream: " + f})
		return
	}
	if err := semantic(in.MaximumRecordAgeInSeconds, in.DestinationConfig, in.FilterCriteria, in.MetricsConfig); err != nil {
		writeError(w, err)
		return
	}
	view, err := h.m.Create(in.config())
	h.answer(w, http.StatusAccepted, view, err)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request, id string) {
	var in updateInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var v validator
	v.common(in.FunctionName, in.BatchSize, in.MaximumBatchingWindowInSeconds, in.ParallelizationFactor,
		in.MaximumRecordAgeInSeconds, in.MaximumRetryAttempts, in.TumblingWindowInSeconds, in.FunctionResponseTypes, in.FilterCriteria)
	if err := v.err(); err != nil {
		writeError(w, err)
		return
	}
	if err := semantic(in.MaximumRecordAgeInSeconds, in.DestinationConfig, in.FilterCriteria, in.MetricsConfig); err != nil {
		writeError(w, err)
		return
	}
	view, err := h.m.Update(id, in.patch())
	h.answer(w, http.StatusAccepted, view, err)
}

// listOutput is a ListEventSourceMappings answer.
type listOutput struct {
	EventSourceMappings []configuration `json:"EventSourceMappings"`
	NextMarker          string          `json:"NextMarker,omitempty"`
}

// list answers ListEventSourceMappings: pages of at most MaxItems (and
// at most 100) mappings ordered by UUID; the marker is the UUID the next
// page starts after.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := pageSize
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		var v validator
		switch {
		case err != nil:
			writeError(w, apiError{codeInvalidContent, "Could not parse MaxItems: " + s})
			return
		default:
			v.rangeOf("maxItems", &n, 1, 10000)
		}
		if err := v.err(); err != nil {
			writeError(w, err)
			return
		}
		limit = min(int(n), pageSize)
	}
	all := h.m.List(mapping.ListFilter{EventSourceArn: q.Get("EventSourceArn"), FunctionName: q.Get("FunctionName")})
	start := 0
	if marker := q.Get("Marker"); marker != "" {
		id, err := hex.DecodeString(marker)
		if err != nil {
			writeError(w, &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Invalid marker: " + marker})
			return
		}
		for start < len(all) && all[start].UUID <= string(id) {
			start++
		}
	}
	out := listOutput{EventSourceMappings: []configuration{}}
	end := min(len(all), start+limit)
	for _, v := range all[start:end] {
		out.EventSourceMappings = append(out.EventSourceMappings, configurationOf(v))
	}
	if end < len(all) {
		out.NextMarker = hex.EncodeToString([]byte(all[end-1].UUID))
	}
	writeJSON(w, http.StatusOK, out)
}

// tags serves TagResource, UntagResource and ListTags for mapping ARNs.
func (h *Handler) tags(w http.ResponseWriter, r *http.Request, escaped string) {
	arn, err := url.PathUnescape(strings.TrimSuffix(escaped, "/"))
	if err != nil {
		writeError(w, &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Invalid resource ARN"})
		return
	}
	switch r.Method {
	case http.MethodGet:
		tags, err := h.m.Tags(arn)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"Tags": tags})
	case http.MethodPost:
		var in struct {
			Tags map[string]string `json:"Tags"`
		}
		if err := decode(r, &in); err != nil {
			writeError(w, err)
			return
		}
		if in.Tags == nil {
			writeError(w, apiError{codeValidation, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"})
			return
		}
		if err := h.m.Tag(arn, in.Tags); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		if err := h.m.Untag(arn, r.URL.Query()["tagKeys"]); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w)
	}
}

// requestID returns a random UUID for x-amzn-RequestId.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
