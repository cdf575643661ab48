package mapping

import (
	"bytes"
	"encoding/json"
)

// Verdicts on a successful invocation's response.
const (
	allDone   = iota // every record processed
	allFailed        // the whole batch failed (as a function error)
	partial          // records from index from on failed
)

// verdict is what a response says about its batch.
type verdict struct {
	kind  int
	from  int             // partial: index of the lowest reported record
	state json.RawMessage // tumbling windows: the state to carry on
	why   string          // allFailed: what was wrong, for the logs
}

// judge reads a function's response for its batch. With
// ReportBatchItemFailures (Lambda's rules): no failures listed
// ({"batchItemFailures":[]} or null, {}, null, any JSON that is not an
// object) is success; a list whose entries all name a sequence number of
// the batch is a partial failure from the lowest of them; an empty, null,
// non-string or unknown itemIdentifier, or an entry without one, fails the
// whole batch; so does a body that is not JSON. With a tumbling window the
// response must carry a "state" object, else the batch failed.
func judge(body []byte, batch []*entry, reportFailures, windowed bool) verdict {
	if !reportFailures && !windowed {
		return verdict{kind: allDone}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		trimmed = []byte("null")
	}
	var doc any
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		if reportFailures || windowed {
			return verdict{kind: allFailed, why: "response is not JSON"}
		}
	}
	obj, isObj := doc.(map[string]any)
	v := verdict{kind: allDone}
	if windowed {
		raw, ok := rawMember(trimmed, "state")
		if !isObj || !ok || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			return verdict{kind: allFailed, why: "tumbling window response without a state object"}
		}
		v.state = raw
	}
	if !reportFailures || !isObj {
		return v
	}
	fails, present := obj["batchItemFailures"]
	if !present || fails == nil {
		return v
	}
	list, ok := fails.([]any)
	if !ok {
		return verdict{kind: allFailed, why: "batchItemFailures is not a list"}
	}
	if len(list) == 0 {
		return v
	}
	index := make(map[string]int, len(batch))
	for i, e := range batch {
		if _, seen := index[e.rec.SequenceNumber]; !seen {
			index[e.rec.SequenceNumber] = i
		}
	}
	from := len(batch)
	for _, f := range list {
		m, ok := f.(map[string]any)
		if !ok {
			return verdict{kind: allFailed, why: "a batchItemFailures entry is not an object"}
		}
		id, ok := m["itemIdentifier"].(string)
		if !ok || id == "" {
			return verdict{kind: allFailed, why: "an itemIdentifier is missing, null, empty or not a string"}
		}
		i, ok := index[id]
		if !ok {
			return verdict{kind: allFailed, why: "itemIdentifier " + id + " is not a sequence number of the batch"}
		}
		from = min(from, i)
	}
	v.kind, v.from = partial, from
	return v
}

// rawMember returns the raw JSON of a member of a JSON object.
func rawMember(obj []byte, name string) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return nil, false
	}
	raw, ok := m[name]
	return raw, ok
}
