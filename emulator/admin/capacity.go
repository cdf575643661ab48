package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/emulator/capacity"
)

// defaultHotKeys is how many hot keys the capacity endpoints list unless
// ?hot= says otherwise.
const defaultHotKeys = 10

// capacityState is the body of GET and PUT /_admin/capacity.
type capacityState struct {
	// Enabled is the emulator-wide setting.
	Enabled bool `json:"enabled"`
	// Tables are every table's enforcement state.
	Tables []capacity.Status `json:"tables"`
}

// hotKeyList is the body of GET /_admin/capacity/{table}/keys.
type hotKeyList struct {
	Table   string            `json:"table"`
	HotKeys []capacity.HotKey `json:"hotKeys"`
}

// hotParam reads ?hot=N (N >= 0; "all" or -1 for every tracked key).
func hotParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("hot")
	switch v {
	case "":
		return defaultHotKeys, nil
	case "all":
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < -1 {
		return 0, fmt.Errorf("invalid hot %q: want a count of hot keys (0 for none, \"all\" for every tracked key)", v)
	}
	return n, nil
}

// getCapacity answers GET /_admin/capacity.
func (a *API) getCapacity(w http.ResponseWriter, r *http.Request) {
	hot, err := hotParam(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	a.writeCapacity(w, hot)
}

func (a *API) writeCapacity(w http.ResponseWriter, hot int) {
	tables := a.engine.CapacityStatuses(hot)
	if tables == nil {
		tables = []capacity.Status{}
	}
	writeJSON(w, http.StatusOK, capacityState{Enabled: a.engine.Capacity().Enabled(), Tables: tables})
}

// putCapacity answers PUT /_admin/capacity {"enabled": bool}: enforcement
// for every table without a setting of its own, from the next request on.
func (a *API) putCapacity(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decodeBody(w, r, &in, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.Enabled == nil {
		writeError(w, http.StatusBadRequest, `"enabled" is required (true or false)`)
		return
	}
	a.engine.Capacity().SetEnabled(*in.Enabled)
	a.writeCapacity(w, defaultHotKeys)
}

// getTableCapacity answers GET /_admin/capacity/{table}.
func (a *API) getTableCapacity(w http.ResponseWriter, r *http.Request) {
	if s, ok := a.tableStatus(w, r); ok {
		writeJSON(w, http.StatusOK, s)
	}
}

// tableStatus reads the state of the table of r with ?hot= hot keys; on an
// error it answers it and reports false.
func (a *API) tableStatus(w http.ResponseWriter, r *http.Request) (capacity.Status, bool) {
	hot, err := hotParam(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return capacity.Status{}, false
	}
	s, err := a.engine.CapacityStatus(mux.Vars(r)["table"], hot)
	if err != nil {
		writeEngineError(w, err)
		return capacity.Status{}, false
	}
	return s, true
}

// putTableCapacity answers PUT /_admin/capacity/{table}: the table's
// setting, replaced whole ({"enabled": true|false} or left out to follow
// the emulator-wide setting; "burstSeconds" 1 to 300).
func (a *API) putTableCapacity(w http.ResponseWriter, r *http.Request) {
	var in capacity.TableConfig
	if err := decodeBody(w, r, &in, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.BurstSeconds < 0 || in.BurstSeconds > capacity.BurstSeconds {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid burstSeconds %d: want 1 to %d (0 or left out: %d)",
			in.BurstSeconds, capacity.BurstSeconds, capacity.BurstSeconds))
		return
	}
	a.configureTable(w, r, in)
}

// deleteTableCapacity answers DELETE /_admin/capacity/{table}: the table
// follows the emulator-wide setting again.
func (a *API) deleteTableCapacity(w http.ResponseWriter, r *http.Request) {
	a.configureTable(w, r, capacity.TableConfig{})
}

// configureTable stores the setting of an existing table and answers its
// state.
func (a *API) configureTable(w http.ResponseWriter, r *http.Request, c capacity.TableConfig) {
	table := mux.Vars(r)["table"]
	if _, err := a.engine.CapacityStatus(table, 0); err != nil {
		writeEngineError(w, err)
		return
	}
	a.engine.Capacity().Configure(table, c)
	s, err := a.engine.CapacityStatus(table, defaultHotKeys)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// tableHotKeys answers GET /_admin/capacity/{table}/keys: the hottest
// partition keys of the table and its GSIs with their rates.
func (a *API) tableHotKeys(w http.ResponseWriter, r *http.Request) {
	s, ok := a.tableStatus(w, r)
	if !ok {
		return
	}
	keys := s.HotKeys
	if keys == nil {
		keys = []capacity.HotKey{}
	}
	writeJSON(w, http.StatusOK, hotKeyList{Table: s.Table, HotKeys: keys})
}
