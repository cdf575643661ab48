package main

import (
	"flag"

	"github.com/dynafault/dynafault/emulator"
)

// dataFlags are the serve command's settings for keeping tables between
// runs, as given (flag or env).
type dataFlags struct {
	dir, seed string
}

// register defines the data flags on fs with env fallbacks.
func (f *dataFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.dir, "data-dir", env("DYNAFAULT_DATA_DIR", ""), "keep the tables in DIR/"+emulator.SnapshotFile+" between runs: loaded at start, saved atomically on shutdown (env DYNAFAULT_DATA_DIR)")
	fs.StringVar(&f.seed, "seed-data", env("DYNAFAULT_SEED_DATA", ""), "start from this snapshot or fixture file, unless --data-dir already holds a snapshot (env DYNAFAULT_SEED_DATA)")
}

// apply copies the data flags into o.
func (f dataFlags) apply(o *emulator.Options) {
	o.DataDir, o.SeedData = f.dir, f.seed
}
