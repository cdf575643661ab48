package engine

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/store"
)

// sweepNow is the frozen clock time of the TTL sweep tests.
func sweepNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 500_000_000, time.UTC) }

// newSweepEngine returns an Engine on a clock frozen at sweepNow() with the
// tables defs, TTL enabled on attribute "exp" for those named in ttlOn.
// When causes is not nil it receives the Cause of every committed delete.
func newSweepEngine(tb testing.TB, causes *[]store.Cause, ttlOn []string, defs ...store.TableDef) *Engine {
	tb.Helper()
	e := New(Options{Clock: clock.NewFrozen(sweepNow())})
	if causes != nil {
		var mu sync.Mutex
		e.catalog = store.NewCatalogWithOptions(store.CatalogOptions{
			OnCommit: func(_ *store.Table, _ any, changes []store.Change) {
				mu.Lock()
				defer mu.Unlock()
				for _, c := range changes {
					if c.New == nil {
						*causes = append(*causes, c.Cause)
					}
				}
			},
		})
	}
	ctx := context.Background()
	for _, def := range defs {
		if _, err := e.CreateTable(ctx, createInputOf(def)); err != nil {
			tb.Fatalf("CreateTable: %v", err)
		}
	}
	for _, name := range ttlOn {
		_, err := e.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: itemStr(name),
			TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: itemStr("exp"), Enabled: itemBool(true)}})
		if err != nil {
			tb.Fatalf("UpdateTimeToLive: %v", err)
		}
	}
	return e
}

// epochN is the epoch seconds of t as an N value.
func epochN(t time.Time) attr.Value { return itemN(strconv.FormatInt(t.Unix(), 10)) }

func TestSweepTTLWhichItemsExpire(t *testing.T) {
	t.Parallel()
	var causes []store.Cause
	e := newSweepEngine(t, &causes, []string{"ttl"}, itemRangeDef("ttl"), itemHashDef("off"))
	now := sweepNow()
	cases := []struct {
		name    string
		exp     *attr.Value // nil: no TTL attribute
		expires bool
	}{
		{"past", new(epochN(now.Add(-time.Hour))), true},
		{"this second", new(epochN(now)), true},                        // 12:00:00 <= 12:00:00.5
		{"fraction just before now", new(itemN("1748779200.4")), true}, // sweepNow() is ...200.5
		{"fraction equal to now", new(itemN("1748779200.5")), true},
		{"fraction just after now", new(itemN("1748779200.6")), false},
		{"future", new(epochN(now.Add(time.Hour))), false},
		{"milliseconds", new(itemN(strconv.FormatInt(now.Add(-time.Hour).UnixMilli(), 10))), false},
		{"almost five years", new(epochN(now.AddDate(-5, 0, 0).Add(time.Minute))), true},
		{"more than five years", new(epochN(now.AddDate(-5, 0, 0).Add(-time.Minute))), false},
		{"zero", new(itemN("0")), false},
		{"negative", new(itemN("-100")), false},
		{"string", new(itemS(strconv.FormatInt(now.Unix()-60, 10))), false},
		{"number set", new(itemNS(strconv.FormatInt(now.Unix()-60, 10))), false},
		{"missing", nil, false},
	}
	for i, c := range cases {
		it := attr.Item{"pk": itemS("p"), "sk": itemN(strconv.Itoa(i)), "g": itemS(c.name), "l": itemS(c.name)}
		if c.exp != nil {
			it["exp"] = *c.exp
		}
		mustPut(t, e, "ttl", it)
	}
	// A table without TTL keeps expired items.
	mustPut(t, e, "off", attr.Item{"pk": itemS("x"), "exp": epochN(now.Add(-time.Hour))})
	// Expired but unswept items read normally.
	if got := mustGet(t, e, "ttl", attr.Item{"pk": itemS("p"), "sk": itemN("0")}); got == nil {
		t.Fatal("expired item not readable before the sweep")
	}
	causes = nil
	n, err := e.SweepTTL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for i, c := range cases {
		got := mustGet(t, e, "ttl", attr.Item{"pk": itemS("p"), "sk": itemN(strconv.Itoa(i))})
		if (got == nil) != c.expires {
			t.Errorf("%s: present after sweep = %v, want %v", c.name, got != nil, !c.expires)
		}
		if c.expires {
			want++
		}
	}
	if n != want {
		t.Errorf("SweepTTL deleted %d, want %d", n, want)
	}
	if mustGet(t, e, "off", attr.Item{"pk": itemS("x")}) == nil {
		t.Error("item of a table without TTL deleted")
	}
	if len(causes) != want {
		t.Errorf("%d deletes committed, want %d", len(causes), want)
	}
	for _, c := range causes {
		if c != store.CauseTTL {
			t.Errorf("delete cause %v, want CauseTTL", c)
		}
	}
	wantIndexSize(t, e, "ttl", "gsi", len(cases)-want)
	wantIndexSize(t, e, "ttl", "lsi", len(cases)-want)
	if n, err := e.SweepTTL(context.Background()); n != 0 || err != nil {
		t.Errorf("second sweep = %d, %v; want 0, nil", n, err)
	}
}

