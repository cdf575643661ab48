package certify

import (
	"embed"
	"fmt"
)

// builtinFS holds the built-in battery, one scenario per file, in the
// scenario file format.
//
//go:embed scenarios/*.json
var builtinFS embed.FS

// Builtin returns the built-in battery, in order: baseline, shard
// rollover and split, parent/child order, expired iterators, a shard
// paused past retention, a trim under live iterators, throttled and
// failing GetRecords, throttled DescribeStream, a duplicated, a reordered
// and a dropped record, a restart after a day down, and a burst of
// writes.
func Builtin() []Scenario {
	ss, err := loadDir(builtinFS, "scenarios", "built-in scenarios")
	if err != nil {
		panic(fmt.Sprintf("certify: %v", err)) // the embedded files are tested
	}
	return ss
}
