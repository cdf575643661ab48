package engine

import (
	"context"
	"testing"
)

func TestOnDemandThroughput(t *testing.T) {
	e := newTestEngine(t)
	in := simpleTable("odt")
	in.OnDemandThroughput = &OnDemandThroughput{MaxReadRequestUnits: i64(0)}
	if _, err := e.CreateTable(context.Background(), in); err == nil || AsError(err).Code != Validation {
		t.Fatalf("MaxReadRequestUnits 0: %v", err)
	}
	in.OnDemandThroughput = &OnDemandThroughput{MaxWriteRequestUnits: i64(50)}
	d := mustCreate(t, e, in)
	if o := d.OnDemandThroughput; o == nil || *o.MaxReadRequestUnits != -1 || *o.MaxWriteRequestUnits != 50 {
		t.Fatalf("described %+v", o)
	}
	_, err := e.UpdateTable(context.Background(), &UpdateTableInput{TableName: sp("odt"),
		OnDemandThroughput: &OnDemandThroughput{MaxWriteRequestUnits: i64(-1)}})
	if err != nil {
		t.Fatal(err)
	}
	if o := mustDescribe(t, e, "odt").OnDemandThroughput; o != nil {
		t.Fatalf("after removing the maximum: %+v", o)
	}
	spec := e.tableMetaOfName(t, "odt").CapacitySpec()
	if !spec.Table.OnDemand || spec.Table.MaxWrite != 0 || spec.Table.WarmWrite != warmWriteUnits {
		t.Fatalf("spec %+v", spec.Table)
	}
}

// A snapshot keeps a table's OnDemandThroughput and WarmThroughput.
func TestOnDemandAndWarmThroughputInSnapshots(t *testing.T) {
	e := newTestEngine(t)
	in := simpleTable("odsnap")
	in.OnDemandThroughput = &OnDemandThroughput{MaxWriteRequestUnits: i64(70)}
	in.WarmThroughput = &WarmThroughput{WriteUnitsPerSecond: i64(9000)}
	mustCreate(t, e, in)
	e2 := newTestEngine(t)
	loadInto(t, e2, snapshotOf(t, e))
	d := mustDescribe(t, e2, "odsnap")
	if o := d.OnDemandThroughput; o == nil || *o.MaxWriteRequestUnits != 70 {
		t.Fatalf("OnDemandThroughput after a snapshot: %+v", o)
	}
	if w := d.WarmThroughput; w == nil || w.WriteUnitsPerSecond != 9000 || w.ReadUnitsPerSecond != warmReadUnits {
		t.Fatalf("WarmThroughput after a snapshot: %+v", w)
	}
}
