package admin

import (
	"errors"
	"net/http"

	"github.com/dynafault/dynafault/emulator/engine"
)

// Snapshots: POST /_admin/snapshot answers the tables as a snapshot
// (definitions, settings, items; see engine.WriteSnapshot), POST
// /_admin/snapshot/load replaces every table with a snapshot's.

// snapshotLoaded is the answer of POST /_admin/snapshot/load.
type snapshotLoaded struct {
	Loaded bool `json:"loaded"`
	Tables int  `json:"tables"`
	Items  int  `json:"items"`
}

// saveSnapshot answers POST /_admin/snapshot with the snapshot, written as
// it is produced. A failure after the first bytes went out can only be
// logged (the client gets a truncated document, which loading refuses).
func (a *API) saveSnapshot(w http.ResponseWriter, r *http.Request) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := a.engine.WriteSnapshot(w); err != nil {
		a.log.Error("snapshot failed", "error", err)
	}
}

// loadSnapshot answers POST /_admin/snapshot/load: the body is read and
// checked whole before anything changes, so a snapshot of a newer format
// version, a corrupt one or one with an invalid table or item is a 400 and
// the tables stay as they were. The body may be as large as the snapshot.
func (a *API) loadSnapshot(w http.ResponseWriter, r *http.Request) {
	s, err := a.engine.ReadSnapshot(r.Body)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, engine.ErrSnapshot) {
			status = http.StatusBadRequest
		}
		writeError(w, status, err.Error())
		return
	}
	if err := a.engine.LoadSnapshot(s); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	a.log.Info("snapshot loaded", "tables", len(s.Tables()), "items", s.Items())
	writeJSON(w, http.StatusOK, snapshotLoaded{Loaded: true, Tables: len(s.Tables()), Items: s.Items()})
}
