package schedule

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/lock"
)

var t0 = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC) // a Monday

// setLongAgo is the Since of schedules set long before the test starts (loaded from the database).
var setLongAgo = t0.Add(-30 * 24 * time.Hour)

func TestIntervalRuns(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.set(Entry{ID: "a", Spec: MustParse("every 15m", "UTC"), Enabled: true})
	h.start()
	h.advance(14 * time.Minute)
	h.expectIdle("a")
	h.advance(time.Minute)
	h.expectCall("a")
	h.waitIdle("a")
	h.advance(15 * time.Minute)
	h.expectCall("a")
	h.waitIdle("a")
	want := []time.Time{t0.Add(15 * time.Minute), t0.Add(30 * time.Minute)}
	if got := h.startedAt(); !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("started at %v; want %v", got, want)
	}
	if e, _ := h.s.Entry("a"); !e.LastRun.Equal(want[1]) || !e.Next.Equal(want[1].Add(15*time.Minute)) {
		t.Errorf("LastRun %s Next %s", e.LastRun, e.Next)
	}
}

func TestDisabledEntryDoesNotRun(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.set(Entry{ID: "a", Spec: MustParse("every 15m", "UTC"), Enabled: false})
	h.start()
	h.advance(time.Hour)
	h.expectIdle("a")
}

func TestDailyInZoneAcrossSpringForward(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.clock.Set(time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC))
	h.set(Entry{ID: "a", Spec: MustParse("daily 02:30", "Europe/Berlin"), Enabled: true})
	h.start()
	// The slot on Sunday 29 March (02:30 does not exist) is skipped, as robfig/cron does.
	want := time.Date(2026, 3, 30, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	if e, _ := h.s.Entry("a"); !e.Next.Equal(want) {
		t.Fatalf("Next = %s; want %s", e.Next.UTC(), want)
	}
	h.clock.Set(want.Add(-time.Second))
	h.expectIdle("a")
	h.advance(time.Second)
	h.expectCall("a")
}

func TestCronFallBackRunsTwice(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.clock.Set(time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC))
	h.set(Entry{ID: "a", Spec: MustParse("30 2 * * *", "Europe/Berlin"), Enabled: true})
	h.start()
	for range 3 {
		e, _ := h.s.Entry("a")
		h.clock.Set(e.Next)
		h.settle()
		h.expectCall("a")
		h.waitIdle("a")
	}
	want := []time.Time{
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // 02:30 CEST
		time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), // 02:30 CET, an hour later
		time.Date(2026, 10, 26, 1, 30, 0, 0, time.UTC),
	}
	if got := h.startedAt(); !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("started at %v; want %v", got, want)
	}
}

