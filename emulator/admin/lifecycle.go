package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dynafault/dynafault/emulator/engine"
)

// lifecycleState is the body of GET and PUT /_admin/lifecycle: Go
// durations of clock time ("0s" settles at once).
type lifecycleState struct {
	Create string `json:"create"` // a new table stays CREATING
	Update string `json:"update"` // a table changed by UpdateTable stays UPDATING
	Delete string `json:"delete"` // a deleted table is described as DELETING
	Index  string `json:"index"`  // a GSI added or removed stays CREATING or DELETING
}

// getLifecycle answers GET /_admin/lifecycle.
func (a *API) getLifecycle(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, lifecycleOf(a.engine.Lifecycle()))
}

// putLifecycle answers PUT /_admin/lifecycle: members left out keep their
// value; the new durations apply from the next request on, to tables
// already in a transient state too.
func (a *API) putLifecycle(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Create *string `json:"create"`
		Update *string `json:"update"`
		Delete *string `json:"delete"`
		Index  *string `json:"index"`
	}
	if err := decodeBody(w, r, &in, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	l := a.engine.Lifecycle()
	for _, x := range []struct {
		name string
		v    *string
		dst  *time.Duration
	}{{"create", in.Create, &l.Create}, {"update", in.Update, &l.Update}, {"delete", in.Delete, &l.Delete}, {"index", in.Index, &l.Index}} {
		if x.v == nil {
			continue
		}
		d, err := time.ParseDuration(*x.v)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid %q %q: want a duration such as \"2s\" (0 = at once)", x.name, *x.v))
			return
		}
		*x.dst = d
	}
	if err := a.engine.SetLifecycle(l); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, lifecycleOf(l))
}

func lifecycleOf(l engine.Lifecycle) lifecycleState {
	return lifecycleState{Create: l.Create.String(), Update: l.Update.String(), Delete: l.Delete.String(), Index: l.Index.String()}
}
