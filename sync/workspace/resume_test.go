package workspace

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/state"
)

// TestHeldRunAppliedAfterReview: a scheduled run that tripped a guard writes
// nothing until someone confirms it; then the kept plan is applied as that
// same run.
func TestHeldRunAppliedAfterReview(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sw := newSimWorkspace(t, true) // the sheet zeroes every quantity
	ev := sw.runDue(t)
	if !ev.Held {
		t.Fatalf("event %+v, want a held run", ev)
	}
	before := sw.shop.Snapshot()
	if !ev.Run.Resumable() {
		t.Fatalf("a held run should be resumable: %+v", ev.Run)
	}

	// Without confirmation nothing is written and the run stays held.
	sum, err := sw.w.Resume(ctx, ev.Run.ID, false, nil)
	if !errors.Is(err, catalogsync.ErrGuardsTripped) || sum.State != string(state.RunHeld) {
		t.Fatalf("unconfirmed resume: %+v, %v", sum, err)
	}
	if got := sw.shop.Snapshot(); !reflect.DeepEqual(got, before) {
		t.Fatal("an unconfirmed held run wrote to the store")
	}

	// Confirmed, the same run finishes and the store follows the sheet.
	sum, err = sw.w.Resume(ctx, ev.Run.ID, true, nil)
	if err != nil || sum.ID != ev.Run.ID || sum.State != string(state.RunFinished) || sum.Updated == 0 {
		t.Fatalf("confirmed resume: %+v, %v", sum, err)
	}
	again, err := sw.w.PlanSync(ctx, SyncRequest{StoreID: sw.store.ID, Source: sw.sched.Source})
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts.Changes != 0 {
		t.Fatalf("after applying the held run the sheet still plans %d changes", again.Counts.Changes)
	}
}

// TestInterruptedRunShowsAndResumes: a run left "running" by a process that
// died shows as interrupted (not while its store is locked), and Resume
// finishes it without writing anything twice.
func TestInterruptedRunShowsAndResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sw := newSimWorkspace(t, false)
	req := SyncRequest{StoreID: sw.store.ID, Source: sw.sched.Source}
	plan, err := sw.w.PlanSync(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	total := plan.Counts.Changes
	if total < 20 {
		t.Fatalf("the plan has %d changes; the test needs a run to interrupt", total)
	}

	// Given a run stopped after its first changes, then marked "running" as
	// a killed process leaves it
	runCtx, stop := context.WithCancel(ctx)
	sum, err := sw.w.Apply(runCtx, sw.store.ID, plan, false, func(p ApplyProgress) {
		if p.Done > 0 {
			stop()
		}
	})
	stop()
	if !errors.Is(err, context.Canceled) || sum.State != string(state.RunCancelled) {
		t.Fatalf("stopped run: %+v, %v", sum, err)
	}
	if err := sw.w.db.SetRunState(ctx, sum.ID, state.RunRunning); err != nil {
		t.Fatal(err)
	}

	// Then history and the store list say "interrupted", unless someone
	// holds the store
	if got := historyState(t, sw.w, sw.store.ID, sum.ID); got != StateInterrupted {
		t.Fatalf("state %q, want %q", got, StateInterrupted)
	}
	s, err := sw.w.summary(ctx, sw.store.ID)
	if err != nil || s.Health != HealthAttention || !strings.Contains(s.HealthText, "interrupted") {
		t.Fatalf("store summary %q %q, %v", s.Health, s.HealthText, err)
	}
	l, err := lock.TryLock(sw.w.lockDir(), sw.store.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if got := historyState(t, sw.w, sw.store.ID, sum.ID); got != string(state.RunRunning) {
		t.Fatalf("with the store locked: state %q, want running", got)
	}
	if _, err := sw.w.Resume(ctx, sum.ID, false, nil); !errors.Is(err, lock.ErrBusy) {
		t.Fatalf("resume while the store is locked: %v", err)
	}
	l.Unlock()

	// And Resume finishes it: the store follows the sheet
	done, err := sw.w.Resume(ctx, sum.ID, false, nil)
	if err != nil || done.State != string(state.RunFinished) {
		t.Fatalf("resume: %+v, %v", done, err)
	}
	again, err := sw.w.PlanSync(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts.Changes != 0 {
		t.Fatalf("after resume the sheet still plans %d of %d changes", again.Counts.Changes, total)
	}
	if _, err := sw.w.Resume(ctx, sum.ID, false, nil); err == nil {
		t.Fatal("resuming a finished run should say there is nothing to resume")
	}
}

func historyState(t *testing.T, w *Workspace, storeID, runID string) string {
	t.Helper()
	runs, err := w.History(context.Background(), storeID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.ID == runID {
			return r.State
		}
	}
	t.Fatalf("run %s not in history", runID)
	return ""
}

// TestRowErrorsAmberNotRed: a run that finished with row errors (the demo
// sheet's deliberate bad price) is not a failure: the store shows amber
// "Last run finished with 1 row error", not red, and reading or opening its
// history does not hide that the last run left a row behind.
func TestRowErrorsAmberNotRed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	plan, err := w.PlanSync(ctx, SyncRequest{StoreID: s.ID, Source: w.DemoSheetPath(), LocationID: mainWarehouse(t, w, s.ID)})
	if err != nil {
		t.Fatal(err)
	}
	run, err := w.Apply(ctx, s.ID, plan, false, nil)
	if err != nil || run.State != "finished" || run.Errors == 0 { // the demo sheet has a row with a bad price
		t.Fatalf("run %+v, %v", run, err)
	}
	check := func(when string) {
		sum, err := w.summary(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Health != HealthRowErrors || !strings.Contains(sum.HealthText, "finished with "+plural(run.Errors+run.Conflicts, "row error")) {
			t.Fatalf("%s: health %s %q", when, sum.Health, sum.HealthText)
		}
	}
	check("after the run")
	if _, err := w.History(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	check("after reading the history")
	if err := w.SeenHistory(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	check("after opening the history")
}

// TestSupersededRunIsNotResumed: a held run does not stop the next slot from
// running (a failed run nobody opened is no reason to skip), and a held run
// that a later run came after is not resumable any more (its plan predates
// the store as it is now), in history and in Resume.
func TestSupersededRunIsNotResumed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sw := newSimWorkspace(t, true)
	first := sw.runDue(t)
	second := sw.runDue(t)
	if !first.Held || !second.Held {
		t.Fatalf("events %+v / %+v, want two held runs", first, second)
	}
	runs, err := sw.w.History(ctx, sw.store.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]RunSummary{}
	for _, r := range runs {
		byID[r.ID] = r
	}
	if old := byID[first.Run.ID]; !old.Superseded || old.Resumable() {
		t.Fatalf("the older held run: %+v", old)
	}
	if cur := byID[second.Run.ID]; cur.Superseded || !cur.Resumable() {
		t.Fatalf("the newest held run: %+v", cur)
	}
	if found, err := sw.w.FindRun(ctx, first.Run.ID); err != nil || !found.Superseded {
		t.Fatalf("FindRun: %+v, %v", found, err)
	}
	before := sw.shop.Snapshot()
	if _, err := sw.w.Resume(ctx, first.Run.ID, true, nil); err == nil || !strings.Contains(err.Error(), "superseded") {
		t.Fatalf("resuming a superseded run: %v", err)
	}
	if !reflect.DeepEqual(sw.shop.Snapshot(), before) {
		t.Fatal("a refused resume wrote to the store")
	}
	if _, err := sw.w.Resume(ctx, second.Run.ID, true, nil); err != nil {
		t.Fatalf("resuming the newest held run: %v", err)
	}
}