// wantIndexSize fails unless the index of table holds n entries.
func wantIndexSize(tb testing.TB, e *Engine, table, index string, n int) {
	tb.Helper()
	got := 0
	err := e.catalog.Table(table).View(func(tx *store.Tx) error {
		return tx.Scan(index, 0, 1, nil, func(attr.Item) bool { got++; return true })
	})
	if err != nil || got != n {
		tb.Errorf("index %s holds %d entries (%v), want %d", index, got, err, n)
	}
}

func TestSweepTTLAfterClockAdvance(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, []string{"ttl"}, itemHashDef("ttl"))
	mustPut(t, e, "ttl", attr.Item{"pk": itemS("a"), "exp": epochN(sweepNow().Add(25 * time.Hour))})
	if n, _ := e.SweepTTL(context.Background()); n != 0 {
		t.Fatalf("deleted %d before expiry", n)
	}
	if _, err := e.Clock().Advance(25 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.SweepTTL(context.Background()); n != 1 {
		t.Fatalf("deleted %d after advancing past expiry, want 1", n)
	}
}

func TestSweepTTLBatches(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, []string{"ttl"}, itemHashDef("ttl"))
	total := 3*ttlSweepBatch + 7
	past := epochN(sweepNow().Add(-time.Minute))
	future := epochN(sweepNow().Add(time.Minute))
	for i := range total {
		exp := future
		if i%3 != 0 {
			exp = past
		}
		mustPut(t, e, "ttl", attr.Item{"pk": itemS(strconv.Itoa(i)), "exp": exp})
	}
	n, err := e.SweepTTL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kept := (total + 2) / 3
	if n != total-kept {
		t.Errorf("deleted %d, want %d", n, total-kept)
	}
	var count int64
	_ = e.catalog.Table("ttl").View(func(tx *store.Tx) error { count = tx.ItemCount(); return nil })
	if count != int64(kept) {
		t.Errorf("%d items left, want %d", count, kept)
	}
}

