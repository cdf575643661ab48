package certify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Crash is an unplanned end of the consumer.
type Crash struct {
	// AfterSeconds is the wall time from the scenario's start to the
	// crash.
	AfterSeconds float64 `json:"afterSeconds"`
	// Exit says how it ended: "exit status 1", "signal: killed",
	// "panic: …", "returned: …", "returned without error".
	Exit string `json:"exit"`
	// LastLines are its last output lines before the crash.
	LastLines []string `json:"lastLines,omitempty"`
}

// lastLinesKept is how many output lines a crash and the report keep.
const lastLinesKept = 12

// maxLineBytes bounds one kept output line.
const maxLineBytes = 1000

// maxReportLines bounds the output lines kept as loss reports.
const maxReportLines = 5

// output collects a consumer's output lines: the last few, and those that
// match the report pattern. It copies each line to tee (with the
// scenario's name in front) when tee is set. Safe for concurrent writes.
type output struct {
	mu       sync.Mutex
	partial  []byte
	last     []string
	reported []string
	pattern  *regexp.Regexp
	mask     string // the table's name, masked before matching (it may hold any word)
	tee      io.Writer
	prefix   string
}

// Write implements io.Writer, splitting p into lines.
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		o.line(string(bytes.TrimRight(o.partial[:i], "\r")))
		o.partial = o.partial[i+1:]
	}
	if len(o.partial) > 64<<10 { // an endless line: take it in pieces
		o.line(string(o.partial))
		o.partial = o.partial[:0]
	}
	return len(p), nil
}

// line takes one complete line. Must be called with o.mu held.
func (o *output) line(s string) {
	if o.tee != nil {
		fmt.Fprintf(o.tee, "%s%s\n", o.prefix, s)
	}
	if len(s) > maxLineBytes {
		s = s[:maxLineBytes] + "…"
	}
	if o.pattern != nil && len(o.reported) < maxReportLines && o.pattern.MatchString(o.masked(s)) {
		o.reported = append(o.reported, s)
	}
	o.last = append(o.last, s)
	if len(o.last) > lastLinesKept {
		o.last = o.last[len(o.last)-lastLinesKept:]
	}
}

// masked returns s with the table's name replaced, so that a table
// called "dropped-record" is not taken for a report of a drop.
func (o *output) masked(s string) string {
	if o.mask == "" {
		return s
	}
	return strings.ReplaceAll(s, o.mask, "TABLE")
}

// flush takes a last line without a newline.
func (o *output) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.partial) > 0 {
		o.line(string(o.partial))
		o.partial = o.partial[:0]
	}
}

// lastLines returns a copy of the last lines.
func (o *output) lastLines() []string {
	o.flush()
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.last...)
}

// reports returns the lines that matched the report pattern.
func (o *output) reports() []string {
	o.flush()
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.reported...)
}

// supervisor runs a consumer through one scenario: it starts it, restarts
// it after a crash (up to maxRestarts times, with a growing pause), and
// stops it on request. Safe for concurrent use.
type supervisor struct {
	consumer    Consumer
	env         Env
	out         *output
	began       time.Time
	maxRestarts int
	backoff     time.Duration

	mu       sync.Mutex
	cur      Instance
	gen      int // incremented by every planned stop or start
	starts   int
	restarts int // automatic ones, after crashes
	planned  int // planned restarts (steps)
	crashes  []Crash
	startErr error
	wg       sync.WaitGroup
}

// start starts the consumer (a planned start).
func (s *supervisor) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return nil
	}
	s.gen++
	return s.launch(s.gen)
}

// launch starts a run for generation gen and watches it. Must be called
// with s.mu held.
func (s *supervisor) launch(gen int) error {
	env := s.env
	env.Start = s.starts
	env.Output = s.out
	inst, err := s.consumer.Start(env)
	if err != nil {
		s.startErr = err
		return fmt.Errorf("starting the consumer: %w", err)
	}
	s.starts++
	s.cur = inst
	s.wg.Add(1)
	go s.watch(inst, gen)
	return nil
}

// watch waits for inst to end; an end that no stop asked for is a crash,
// followed by a restart while restarts remain.
func (s *supervisor) watch(inst Instance, gen int) {
	defer s.wg.Done()
	<-inst.Done()
	s.mu.Lock()
	if s.gen != gen || s.cur != inst {
		s.mu.Unlock()
		return // a planned stop
	}
	s.cur = nil
	s.crashes = append(s.crashes, Crash{AfterSeconds: time.Since(s.began).Seconds(), Exit: exitText(inst.Err()), LastLines: s.out.lastLines()})
	if s.restarts >= s.maxRestarts {
		s.mu.Unlock()
		return
	}
	pause := s.backoff << min(s.restarts, 5)
	s.restarts++
	s.mu.Unlock()
	time.Sleep(pause)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen == gen && s.cur == nil {
		_ = s.launch(gen) // a failed start is kept in startErr
	}
}

// exitText describes how a run ended on its own.
func exitText(err error) string {
	if err == nil {
		return "exited without error"
	}
	return err.Error()
}

// stop stops the consumer (a planned stop) and waits for it.
func (s *supervisor) stop(ctx context.Context) {
	s.mu.Lock()
	s.gen++
	inst := s.cur
	s.cur = nil
	s.mu.Unlock()
	if inst != nil {
		ctx, cancel := context.WithTimeout(ctx, stopGrace)
		defer cancel()
		inst.Stop(ctx)
	}
}

// restart stops and starts the consumer (a planned restart).
func (s *supervisor) restart(ctx context.Context) error {
	s.stop(ctx)
	s.mu.Lock()
	s.planned++
	s.mu.Unlock()
	return s.start()
}

// close stops the consumer and waits for every watcher.
func (s *supervisor) close(ctx context.Context) {
	s.stop(ctx)
	s.wg.Wait()
}

// summary returns the crashes and the counts of starts and planned
// restarts.
func (s *supervisor) summary() (crashes []Crash, starts, planned int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Crash(nil), s.crashes...), s.starts, s.planned
}

// running reports whether a run of the consumer is live.
func (s *supervisor) running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}
