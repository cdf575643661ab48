package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/faults"
)

// The fault journal: GET /_admin/journal?rule=&table=&kind=&reason=&consumer=&after=&limit= (one
// page, oldest first, with the next cursor) and DELETE /_admin/journal.

// journalParams are the query parameters GET /_admin/journal accepts.
var journalParams = []string{"after", "consumer", "kind", "limit", "reason", "rule", "table"} //nolint:gochecknoglobals // constant

// getJournal answers GET /_admin/journal with one page of entries.
func (a *API) getJournal(w http.ResponseWriter, r *http.Request) {
	q, err := journalQuery(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, err)
		return
	}
	if q.Consumer != "" && a.engine != nil {
		q.Consumer = a.engine.ResolveConsumer(q.Consumer) // a name given to a consumer names it here too
	}
	writeJSON(w, http.StatusOK, a.faults.Journal(q))
}

// journalQuery reads and checks the query of GET /_admin/journal.
func journalQuery(r *http.Request) (faults.JournalQuery, *fieldErrorBody) {
	v := r.URL.Query()
	for name, vals := range v {
		if !slices.Contains(journalParams, name) {
			return faults.JournalQuery{}, &fieldErrorBody{Error: fmt.Sprintf("unknown query parameter %q", name), Field: name}
		}
		if len(vals) > 1 {
			return faults.JournalQuery{}, &fieldErrorBody{Error: fmt.Sprintf("query parameter %q given more than once", name), Field: name}
		}
	}
	q := faults.JournalQuery{RuleID: v.Get("rule"), Table: v.Get("table"), Kind: v.Get("kind"),
		Reason: v.Get("reason"), Consumer: v.Get("consumer")}
	if kinds := faults.Kinds(); q.Kind != "" && !slices.Contains(kinds, q.Kind) {
		return q, &fieldErrorBody{Error: fmt.Sprintf("invalid kind %q: want %s or %s", q.Kind,
			strings.Join(kinds[:len(kinds)-1], ", "), kinds[len(kinds)-1]), Field: "kind"}
	}
	if s := v.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return q, &fieldErrorBody{Error: fmt.Sprintf("invalid after %q: want a journal sequence number", s), Field: "after"}
		}
		q.After = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > faults.MaxPageLimit {
			return q, &fieldErrorBody{Error: fmt.Sprintf("invalid limit %q: want 1 to %d", s, faults.MaxPageLimit), Field: "limit"}
		}
		q.Limit = n
	}
	return q, nil
}

// clearJournal answers DELETE /_admin/journal. Sequence numbers keep
// counting, so cursors stay valid.
func (a *API) clearJournal(w http.ResponseWriter, _ *http.Request) {
	a.faults.ClearJournal()
	writeJSON(w, http.StatusOK, map[string]bool{"cleared": true})
}
