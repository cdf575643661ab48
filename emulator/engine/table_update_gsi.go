package engine

import (
	"slices"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// billing applies BillingMode and the table's ProvisionedThroughput.
func (u *tableUpdate) billing() error {
	in, m := u.in, u.m
	cur, target := m.Billing, m.Billing
	if in.BillingMode != nil {
		target = *in.BillingMode
		m.BillingSet = true
	}
	switch {
	case target == billingPayPerRequest:
		if in.ProvisionedThroughput != nil {
			return invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		if cur != billingPayPerRequest {
			m.Billing, m.LastToPPR = billingPayPerRequest, u.now
			m.Throughput.Read, m.Throughput.Write = 0, 0
			for i := range m.GSIs {
				m.GSIs[i].Throughput.Read, m.GSIs[i].Throughput.Write = 0, 0
			}
		}
	case cur == billingPayPerRequest:
		return u.toProvisioned()
	case in.ProvisionedThroughput != nil:
		pt := in.ProvisionedThroughput
		if m.Throughput.Read == *pt.ReadCapacityUnits && m.Throughput.Write == *pt.WriteCapacityUnits {
			return errThroughputUnchanged("table", "", m.Throughput, pt)
		}
		m.Throughput.change(*pt.ReadCapacityUnits, *pt.WriteCapacityUnits, u.now)
	}
	return nil
}

// toProvisioned switches an on-demand table to PROVISIONED: the table and
// every GSI need a throughput in the same request.
func (u *tableUpdate) toProvisioned() error {
	pt := u.in.ProvisionedThroughput
	if pt == nil {
		return invalidParam("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	}
	for _, g := range u.m.GSIs {
		if g.Status == statusDeleting {
			continue
		}
		if !slices.ContainsFunc(u.in.GlobalSecondaryIndexUpdates, func(x GlobalSecondaryIndexUpdate) bool {
			return x.Update != nil && *x.Update.IndexName == g.Name && x.Update.ProvisionedThroughput != nil
		}) {
			return invalidParam("ProvisionedThroughput must be specified for index: " + g.Name)
		}
	}
	u.m.Billing = billingProvisioned
	u.m.Throughput.Read, u.m.Throughput.Write = *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
	u.m.Throughput.LastIncrease = u.now
	u.switched = true
	return nil
}

// change sets a new capacity and records the increase or decrease.
func (t *throughput) change(read, write int64, now time.Time) {
	t.Changing, t.FromRead, t.FromWrite, t.FromDecreases = true, t.Read, t.Write, t.decreasesOn(now)
	if read > t.Read || write > t.Write {
		t.LastIncrease = now
	}
	if read < t.Read || write < t.Write {
		t.DecreasesToday = t.decreasesOn(now) + 1
		t.LastDecrease = now
	}
	t.Read, t.Write = read, write
}

// inProgress returns t as described while the UpdateTable that changed it
// is in progress (the table or index UPDATING): DynamoDB reports the
// capacity before the change, with the new LastIncreaseDateTime or
// LastDecreaseDateTime, and counts the decrease once the change is done
// (dynalite test/updateTable.js, captured from DynamoDB).
func (t throughput) inProgress() throughput {
	if t.Changing {
		t.Read, t.Write, t.DecreasesToday = t.FromRead, t.FromWrite, t.FromDecreases
	}
	return t
}

// decreasesOn is the number of decreases on the UTC day of now: the count
// starts again at midnight UTC.
func (t *throughput) decreasesOn(now time.Time) int64 {
	y1, m1, d1 := t.LastDecrease.UTC().Date()
	y2, m2, d2 := now.UTC().Date()
	if y1 != y2 || m1 != m2 || d1 != d2 {
		return 0
	}
	return t.DecreasesToday
}

// errThroughputUnchanged is DynamoDB's error for a throughput update that
// changes nothing; what is "table" or "index" (then name is the index).
func errThroughputUnchanged(what, name string, cur throughput, pt *ProvisionedThroughput) *Error {
	subject := "the table"
	if what == "index" {
		subject = "the index " + name
	}
	f := func(n int64) string { return strconv.FormatInt(n, 10) }
	return validationErr("The provisioned throughput for " + subject + " will not change. The requested value equals the current value. " +
		"Current ReadCapacityUnits provisioned for the " + what + ": " + f(cur.Read) + ". Requested ReadCapacityUnits: " + f(*pt.ReadCapacityUnits) + ". " +
		"Current WriteCapacityUnits provisioned for the " + what + ": " + f(cur.Write) + ". Requested WriteCapacityUnits: " + f(*pt.WriteCapacityUnits) + ". " +
		"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")
}

// indexes applies GlobalSecondaryIndexUpdates.
func (u *tableUpdate) indexes() error {
	def := u.tx.Def()
	changed := false
	for _, x := range u.in.GlobalSecondaryIndexUpdates {
		var err error
		switch {
		case x.Update != nil:
			err = u.updateGSI(def, x.Update)
		case x.Create != nil:
			def, err = u.createGSI(def, x.Create)
			changed = true
		default:
			def, err = u.deleteGSI(def, x.Delete)
			changed = true
		}
		if err != nil {
			return err
		}
	}
	if changed {
		u.tx.SetDef(def)
	}
	return nil
}

// msgIndexUpdateBlocked answers an update of an unknown index with
// capacity out of bounds.
const msgIndexUpdateBlocked = "This operation cannot be performed with given input values. " +
	"Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate"

// errNoSuchIndex is the answer for an UpdateTable naming an unknown index.
func errNoSuchIndex(index, table string) *Error {
	return NewError(ResourceNotFound, "Requested resource not found: Index "+index+" for table "+table)
}

// updateGSI changes the provisioned throughput of a GSI.
func (u *tableUpdate) updateGSI(def store.TableDef, up *UpdateGlobalSecondaryIndexAction) error {
	name := *up.IndexName
	x, ok := def.Index(name)
	if ok && x.Local {
		return validationErr("Cannot update an index that is not a GlobalSecondaryIndex: " + name)
	}
	g := u.m.gsi(name)
	if !ok || g == nil {
		// Capacity out of bounds for an index the table does not have is
		// refused in other words (dynalite test/updateTable.js, captured).
		if pt := up.ProvisionedThroughput; pt != nil && checkCapacityBounds(pt) != nil {
			return validationErr(msgIndexUpdateBlocked)
		}
		return errNoSuchIndex(name, def.Name)
	}
	g.Warm.raise(up.WarmThroughput)
	if u.m.Billing == billingPayPerRequest {
		if (up.OnDemandThroughput == nil && up.WarmThroughput == nil) || up.ProvisionedThroughput != nil {
			return invalidParam("The only Updates for index: " + name + " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")
		}
		g.OnDemand.set(up.OnDemandThroughput)
		return nil
	}
	if up.ProvisionedThroughput == nil && up.WarmThroughput != nil {
		return nil // only the warm throughput of a provisioned GSI
	}
	pt := up.ProvisionedThroughput
	if pt == nil {
		return invalidParam("Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: " + name)
	}
	if err := checkCapacityBounds(pt); err != nil {
		return err
	}
	if !u.switched && g.Throughput.Read == *pt.ReadCapacityUnits && g.Throughput.Write == *pt.WriteCapacityUnits {
		return errThroughputUnchanged("index", name, g.Throughput, pt)
	}
	if u.switched {
		g.Throughput.Read, g.Throughput.Write = *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
		g.Throughput.LastIncrease = u.now
	} else {
		g.Throughput.change(*pt.ReadCapacityUnits, *pt.WriteCapacityUnits, u.now)
	}
	if g.Status == statusActive {
		u.opts.indexStatus[name] = statusUpdating
	}
	return nil
}

// createGSI adds a GSI to def; the store backfills it when the new def is set.
func (u *tableUpdate) createGSI(def store.TableDef, c *CreateGlobalSecondaryIndexAction) (store.TableDef, error) {
	name := *c.IndexName
	if _, ok := def.Index(name); ok || u.m.gsi(name) != nil {
		return def, validationErr("Attempting to create an index which already exists")
	}
	if u.m.pendingGSI(u.now, u.e.indexTransition()) != "" {
		return def, errOneOnlineIndex()
	}
	if countGSIs(def) >= maxGSIs {
		return def, NewError(LimitExceeded, "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of "+strconv.Itoa(maxGSIs))
	}
	if u.in.AttributeDefinitions == nil {
		return def, invalidParam("AttributeDefinitions is not specified for index: " + name)
	}
	defs, err := attrDefMap(u.in.AttributeDefinitions)
	if err != nil {
		return def, err
	}
	for _, a := range attrDefsOf(def) { // the table's own definitions win
		defs[*a.AttributeName] = *a.AttributeType
	}
	x, err := planGSI(c.IndexName, c.KeySchema, c.Projection, u.in.AttributeDefinitions, defs)
	if err != nil {
		return def, err
	}
	if err := u.checkCreateThroughput(name, c.ProvisionedThroughput); err != nil {
		return def, err
	}
	nonKeys := len(x.Projection.NonKey)
	for _, o := range def.Indexes {
		nonKeys += len(o.Projection.NonKey)
	}
	if nonKeys > maxProjectedNonKeys {
		return def, errTooManyProjected(nonKeys)
	}
	def.Indexes = append(slices.Clone(def.Indexes), x)
	g := gsiMeta{Name: name, Status: statusCreating, Since: u.now, Backfill: true}
	g.OnDemand.set(c.OnDemandThroughput)
	g.Warm.raise(c.WarmThroughput)
	if pt := c.ProvisionedThroughput; pt != nil {
		g.Throughput = throughput{Read: *pt.ReadCapacityUnits, Write: *pt.WriteCapacityUnits}
	}
	u.m.GSIs = append(u.m.GSIs, g)
	u.opts.indexStatus[name] = statusCreating
	return def, nil
}

// checkCreateThroughput applies the billing rules to a new GSI.
func (u *tableUpdate) checkCreateThroughput(name string, pt *ProvisionedThroughput) error {
	if u.m.Billing == billingPayPerRequest {
		if pt != nil {
			return invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: " + name + " when BillingMode is PAY_PER_REQUEST")
		}
		return nil
	}
	if pt == nil {
		return invalidParam("ProvisionedThroughput must be specified for index: " + name)
	}
	return checkCapacityBounds(pt)
}

// countGSIs counts the GSIs of def.
func countGSIs(def store.TableDef) int {
	n := 0
	for _, x := range def.Indexes {
		if !x.Local {
			n++
		}
	}
	return n
}

// deleteGSI removes a GSI from def; it is reported DELETING for a while.
func (u *tableUpdate) deleteGSI(def store.TableDef, d *DeleteGlobalSecondaryIndexAction) (store.TableDef, error) {
	name := *d.IndexName
	x, ok := def.Index(name)
	if ok && x.Local {
		return def, validationErr("Cannot delete an index that is not a GlobalSecondaryIndex: " + name)
	}
	g := u.m.gsi(name)
	if !ok || g == nil {
		return def, errNoSuchIndex(name, def.Name)
	}
	if u.m.pendingGSI(u.now, u.e.indexTransition()) != "" {
		return def, errOneOnlineIndex()
	}
	def.Indexes = slices.DeleteFunc(slices.Clone(def.Indexes), func(o store.IndexDef) bool { return o.Name == name })
	g.Status, g.Since, g.Removed = statusDeleting, u.now, &x
	u.opts.indexStatus[name] = statusDeleting
	return def, nil
}
