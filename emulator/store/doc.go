// Package store holds tables and their secondary indexes in memory over
// tidwall/btree. It is the only package with data locks.
//
// # Catalog and tables
//
// A Catalog maps table names to Tables. Its own mutex guards only that map;
// every Table has one sync.RWMutex guarding its primary tree, its index trees,
// its counters (ItemCount, SizeBytes, per-index statistics), its definition
// and the caller's metadata (Meta). Callers never see a lock: they run a
// function inside a managed critical section, Table.View (read lock) or
// Table.Update (write lock), or Catalog.ViewMany and Catalog.UpdateMany for
// several tables at once (locks taken in table-name order). The function
// receives a *Tx that is valid only until it returns. A function must not
// start another critical section of this package (that could deadlock), and
// must not write to a table from inside a Query or Scan callback of it.
//
// # Items are packed
//
// The store keeps every item in the packed form of attr.PackString, an
// immutable string, plus the encoded key parts it is ordered by (for S and
// B keys, substrings of the packed item) and its attr.ItemSize. Get, Query
// and Scan unpack on read (attr.UnpackString) into maps whose strings share
// the packed item's memory. GetRef, QueryRef and ScanRef yield a Ref
// instead: the packed form and the sizes the store keeps, with the item
// unpacked only when the caller asks for it (a read returning whole items
// can encode them straight from the packed form, attr.AppendPackedJSON). Nobody may modify an item map (or a value in it) once it
// was given to or received from the store: Put keeps the map it is given
// as the New of its Change, and within one View or Update the map read
// last is handed out again (by a repeated Get, as the old item of Put and
// Delete and as the Old of their Change) instead of being unpacked twice.
// Readers may keep and return what they read after the lock is released,
// without copying. Index entries hold their own key parts and point at
// the table's entry; they copy no item data.
//
// # Order
//
// Items are kept in the order (PartitionHash(pk), EncodeKey(pk),
// EncodeKey(sk)): the items of one partition are contiguous and sorted by
// sort key (N numerically, S and B bytewise), and a Scan follows the hash of
// the partition key, not insertion order. Secondary indexes (local and
// global alike) are trees ordered by (hash(index pk), index pk, index sk,
// table pk, table sk) pointing at the table's items. An index is sparse: an
// item lacking one of the index's key attributes, or holding one of another
// type than the index's key type, is not in the index.
//
// # Query and Scan
//
// Tx.Query and Tx.Scan seek directly to their first item (O(log n)) and walk
// forward or backward from there, so a page or a continuation after an
// exclusive start key never walks the table from its start. Parallel-scan
// segment s of t covers the partition hashes [s*2^64/t, (s+1)*2^64/t).
//
// # Atomicity and change capture
//
// Every Put and Delete inside an Update is recorded as a Change and in an
// undo log. When the function returns nil, the Catalog's OnCommit hook (see
// CatalogOptions) receives the changes while the write lock is still held,
// so stream records are appended in commit order. When the function returns
// an error or panics, everything it did (items, index entries, counters,
// definition and metadata) is rolled back and OnCommit is not called. The
// rollback is a safety net: callers still check every condition before they
// write. A panic inside View or Update is returned as a *PanicError.
package store
