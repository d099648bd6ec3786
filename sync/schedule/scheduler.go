package schedule

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"
)

// Job runs one sync for an entry. It must return when ctx is cancelled.
type Job func(ctx context.Context, entryID string) error

// CatchUp says what happens to runs missed while the app was closed, the machine slept or the
// scheduler was paused.
type CatchUp int

const (
	// CatchUpOnce runs an entry once as soon as possible if one or more of its slots were missed,
	// never once per missed slot. It is the zero value and the default.
	CatchUpOnce CatchUp = iota
	// SkipMissed drops missed slots; the entry runs at its next slot. A slot missed by no more than
	// Options.Grace still runs.
	SkipMissed
)

// State is what an entry is doing now.
type State int

// Entry states.
const (
	Idle    State = iota
	Queued        // due, waiting for a free slot under MaxConcurrent
	Running       // the job is running
)

// Errors returned by the manual-run methods.
var (
	ErrNotRunning   = errors.New("the scheduler is not running")
	ErrUnknownEntry = errors.New("no such schedule entry")
	ErrBusy         = errors.New("this entry is already running")
)

// DefaultGrace is how late a slot may be noticed and still count as on time.
const DefaultGrace = 2 * time.Minute

// DefaultMaxSleep caps how long the loop sleeps before it reads the wall clock again. Go timers
// follow the monotonic clock, which stops while a laptop sleeps and ignores clock changes, so a
// long timer could fire hours late; re-reading the clock every minute bounds that.
const DefaultMaxSleep = time.Minute

// DefaultConcurrency returns the default number of stores that sync at once: the number of CPUs,
// clamped to 2..4, so 2 on a 2-core machine. A run mostly waits on Shopify, but each store has its
// own rate-limit bucket, so running stores side by side really does finish sooner; the bound comes
// from the CPU-heavy phases (reading XLSX, diffing catalogs, JSON) and from SQLite's single writer.
// With more runs than cores those phases contend and the window stutters, while a third run would
// mostly save seconds of network waiting. Callers with many small stores can raise it.
func DefaultConcurrency() int { return min(max(runtime.NumCPU(), 2), 4) }

// Entry is one scheduled sync. ID is usually the store ID; Group is the agency client, for RunGroup.
type Entry struct {
	ID      string
	Group   string
	Spec    Spec
	Enabled bool // false: no automatic runs (manual runs still work through RunNow)
	// Since is when the schedule was set (persist it with the schedule). Slots are counted from
	// the later of Since and LastRun, so a new or edited schedule first runs at its next slot.
	// Set fills it with the clock's time when zero, unless the entry exists with the same spec.
	Since time.Time
	// LastRun is when the last run (automatic or manual) started; zero if never. Persist it from
	// the EventStarted event: it is what catch-up is computed from after a restart.
	LastRun time.Time

	// Filled by Entries and Entry; ignored by Set.
	Next    time.Time // next automatic run; not after now means due now; zero when disabled or paused
	State   State
	LastEnd time.Time // when the last run in this process ended
	LastErr error     // the last run's error in this process
}

// EventKind says what happened to an entry.
type EventKind int

// Event kinds.
const (
	EventStarted  EventKind = iota + 1 // the job was called (persist LastRun = At)
	EventFinished                      // the job returned (Err is its error)
)

// Event reports a run starting or ending. Events are delivered on scheduler goroutines, one at a
// time per entry; the handler must not block for long and must not call back into a method that
// waits for runs.
type Event struct {
	EntryID string
	Kind    EventKind
	At      time.Time
	Manual  bool  // started by RunNow, RunAllNow or RunGroup
	Err     error // for EventFinished
}

// Options configure a Scheduler.
type Options struct {
	Job           Job   // required
	Clock         Clock // nil: SystemClock()
	MaxConcurrent int   // runs of different entries at once; <= 0: DefaultConcurrency()
	CatchUp       CatchUp
	Grace         time.Duration // <= 0: DefaultGrace
	MaxSleep      time.Duration // <= 0: DefaultMaxSleep
	OnEvent       func(Event)   // optional
}

// Scheduler calls a Job for each entry when its schedule says so. It never runs the same entry
// twice at once and never runs more than MaxConcurrent entries at once. Safe for concurrent use.
type Scheduler struct {
	job      Job
	clock    Clock
	policy   CatchUp
	grace    time.Duration
	maxSleep time.Duration
	onEvent  func(Event)
	sem      chan struct{}
	wake     chan struct{} // buffered 1: "entries changed, look again"

	mu      sync.Mutex
	entries map[string]*Entry
	busy    map[string]State // by ID, so removing and re-adding a running entry cannot double it
	paused  bool
	runCtx  context.Context // non-nil while Run is active
	wg      sync.WaitGroup  // runs in flight
}