func TestCatchUpOnceAfterRestart(t *testing.T) {
	for _, spec := range []string{"every 1h", "daily 06:30", "0 * * * *"} {
		t.Run(spec, func(t *testing.T) {
			h := newHarness(t, Options{CatchUp: CatchUpOnce}, false)
			// The app was closed for three days: many slots were missed.
			h.set(Entry{ID: "a", Spec: MustParse(spec, "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-72*time.Hour - time.Minute)})
			if got := h.s.Due(t0); !slices.Equal(got, []string{"a"}) {
				t.Fatalf("Due = %v", got)
			}
			h.start()
			h.expectCall("a") // once...
			h.waitIdle("a")
			h.expectIdle("a") // ...not once per missed slot
			e, _ := h.s.Entry("a")
			if !e.LastRun.Equal(t0) || !e.Next.After(t0) {
				t.Errorf("after catch-up LastRun %s Next %s", e.LastRun, e.Next)
			}
		})
	}
}

func TestSkipMissed(t *testing.T) {
	h := newHarness(t, Options{CatchUp: SkipMissed}, false)
	// Slots at t0-30m (missed by more than the grace) and t0+30m.
	h.set(Entry{ID: "old", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-5*time.Hour - 30*time.Minute)})
	// Slot at t0-1m: late, but within the grace, so it still runs.
	h.set(Entry{ID: "late", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-61 * time.Minute)})
	if got := h.s.Due(t0); !slices.Equal(got, []string{"late"}) {
		t.Fatalf("Due = %v; want [late]", got)
	}
	h.start()
	h.expectCall("late")
	h.waitIdle("late")
	h.expectIdle("old")
	if e, _ := h.s.Entry("old"); !e.Next.Equal(t0.Add(30 * time.Minute)) {
		t.Errorf("old: Next %s; want the next slot on its grid, %s", e.Next, t0.Add(30*time.Minute))
	}
	h.advance(30 * time.Minute)
	h.expectCall("old")
}

func TestPauseResume(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.set(Entry{ID: "a", Spec: MustParse("every 15m", "UTC"), Enabled: true})
	h.start()
	h.s.Pause()
	h.settle()
	if !h.s.Paused() || h.s.Due(t0.Add(time.Hour)) != nil {
		t.Fatal("paused scheduler reports due entries")
	}
	h.advance(time.Hour) // four slots pass while paused
	h.expectIdle("a")
	h.s.Resume()
	h.expectCall("a") // caught up once
	h.waitIdle("a")
	h.expectIdle("a")
}

func TestNoDoubleRun(t *testing.T) {
	h := newHarness(t, Options{}, true)
	h.set(Entry{ID: "a", Spec: MustParse("every 1m", "UTC"), Enabled: true})
	h.start()
	h.advance(time.Minute)
	h.expectCall("a")
	// Five more slots pass while the first run is still going: no second run starts.
	for range 5 {
		h.advance(time.Minute)
	}
	if err := h.s.RunNow("a"); !errors.Is(err, ErrBusy) {
		t.Errorf("RunNow while running: %v; want ErrBusy", err)
	}
	if ids := h.s.RunAllNow(); len(ids) != 0 {
		t.Errorf("RunAllNow started %v while a was running", ids)
	}
	if e, _ := h.s.Entry("a"); e.State != Running {
		t.Fatalf("state %d; want running", e.State)
	}
	select {
	case <-h.calls:
		t.Fatal("second run started while the first was running")
	default:
	}
	h.release <- struct{}{}
	h.expectCall("a") // the missed slots are caught up once
	h.release <- struct{}{}
	h.waitIdle("a")
	h.expectIdle("a")
}

func TestConcurrencyLimit(t *testing.T) {
	h := newHarness(t, Options{MaxConcurrent: 2}, true)
	for _, id := range []string{"a", "b", "c"} {
		h.set(Entry{ID: id, Spec: MustParse("every 10m", "UTC"), Enabled: true})
	}
	h.start()
	h.advance(10 * time.Minute)
	got := []string{<-h.calls, <-h.calls}
	queued := 0
	for _, e := range h.s.Entries() {
		if e.State == Queued {
			queued++
		}
	}
	if queued != 1 {
		t.Fatalf("%d queued; want 1 (running %v)", queued, got)
	}
	select {
	case id := <-h.calls:
		t.Fatalf("third run %q started beyond MaxConcurrent", id)
	default:
	}
	h.release <- struct{}{}
	third := <-h.calls
	all := append(got, third)
	slices.Sort(all)
	if !slices.Equal(all, []string{"a", "b", "c"}) {
		t.Errorf("ran %v", all)
	}
	h.release <- struct{}{}
	h.release <- struct{}{}
}

func TestCancelStopsRuns(t *testing.T) {
	h := newHarness(t, Options{}, true)
	h.set(Entry{ID: "a", Spec: MustParse("every 1m", "UTC"), Enabled: true})
	h.start()
	h.advance(time.Minute)
	h.expectCall("a")
	h.cancel()
	select {
	case err := <-h.done:
		h.done <- err // for Cleanup
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	h.mu.Lock()
	last := h.events[len(h.events)-1]
	h.mu.Unlock()
	// Run returned only after the job had ended with the cancellation.
	if last.Kind != EventFinished || !errors.Is(last.Err, context.Canceled) {
		t.Errorf("last event %+v; want finished with context.Canceled", last)
	}
	if err := h.s.RunNow("a"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("RunNow after Run ended: %v", err)
	}
}

func TestRunGroupAndAll(t *testing.T) {
	h := newHarness(t, Options{MaxConcurrent: 4}, false)
	h.set(Entry{ID: "a1", Group: "acme", Spec: MustParse("daily 06:00", "UTC"), Enabled: true})
	h.set(Entry{ID: "a2", Group: "acme", Spec: MustParse("daily 06:00", "UTC"), Enabled: true})
	h.set(Entry{ID: "b1", Group: "bolt", Spec: MustParse("daily 06:00", "UTC"), Enabled: true})
	h.set(Entry{ID: "off", Group: "acme", Spec: MustParse("daily 06:00", "UTC")})
	if ids := h.s.RunAllNow(); ids != nil {
		t.Fatalf("RunAllNow before Run started %v", ids)
	}
	h.start()
	if ids := h.s.RunGroup("acme"); !slices.Equal(ids, []string{"a1", "a2"}) {
		t.Fatalf("RunGroup = %v", ids)
	}
	got := []string{<-h.calls, <-h.calls}
	slices.Sort(got)
	if !slices.Equal(got, []string{"a1", "a2"}) {
		t.Fatalf("ran %v", got)
	}
	h.waitIdle("a1")
	h.waitIdle("a2")
	if ids := h.s.RunAllNow(); !slices.Equal(ids, []string{"a1", "a2", "b1"}) {
		t.Fatalf("RunAllNow = %v", ids)
	}
	for range 3 {
		<-h.calls
	}
	if err := h.s.RunNow("off"); err != nil {
		t.Errorf("RunNow of a disabled entry: %v", err)
	}
	h.expectCall("off")
	if err := h.s.RunNow("nope"); !errors.Is(err, ErrUnknownEntry) {
		t.Errorf("RunNow unknown: %v", err)
	}
}

func TestRunDue(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.set(Entry{ID: "due", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-2 * time.Hour)})
	h.set(Entry{ID: "new", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: t0.Add(-61 * time.Minute)})
	h.set(Entry{ID: "fresh", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-time.Minute)})
	h.set(Entry{ID: "off", Spec: MustParse("every 1h", "UTC"), Since: setLongAgo, LastRun: t0.Add(-2 * time.Hour)})
	h.set(Entry{ID: "boom", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-2 * time.Hour)})
	h.s.job = func(ctx context.Context, id string) error {
		if id == "boom" {
			panic("bad job")
		}
		return nil
	}
	res := h.s.RunDue(context.Background())
	if len(res) != 3 || res[0].EntryID != "boom" || res[1].EntryID != "due" || res[2].EntryID != "new" {
		t.Fatalf("RunDue = %+v", res)
	}
	if res[0].Err == nil || res[1].Err != nil || res[2].Err != nil {
		t.Errorf("errors %v %v %v; want only boom's (a recovered panic)", res[0].Err, res[1].Err, res[2].Err)
	}
	if e, _ := h.s.Entry("due"); !e.LastRun.Equal(t0) {
		t.Errorf("LastRun not updated: %s", e.LastRun)
	}
	if got := h.s.Due(t0); got != nil {
		t.Errorf("after RunDue, Due = %v", got)
	}
}