func TestSweepTTLRechecksUnderWriteLock(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, []string{"ttl"}, itemHashDef("ttl"))
	past := epochN(sweepNow().Add(-time.Minute))
	for _, pk := range []string{"a", "b", "c"} {
		mustPut(t, e, "ttl", attr.Item{"pk": itemS(pk), "exp": past})
	}
	tbl := e.catalog.Table("ttl")
	w := newTTLWindow(sweepNow())
	b, err := e.collectExpired(tbl, w, nil)
	if err != nil || len(b.keys) != 3 || !b.done {
		t.Fatalf("collectExpired = %d keys, done %v, %v", len(b.keys), b.done, err)
	}
	// Between the read and the write pass: "a" gets a later TTL, "b" loses
	// its TTL, "c" is deleted by a user.
	mustPut(t, e, "ttl", attr.Item{"pk": itemS("a"), "exp": epochN(sweepNow().Add(time.Hour))})
	mustPut(t, e, "ttl", attr.Item{"pk": itemS("b")})
	if _, err := e.DeleteItem(context.Background(), &DeleteItemInput{TableName: itemStr("ttl"), Key: attr.Item{"pk": itemS("c")}}); err != nil {
		t.Fatal(err)
	}
	n, err := e.deleteExpired(tbl, w, b.keys)
	if err != nil || n != 0 {
		t.Fatalf("deleteExpired = %d, %v; want 0", n, err)
	}
	for _, pk := range []string{"a", "b"} {
		if mustGet(t, e, "ttl", attr.Item{"pk": itemS(pk)}) == nil {
			t.Errorf("item %s deleted although no longer expired", pk)
		}
	}
}

func TestSweepTTLDisabledMeanwhile(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, []string{"ttl"}, itemHashDef("ttl"))
	mustPut(t, e, "ttl", attr.Item{"pk": itemS("a"), "exp": epochN(sweepNow().Add(-time.Minute))})
	tbl := e.catalog.Table("ttl")
	w := newTTLWindow(sweepNow())
	b, _ := e.collectExpired(tbl, w, nil)
	e.Clock().Set(sweepNow().Add(2 * time.Hour)) // past the one-hour cooldown
	_, err := e.UpdateTimeToLive(context.Background(), &UpdateTimeToLiveInput{TableName: itemStr("ttl"),
		TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: itemStr("exp"), Enabled: itemBool(false)}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.deleteExpired(tbl, w, b.keys); n != 0 || err != nil {
		t.Fatalf("deleteExpired after TTL was disabled = %d, %v", n, err)
	}
}

func TestSweepTTLCancelled(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, []string{"ttl"}, itemHashDef("ttl"))
	mustPut(t, e, "ttl", attr.Item{"pk": itemS("a"), "exp": epochN(sweepNow().Add(-time.Minute))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := e.SweepTTL(ctx); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("SweepTTL with a cancelled context = %d, %v", n, err)
	}
}

func TestDropAllTables(t *testing.T) {
	t.Parallel()
	e := newSweepEngine(t, nil, nil, itemHashDef("aaa"), itemHashDef("bbb"))
	e.DropAllTables()
	out, err := e.ListTables(context.Background(), &ListTablesInput{})
	if err != nil || len(out.TableNames) != 0 {
		t.Fatalf("ListTables after DropAllTables = %v, %v", out, err)
	}
}

func TestEpochDecimal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 500_000_000), "1700000000.5"},
		{time.Unix(1700000000, 1), "1700000000.000000001"},
		{time.Unix(0, 0), "0"},
		{time.Unix(-10, 300), "-10"},
	}
	for _, c := range cases {
		if got := epochDecimal(c.t); got != c.want {
			t.Errorf("epochDecimal(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}

// BenchmarkSweepTTLNothingDue is the cost of one periodic sweep of a
// 100,000-item table with TTL enabled where no item is due.
func BenchmarkSweepTTLNothingDue(b *testing.B) {
	if testing.Short() {
		b.Skip("loads 100,000 items")
	}
	e := newSweepEngine(b, nil, []string{"ttl"}, itemHashDef("ttl"))
	future := epochN(sweepNow().Add(time.Hour))
	for i := range 100_000 {
		mustPut(b, e, "ttl", attr.Item{"pk": itemS(strconv.Itoa(i)), "exp": future})
	}
	ctx := context.Background()
	for b.Loop() {
		if n, err := e.SweepTTL(ctx); n != 0 || err != nil {
			b.Fatalf("SweepTTL = %d, %v", n, err)
		}
	}
}
