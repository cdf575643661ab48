package mapping

import (
	"testing"
)

func TestJudge(t *testing.T) {
	batch := []*entry{{}, {}, {}}
	for i, e := range batch {
		e.rec.SequenceNumber = []string{"10", "20", "30"}[i]
	}
	cases := []struct {
		body           string
		report, window bool
		kind, from     int
	}{
		{`anything`, false, false, allDone, 0},
		{`{"batchItemFailures":[{"itemIdentifier":"30"},{"itemIdentifier":"20"}]}`, true, false, partial, 1},
		{`{"batchItemFailures":[{"itemIdentifier":"10"}]}`, true, false, partial, 0},
		{`{"batchItemFailures":[]}`, true, false, allDone, 0},
		{`{"batchItemFailures":"x"}`, true, false, allFailed, 0},
		{`{"batchItemFailures":[{"itemIdentifier":20}]}`, true, false, allFailed, 0},
		{`not json`, true, false, allFailed, 0},
		{``, true, false, allDone, 0},
		{`"str"`, true, false, allDone, 0},
		{`{"state":{"a":"1"}}`, false, true, allDone, 0},
		{`{"batchItemFailures":[]}`, true, true, allFailed, 0},
		{`{"state":null}`, false, true, allFailed, 0},
	}
	for _, c := range cases {
		v := judge([]byte(c.body), batch, c.report, c.window)
		if v.kind != c.kind || (v.kind == partial && v.from != c.from) {
			t.Errorf("judge(%s, report %v, window %v) = %+v, want kind %d from %d", c.body, c.report, c.window, v, c.kind, c.from)
		}
	}
}