func TestSetKeepsLaterLastRunAndRemove(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.set(Entry{ID: "a", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0})
	h.set(Entry{ID: "a", Spec: MustParse("every 2h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-time.Hour)})
	e, _ := h.s.Entry("a")
	if !e.LastRun.Equal(t0) || !e.Next.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("LastRun %s Next %s", e.LastRun, e.Next)
	}
	h.s.Remove("a")
	if _, ok := h.s.Entry("a"); ok || len(h.s.Entries()) != 0 {
		t.Error("entry still there after Remove")
	}
	if err := h.s.Set(Entry{}); err == nil {
		t.Error("Set accepted an empty ID")
	}
}

func TestMaxSleepRereadsClock(t *testing.T) {
	h := newHarness(t, Options{MaxSleep: time.Minute}, false)
	h.set(Entry{ID: "a", Spec: MustParse("daily 06:00", "UTC"), Enabled: true})
	h.start()
	// A daily slot is hours away, but the loop sleeps at most a minute, then looks at the wall
	// clock again and sleeps another minute. (Counting armed timers right after Advance raced with
	// the loop re-arming; the deadlines say the same thing without a race.)
	if got := h.clock.Deadlines(); len(got) != 1 || !got[0].Equal(t0.Add(time.Minute)) {
		t.Fatalf("timers at %v; want one at %s (MaxSleep)", got, t0.Add(time.Minute))
	}
	h.clock.Advance(time.Minute)
	h.waitDeadline(t0.Add(2 * time.Minute))
	h.expectIdle("a")
}

func TestRunTwiceFails(t *testing.T) {
	h := newHarness(t, Options{}, false)
	h.start()
	if err := h.s.Run(context.Background()); err == nil {
		t.Error("a second Run was allowed")
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without a Job succeeded")
	}
}

func TestEditingScheduleDoesNotRunAtOnce(t *testing.T) {
	h := newHarness(t, Options{}, false)
	yesterday := t0.Add(-24 * time.Hour)
	h.set(Entry{ID: "a", Spec: MustParse("daily 10:00", "UTC"), Enabled: true, Since: setLongAgo, LastRun: yesterday})
	// The user changes the schedule at t0 (10:00): today's 06:00 already passed before the edit.
	h.set(Entry{ID: "a", Spec: MustParse("daily 06:00", "UTC"), Enabled: true, LastRun: yesterday})
	if got := h.s.Due(t0); got != nil {
		t.Errorf("edited schedule is due at once: %v", got)
	}
	if e, _ := h.s.Entry("a"); !e.Since.Equal(t0) || !e.Next.Equal(t0.Add(20*time.Hour)) {
		t.Errorf("Since %s Next %s; want %s and tomorrow 06:00", e.Since, e.Next, t0)
	}
	// Setting the same spec again keeps Since.
	h.clock.Advance(time.Hour)
	h.set(Entry{ID: "a", Spec: MustParse("daily 06:00", "UTC"), Enabled: false})
	if e, _ := h.s.Entry("a"); !e.Since.Equal(t0) || !e.LastRun.Equal(yesterday) {
		t.Errorf("re-set: Since %s LastRun %s", e.Since, e.LastRun)
	}
}

func TestClockGoingBack(t *testing.T) {
	h := newHarness(t, Options{}, false)
	// LastRun is a day in the future: the wall clock was set back after the last run.
	h.set(Entry{ID: "a", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(24 * time.Hour)})
	if e, _ := h.s.Entry("a"); !e.Next.Equal(t0.Add(time.Hour)) {
		t.Errorf("Next %s; want an hour from now, not a day and an hour", e.Next)
	}
}

func TestLockedJobExcludesOtherHolders(t *testing.T) {
	dir := t.TempDir()
	const id = "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1a00"
	inner := make(chan struct{})
	release := make(chan struct{})
	job := Locked(dir, "scheduled run", func(ctx context.Context, entryID string) error {
		close(inner)
		<-release
		return nil
	})
	done := make(chan error, 1)
	go func() { done <- job(context.Background(), id) }()
	<-inner
	// A second holder (here another scheduler's job; in real life `shelfsync sync` from cron).
	err := Locked(dir, "cli", func(context.Context, string) error {
		t.Error("second job ran while the store was locked")
		return nil
	})(context.Background(), id)
	if !errors.Is(err, lock.ErrBusy) {
		t.Errorf("second run: %v; want lock.ErrBusy", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := Locked(dir, "cli", func(context.Context, string) error { return nil })(context.Background(), id); err != nil {
		t.Errorf("after release: %v", err)
	}
}

func TestSetCatchUp(t *testing.T) {
	h := newHarness(t, Options{CatchUp: SkipMissed}, false)
	h.set(Entry{ID: "a", Spec: MustParse("every 1h", "UTC"), Enabled: true, Since: setLongAgo, LastRun: t0.Add(-90 * time.Minute)})
	if got := h.s.Due(t0); got != nil {
		t.Fatalf("Due under SkipMissed = %v", got)
	}
	h.s.SetCatchUp(CatchUpOnce)
	if got := h.s.Due(t0); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("Due under CatchUpOnce = %v", got)
	}
}

func TestCancelDropsQueuedRuns(t *testing.T) {
	h := newHarness(t, Options{MaxConcurrent: 1}, true)
	h.set(Entry{ID: "a", Spec: MustParse("every 1m", "UTC"), Enabled: true})
	h.set(Entry{ID: "b", Spec: MustParse("every 1m", "UTC"), Enabled: true})
	h.start()
	h.advance(time.Minute)
	first := <-h.calls
	h.cancel()
	err := <-h.done
	h.done <- err
	select {
	case id := <-h.calls:
		t.Fatalf("queued run %q started after cancel (first was %q)", id, first)
	default:
	}
	if got := h.startedAt(); len(got) != 1 {
		t.Errorf("%d runs started; want 1", len(got))
	}
	for _, e := range h.s.Entries() {
		if e.State != Idle {
			t.Errorf("%s left in state %d", e.ID, e.State)
		}
	}
}
