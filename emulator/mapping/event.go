package mapping

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/stream"
)

// appendString appends s as a JSON string: the common plain-ASCII case
// byte by byte, anything else through encoding/json.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// source is what every record of one stream shares in its event.
type source struct {
	region, streamARN, viewType string
}

// appendRecordJSON appends the Lambda event record of r: the GetRecords
// record with eventSourceARN added, userIdentity with lower-case members,
// ApproximateCreationDateTime as epoch seconds. It is the one place a
// stream record becomes event JSON.
func appendRecordJSON(dst []byte, r stream.Record, src source) []byte {
	dst = append(dst, `{"eventID":`...)
	dst = appendString(dst, r.EventID)
	dst = append(dst, `,"eventName":`...)
	dst = appendString(dst, r.EventName)
	dst = append(dst, `,"eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":`...)
	dst = appendString(dst, src.region)
	dst = append(dst, `,"dynamodb":{"ApproximateCreationDateTime":`...)
	dst = strconv.AppendInt(dst, r.Created.Unix(), 10)
	dst = append(dst, `.0,"Keys":`...)
	dst = r.AppendKeysJSON(dst)
	if r.HasNewImage() {
		dst = append(dst, `,"NewImage":`...)
		dst = r.AppendNewImageJSON(dst)
	}
	if r.HasOldImage() {
		dst = append(dst, `,"OldImage":`...)
		dst = r.AppendOldImageJSON(dst)
	}
	dst = append(dst, `,"SequenceNumber":`...)
	dst = appendString(dst, r.SequenceNumber)
	dst = append(dst, `,"SizeBytes":`...)
	dst = strconv.AppendInt(dst, r.SizeBytes, 10)
	dst = append(dst, `,"StreamViewType":`...)
	dst = appendString(dst, src.viewType)
	dst = append(dst, `},"eventSourceARN":`...)
	dst = appendString(dst, src.streamARN)
	if r.Service {
		dst = append(dst, `,"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}`...)
	}
	return append(dst, '}')
}

// batchEvent is {"Records":[...]} of the records.
func batchEvent(recs []*entry) []byte {
	n := 16
	for _, e := range recs {
		n += len(e.json) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"Records":[`...)
	for i, e := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e.json...)
	}
	return append(b, "]}"...)
}

// windowEvent is the event of a tumbling-window invocation: the records,
// the window, the state so far, the shard and the final/early flags.
func windowEvent(recs []*entry, w *window, shardID, streamARN string, final, early bool) []byte {
	b := batchEvent(recs)
	b = b[:len(b)-1] // reopen the object
	b = append(b, `,"window":{"start":`...)
	b = appendString(b, w.start.UTC().Format(time.RFC3339))
	b = append(b, `,"end":`...)
	b = appendString(b, w.end.UTC().Format(time.RFC3339))
	b = append(b, `},"state":`...)
	if len(w.state) == 0 {
		b = append(b, "{}"...)
	} else {
		b = append(b, w.state...)
	}
	b = append(b, `,"shardId":`...)
	b = appendString(b, shardID)
	b = append(b, `,"eventSourceARN":`...)
	b = appendString(b, streamARN)
	b = append(b, `,"isFinalInvokeForWindow":`...)
	b = strconv.AppendBool(b, final)
	b = append(b, `,"isWindowTerminatedEarly":`...)
	b = strconv.AppendBool(b, early)
	return append(b, '}')
}
