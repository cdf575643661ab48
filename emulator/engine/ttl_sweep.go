package engine

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// ttlSweepBatch is how many items one read critical section of the TTL
// sweeper examines (and so the most one write critical section deletes):
// the sweeper never holds a table's lock for a whole large table.
const ttlSweepBatch = 512

// ttlMaxAgeYears is how far in the past a TTL value may lie and still
// expire its item: DynamoDB ignores expiry times more than five years old.
const ttlMaxAgeYears = 5

// SweepTTL deletes, in every table with TTL enabled, the items whose TTL
// attribute is a Number of epoch seconds at or before the clock's now and
// no more than five years before it. Items whose TTL attribute is missing
// or not a Number never expire. The deletes are recorded with
// store.CauseTTL (stream records of the service, not of a user) and keep
// the indexes in step like any delete. Expiry is checked again under the
// write lock, so an item updated meanwhile to a later TTL survives.
//
// It returns how many items it deleted; the error is ctx's when ctx ends
// first (the deletes made until then stay).
func (e *Engine) SweepTTL(ctx context.Context) (deleted int, err error) {
	w := newTTLWindow(e.clock.Now())
	for _, name := range e.catalog.Names() {
		if err := ctx.Err(); err != nil {
			return deleted, err
		}
		t := e.catalog.Table(name)
		if t == nil { // dropped meanwhile
			continue
		}
		n, err := e.sweepTable(ctx, t, w)
		deleted += n
		if err != nil && !errors.Is(err, store.ErrTableDropped) { // dropped meanwhile: done with it
			return deleted, err
		}
	}
	return deleted, nil
}

// sweepTable deletes the expired items of t batch by batch: the keys of
// expired items are collected under View, then deleted under Update.
func (e *Engine) sweepTable(ctx context.Context, t *store.Table, w ttlWindow) (int, error) {
	deleted := 0
	var after attr.Item
	for {
		if err := ctx.Err(); err != nil {
			return deleted, err
		}
		b, err := e.collectExpired(t, w, after)
		if err != nil {
			return deleted, err
		}
		if len(b.keys) > 0 {
			n, err := e.deleteExpired(t, w, b.keys)
			deleted += n
			if err != nil {
				return deleted, err
			}
		}
		if b.done {
			return deleted, nil
		}
		after = b.last
	}
}

// ttlBatch is what one read pass of the sweeper found.
type ttlBatch struct {
	keys []attr.Item // keys of the expired items
	last attr.Item   // key of the last item examined: where the next pass starts
	done bool        // the table has no items after last (or TTL is off)
}

// collectExpired examines up to ttlSweepBatch items of t after the key
// after (nil: from the start) and returns the keys of the expired ones.
func (e *Engine) collectExpired(t *store.Table, w ttlWindow, after attr.Item) (ttlBatch, error) {
	var b ttlBatch
	err := t.View(func(tx *store.Tx) error {
		ttl := e.tableMetaOf(tx).TTL
		if !ttl.Enabled {
			b.done = true
			return nil
		}
		def := tx.Def()
		seen := 0
		err := tx.Scan("", 0, 1, after, func(it attr.Item) bool {
			seen++
			if w.expired(it, ttl.Attr) {
				b.keys = append(b.keys, keyOf(def, it))
			}
			if seen == ttlSweepBatch {
				b.last = keyOf(def, it)
				return false
			}
			return true
		})
		b.done = seen < ttlSweepBatch
		return err
	})
	return b, err
}

// deleteExpired deletes those of keys whose items are still expired, in
// one write critical section, and returns how many it deleted.
func (e *Engine) deleteExpired(t *store.Table, w ttlWindow, keys []attr.Item) (int, error) {
	n := 0
	err := t.Update(func(tx *store.Tx) error {
		n = 0
		ttl := e.tableMetaOf(tx).TTL
		if !ttl.Enabled { // disabled since the keys were collected
			return nil
		}
		tx.SetCause(store.CauseTTL)
		for _, k := range keys {
			if it, ok := tx.Get(k); ok && w.expired(it, ttl.Attr) {
				tx.Delete(k)
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ttlWindow is the range of TTL values that are expired at one instant:
// from oldest (five years before) to now, both as canonical decimals of
// epoch seconds.
type ttlWindow struct {
	now, oldest string
}

// newTTLWindow returns the window of TTL values expired at now.
func newTTLWindow(now time.Time) ttlWindow {
	return ttlWindow{now: epochDecimal(now), oldest: epochDecimal(now.AddDate(-ttlMaxAgeYears, 0, 0))}
}

// expired reports whether item's TTL attribute name holds a Number within w.
func (w ttlWindow) expired(item attr.Item, name string) bool {
	v, ok := item[name]
	if !ok || v.Type != attr.N {
		return false
	}
	return attr.CompareNumbers(v.S, w.now) <= 0 && attr.CompareNumbers(v.S, w.oldest) >= 0
}

// epochDecimal returns t as canonical decimal epoch seconds with its
// sub-second part (before 1970, whole seconds rounded down).
func epochDecimal(t time.Time) string {
	sec, nsec := t.Unix(), t.Nanosecond()
	s := strconv.FormatInt(sec, 10)
	if sec >= 0 && nsec > 0 {
		frac := strconv.Itoa(nsec + 1e9) // zero-padded to 9 digits after the leading 1
		s += "." + frac[1:]
	}
	c, err := attr.ParseNumber(s)
	if err != nil { // cannot happen for these forms
		return s
	}
	return c
}
