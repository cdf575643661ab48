// Package capacity enforces DynamoDB's read and write capacity: token
// buckets per table and per global secondary index, per partition, on the
// emulator's clock. The engine computes what each request consumes (the
// units ConsumedCapacity reports) and asks a Limiter to admit it; a
// request that any bucket cannot serve is throttled and consumes nothing.
//
// # Model
//
// Provisioned tables and GSIs: a bucket per resource and direction
// (read, write) refilled at the provisioned rate and holding up to 300
// seconds of unused capacity (burst capacity). A new table, or a table
// when enforcement is switched on, starts with its burst full.
//
// On-demand tables and GSIs: a bucket per resource and direction holding
// one second of the table-level ceiling, which is the per-table account
// quota (40,000 read and write request units) or OnDemandThroughput's
// MaxReadRequestUnits / MaxWriteRequestUnits when set.
//
// Partitions, in every mode: the key space of a table and of each GSI is
// cut into partitions by the hash of the partition key; each partition
// serves at most 3,000 read units and 1,000 write units per second (a
// bucket holding one second). The number of partitions is derived from
// the documented model: for provisioned capacity
// ceil(RCU/3,000 + WCU/1,000), for on-demand capacity enough partitions to
// deliver the warm throughput (12,000 reads and 4,000 writes per second
// for a new table: 4 partitions), and at least one partition per 10 GB of
// data. Partitions never merge: the count only grows.
//
// A write to a table also writes its GSIs: it is admitted only if the
// table and every GSI it changes can serve it (GSI back-pressure). Local
// secondary indexes share the table's capacity and partitions.
//
// # Admission
//
// Units are counted in half units (eventually consistent reads cost half a
// read unit) and refilled continuously in proportion to clock time, in
// integers: a frozen clock with explicit advances refills exactly, and the
// same clock and the same requests throttle the same requests. A request
// is admitted when every bucket it draws from holds its demand, or is
// full (a request larger than a whole bucket still passes a full bucket
// and leaves it in debt, as a 400 KB write does on a 1 WCU table).
//
// # Cost
//
// Off (the default), the engine pays one atomic load per request
// (Limiter.Active). On, one mutex and a few map lookups per request.
package capacity
