package workspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/state"
)

// demoWorkspace is a workspace connected to the demo store.
func demoWorkspace(t *testing.T, now func() time.Time) (*Workspace, StoreSummary) {
	t.Helper()
	w, err := Open(Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, s
}

func mainWarehouse(t *testing.T, w *Workspace, storeID string) string {
	t.Helper()
	locs, err := w.Locations(context.Background(), storeID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if l.Name == "Main warehouse" {
			return l.ID
		}
	}
	t.Fatalf("no Main warehouse in %+v", locs)
	return ""
}

// TestDemoSheetSyncAndUndo is the demo's story: preview the demo sheet,
// apply it, see it in history, undo it.
func TestDemoSheetSyncAndUndo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	req := SyncRequest{StoreID: s.ID, Source: w.DemoSheetPath(), LocationID: mainWarehouse(t, w, s.ID)}
	plan, err := w.PlanSync(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	c := plan.Counts
	// The demo sheet: one new product (Summit Decaf), three price edits,
	// two stock edits and a compare-at price, one row with a bad price.
	if c.Products.Create != 1 || c.Products.Error+c.Variants.Error+len(plan.SourceErrors) == 0 || c.Changes == 0 {
		t.Fatalf("plan counts %+v, source errors %v", c, plan.SourceErrors)
	}
	run, err := w.Apply(ctx, s.ID, plan, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.State != string(state.RunFinished) || run.Created == 0 || run.Updated == 0 {
		t.Fatalf("run %+v", run)
	}
	// The same sheet again writes nothing.
	again, err := w.PlanSync(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts.Changes != 0 {
		t.Fatalf("a second sync of the same sheet plans %d changes", again.Counts.Changes)
	}
	hist, err := w.History(ctx, s.ID)
	if err != nil || len(hist) == 0 || hist[0].ID != run.ID {
		t.Fatalf("history %+v, %v", hist, err)
	}
	undo, err := w.PlanUndo(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Counts.Changes == 0 {
		t.Fatal("the undo plan puts nothing back")
	}
	if _, err := w.Apply(ctx, s.ID, undo, true, nil); err != nil {
		t.Fatal(err)
	}
	back, err := w.PlanSync(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if back.Counts.Changes != plan.Counts.Changes {
		t.Fatalf("after undo the sheet plans %d changes, first time %d", back.Counts.Changes, plan.Counts.Changes)
	}
}

// TestScheduleRunsOncePerSlot: a due schedule runs once; a second run-due
// in the same slot (another process) finds nothing to do.
func TestScheduleRunsOncePerSlot(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	w, s := demoWorkspace(t, clock)
	src := w.DemoSheetPath()
	if _, err := w.PlanSync(ctx, SyncRequest{StoreID: s.ID, Source: src, LocationID: mainWarehouse(t, w, s.ID)}); err != nil {
		t.Fatal(err) // also saves the location choice for this source
	}
	v, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: src, Spec: "every 1h", TimeZone: "UTC", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if !v.NextRun.Equal(now.Add(time.Hour)) || v.Text != "Every 1 hour" && !strings.HasPrefix(v.Text, "Every") {
		t.Fatalf("schedule %+v", v)
	}
	if ev := w.RunDue(ctx); len(ev) != 0 {
		t.Fatalf("nothing is due yet, ran %+v", ev)
	}
	now = now.Add(3*time.Hour + time.Minute) // three slots missed: caught up once
	events := w.RunDue(ctx)
	if len(events) != 1 || events[0].Err != nil || events[0].Run.ID == "" {
		t.Fatalf("events %+v", events)
	}
	if again := w.RunDue(ctx); len(again) != 0 {
		t.Fatalf("the same slot ran twice: %+v", again)
	}
	list, _ := w.Schedules(ctx, s.ID)
	if len(list) != 1 || !list[0].NextRun.After(now) {
		t.Fatalf("next run not moved on: %+v", list)
	}
}

// TestScheduleSkipMissed: with catch-up "skip", slots missed while the app
// was closed are not run at start; the schedule waits for its next slot.
func TestScheduleSkipMissed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Now().UTC()
	w, s := demoWorkspace(t, func() time.Time { return now })
	src := w.DemoSheetPath()
	if _, err := w.PlanSync(ctx, SyncRequest{StoreID: s.ID, Source: src, LocationID: mainWarehouse(t, w, s.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: src, Spec: "every 1h", TimeZone: "UTC", Enabled: true, CatchUp: "skip"}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(3*time.Hour + time.Minute) // missed while closed
	if ev := w.RunDue(ctx); len(ev) != 0 {
		t.Fatalf("a missed slot ran with catch-up skip: %+v", ev)
	}
	list, _ := w.Schedules(ctx, s.ID)
	if len(list) != 1 || !list[0].NextRun.After(now) {
		t.Fatalf("the schedule did not move on to its next slot: %+v", list)
	}
	now = list[0].NextRun.Add(10 * time.Second) // on time
	if ev := w.RunDue(ctx); len(ev) != 1 || ev[0].Err != nil {
		t.Fatalf("an on-time slot did not run: %+v", ev)
	}
	if _, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: src, Spec: "every 1h", CatchUp: "sometimes"}); err == nil {
		t.Fatal("an unknown catch-up policy was accepted")
	}
}
