package engine

import (
	"context"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Scan returns the items of a table or secondary index in storage order
// (by a hash of the partition key), one page at a time, limited like a
// Query page. With Segment and TotalSegments it reads one segment of a
// parallel scan: every item belongs to exactly one segment.
func (e *Engine) Scan(ctx context.Context, in *ScanInput) (*ScanOutput, error) {
	exprs, err := in.validate()
	if err != nil {
		return nil, err
	}
	t, err := e.lookup(*in.TableName)
	if err != nil {
		return nil, err
	}
	consistent := in.ConsistentRead != nil && *in.ConsistentRead
	segment, total := 0, 1
	if in.TotalSegments != nil {
		segment, total = int(*in.Segment), int(*in.TotalSegments)
	}
	out := &ScanOutput{}
	err = t.View(func(tx *store.Tx) error {
		target, err := e.resolveTarget(tx, in.IndexName, consistent)
		if err != nil {
			return err
		}
		sel := resolveSelect(in.Select, exprs.hasProj, in.IndexName != nil)
		if err := in.bind(exprs, target, sel, segment, total); err != nil {
			return err
		}
		p := newPager(target, exprs, sel, in.Limit)
		var after attr.Item
		if in.ExclusiveStartKey != nil {
			after = attr.Item(in.ExclusiveStartKey)
		}
		if err := tx.ScanRef(target.index, segment, total, after, p.visit); err != nil {
			return AsError(err)
		}
		if err := e.admitPage(tx, p, attr.Value{}, consistent); err != nil {
			return err
		}
		out.Items, out.Count, out.ScannedCount = p.items, p.count, p.scanned
		out.LastEvaluatedKey = p.lastEvaluatedKey()
		out.ConsumedCapacity = p.capacity(in.ReturnConsumedCapacity, t.Name(), consistent)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bind applies the checks that need the table (dynalite actions/scan.js):
// the exclusive start key against the index and table keys and the
// segment, Select against the index projection, and document paths into
// key attributes.
func (in *ScanInput) bind(exprs *readExprs, target *readTarget, sel string, segment, total int) error {
	start := in.ExclusiveStartKey
	if start != nil && len(start) != len(target.startNames) {
		if target.index != "" {
			return validationErr(msgStartKeyInvalid)
		}
		return validationErr(msgStartKeyInvalid + ": " + msgKeySchema)
	}
	if start != nil && target.index != "" {
		for _, k := range indexKeyAttrs(target.key) {
			if err := checkStartPiece(k, start); err != nil {
				return err
			}
		}
	}
	if err := target.checkSelectAll(sel); err != nil {
		return err
	}
	if start != nil {
		if err := checkStartTableKey(target.def, start); err != nil {
			return err
		}
		if store.SegmentOf(start[target.key.Hash], total) != segment {
			return validationErr(msgStartKeyInvalid + ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. " +
				"TotalSegments: " + strconv.Itoa(total) + " Segment: " + strconv.Itoa(segment))
		}
	}
	if err := checkKeyPaths(target.def, exprs.projPaths); err != nil {
		return err
	}
	return checkKeyPaths(target.def, exprs.filterPaths)
}

// validate applies the checks Scan makes before looking up the table, in
// DynamoDB's order (dynalite validations/scan.js).
func (in *ScanInput) validate() (*readExprs, error) {
	if err := in.checkConstraints(); err != nil {
		return nil, err
	}
	err := checkExpressionStyle(
		[]param{{"ProjectionExpression", in.ProjectionExpression != nil}, {"FilterExpression", in.FilterExpression != nil}},
		[]param{{"AttributesToGet", in.AttributesToGet != nil}, {"ScanFilter", in.ScanFilter != nil},
			{"ConditionalOperator", in.ConditionalOperator != nil}},
		in.ExpressionAttributeNames != nil, in.ExpressionAttributeValues != nil, []string{"FilterExpression"})
	if err != nil {
		return nil, err
	}
	// Then the attribute values, before the segments and the expressions
	// (DynamoDB Local 3.3.1).
	if err := in.hv.check(); err != nil {
		return nil, err
	}
	if err := checkNameList(in.AttributesToGet); err != nil {
		return nil, err
	}
	if dup, ok := firstDuplicate(in.AttributesToGet); ok {
		return nil, validationErr(msgInvalidParams + "Duplicate value in attribute name: " + dup)
	}
	p := in.readParams()
	r := &readExprs{}
	if err := r.parseLegacyFilter(p); err != nil {
		return nil, err
	}
	if err := in.checkSegments(); err != nil {
		return nil, err
	}
	if err := r.newReadEnv(p, in.FilterExpression != nil || in.ProjectionExpression != nil); err != nil {
		return nil, err
	}
	if err := r.parseFilterExpr(p); err != nil {
		return nil, err
	}
	if err := r.parseProjection(p); err != nil {
		return nil, err
	}
	if err := r.checkUnused(); err != nil {
		return nil, err
	}
	if msg := selectError(in.Select, in.ProjectionExpression != nil, in.AttributesToGet != nil, in.IndexName != nil); msg != "" {
		return nil, validationErr(msg)
	}
	return r, nil
}

// Parallel-scan limits.
const (
	maxTotalSegments = 1000000
	maxSegment       = maxTotalSegments - 1
)

// checkConstraints applies the parameter constraints, reported together.
func (in *ScanInput) checkConstraints() error {
	var v violations
	v.checkEnum(in.Select, "select", selectEnum...)
	if in.IndexName != nil {
		v.checkName(in.IndexName, "indexName")
	}
	v.checkMin(wide(in.TotalSegments), "totalSegments", 1)
	v.checkMax(wide(in.TotalSegments), "totalSegments", maxTotalSegments)
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	v.checkTableName(in.TableName, "tableName")
	v.checkEnum(in.ConditionalOperator, "conditionalOperator", conditionalOperatorEnum...)
	v.checkConditions(in.ScanFilter, "scanFilter")
	if in.AttributesToGet != nil {
		checkAttributesToGet(&v, in.AttributesToGet)
	}
	v.checkMin(wide(in.Segment), "segment", 0)
	v.checkMax(wide(in.Segment), "segment", maxSegment)
	v.checkMin(wide(in.Limit), "limit", 1)
	return v.err()
}

// checkSegments applies the rules tying Segment to TotalSegments.
func (in *ScanInput) checkSegments() error {
	if in.Segment != nil && *in.Segment != 0 && in.TotalSegments == nil {
		return validationErr("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	}
	if in.TotalSegments == nil {
		return nil
	}
	if in.Segment == nil {
		return validationErr("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	}
	if *in.Segment >= *in.TotalSegments {
		return validationErr("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
			strconv.Itoa(int(*in.Segment)) + " is not less than TotalSegments: " + strconv.Itoa(int(*in.TotalSegments)))
	}
	return nil
}

// readParams gathers the filter and projection parameters.
func (in *ScanInput) readParams() readParams {
	return readParams{
		filterExpr: in.FilterExpression, projExpr: in.ProjectionExpression,
		legacyFilter: in.ScanFilter, legacyFilterName: "ScanFilter",
		conditionalOperator: in.ConditionalOperator, attributesToGet: in.AttributesToGet,
		names: in.ExpressionAttributeNames, values: in.ExpressionAttributeValues,
	}
}
