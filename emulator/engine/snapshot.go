package engine

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// A snapshot is the whole state of the tables as one JSON document, for
// keeping data between runs and for fixtures. Its format, version
// SnapshotVersion:
//
//	{"format": "dynafault-snapshot", "version": 1,
//	 "savedAt": "<RFC 3339, the clock's time>", "region": "...", "accountId": "...",
//	 "tables": [
//	   {"name": "orders",
//	    "definition": {<the store's TableDef: key schema and secondary indexes>},
//	    "settings": {<the engine's table metadata: ids, creation time, billing,
//	                  throughput, stream, TTL, tags, GSI settings, ...>},
//	    "items": [{<an item in DynamoDB JSON>}, ...]}]}
//
// "definition" and "settings" are the engine's own table types encoded by
// encoding/json (field names as in store.TableDef and tableMeta, attribute
// types by their wire names), so whatever a table carries is carried.
// Stream records are not saved: a loaded table with a stream starts it
// empty, under the same ARN and label. Unknown fields are refused.
//
// A fixture written by hand may give a table as the CreateTable request
// that makes it, with its TTL setting as UpdateTimeToLive's specification:
//
//	{"createTable": {"TableName": "orders", "KeySchema": [...], ...},
//	 "timeToLive": {"AttributeName": "expires", "Enabled": true},
//	 "items": [...]}

// Snapshot format identifiers.
const (
	SnapshotFormat  = "dynafault-snapshot"
	SnapshotVersion = 1
)

// snapshotHeader is the part of a snapshot before its tables.
type snapshotHeader struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	SavedAt   time.Time `json:"savedAt"`
	Region    string    `json:"region"`
	AccountID string    `json:"accountId"`
}

// snapshotTable is one table of a snapshot. A hand-written fixture may
// give the table as a CreateTable request (CreateTable, with TimeToLive
// for its TTL setting) instead of Definition and Settings.
type snapshotTable struct {
	Name        string                   `json:"name"`
	Definition  store.TableDef           `json:"definition"`
	Settings    tableMeta                `json:"settings"`
	CreateTable *CreateTableInput        `json:"createTable,omitempty"`
	TimeToLive  *TimeToLiveSpecification `json:"timeToLive,omitempty"`
	Items       []attr.Item              `json:"items"`
}

// tableCopy is what WriteSnapshot copies of a table under its read lock;
// items are the stored packed forms (immutable), encoded after the lock.
type tableCopy struct {
	def   store.TableDef
	meta  tableMeta
	items []string
}

// WriteSnapshot writes every table (definition, settings, items) to w as
// a snapshot. Each table is copied in one critical section, so it is
// consistent in itself; writes during the call may land in some tables and
// not in others.
func (e *Engine) WriteSnapshot(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	head, err := json.Marshal(snapshotHeader{Format: SnapshotFormat, Version: SnapshotVersion,
		SavedAt: e.clock.Now().UTC(), Region: e.region, AccountID: e.account})
	if err != nil {
		return err
	}
	bw.Write(head[:len(head)-1]) // without the closing brace
	bw.WriteString(`,"tables":[`)
	n := 0
	for _, name := range e.catalog.Names() {
		tc, ok, err := e.copyTable(name)
		if err != nil {
			return err
		}
		if !ok {
			continue // dropped meanwhile
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		if err := writeSnapshotTable(bw, tc); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// copyTable copies the named table; ok is false when it is gone.
func (e *Engine) copyTable(name string) (tableCopy, bool, error) {
	t := e.catalog.Table(name)
	if t == nil {
		return tableCopy{}, false, nil
	}
	var tc tableCopy
	err := t.View(func(tx *store.Tx) error {
		tc.def, tc.meta = tx.Def(), *e.tableMetaOf(tx)
		tc.items = make([]string, 0, tx.ItemCount())
		return tx.ScanRef("", 0, 1, nil, func(r store.Ref) bool {
			tc.items = append(tc.items, r.Packed())
			return true
		})
	})
	if err != nil {
		if errors.Is(err, store.ErrTableDropped) {
			return tableCopy{}, false, nil
		}
		return tableCopy{}, false, fmt.Errorf("snapshot of table %s: %w", name, err)
	}
	// Records of earlier streams are not saved, so neither are the streams.
	tc.meta.OldStreams = nil
	return tc, true, nil
}

// writeSnapshotTable writes one table of a snapshot.
func writeSnapshotTable(bw *bufio.Writer, tc tableCopy) error {
	def, err := json.Marshal(tc.def)
	if err != nil {
		return err
	}
	meta, err := json.Marshal(tc.meta)
	if err != nil {
		return err
	}
	name, _ := json.Marshal(tc.def.Name)
	fmt.Fprintf(bw, "\n{\"name\":%s,\n \"definition\":%s,\n \"settings\":%s,\n \"items\":[", name, def, meta)
	buf := make([]byte, 0, 512)
	for i, packed := range tc.items {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n  ")
		if buf, err = attr.AppendPackedJSON(buf[:0], packed); err != nil {
			return fmt.Errorf("snapshot of table %s: %w", tc.def.Name, err)
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	_, err = bw.WriteString("]}")
	return err
}

// TableNames returns the names of the tables, in byte order.
func (e *Engine) TableNames() []string { return e.catalog.Names() }
