package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "footprint:", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	bin         string
	items       int
	itemSize    int
	workers     int
	starts      int
	image       string
	engine      string
	heapProfile string
	stream      string // StreamViewType of the table's stream; "" for none
	writes      int    // times each item is written
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("footprint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.bin, "bin", "", "dynafault binary to measure (default: build ./cmd/dynafault as the image does)")
	fs.IntVar(&c.items, "items", 1_000_000, "items to load into one table (0: skip the load)")
	fs.IntVar(&c.itemSize, "item-size", 100, fmt.Sprintf("DynamoDB size of each item in bytes (at least %d)", minItemSize))
	fs.IntVar(&c.workers, "workers", 4*runtime.GOMAXPROCS(0), "concurrent BatchWriteItem callers")
	fs.IntVar(&c.starts, "starts", 5, "process starts timed (the median is reported)")
	fs.StringVar(&c.image, "image", "", "container image whose size to report, e.g. localhost/dynafault:ci")
	fs.StringVar(&c.engine, "engine", "", "docker or podman for -image (default: the first that answers)")
	fs.StringVar(&c.heapProfile, "heapprofile", "", "also load the items in-process and write a heap profile here")
	fs.StringVar(&c.stream, "stream", "", "give the table a stream of this view type (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES); after the load, trim it and report RSS again")
	fs.IntVar(&c.writes, "writes", 1, "times each item is written (later writes change it: MODIFY records carrying both images)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	case c.itemSize < minItemSize:
		return c, fmt.Errorf("-item-size %d: at least %d", c.itemSize, minItemSize)
	case c.items < 0 || c.workers < 1 || c.starts < 1 || c.writes < 1:
		return c, errors.New("-items must be >= 0, -workers, -starts and -writes >= 1")
	case !validView(c.stream):
		return c, fmt.Errorf("-stream %q: want KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES", c.stream)
	}
	return c, nil
}

// run measures and prints the figures.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if c.bin == "" {
		dir, err := os.MkdirTemp("", "footprint")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if c.bin, err = buildBinary(ctx, dir); err != nil {
			return err
		}
	}
	r := &report{w: stdout}
	r.header(c)
	if err := measureProcess(ctx, c, r); err != nil {
		return err
	}
	if c.image != "" {
		r.image(imageSize(ctx, c.engine, c.image))
	}
	if c.heapProfile != "" && c.items > 0 {
		return profileInProcess(ctx, c, r)
	}
	return nil
}

// measureProcess times the starts, then measures idle and loaded RSS of
// the last process started.
func measureProcess(ctx context.Context, c config, r *report) error {
	starts := make([]time.Duration, 0, c.starts)
	var p *proc
	for range c.starts {
		if p != nil {
			if err := p.stop(); err != nil {
				return err
			}
		}
		var err error
		if p, err = startServer(ctx, c.bin); err != nil {
			return err
		}
		starts = append(starts, p.firstAnswer)
	}
	defer p.kill()
	r.start(starts)
	time.Sleep(settle)
	r.idle(readMem(p.pid()))
	if c.items > 0 {
		res, err := loadItems(ctx, p.url, c)
		if err != nil {
			return err
		}
		time.Sleep(settle)
		r.loaded(c, res, readMem(p.pid()))
		if c.stream != "" {
			if err := measureTrim(ctx, p, r); err != nil {
				return err
			}
		}
	}
	return p.stop()
}

// settle is the pause before reading RSS, so the runtime's background work
// after the last request is done.
const settle = 200 * time.Millisecond
