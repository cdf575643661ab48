package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator"
)

// streamFlags are the DynamoDB Streams settings of the serve command, as
// given (flag or env); apply parses them.
type streamFlags struct {
	shards, retention, rollover, iteratorTTL string
	ledgerSize                               string
}

// register defines the stream flags on fs with env fallbacks.
func (f *streamFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.shards, "stream-shards", env("DYNAFAULT_STREAM_SHARDS", "1"), "open shards (hash-range partitions) per new stream (env DYNAFAULT_STREAM_SHARDS)")
	fs.StringVar(&f.retention, "stream-retention", env("DYNAFAULT_STREAM_RETENTION", "24h"), "how long stream records stay readable, in clock time (env DYNAFAULT_STREAM_RETENTION)")
	fs.StringVar(&f.rollover, "stream-rollover", env("DYNAFAULT_STREAM_ROLLOVER", "4h"), "age at which an open shard is closed and replaced by a child; 0 = never (env DYNAFAULT_STREAM_ROLLOVER)")
	fs.StringVar(&f.iteratorTTL, "iterator-ttl", env("DYNAFAULT_ITERATOR_TTL", "15m"), "how long a shard iterator stays usable (env DYNAFAULT_ITERATOR_TTL)")
	fs.StringVar(&f.ledgerSize, "ledger-size", env("DYNAFAULT_LEDGER_SIZE", "100000"), "changes the change ledger keeps per table with a stream (GET /_admin/changes); off = none (env DYNAFAULT_LEDGER_SIZE)")
}

// apply parses the stream flags into o.
func (f streamFlags) apply(o *emulator.Options) error {
	n, err := strconv.Atoi(f.shards)
	if err != nil || n < 1 {
		return fmt.Errorf("invalid --stream-shards %q (a whole number from 1)", f.shards)
	}
	o.StreamShards = n
	if o.StreamRetention, err = positiveDuration("--stream-retention", f.retention); err != nil {
		return err
	}
	if o.IteratorTTL, err = positiveDuration("--iterator-ttl", f.iteratorTTL); err != nil {
		return err
	}
	d, err := time.ParseDuration(f.rollover)
	if err != nil || d < 0 {
		return fmt.Errorf("invalid --stream-rollover %q (a duration such as 4h; 0 = never)", f.rollover)
	}
	o.StreamRollover = d // 0: never, in the flag as in the options
	if f.ledgerSize == "off" {
		o.LedgerSize = -1
		return nil
	}
	if o.LedgerSize, err = strconv.Atoi(f.ledgerSize); err != nil || o.LedgerSize < 1 {
		return fmt.Errorf("invalid --ledger-size %q (a whole number from 1, or off)", f.ledgerSize)
	}
	return nil
}

// positiveDuration parses a flag value that must be a positive duration.
func positiveDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid %s %q (a positive duration such as 15m)", name, v)
	}
	return d, nil
}
