package engine

import (
	"context"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// ttlCooldown is how long after a successful UpdateTimeToLive another
// change of the same table's TTL is refused.
const ttlCooldown = time.Hour

// UpdateTimeToLive enables or disables TTL on a table.
func (e *Engine) UpdateTimeToLive(ctx context.Context, in *UpdateTimeToLiveInput) (*UpdateTimeToLiveOutput, error) {
	if err := checkTTLConstraints(in); err != nil {
		return nil, err
	}
	spec := in.TimeToLiveSpecification
	t, err := e.lookupNamed(*in.TableName)
	if err != nil {
		return nil, err
	}
	err = t.Update(func(tx *store.Tx) error {
		m := e.tableMetaOf(tx)
		now := e.clock.Now()
		if err := checkTTLChange(m.TTL, *spec.AttributeName, *spec.Enabled, now); err != nil {
			return err
		}
		m = m.clone()
		m.TTL = ttlMeta{Enabled: *spec.Enabled, LastChange: now}
		if *spec.Enabled {
			m.TTL.Attr = *spec.AttributeName
		}
		tx.SetMeta(m)
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errTableNotFoundNamed(t.Name()))
	}
	return &UpdateTimeToLiveOutput{TimeToLiveSpecification: &TimeToLiveSpecification{
		AttributeName: sp(*spec.AttributeName), Enabled: bp(*spec.Enabled),
	}}, nil
}

// checkTTLConstraints applies UpdateTimeToLive's parameter constraints. A
// missing TimeToLiveSpecification is reported only when nothing else is
// wrong: DynamoDB answers {"TableName":"abc;"} with the table-name pattern
// violation alone (dynalite test/updateTimeToLive.js).
func checkTTLConstraints(in *UpdateTimeToLiveInput) error {
	if err := checkTableNameFirst(in.TableName, true); err != nil {
		return err
	}
	var v violations
	v.checkTableName(in.TableName, "tableName")
	if spec := in.TimeToLiveSpecification; spec != nil {
		v.checkNotNull(spec.AttributeName != nil, "timeToLiveSpecification.attributeName")
		v.checkLen(spec.AttributeName, "timeToLiveSpecification.attributeName", 1, 255)
		v.checkNotNull(spec.Enabled != nil, "timeToLiveSpecification.enabled")
	}
	if err := v.err(); err != nil {
		return err
	}
	v.checkNotNull(in.TimeToLiveSpecification != nil, "timeToLiveSpecification")
	return v.err()
}

// checkTTLChange applies DynamoDB's rules for changing TTL from cur.
func checkTTLChange(cur ttlMeta, name string, enable bool, now time.Time) error {
	switch {
	case enable && cur.Enabled && cur.Attr == name:
		return validationErr("TimeToLive is already enabled")
	case cur.Enabled && cur.Attr != name:
		return validationErr("TimeToLive is active on a different AttributeName: current AttributeName is " + cur.Attr)
	case !enable && !cur.Enabled:
		return validationErr("TimeToLive is already disabled")
	case !cur.LastChange.IsZero() && now.Sub(cur.LastChange) < ttlCooldown:
		return validationErr("Time to live has been modified multiple times within a fixed interval")
	}
	return nil
}

// DescribeTimeToLive reports a table's TTL status.
func (e *Engine) DescribeTimeToLive(ctx context.Context, in *DescribeTimeToLiveInput) (*DescribeTimeToLiveOutput, error) {
	if err := checkTableNameFirst(in.TableName, true); err != nil {
		return nil, err
	}
	var v violations
	v.checkTableName(in.TableName, "tableName")
	if err := v.err(); err != nil {
		return nil, err
	}
	t, err := e.lookupNamed(*in.TableName)
	if err != nil {
		return nil, err
	}
	out := &TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}
	err = t.View(func(tx *store.Tx) error {
		if ttl := e.tableMetaOf(tx).TTL; ttl.Enabled {
			out.TimeToLiveStatus, out.AttributeName = "ENABLED", ttl.Attr
		}
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errTableNotFoundNamed(t.Name()))
	}
	return &DescribeTimeToLiveOutput{TimeToLiveDescription: out}, nil
}
