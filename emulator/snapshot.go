package emulator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// SnapshotFile is the name of the snapshot in Options.DataDir.
const SnapshotFile = "snapshot.json"

// WriteSnapshot writes the tables (definitions, settings, items) to w in
// the snapshot format (see engine.WriteSnapshot and docs/snapshots.md).
func (e *Emulator) WriteSnapshot(w io.Writer) error { return e.engine.WriteSnapshot(w) }

// LoadSnapshot replaces every table with those of the snapshot read from
// r. The whole snapshot is read and checked first: a newer format version,
// a corrupt document or an invalid table or item is an error and leaves
// the running state as it was.
func (e *Emulator) LoadSnapshot(r io.Reader) error {
	s, err := e.engine.ReadSnapshot(r)
	if err != nil {
		return err
	}
	return e.engine.LoadSnapshot(s)
}

// SaveSnapshotFile writes the snapshot to path atomically (see
// WriteFileAtomic): a crash while saving leaves the previous file whole.
func (e *Emulator) SaveSnapshotFile(path string) error {
	return WriteFileAtomic(path, e.WriteSnapshot)
}

// LoadSnapshotFile loads the snapshot in the file path (see LoadSnapshot).
func (e *Emulator) LoadSnapshotFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := e.LoadSnapshot(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// WriteFileAtomic writes a file through write so that path holds either
// its previous content or the whole new one, whatever happens meanwhile:
// write goes to a temporary file in the same directory, which is synced to
// disk, closed and renamed over path; the directory is synced after. On an
// error the temporary file is removed and path is left alone. A process
// killed while writing may leave a temporary file named ".NAME.tmp-*"
// beside path; it is never read.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the platform allows it.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync() // not supported everywhere (Windows); the rename stands
	_ = d.Close()
}

// loadStartData loads the data a new Emulator starts from: the snapshot in
// DataDir when there is one, else the SeedData file. It reports where the
// data came from ("" for none).
func (e *Emulator) loadStartData(opts Options) (string, error) {
	if opts.DataDir != "" {
		if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
			return "", fmt.Errorf("emulator: data dir: %w", err)
		}
		path := filepath.Join(opts.DataDir, SnapshotFile)
		err := e.LoadSnapshotFile(path)
		switch {
		case err == nil:
			return path, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("emulator: data dir: %w", err)
		}
	}
	if opts.SeedData != "" {
		if err := e.LoadSnapshotFile(opts.SeedData); err != nil {
			return "", fmt.Errorf("emulator: seed data: %w", err)
		}
		return opts.SeedData, nil
	}
	return "", nil
}
