package conformance

import (
	"container/heap"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
)

// simulation runs many callers against the emulator on a frozen clock, in
// virtual time and deterministically: each caller is a goroutine, but only
// one runs at a time. A caller runs from its start time until it sleeps
// (in virtual time) or ends; then the next event, the earliest wake-up
// (ties: the lowest caller id), sets the clock and runs. So the callers'
// requests interleave as concurrent callers' would, their back-offs do not
// hold up the others, and the same program gives the same requests at the
// same clock times on every run.
type simulation struct {
	clk    *clock.Clock
	events eventHeap
	idle   chan struct{} // the running caller slept or ended
	seq    int
	// onWake, when set, is told which caller an event resumes.
	onWake func(id int)
}

type simEvent struct {
	at   time.Time
	id   int
	seq  int
	wake chan struct{}
}

type eventHeap []simEvent

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	if h[i].id != h[j].id {
		return h[i].id < h[j].id
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(simEvent)) }
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func newSimulation(clk *clock.Clock) *simulation {
	return &simulation{clk: clk, idle: make(chan struct{})}
}

// schedule adds an event; only the running caller or the loop calls it.
func (s *simulation) schedule(at time.Time, id int) chan struct{} {
	ch := make(chan struct{})
	s.seq++
	heap.Push(&s.events, simEvent{at: at, id: id, seq: s.seq, wake: ch})
	return ch
}

// spawn starts caller id at clock time at.
func (s *simulation) spawn(at time.Time, id int, fn func()) {
	wake := s.schedule(at, id)
	go func() {
		<-wake
		fn()
		s.idle <- struct{}{}
	}()
}

// sleep parks the running caller id for d of clock time.
func (s *simulation) sleep(id int, d time.Duration) {
	wake := s.schedule(s.clk.Now().Add(d), id)
	s.idle <- struct{}{}
	<-wake
}

// run processes events until none is left.
func (s *simulation) run() {
	for s.events.Len() > 0 {
		ev := heap.Pop(&s.events).(simEvent)
		if ev.at.After(s.clk.Now()) {
			s.clk.Set(ev.at)
		}
		if s.onWake != nil {
			s.onWake(ev.id)
		}
		close(ev.wake)
		<-s.idle
	}
}
