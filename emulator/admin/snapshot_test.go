package admin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestSnapshotSaveAndLoad(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "st1")
	code, snap := do(t, a, http.MethodPost, "/_admin/snapshot", "")
	if code != 200 || !strings.HasPrefix(snap, `{"format":"dynafault-snapshot","version":1,`) || !strings.Contains(snap, `"name":"st1"`) {
		t.Fatalf("POST snapshot = %d %s", code, snap)
	}
	b := newFrozenAPI(t)
	createStreamTable(t, b, "other")
	code, body := do(t, b, http.MethodPost, "/_admin/snapshot/load", snap)
	if code != 200 || body != `{"loaded":true,"tables":1,"items":1}`+"\n" {
		t.Fatalf("load = %d %s", code, body)
	}
	if names := b.engine.TableNames(); len(names) != 1 || names[0] != "st1" {
		t.Errorf("tables after load: %v", names)
	}
	// The loaded table's stream is listed, with no records.
	st := streamsOf(t, b, "/_admin/streams/st1").Streams
	if len(st) != 1 || st[0].Shards[0].Records != 0 {
		t.Errorf("stream after load: %+v", st)
	}
}

func TestSnapshotLoadRefused(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "kept")
	cases := []struct{ body, msg string }{
		{``, "snapshot: not a dynafault snapshot, or a corrupt one: unexpected end of JSON input"},
		{`{"format":"dynafault-snapshot","version":3,"tables":[]}`, "snapshot: format version 3 is newer than this dynafault reads (1); use a newer dynafault"},
		{`{"format":"dynafault-snapshot","version":1,"tables":[{"name":"t"}]}`, `snapshot: table "t": its definition names table ""`},
	}
	for _, c := range cases {
		wantError(t, a, http.MethodPost, "/_admin/snapshot/load", c.body, http.StatusBadRequest, c.msg)
	}
	if names := a.engine.TableNames(); len(names) != 1 || names[0] != "kept" {
		t.Errorf("tables after refused loads: %v", names)
	}
	wantError(t, a, http.MethodPost, "/_admin/snapshot", `{"tables":["x"]}`, http.StatusBadRequest, `unknown field "tables"`)
	wantError(t, a, http.MethodGet, "/_admin/snapshot", ``, http.StatusMethodNotAllowed, "method not allowed")
	var out map[string]any
	if code, body := do(t, a, http.MethodPost, "/_admin/snapshot", "{}"); code != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Errorf("POST snapshot {} = %d %s", code, body)
	}
}
