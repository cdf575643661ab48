package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/dynafault/dynafault/emulator"
)

// lifecycleFlags are how long tables and indexes stay in their transient
// states, as given (flag or env); apply parses them.
type lifecycleFlags struct {
	create, update, delete, index string
}

// register defines the lifecycle flags on fs with env fallbacks.
func (f *lifecycleFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.create, "table-create-duration", env("DYNAFAULT_TABLE_CREATE_DURATION", "0s"), "how long a new table stays CREATING, in clock time; 0 = settled at once (env DYNAFAULT_TABLE_CREATE_DURATION)")
	fs.StringVar(&f.update, "table-update-duration", env("DYNAFAULT_TABLE_UPDATE_DURATION", "0s"), "how long a table changed by UpdateTable stays UPDATING (env DYNAFAULT_TABLE_UPDATE_DURATION)")
	fs.StringVar(&f.delete, "table-delete-duration", env("DYNAFAULT_TABLE_DELETE_DURATION", "0s"), "how long a deleted table is still described as DELETING (env DYNAFAULT_TABLE_DELETE_DURATION)")
	fs.StringVar(&f.index, "index-transition", env("DYNAFAULT_INDEX_TRANSITION", "0s"), "how long a GSI added or removed by UpdateTable stays CREATING or DELETING (env DYNAFAULT_INDEX_TRANSITION)")
}

// apply parses the lifecycle flags into o.
func (f lifecycleFlags) apply(o *emulator.Options) error {
	for _, x := range []struct {
		name, v string
		dst     *time.Duration
	}{
		{"--table-create-duration", f.create, &o.Lifecycle.Create},
		{"--table-update-duration", f.update, &o.Lifecycle.Update},
		{"--table-delete-duration", f.delete, &o.Lifecycle.Delete},
		{"--index-transition", f.index, &o.Lifecycle.Index},
	} {
		d, err := time.ParseDuration(x.v)
		if err != nil || d < 0 {
			return fmt.Errorf("invalid %s %q (a duration such as 2s; 0 = at once)", x.name, x.v)
		}
		*x.dst = d
	}
	return nil
}
