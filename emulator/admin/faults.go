package admin

import (
	"errors"
	"io"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/faults"
)

// Fault rules: GET|POST|PUT /_admin/faults and GET|PATCH|DELETE
// /_admin/faults/{id}. Rules are active for the very next request when the
// call returns. A bad rule is a 400 naming the field ({"error", "field"}),
// a taken id a 409, an unknown id a 404.

// ruleList is the answer of the list, add and replace endpoints.
type ruleList struct {
	Rules []faults.RuleStatus `json:"rules"`
}

// fieldErrorBody is an error naming the offending field of a rule.
type fieldErrorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// listFaults answers GET /_admin/faults: every rule with its counters, in
// evaluation order.
func (a *API) listFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, ruleList{Rules: a.faults.List()})
}

// addFaults answers POST /_admin/faults: one rule (an object) or several
// (an array), stored after the existing ones, all or none; 201 with them
// as stored (generated ids filled in).
func (a *API) addFaults(w http.ResponseWriter, r *http.Request) {
	rules, ok := a.readRules(w, r)
	if !ok {
		return
	}
	st, err := a.faults.Add(rules...)
	if err != nil {
		writeFaultError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, ruleList{Rules: st})
}

// replaceFaults answers PUT /_admin/faults: the body (a rule or an array,
// [] clearing) replaces every rule, all or none. The journal is kept.
func (a *API) replaceFaults(w http.ResponseWriter, r *http.Request) {
	rules, ok := a.readRules(w, r)
	if !ok {
		return
	}
	st, err := a.faults.Replace(rules)
	if err != nil {
		writeFaultError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ruleList{Rules: st})
}

// readRules reads and parses the rules of a request body, answering 400
// itself when they are bad.
func (a *API) readRules(w http.ResponseWriter, r *http.Request) ([]faults.Rule, bool) {
	body, ok := readAll(w, r)
	if !ok {
		return nil, false
	}
	rules, err := faults.ParseRules(body)
	if err != nil {
		writeFaultError(w, err)
		return nil, false
	}
	return rules, true
}

// getFault answers GET /_admin/faults/{id}.
func (a *API) getFault(w http.ResponseWriter, r *http.Request) {
	st, err := a.faults.Get(mux.Vars(r)["id"])
	if err != nil {
		writeFaultError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// patchFault answers PATCH /_admin/faults/{id}: description, enabled,
// times, when (which restarts the counters) and ttl.
func (a *API) patchFault(w http.ResponseWriter, r *http.Request) {
	body, ok := readAll(w, r)
	if !ok {
		return
	}
	p, err := faults.ParsePatch(body)
	if err != nil {
		writeFaultError(w, err)
		return
	}
	st, err := a.faults.Patch(mux.Vars(r)["id"], p)
	if err != nil {
		writeFaultError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// deleteFault answers DELETE /_admin/faults/{id}. The rule's journal
// entries stay.
func (a *API) deleteFault(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := a.faults.Delete(id); err != nil {
		writeFaultError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"deleted": id})
}

// writeFaultError answers an error of the faults package: a *FieldError
// is a 400 naming the field, ErrDuplicateID a 409, ErrNotFound a 404.
func writeFaultError(w http.ResponseWriter, err error) {
	var fe *faults.FieldError
	switch {
	case errors.As(err, &fe):
		writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: fe.Error(), Field: fe.Field})
	case errors.Is(err, faults.ErrDuplicateID):
		writeError(w, http.StatusConflict, err.Error())
	case errors.Is(err, faults.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

// readAll reads a request body of at most maxBodyBytes, answering 400
// itself when it cannot.
func readAll(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, http.StatusBadRequest, "request body unreadable or larger than 1 MiB")
		return nil, false
	}
	return b, true
}
