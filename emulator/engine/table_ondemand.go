package engine

import "strconv"

// onDemandMax is the OnDemandThroughput of an on-demand table or GSI: the
// maximum read and write request units per second, 0 when none is set.
type onDemandMax struct{ Read, Write int64 }

// set applies in: a value of -1 removes the maximum, a member left out
// keeps it.
func (o *onDemandMax) set(in *OnDemandThroughput) {
	if in == nil {
		return
	}
	for _, x := range []struct {
		v   *int64
		dst *int64
	}{{in.MaxReadRequestUnits, &o.Read}, {in.MaxWriteRequestUnits, &o.Write}} {
		if x.v != nil {
			*x.dst = max(0, *x.v)
		}
	}
}

// out is the described OnDemandThroughput, nil when no maximum is set;
// an unset side reads -1, as DynamoDB reports it.
func (o onDemandMax) out() *OnDemandThroughput {
	if o.Read == 0 && o.Write == 0 {
		return nil
	}
	r, w := o.Read, o.Write
	if r == 0 {
		r = -1
	}
	if w == 0 {
		w = -1
	}
	return &OnDemandThroughput{MaxReadRequestUnits: &r, MaxWriteRequestUnits: &w}
}

// checkOnDemand applies the value rule of OnDemandThroughput: a maximum is
// at least 1, or -1 for none.
func checkOnDemand(o *OnDemandThroughput, where string) error {
	if o == nil {
		return nil
	}
	for _, x := range []struct {
		name string
		v    *int64
	}{{"MaxReadRequestUnits", o.MaxReadRequestUnits}, {"MaxWriteRequestUnits", o.MaxWriteRequestUnits}} {
		if x.v != nil && *x.v != -1 && *x.v < 1 {
			return invalidParam(x.name + " of " + where + " must be -1 or at least 1, got " + strconv.FormatInt(*x.v, 10))
		}
	}
	return nil
}

// checkCreateOnDemand checks the OnDemandThroughput members of CreateTable.
func checkCreateOnDemand(in *CreateTableInput) error {
	if err := checkOnDemand(in.OnDemandThroughput, "table"); err != nil {
		return err
	}
	for _, g := range in.GlobalSecondaryIndexes {
		if err := checkOnDemand(g.OnDemandThroughput, "index "+str(g.IndexName)); err != nil {
			return err
		}
	}
	return nil
}

// checkUpdateOnDemand checks the OnDemandThroughput members of UpdateTable.
func checkUpdateOnDemand(in *UpdateTableInput) error {
	if err := checkOnDemand(in.OnDemandThroughput, "table"); err != nil {
		return err
	}
	for _, x := range in.GlobalSecondaryIndexUpdates {
		switch {
		case x.Create != nil:
			if err := checkOnDemand(x.Create.OnDemandThroughput, "index "+str(x.Create.IndexName)); err != nil {
				return err
			}
		case x.Update != nil:
			if err := checkOnDemand(x.Update.OnDemandThroughput, "index "+str(x.Update.IndexName)); err != nil {
				return err
			}
		}
	}
	return nil
}

// warmUnits is the WarmThroughput requested for a table or GSI, 0 where
// none was: an on-demand table or GSI then has DynamoDB's warm throughput
// of a new on-demand table (warmReadUnits, warmWriteUnits).
type warmUnits struct{ Read, Write int64 }

// raise applies in: warm throughput only increases (a lower value keeps
// the current one).
func (w *warmUnits) raise(in *WarmThroughput) {
	if in == nil {
		return
	}
	if in.ReadUnitsPerSecond != nil {
		w.Read = max(w.Read, *in.ReadUnitsPerSecond)
	}
	if in.WriteUnitsPerSecond != nil {
		w.Write = max(w.Write, *in.WriteUnitsPerSecond)
	}
}

// effective is the warm throughput in force: the requested values, for
// an on-demand resource at least those of a new on-demand table.
func (w warmUnits) effective(onDemand bool) (read, write int64) {
	read, write = w.Read, w.Write
	if onDemand {
		read, write = max(read, warmReadUnits), max(write, warmWriteUnits)
	}
	return read, write
}

// out is the described WarmThroughput: always for an on-demand resource,
// for a provisioned one only when it was requested.
func (w warmUnits) out(onDemand bool) *WarmThroughputDescription {
	if !onDemand && w.Read == 0 && w.Write == 0 {
		return nil
	}
	r, wr := w.effective(onDemand)
	return &WarmThroughputDescription{ReadUnitsPerSecond: r, WriteUnitsPerSecond: wr, Status: statusActive}
}
