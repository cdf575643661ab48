package capacity

import "github.com/dynafault/dynafault/emulator/attr"

// Documented limits (Amazon DynamoDB developer guide: "Best practices for
// designing and using partition keys effectively", "Burst capacity",
// "DynamoDB warm throughput", "Service quotas").
const (
	// PartitionReadUnits and PartitionWriteUnits are what one partition
	// serves per second.
	PartitionReadUnits  = 3000
	PartitionWriteUnits = 1000
	// PartitionBytes is the data one partition holds (10 GB).
	PartitionBytes = 10 << 30
	// BurstSeconds is how much unused provisioned capacity DynamoDB keeps.
	BurstSeconds = 300
	// WarmReadUnits and WarmWriteUnits are the warm throughput of a new
	// on-demand table or GSI.
	WarmReadUnits  = 12000
	WarmWriteUnits = 4000
	// AccountTableUnits is the default per-table account quota of an
	// on-demand table (read and write request units per second).
	AccountTableUnits = 40000
)

// Spec is a table's capacity settings, as the engine knows them.
type Spec struct {
	// ID is the table's TableId: a new ID (a table deleted and created
	// again) starts with fresh buckets.
	ID string
	// ARN is the table's ARN, the resource of its throttling reasons.
	ARN   string
	Table Throughput
	// Indexes are the table's global secondary indexes.
	Indexes []IndexSpec
}

// IndexSpec is one global secondary index.
type IndexSpec struct {
	Name string
	Throughput
}

// Throughput is the capacity setting of a table or GSI.
type Throughput struct {
	// OnDemand is true in PAY_PER_REQUEST mode.
	OnDemand bool
	// Read and Write are the provisioned capacity units per second
	// (provisioned mode).
	Read, Write int64
	// MaxRead and MaxWrite are OnDemandThroughput's maximum request units
	// per second (on-demand mode); 0 or negative: none set.
	MaxRead, MaxWrite int64
	// WarmRead and WarmWrite are the warm throughput requested (any mode);
	// an on-demand resource has at least WarmReadUnits and WarmWriteUnits.
	WarmRead, WarmWrite int64
}

// Source gives a table's Spec. The Limiter calls CapacitySpec only when
// the Source differs (by ==) from the one it saw last for the table, so
// an immutable value that changes identity when the settings change (a
// pointer to the table's metadata) costs one comparison per request.
type Source interface {
	CapacitySpec() *Spec
}

// partitionsFor is the number of partitions throughput t needs: enough
// to deliver its warm throughput (for on-demand, at least that of a new
// on-demand table) and, when provisioned, ceil(RCU/3000 + WCU/1000).
func partitionsFor(t Throughput) int {
	wr, ww := max(0, t.WarmRead), max(0, t.WarmWrite)
	if t.OnDemand {
		wr, ww = max(wr, WarmReadUnits), max(ww, WarmWriteUnits)
	}
	n := max(1, ceilDiv(wr, PartitionReadUnits), ceilDiv(ww, PartitionWriteUnits))
	if !t.OnDemand {
		// ceil(RCU/3000 + WCU/1000) = ceil((RCU + 3 WCU) / 3000)
		n = max(n, ceilDiv(max(0, t.Read)+3*max(0, t.Write), PartitionReadUnits))
	}
	return n
}

// partitionsForBytes is the number of partitions n bytes of data need.
func partitionsForBytes(n int64) int {
	return max(1, ceilDiv(n, PartitionBytes))
}

// ceilDiv is ceil(a/b) for a >= 0, b > 0.
func ceilDiv(a, b int64) int {
	return int((a + b - 1) / b)
}

// tableRate is the table-level rate in units per second of direction w
// (true: write) for t, and the limit type a throttle of it reports.
func tableRate(t Throughput, write bool) (int64, string) {
	if !t.OnDemand {
		if write {
			return t.Write, limitProvisioned
		}
		return t.Read, limitProvisioned
	}
	maxUnits := t.MaxRead
	if write {
		maxUnits = t.MaxWrite
	}
	if maxUnits > 0 && maxUnits < AccountTableUnits {
		return maxUnits, limitMaxOnDemand
	}
	return AccountTableUnits, limitAccount
}

// Partition returns the partition (0 to n-1) that holds partition key
// value key in a table or index of n partitions, as the Limiter maps keys.
func Partition(key attr.Value, n int) int {
	return partitionOf(attr.PartitionHash(key), max(1, n))
}
