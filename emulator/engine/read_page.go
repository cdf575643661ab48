package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// maxPageBytes is DynamoDB's cap on the data one Query or Scan page reads
// (before any filter): 1 MB.
const maxPageBytes = 1 << 20

// pager collects one page of a Query or Scan as the store yields items,
// evaluating Limit and the 1 MB cap on what is read, before the filter.
type pager struct {
	target *readTarget
	exprs  *readExprs
	sel    string
	limit  int // 0: none
	// fetch: an LSI read that also reads each whole item from the table
	// (Select=ALL_ATTRIBUTES, or attributes the index does not project).
	fetch bool
	// whole: every item read is returned unchanged (no filter, no
	// projection, the target stores whole items), so none is unpacked.
	whole bool

	items          []ReadItem
	count, scanned int
	readBytes      int // size of what was read from the target
	fetchBytes     int // size of the table items fetched for an LSI read
	last           store.Ref
	full           bool // stopped by Limit or the 1 MB cap
}

// newPager prepares the page of a read of target with the effective
// Select sel and Limit limit (nil: none).
func newPager(target *readTarget, exprs *readExprs, sel string, limit *int32) *pager {
	p := &pager{target: target, exprs: exprs, sel: sel}
	if limit != nil {
		p.limit = int(*limit)
	}
	if target.partial() && target.ix.Local {
		p.fetch = sel == selectAll || !target.projects(exprs.projectedNames())
	}
	p.whole = exprs.filter == nil && !target.partial() && sel != selectSpecific
	if sel != selectCount {
		p.items = []ReadItem{}
	}
	return p
}

// visit handles one item yielded by the store and reports whether to go on.
// The sizes are the store's (of what the target stores of the item, and of
// the whole item); the item is unpacked only when it is filtered or
// projected.
func (p *pager) visit(r store.Ref) bool {
	p.scanned++
	p.readBytes += r.Size()
	p.last = r
	if p.whole {
		p.count++
		if p.sel != selectCount {
			p.items = append(p.items, PackedItem(r.Packed()))
		}
	} else {
		p.visitItem(&r)
	}
	if (p.limit > 0 && p.scanned >= p.limit) || p.readBytes >= maxPageBytes {
		p.full = true
		return false
	}
	return true
}

// visitItem filters and shapes an item that is not returned whole.
func (p *pager) visitItem(r *store.Ref) {
	item := r.Item()
	entry := p.target.entry(item)
	view := entry
	if p.fetch {
		p.fetchBytes += r.ItemSize()
		view = item
	} else if !p.target.isGSI() {
		view = item
	}
	if expr.EvalCondition(p.exprs.filter, view) {
		p.count++
		p.add(view, entry)
	}
}

// add appends the returned form of a matching item. Items from the store
// are immutable (a write replaces the map, never edits it), so they are
// returned as they are, without a copy.
func (p *pager) add(view, entry attr.Item) {
	switch p.sel {
	case selectCount:
	case selectProjected:
		p.items = append(p.items, ItemOf(entry))
	case selectSpecific:
		p.items = append(p.items, ItemOf(p.exprs.project(view)))
	default:
		p.items = append(p.items, ItemOf(view))
	}
}

// lastEvaluatedKey is the key to resume after, nil on the last page.
func (p *pager) lastEvaluatedKey() attr.Item {
	if !p.full || p.last.Packed() == "" {
		return nil
	}
	return p.target.lastKeyPacked(p.last.Packed())
}

// readUnits is the page's read in the table and in the index read.
func (p *pager) readUnits(consistent bool) (tableUnits, indexUnits float64) {
	half := func(u float64) float64 {
		if consistent {
			return u
		}
		return u / 2
	}
	if p.target.index == "" {
		return half(units(p.readBytes, readUnitSize)), 0
	}
	indexUnits = half(units(p.readBytes, readUnitSize))
	if p.fetch {
		tableUnits = half(units(p.fetchBytes, readUnitSize))
	}
	return tableUnits, indexUnits
}

// capacity reports the page's read: the bytes read from the target, and
// for an LSI read that fetched table items the bytes fetched, each rounded
// up to 4 KB units once per request and halved for eventually consistent
// reads.
func (p *pager) capacity(mode *string, table string, consistent bool) *ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	tableUnits, indexUnits := p.readUnits(consistent)
	cc := &ConsumedCapacity{TableName: table, CapacityUnits: tableUnits + indexUnits}
	if *mode == capacityIndexes {
		cc.Table = &Capacity{CapacityUnits: tableUnits}
		if p.target.index != "" {
			cc.addIndex(p.target.ix, indexUnits)
		}
	}
	return cc
}
