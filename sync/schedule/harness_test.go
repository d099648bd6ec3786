package schedule

import (
	"context"
	"sync"
	"testing"
	"time"
)

// harness runs a Scheduler on a fake clock. The job records each call and, if hold is set, blocks
// until released or cancelled.
type harness struct {
	t       *testing.T
	s       *Scheduler
	clock   *FakeClock
	calls   chan string
	release chan struct{}
	hold    bool
	cancel  context.CancelFunc
	done    chan error

	mu     sync.Mutex
	events []Event
}

func newHarness(t *testing.T, opts Options, hold bool) *harness {
	t.Helper()
	h := &harness{t: t, clock: NewFakeClock(t0), calls: make(chan string, 100), release: make(chan struct{}), hold: hold}
	opts.Clock = h.clock
	if opts.MaxSleep == 0 {
		opts.MaxSleep = 1000 * time.Hour // tests move time slot by slot; see TestMaxSleep
	}
	opts.Job = func(ctx context.Context, id string) error {
		h.calls <- id
		if !h.hold {
			return nil
		}
		select {
		case <-h.release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	opts.OnEvent = func(ev Event) {
		h.mu.Lock()
		h.events = append(h.events, ev)
		h.mu.Unlock()
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	return h
}

func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.s.Run(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		<-h.done
	})
	h.settle()
}

// settle waits until the loop is asleep on its timer, so every decision it made is visible.
func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.clock.WaitTimers(ctx, 1); err != nil {
		h.t.Fatal("the scheduler loop never went to sleep")
	}
}

func (h *harness) set(e Entry) {
	h.t.Helper()
	if err := h.s.Set(e); err != nil {
		h.t.Fatal(err)
	}
}

// advance moves time and waits for the loop to act on it.
func (h *harness) advance(d time.Duration) {
	h.clock.Advance(d)
	h.settle()
}

func (h *harness) expectCall(want string) {
	h.t.Helper()
	select {
	case got := <-h.calls:
		if got != want {
			h.t.Fatalf("job called for %q; want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		h.t.Fatalf("job for %q was not called", want)
	}
}

// expectIdle checks that nothing was started: the loop is asleep and the entry idle.
func (h *harness) expectIdle(id string) {
	h.t.Helper()
	h.settle()
	if e, _ := h.s.Entry(id); e.State != Idle {
		h.t.Fatalf("entry %q state %d; want idle", id, e.State)
	}
	select {
	case got := <-h.calls:
		h.t.Fatalf("unexpected call for %q", got)
	default:
	}
}

// waitIdle waits for a run to end.
func (h *harness) waitIdle(id string) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if e, _ := h.s.Entry(id); e.State == Idle {
			h.settle()
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("entry %q never finished", id)
		}
		time.Sleep(time.Millisecond)
	}
}

func (h *harness) startedAt() []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []time.Time
	for _, ev := range h.events {
		if ev.Kind == EventStarted {
			out = append(out, ev.At)
		}
	}
	return out
}

// waitDeadline waits until the loop has armed a timer for at: it woke and went back to sleep.
func (h *harness) waitDeadline(at time.Time) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := h.clock.Deadlines()
		if len(got) == 1 && got[0].Equal(at) {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timers at %v; want one at %s", got, at)
		}
		time.Sleep(time.Millisecond)
	}
}
