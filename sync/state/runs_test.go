package state

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestCreateGetUpdateRun(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "runs.myshopify.com")
	r, err := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerCLI, Source: "/c.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.State != RunPlanned || r.CreatedAt.IsZero() {
		t.Errorf("CreateRun defaults: %+v", r)
	}
	got, err := d.GetRun(ctx, r.ID)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("GetRun = %+v, %v; want %+v", got, err, r)
	}

	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r.State, r.StartedAt, r.FinishedAt = RunFinished, start, start.Add(90*time.Second)
	r.Counts = Counts{Created: 1, Updated: 2, Unchanged: 3, Skipped: 4, Errors: 5, Conflicts: 6}
	r.Duration, r.Summary, r.ReportPath = 90*time.Second, "2 updated, 5 errors", "/r/report.html"
	if err := d.UpdateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, _ = d.GetRun(ctx, r.ID)
	if !reflect.DeepEqual(got, r) {
		t.Errorf("after UpdateRun\n got %+v\nwant %+v", got, r)
	}
	if err := d.SetRunState(ctx, r.ID, RunUndone); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.GetRun(ctx, r.ID); got.State != RunUndone {
		t.Errorf("SetRunState: state %s", got.State)
	}

	if err := d.UpdateRun(ctx, Run{ID: "missing", State: RunFailed}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateRun(missing) = %v", err)
	}
	if err := d.SetRunState(ctx, "missing", RunFailed); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetRunState(missing) = %v", err)
	}
	if _, err := d.GetRun(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetRun(missing) = %v", err)
	}
	if err := d.SetRunState(ctx, r.ID, "exploded"); err == nil {
		t.Error("unknown state accepted")
	}
	if _, err := d.CreateRun(ctx, Run{StoreID: "no-such-store", Kind: KindSync, Trigger: TriggerCLI}); err == nil {
		t.Error("run for a missing store accepted (foreign keys off?)")
	}
}

func TestUndoRunLink(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "undo.myshopify.com")
	orig, _ := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerManual})
	undo, err := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindUndo, Trigger: TriggerCLI, UndoOf: orig.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.GetRun(ctx, undo.ID); got.UndoOf != orig.ID {
		t.Errorf("UndoOf = %q", got.UndoOf)
	}
	if _, err := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindUndo, Trigger: TriggerCLI, UndoOf: "nope"}); err == nil {
		t.Error("undo of a missing run accepted")
	}
}

func TestRunPlanCompressed(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "plan.myshopify.com")
	r, _ := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerManual})
	if p, err := d.RunPlan(ctx, r.ID); p != nil || err != nil {
		t.Errorf("RunPlan before set = %q, %v", p, err)
	}
	plan := bytes.Repeat([]byte(`{"handle":"tee","field":"price","old":"10.00","new":"12.00"},`), 2000)
	if err := d.SetRunPlan(ctx, r.ID, plan); err != nil {
		t.Fatal(err)
	}
	got, err := d.RunPlan(ctx, r.ID)
	if err != nil || !bytes.Equal(got, plan) {
		t.Fatalf("RunPlan round trip failed: %d bytes, %v", len(got), err)
	}
	var stored int
	d.sql.QueryRow(`SELECT length(plan) FROM runs WHERE id=?`, r.ID).Scan(&stored)
	if stored == 0 || stored > len(plan)/10 {
		t.Errorf("plan stored as %d bytes for %d; not compressed", stored, len(plan))
	}
	if err := d.SetRunPlan(ctx, r.ID, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := d.RunPlan(ctx, r.ID); p != nil {
		t.Error("SetRunPlan(nil) kept the plan")
	}
	if _, err := d.RunPlan(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RunPlan(missing) = %v", err)
	}
	if err := d.SetRunPlan(ctx, "missing", plan); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetRunPlan(missing) = %v", err)
	}
}

