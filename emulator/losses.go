package emulator

import (
	"log/slog"
	"strconv"

	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// streamLosses adapts the injector's journal to the stream package's
// LossRecorder: each loss event becomes journal entries of kind loss, one
// per record it names, or one naming the run when it names none (an
// iterator position, a shard closing, the records beyond
// stream.LossDetailLimit); each event is also logged once. A periodic
// rollover becomes an entry of kind shard, as an admin rollover does
// (logged by the injector).
type streamLosses struct {
	in  *faults.Injector
	log *slog.Logger
}

// Lost implements stream.LossRecorder.
func (l streamLosses) Lost(s *stream.Stream, e stream.Loss) {
	evs := make([]faults.LossEvent, 0, len(e.Records)+1)
	for _, r := range e.Records {
		evs = append(evs, faults.LossEvent{StreamEvent: streamEvent(s, r), Reason: e.Reason,
			Consumer: e.Consumer, Detail: e.Detail})
	}
	if len(e.Records) < e.Count || e.Count == 0 {
		run := faults.LossEvent{
			StreamEvent: faults.StreamEvent{Table: s.Table(), StreamArn: s.ARN(), ShardID: e.ShardID,
				SequenceNumber: e.First},
			Reason: e.Reason, Consumer: e.Consumer, Detail: e.Detail,
		}
		if e.Count > 0 {
			run.Detail = runDetail(e) + e.Detail
		}
		evs = append(evs, run)
	}
	seq := l.in.RecordLosses(evs)
	l.log.Info("stream records at risk or lost", "reason", e.Reason, "consumer", e.Consumer,
		"table", s.Table(), "shard", e.ShardID, "records", e.Count, "first", e.First, "last", e.Last,
		"seq", seq)
}

// RolledOver implements stream.LossRecorder.
func (l streamLosses) RolledOver(s *stream.Stream, r stream.Rollover) {
	l.in.RecordPeriodicRollover(faults.PeriodicRollover{Table: s.Table(), StreamArn: s.ARN(), ShardID: r.ShardID,
		Child: r.Child, At: r.At, Records: r.Records, First: r.First, Last: r.Last})
}

// runDetail names the run of records a loss event covers beyond those it
// names one by one.
func runDetail(e stream.Loss) string {
	named := len(e.Records)
	if named == 0 {
		return "records " + e.First + " to " + e.Last + " (" + strconv.Itoa(e.Count) + " records): "
	}
	return strconv.Itoa(e.Count-named) + " more records up to " + e.Last + " (" + strconv.Itoa(e.Count) + " in all, the first " +
		strconv.Itoa(named) + " named one by one): "
}
