package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"
)

// Targets the figures are compared with (printed, never enforced).
const (
	targetStart     = 50 * time.Millisecond
	targetIdleRSS   = 20 << 20
	targetLoadedRSS = 500 << 20
	targetImage     = 20 << 20
)

// report prints the figures, one per line.
type report struct{ w io.Writer }

func (r *report) header(c config) {
	fmt.Fprintf(r.w, "dynafault footprint (%s/%s, %d CPUs, binary %s)\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), c.bin)
}

func (r *report) start(starts []time.Duration) {
	s := slices.Clone(starts)
	slices.Sort(s)
	fmt.Fprintf(r.w, "start to first answered request: %s median (min %s, max %s, %d starts)  target < %s  %s\n",
		ms(s[len(s)/2]), ms(s[0]), ms(s[len(s)-1]), len(s), targetStart, verdict(s[len(s)/2] < targetStart))
}

func (r *report) idle(m mem) {
	if m.err != nil {
		fmt.Fprintf(r.w, "idle RSS: n/a (%v)\n", m.err)
		return
	}
	fmt.Fprintf(r.w, "idle RSS: %s  target < %s  %s\n", mb(m.rss), mb(targetIdleRSS), verdict(m.rss < targetIdleRSS))
}

func (r *report) loaded(c config, res loadResult, m mem) {
	rate := float64(res.writes) / res.elapsed.Seconds()
	fmt.Fprintf(r.w, "load: %d items of %d bytes into one table in %s (%.0f items/s, %d workers, BatchWriteItem over HTTP)\n",
		res.items, c.itemSize, res.elapsed.Round(time.Millisecond), rate, c.workers)
	if c.writes > 1 || c.stream != "" {
		fmt.Fprintf(r.w, "writes: each item written %d times, %d writes in all; stream: %s\n", c.writes, res.writes, or(c.stream, "none"))
	}
	if m.err != nil {
		fmt.Fprintf(r.w, "loaded RSS: n/a (%v)\n", m.err)
		return
	}
	if c.writes > 1 || c.stream != "" { // the target is for the plain table load
		fmt.Fprintf(r.w, "loaded RSS: %s (peak %s)\n", mb(m.rss), mb(m.peak))
		return
	}
	fmt.Fprintf(r.w, "loaded RSS: %s (peak %s)  target < %s for 1,000,000 items of 100 bytes  %s\n",
		mb(m.rss), mb(m.peak), mb(targetLoadedRSS), verdict(m.rss < targetLoadedRSS))
}

func (r *report) image(size int64, ref string, err error) {
	if err != nil {
		fmt.Fprintf(r.w, "image size: n/a (%v)\n", err)
		return
	}
	fmt.Fprintf(r.w, "image size: %s (%s)  target < %s  %s\n", mb(size), ref, mb(targetImage), verdict(size < targetImage))
}

func (r *report) heap(path string, res loadResult, inuse float64) {
	fmt.Fprintf(r.w, "in-process heap after loading %d items: %s in use (%.0f bytes per item, %.0f per write); profile: go tool pprof -top -sample_index=inuse_space %s\n",
		res.items, mb(int64(inuse)), inuse/float64(res.items), inuse/float64(res.writes), path)
}

// trimmed prints the RSS of the process at times after the stream was
// trimmed of its n records.
func (r *report) trimmed(n int, took time.Duration, after []time.Duration, ms []mem) {
	fmt.Fprintf(r.w, "stream trim: %d records removed in %s; RSS after it:", n, took.Round(time.Millisecond))
	for i, m := range ms {
		if m.err != nil {
			fmt.Fprintf(r.w, " %s n/a (%v)", after[i], m.err)
			continue
		}
		fmt.Fprintf(r.w, " %s %s", after[i], mb(m.rss))
	}
	fmt.Fprintln(r.w)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func verdict(ok bool) string {
	if ok {
		return "(met)"
	}
	return "(MISSED)"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
