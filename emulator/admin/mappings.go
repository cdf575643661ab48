package admin

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// Event source mappings and functions:
//
//	GET    /_admin/mappings                  every mapping with its poller's state
//	GET    /_admin/mappings/{uuid}           one mapping: per shard the checkpoint, batches in flight, counts, iterator age
//	GET    /_admin/mappings/{uuid}/failures  the failure records of its discarded batches
//	GET    /_admin/functions                 the registered functions
//	PUT    /_admin/functions/{name}          register {"url": "...", "timeout": "3s", "concurrency": 1}
//	GET    /_admin/functions/{name}
//	DELETE /_admin/functions/{name}

// mappingsBody is the answer of GET /_admin/mappings.
type mappingsBody struct {
	Mappings []mapping.Status `json:"mappings"`
}

func (a *API) listMappings(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, mappingsBody{Mappings: a.mappings.Statuses()})
}

func (a *API) getMapping(w http.ResponseWriter, r *http.Request) {
	st, err := a.mappings.Status(mux.Vars(r)["uuid"])
	if err != nil {
		writeError(w, http.StatusNotFound, "no event source mapping "+mux.Vars(r)["uuid"])
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// failuresBody is the answer of GET /_admin/mappings/{uuid}/failures.
type failuresBody struct {
	Failures []mapping.Failure `json:"failures"`
}

func (a *API) mappingFailures(w http.ResponseWriter, r *http.Request) {
	f, err := a.mappings.Failures(mux.Vars(r)["uuid"])
	if err != nil {
		writeError(w, http.StatusNotFound, "no event source mapping "+mux.Vars(r)["uuid"])
		return
	}
	if f == nil {
		f = []mapping.Failure{}
	}
	writeJSON(w, http.StatusOK, failuresBody{Failures: f})
}

// functionsBody is the answer of GET /_admin/functions.
type functionsBody struct {
	Functions []mapping.FunctionInfo `json:"functions"`
}

func (a *API) listFunctions(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, functionsBody{Functions: a.mappings.Functions()})
}

func (a *API) getFunction(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	f, ok := a.mappings.Function(name)
	if !ok {
		writeError(w, http.StatusNotFound, "no function "+name)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// functionBody is the body of PUT /_admin/functions/{name}.
type functionBody struct {
	URL         string `json:"url"`
	Timeout     string `json:"timeout"`
	Concurrency int    `json:"concurrency"`
}

func (a *API) putFunction(w http.ResponseWriter, r *http.Request) {
	var b functionBody
	if err := decodeBody(w, r, &b, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if b.URL == "" {
		writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: "url is required", Field: "url"})
		return
	}
	f := mapping.Function{Name: mux.Vars(r)["name"], URL: b.URL, Concurrency: b.Concurrency}
	if b.Timeout != "" {
		d, err := time.ParseDuration(b.Timeout)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: fmt.Sprintf("timeout %q is not a duration such as 3s", b.Timeout), Field: "timeout"})
			return
		}
		f.Timeout = d
	}
	info, err := a.mappings.RegisterFunction(f)
	if err != nil {
		if errors.Is(err, mapping.ErrFunction) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	a.log.Info("function registered", "name", info.Name, "url", info.URL, "timeout", info.Timeout)
	writeJSON(w, http.StatusOK, info)
}

func (a *API) deleteFunction(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if !a.mappings.RemoveFunction(name) {
		writeError(w, http.StatusNotFound, "no function "+name)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
