package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults/client"
)

// snapshotSubcommands are the subcommands of "dynafault snapshot", one per
// line.
func snapshotSubcommands() []subcommand {
	return []subcommand{
		{"save", "save the tables of a running server to a file (- for stdout), atomically", snapshotSave},
		{"load", "replace the tables of a running server with a snapshot file (- for stdin)", snapshotLoad},
	}
}

// snapshotClient is the admin client of the snapshot commands: no overall
// timeout, as a snapshot may be large (the context still cancels it).
func snapshotClient(a *adminFlags) *client.Client {
	return client.New(a.endpoint, client.WithToken(a.token), client.WithHTTPClient(&http.Client{}))
}

// snapshotSave runs "dynafault snapshot save FILE".
func snapshotSave(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("snapshot save", getenv, stderr, false)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("snapshot save")
	}
	c := snapshotClient(a)
	if pos[0] == "-" {
		return c.SaveSnapshot(ctx, stdout)
	}
	var n int64
	err = emulator.WriteFileAtomic(pos[0], func(w io.Writer) error {
		cw := &countingWriter{w: w}
		err := c.SaveSnapshot(ctx, cw)
		n = cw.n
		return err
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "saved the tables to %s (%d bytes)\n", pos[0], n)
	return err
}

// snapshotLoad runs "dynafault snapshot load FILE".
func snapshotLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("snapshot load", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("snapshot load")
	}
	var r io.Reader = os.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	got, err := snapshotClient(a).LoadSnapshot(ctx, r)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, got)
	}
	_, err = fmt.Fprintf(stdout, "loaded %d tables, %d items from %s\n", got.Tables, got.Items, pos[0])
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
