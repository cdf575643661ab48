package mapping

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/stream"
)

// Failure conditions.
const (
	RetryAttemptsExhausted = "RetryAttemptsExhausted"
	RecordAgeExceeded      = "RecordAgeExceeded"
)

// Failure is the record Lambda sends to an OnFailure destination when it
// discards a batch of a stream source.
type Failure struct {
	RequestContext  RequestContext  `json:"requestContext"`
	ResponseContext ResponseContext `json:"responseContext"`
	Version         string          `json:"version"`
	Timestamp       string          `json:"timestamp"`
	BatchInfo       BatchInfo       `json:"DDBStreamBatchInfo"`
}

// RequestContext of a Failure.
type RequestContext struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

// ResponseContext of a Failure: the last invocation's answer. Records
// that aged out before any invocation have an empty one ({}).
type ResponseContext struct {
	StatusCode      int     `json:"statusCode,omitempty"`
	ExecutedVersion string  `json:"executedVersion,omitempty"`
	FunctionError   *string `json:"functionError"`
	invoked         bool
}

// MarshalJSON renders {} when there was no invocation, and
// "functionError": null (the key present) for a failure the response
// reported.
func (rc ResponseContext) MarshalJSON() ([]byte, error) {
	if !rc.invoked {
		return []byte("{}"), nil
	}
	type plain ResponseContext
	return json.Marshal(plain(rc))
}

// BatchInfo locates the discarded records in the stream.
type BatchInfo struct {
	ShardID                         string `json:"shardId"`
	StartSequenceNumber             string `json:"startSequenceNumber"`
	EndSequenceNumber               string `json:"endSequenceNumber"`
	ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
	ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
	BatchSize                       int    `json:"batchSize"`
	StreamArn                       string `json:"streamArn"`
}

// discard gives up on a sub-batch: it keeps the failure record, journals
// every record, delivers the record to the OnFailure destination and
// completes the records as discarded.
func (w *worker) discard(l *lane, s *sub, condition string, _ []byte) {
	out, reported := s.last, s.reported
	r := w.r
	now := r.m.clock.Now()
	f := Failure{
		RequestContext: RequestContext{RequestID: newRequestID(), FunctionArn: r.fnARN, Condition: condition,
			ApproximateInvokeCount: s.invokes},
		Version: "1.0", Timestamp: now.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
	if out != nil {
		f.ResponseContext = ResponseContext{StatusCode: out.StatusCode, ExecutedVersion: executedVersion(r.fnARN), invoked: true}
		if !reported && out.FunctionError != "" {
			fe := out.FunctionError
			f.ResponseContext.FunctionError = &fe
		}
		if f.ResponseContext.StatusCode == 0 {
			f.ResponseContext.StatusCode = http.StatusOK
		}
	}
	recs := make([]stream.Record, 0, len(s.entries))
	for _, e := range s.entries {
		recs = append(recs, e.rec)
	}
	if n := len(recs); n > 0 {
		f.BatchInfo = BatchInfo{
			ShardID: w.id, StartSequenceNumber: recs[0].SequenceNumber, EndSequenceNumber: recs[n-1].SequenceNumber,
			ApproximateArrivalOfFirstRecord: recs[0].Created.UTC().Format(time.RFC3339),
			ApproximateArrivalOfLastRecord:  recs[n-1].Created.UTC().Format(time.RFC3339),
			BatchSize:                       n, StreamArn: r.cfg.EventSourceArn,
		}
	} else {
		f.BatchInfo = BatchInfo{ShardID: w.id, StreamArn: r.cfg.EventSourceArn}
	}
	if j := r.m.opts.Journal; j != nil && len(recs) > 0 {
		detail := condition
		if condition == RecordAgeExceeded {
			detail += " (older than MaximumRecordAgeInSeconds " + strconv.Itoa(r.cfg.MaximumRecordAgeInSeconds) + ")"
		}
		detail += " after " + strconv.Itoa(s.invokes) + " invocation(s); " + describeOutcome(out, reported)
		j.Discarded(r.uuid, r.cfg.EventSourceArn, r.table, recs, condition, detail)
	}
	r.m.mu.Lock()
	r.mp.failures = append(r.mp.failures, f)
	if over := len(r.mp.failures) - r.m.opts.MaxFailures; over > 0 {
		r.mp.failures = append([]Failure(nil), r.mp.failures[over:]...)
		r.mp.dropped += over
	}
	r.m.mu.Unlock()
	delivered, failed := r.deliverFailure(f)
	r.m.mu.Lock()
	if delivered {
		r.mp.stats.OnFailureDestinationDeliveredEventCount += uint64(len(recs))
	} else {
		r.mp.stats.DroppedEventCount += uint64(len(recs))
	}
	if failed {
		r.mp.stats.DestinationDeliveryFailures++
	}
	r.m.mu.Unlock()
	r.m.log.Warn("event source mapping discarded records", "mapping", r.uuid, "shard", w.id,
		"condition", condition, "records", len(recs), "invocations", s.invokes)
	w.done(l, s.entries, discarded, condition, nil, false)
}

// executedVersion is the version a qualified function ARN names, else
// $LATEST.
func executedVersion(fnARN string) string {
	parts := strings.Split(fnARN, ":")
	if len(parts) == 8 {
		q := parts[7]
		if q != "" && strings.Trim(q, "0123456789") == "" {
			return q
		}
	}
	return "$LATEST"
}

// deliveryTimeout bounds the delivery of a failure record to a URL.
const deliveryTimeout = 10 * time.Second

// deliverFailure sends the failure record to the OnFailure destination
// when it names a registered function (arn:...:function:NAME) or an
// http(s) URL. SQS, SNS and S3 destinations have no target here: the
// record is only kept. It reports whether it was delivered and whether a
// delivery failed.
func (r *run) deliverFailure(f Failure) (delivered, failed bool) {
	dest := r.cfg.OnFailure
	if dest == "" {
		return false, false
	}
	body, _ := json.Marshal(f)
	ctx, cancel := context.WithTimeout(r.killCtx, deliveryTimeout)
	defer cancel()
	switch {
	case strings.HasPrefix(dest, "http://"), strings.HasPrefix(dest, "https://"):
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, dest, bytes.NewReader(body))
		if err != nil {
			return false, true
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := r.m.http.Do(req)
		if err != nil {
			r.m.log.Warn("on-failure delivery failed", "mapping", r.uuid, "destination", dest, "error", err)
			return false, true
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			r.m.log.Warn("on-failure delivery failed", "mapping", r.uuid, "destination", dest, "status", resp.StatusCode)
			return false, true
		}
		return true, false
	case strings.Contains(dest, ":function:"):
		fn, _, err := r.m.funcs.resolve(dest)
		if err != nil {
			return false, true
		}
		out := r.m.invoke(ctx, Invocation{MappingUUID: r.uuid, StreamARN: r.cfg.EventSourceArn, FunctionName: fn.Name,
			FunctionARN: fn.arn, RequestID: newRequestID(), Payload: body})
		if out.Kind != OK {
			r.m.log.Warn("on-failure delivery failed", "mapping", r.uuid, "destination", dest, "outcome", out.Kind)
			return false, true
		}
		return true, false
	}
	return false, false
}
