package engine

import (
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestTableStats(t *testing.T) {
	e := newTestEngine(t)
	mustCreate(t, e, simpleTable("bbb"))
	mustCreate(t, e, simpleTable("aaa"))
	mustPut(t, e, "aaa", pkItem("x", "v", "hello"))
	mustPut(t, e, "aaa", pkItem("y"))
	got := e.TableStats()
	if len(got) != 2 || got[0].Name != "aaa" || got[1].Name != "bbb" {
		t.Fatalf("tables: %+v", got)
	}
	want := int64(attr.ItemSize(pkItem("x", "v", "hello")) + attr.ItemSize(pkItem("y")))
	if got[0].Items != 2 || got[0].Bytes != want || got[1].Items != 0 || got[1].Bytes != 0 {
		t.Fatalf("stats: %+v, want a: 2 items, %d bytes", got, want)
	}
}

func TestShardStats(t *testing.T) {
	e, arn := newStreamEngine(t, "sss", "KEYS_ONLY")
	if st := e.ShardStats(); len(st) != 1 || st[0].NewestAge != -1 || st[0].OldestUndeliveredAge != -1 {
		t.Fatalf("empty stream: %+v", st)
	}
	mustPut(t, e, "sss", pkItem("a"))
	clk := e.Clock()
	if _, err := clk.Advance(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	mustPut(t, e, "sss", pkItem("b"))
	st := e.ShardStats()[0]
	if st.Table != "sss" || st.Appended != 2 || st.Delivered != 0 || st.NewestAge != 0 || st.OldestUndeliveredAge != 3*time.Second {
		t.Fatalf("before reading: %+v", st)
	}
	readStream(t, e, arn)
	st = e.ShardStats()[0]
	if st.Delivered != 2 || st.OldestUndeliveredAge != -1 || !st.Open || st.Records != 2 {
		t.Fatalf("after reading: %+v", st)
	}
}
