package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dynafault/dynafault/faults"
)

// The fault journal: GET and DELETE /_admin/journal.

// Journal returns one page of the journal: the entries after q.After that
// match q.RuleID, q.Table, q.Kind, q.Reason and q.Consumer, at most q.Limit of them (the server's
// default and maximum apply). Pass page.Next as the After of the next
// call to read on, or to poll for new entries.
func (c *Client) Journal(ctx context.Context, q faults.JournalQuery) (faults.JournalPage, error) {
	var page faults.JournalPage
	err := c.do(ctx, http.MethodGet, "/journal", journalQuery(q), nil, &page)
	if page.Entries == nil {
		page.Entries = []faults.Entry{}
	}
	return page, err
}

// JournalAll reads every page from q.After on and returns all the entries
// that match q, oldest first. q.Limit sets the page size.
func (c *Client) JournalAll(ctx context.Context, q faults.JournalQuery) ([]faults.Entry, error) {
	all := []faults.Entry{}
	for {
		page, err := c.Journal(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Entries...)
		if !page.More || page.Next <= q.After {
			return all, nil
		}
		q.After = page.Next
	}
}

// ClearJournal drops every journal entry. Sequence numbers keep counting,
// so a cursor taken before stays valid.
func (c *Client) ClearJournal(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/journal", nil, nil, nil)
}

// journalQuery renders q as the query string of GET /_admin/journal.
func journalQuery(q faults.JournalQuery) url.Values {
	v := url.Values{}
	if q.RuleID != "" {
		v.Set("rule", q.RuleID)
	}
	if q.Table != "" {
		v.Set("table", q.Table)
	}
	if q.Kind != "" {
		v.Set("kind", q.Kind)
	}
	if q.Reason != "" {
		v.Set("reason", q.Reason)
	}
	if q.Consumer != "" {
		v.Set("consumer", q.Consumer)
	}
	if q.After > 0 {
		v.Set("after", strconv.FormatUint(q.After, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}