func TestListRunsNewestFirst(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	a := mustStore(t, d, "a.myshopify.com")
	b := mustStore(t, d, "b.myshopify.com")
	var aRuns []Run
	for i := 0; i < 5; i++ {
		r, err := d.CreateRun(ctx, Run{StoreID: a.ID, Kind: KindSync, Trigger: TriggerScheduled})
		if err != nil {
			t.Fatal(err)
		}
		aRuns = append(aRuns, r)
	}
	bRun, _ := d.CreateRun(ctx, Run{StoreID: b.ID, Kind: KindExport, Trigger: TriggerCLI})

	got, err := d.ListRuns(ctx, a.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Runs created in the same millisecond still come back newest first.
	if len(got) != 3 || got[0].ID != aRuns[4].ID || got[1].ID != aRuns[3].ID || got[2].ID != aRuns[2].ID {
		t.Errorf("ListRuns(a, 3) = %v", ids(got))
	}
	all, _ := d.ListRuns(ctx, "", 0)
	if len(all) != 6 || all[0].ID != bRun.ID {
		t.Errorf("ListRuns(all) = %v", ids(all))
	}
	none, err := d.ListRuns(ctx, "missing", 10)
	if err != nil || len(none) != 0 {
		t.Errorf("ListRuns(missing) = %v, %v", none, err)
	}
}

func TestLatestRunPerStore(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	a := mustStore(t, d, "a.myshopify.com")
	b := mustStore(t, d, "b.myshopify.com")
	mustStore(t, d, "idle.myshopify.com")
	d.CreateRun(ctx, Run{StoreID: a.ID, Kind: KindSync, Trigger: TriggerManual})
	aSync, _ := d.CreateRun(ctx, Run{StoreID: a.ID, Kind: KindSync, Trigger: TriggerManual, State: RunFailed})
	aExport, _ := d.CreateRun(ctx, Run{StoreID: a.ID, Kind: KindExport, Trigger: TriggerManual})
	bSync, _ := d.CreateRun(ctx, Run{StoreID: b.ID, Kind: KindSync, Trigger: TriggerManual})

	latest, err := d.LatestRunPerStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest[a.ID].ID != aExport.ID || latest[b.ID].ID != bSync.ID {
		t.Errorf("LatestRunPerStore() = %v", latest)
	}
	syncs, err := d.LatestRunPerStore(ctx, KindSync, KindUndo)
	if err != nil {
		t.Fatal(err)
	}
	if len(syncs) != 2 || syncs[a.ID].ID != aSync.ID || syncs[a.ID].State != RunFailed {
		t.Errorf("LatestRunPerStore(sync, undo) = %v", syncs)
	}
}

func TestFindRunAndListInState(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "f.myshopify.com")
	r1, _ := d.CreateRun(ctx, Run{ID: "abcd0001-0000-4000-8000-000000000000", StoreID: s.ID, Kind: KindSync, Trigger: TriggerCLI, State: RunRunning})
	r2, _ := d.CreateRun(ctx, Run{ID: "abcd0002-0000-4000-8000-000000000000", StoreID: s.ID, Kind: KindSync, Trigger: TriggerCLI, State: RunHeld})
	d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerCLI, State: RunFinished})

	if got, err := d.FindRun(ctx, "ABCD0002"); err != nil || got.ID != r2.ID {
		t.Errorf("FindRun(prefix) = %v, %v", got.ID, err)
	}
	if got, err := d.FindRun(ctx, r1.ID); err != nil || got.ID != r1.ID {
		t.Errorf("FindRun(full) = %v, %v", got.ID, err)
	}
	if _, err := d.FindRun(ctx, "abcd"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("FindRun(shared prefix) = %v", err)
	}
	for _, q := range []string{"zzzz", "", "%"} {
		if _, err := d.FindRun(ctx, q); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindRun(%q) = %v, want ErrNotFound", q, err)
		}
	}

	got, err := d.ListRunsInState(ctx, RunRunning, RunHeld)
	if err != nil || len(got) != 2 || got[0].ID != r1.ID || got[1].ID != r2.ID {
		t.Errorf("ListRunsInState = %v, %v", ids(got), err)
	}
	if got, _ := d.ListRunsInState(ctx); got != nil {
		t.Errorf("ListRunsInState() = %v", got)
	}
}

func ids(rs []Run) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID[:8]
	}
	return out
}

func TestPruneRuns(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	a := mustStore(t, d, "a.myshopify.com")
	b := mustStore(t, d, "b.myshopify.com")
	var aRuns []Run
	for _, st := range []RunState{RunRunning, RunFinished, RunHeld, RunFailed, RunFinished, RunFinished} {
		r, err := d.CreateRun(ctx, Run{StoreID: a.ID, Kind: KindSync, Trigger: TriggerCLI, State: st})
		if err != nil {
			t.Fatal(err)
		}
		aRuns = append(aRuns, r)
	}
	if err := d.AppendJournal(ctx, aRuns[1].ID, entries(5)); err != nil {
		t.Fatal(err)
	}
	bRun, _ := d.CreateRun(ctx, Run{StoreID: b.ID, Kind: KindSync, Trigger: TriggerCLI, State: RunFinished})

	n, err := d.PruneRuns(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Kept: a's two newest (5, 4), a's running (0) and held (2); b's only run.
	if n != 2 {
		t.Errorf("PruneRuns deleted %d, want 2", n)
	}
	left, _ := d.ListRuns(ctx, a.ID, 0)
	want := []string{aRuns[5].ID[:8], aRuns[4].ID[:8], aRuns[2].ID[:8], aRuns[0].ID[:8]}
	if !reflect.DeepEqual(ids(left), want) {
		t.Errorf("left %v, want %v", ids(left), want)
	}
	if _, err := d.GetRun(ctx, bRun.ID); err != nil {
		t.Errorf("b's run pruned: %v", err)
	}
	var orphans int
	d.sql.QueryRow(`SELECT count(*) FROM journal WHERE run_id = ?`, aRuns[1].ID).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d journal entries of a pruned run remain", orphans)
	}
}