// New returns a Scheduler; call Run to start it.
func New(opts Options) (*Scheduler, error) {
	if opts.Job == nil {
		return nil, errors.New("schedule: Options.Job is required")
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock()
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultConcurrency()
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.MaxSleep <= 0 {
		opts.MaxSleep = DefaultMaxSleep
	}
	return &Scheduler{
		job: opts.Job, clock: opts.Clock, policy: opts.CatchUp, grace: opts.Grace,
		maxSleep: opts.MaxSleep, onEvent: opts.OnEvent,
		sem:     make(chan struct{}, opts.MaxConcurrent),
		wake:    make(chan struct{}, 1),
		entries: map[string]*Entry{}, busy: map[string]State{},
	}, nil
}

// Set adds an entry or replaces the one with the same ID (keeping the later LastRun). An entry
// that is running keeps running and is never started twice; the new spec applies from its next
// slot.
func (s *Scheduler) Set(e Entry) error {
	if e.ID == "" {
		return errors.New("schedule: entry ID is empty")
	}
	s.mu.Lock()
	old, ok := s.entries[e.ID]
	if ok {
		if old.LastRun.After(e.LastRun) {
			e.LastRun = old.LastRun
		}
		if e.Since.IsZero() && old.Spec.Text() == e.Spec.Text() && old.Spec.Zone() == e.Spec.Zone() {
			e.Since = old.Since
		}
		e.LastEnd, e.LastErr = old.LastEnd, old.LastErr
	}
	if e.Since.IsZero() {
		e.Since = s.clock.Now()
	}
	e.Next, e.State = time.Time{}, Idle
	s.entries[e.ID] = &e
	s.mu.Unlock()
	s.poke()
	return nil
}

// Remove deletes an entry. A run in progress is not cancelled (cancel through the job's own
// means); it just is not scheduled again.
func (s *Scheduler) Remove(id string) {
	s.mu.Lock()
	delete(s.entries, id)
	s.mu.Unlock()
	s.poke()
}

// Entries returns a snapshot of all entries sorted by ID, with Next and State filled in.
func (s *Scheduler) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, s.viewLocked(e, now))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Entry returns a snapshot of one entry.
func (s *Scheduler) Entry(id string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return Entry{}, false
	}
	return s.viewLocked(e, s.clock.Now()), true
}

func (s *Scheduler) viewLocked(e *Entry, now time.Time) Entry {
	v := *e
	v.State = s.busy[e.ID]
	if e.Enabled && !s.paused {
		v.Next, _ = s.slotLocked(e, now)
	}
	return v
}

// Pause stops automatic runs until Resume; runs in progress finish and manual runs still work.
func (s *Scheduler) Pause() {
	s.mu.Lock()
	s.paused = true
	s.mu.Unlock()
	s.poke()
}

// Resume restarts automatic runs. Slots that passed while paused follow the catch-up policy.
func (s *Scheduler) Resume() {
	s.mu.Lock()
	s.paused = false
	s.mu.Unlock()
	s.poke()
}

// Paused reports whether automatic runs are paused.
func (s *Scheduler) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

// SetCatchUp changes the catch-up policy (a user setting) from now on.
func (s *Scheduler) SetCatchUp(c CatchUp) {
	s.mu.Lock()
	s.policy = c
	s.mu.Unlock()
	s.poke()
}

// slotLocked returns the entry's next slot and whether it is due at now, under the catch-up policy.
func (s *Scheduler) slotLocked(e *Entry, now time.Time) (time.Time, bool) {
	// The anchor is the later of the last run and the moment the schedule was set, so editing a
	// schedule does not make it due at once for slots the old schedule already covered.
	anchor := e.Since
	if e.LastRun.After(anchor) {
		anchor = e.LastRun
	}
	if anchor.After(now) {
		anchor = now // the wall clock went back: do not wait for it to catch up with the past
	}
	from := anchor
	if s.policy == SkipMissed {
		if g := now.Add(-s.grace); g.After(from) {
			from = g
		}
	}
	next := e.Spec.slotAfter(anchor, from)
	return next, !next.IsZero() && !next.After(now)
}

// Due returns the IDs of enabled entries that are due at now under the catch-up policy (sorted),
// for `shelfsync run-due`. Entries already running in this process are left out, and nothing is
// due while paused. A run-due started by cron every N minutes under SkipMissed needs Grace >= N.
func (s *Scheduler) Due(now time.Time) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paused {
		return nil
	}
	var ids []string
	for id, e := range s.entries {
		if _, due := s.slotLocked(e, now); due && e.Enabled && s.busy[id] == Idle {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Result is the outcome of one run started by RunDue.
type Result struct {
	EntryID string
	Err     error
}

// RunDue runs every entry that is due now (see Due), at most MaxConcurrent at once, waits for them
// and returns their results sorted by ID. It does not need Run.
func (s *Scheduler) RunDue(ctx context.Context) []Result {
	ids := s.Due(s.clock.Now())
	res := make([]Result, len(ids))
	var wg sync.WaitGroup
	s.mu.Lock()
	for i, id := range ids {
		res[i].EntryID = id
		if s.busy[id] != Idle {
			res[i].Err = ErrBusy
			continue
		}
		wg.Add(1)
		s.startLocked(ctx, id, false, func(err error) { res[i].Err = err; wg.Done() })
	}
	s.mu.Unlock()
	wg.Wait()
	return res
}

// RunNow starts one entry's job right away (enabled or not, paused or not). It needs Run.
func (s *Scheduler) RunNow(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.runCtx == nil:
		return ErrNotRunning
	case s.entries[id] == nil:
		return fmt.Errorf("%w: %q", ErrUnknownEntry, id)
	case s.busy[id] != Idle:
		return ErrBusy
	}
	s.startLocked(s.runCtx, id, true, nil)
	return nil
}

// RunAllNow starts every enabled entry that is not already running ("Run all now") and returns
// the IDs it started, sorted. It works while paused. It needs Run; without it, it starts nothing.
func (s *Scheduler) RunAllNow() []string { return s.runWhere(func(*Entry) bool { return true }) }

// RunGroup is RunAllNow for the enabled entries of one group.
func (s *Scheduler) RunGroup(group string) []string {
	return s.runWhere(func(e *Entry) bool { return e.Group == group })
}

func (s *Scheduler) runWhere(match func(*Entry) bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runCtx == nil {
		return nil
	}
	var ids []string
	for id, e := range s.entries {
		if e.Enabled && match(e) && s.busy[id] == Idle {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		s.startLocked(s.runCtx, id, true, nil)
	}
	return ids
}

// poke wakes the Run loop so it looks at the entries again.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
