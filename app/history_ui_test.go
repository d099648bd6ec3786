package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func sampleRuns() []workspace.RunSummary {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return []workspace.RunSummary{
		{ID: "run-1", Kind: "sync", Trigger: "manual", Source: "catalog.csv", State: "finished", Started: t0,
			Finished: t0.Add(42 * time.Second), Created: 2, Updated: 7, ReportPath: "/tmp/reports/run-1.csv"},
		{ID: "run-3", Kind: "sync", Trigger: "scheduled", Source: "catalog.csv", State: "held", Started: t0.Add(2 * time.Hour),
			Message: "a safety guard tripped"},
		{ID: "run-2", Kind: "sync", Trigger: "manual", Source: "supplier.xlsx", State: "failed", Started: t0.Add(time.Hour),
			Finished: t0.Add(time.Hour + 3*time.Second), Updated: 1, Errors: 4},
	}
}

func newTestHistoryView(t *testing.T, f *fakeSync) (*historyView, fyne.Window, *signals) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	v := newHistoryView(ctx, f, w, "store-1", nil)
	ch := newSignals()
	v.settled = ch.hook
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1024, 700))
	v.load()
	ch.wait(t, "history")
	return v, w, ch
}

func TestHistoryListsRunsNewestFirstAndFailedInRed(t *testing.T) {
	f := newFakeSync()
	f.history = sampleRuns()
	v, _, _ := newTestHistoryView(t, f)
	var ids []string
	for _, r := range v.runs {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "run-3,run-2,run-1" {
		t.Fatalf("order %v", ids)
	}
	row := v.createRow()
	v.updateRow(1, row) // run-2: failed
	lines := row.(*fyne.Container).Objects[0].(*fyne.Container)
	counts := lines.Objects[1].(*widget.Label)
	if counts.Importance != widget.DangerImportance || !strings.Contains(counts.Text, "Stopped (failed)") || !strings.Contains(counts.Text, "4 row errors") {
		t.Fatalf("failed run row: %q importance %v", counts.Text, counts.Importance)
	}
	v.updateRow(2, row) // run-1: finished
	if counts.Importance == widget.DangerImportance {
		t.Fatal("a finished run is shown in red")
	}
	if d := counts.Text; d != "catalog.csv  ·  Finished · 2 created · 7 updated  ·  42s" {
		t.Fatalf("detail line %q", d)
	}
	badge := findBadge(row.(*fyne.Container).Objects[1])
	if badge.FillColor != outcomeOf(v.runs[2]).color() {
		t.Fatal("badge colour not set")
	}
	v.list.Select(0) // held
	if !v.undoBtn.Disabled() || !v.report.Disabled() {
		t.Fatal("a held run without a report offers Undo or Open report")
	}
	v.list.Select(2)
	if v.undoBtn.Disabled() || v.report.Disabled() {
		t.Fatal("a finished run with a report must offer Undo and Open report")
	}
}

func TestHistoryUndoShowsPreviewAndApplies(t *testing.T) {
	f := newFakeSync()
	f.history = sampleRuns()
	undo := samplePlan()
	undo.Kind, undo.UndoOf = "undo", "run-1"
	f.undoPlan = undo
	v, w, ch := newTestHistoryView(t, f)
	v.list.Select(2)
	test.Tap(v.undoBtn)
	ch.wait(t, "undo-plan")
	if len(f.undoRuns) != 1 || f.undoRuns[0] != "run-1" {
		t.Fatalf("PlanUndo calls %v", f.undoRuns)
	}
	if v.dialog == nil || v.dialog.preview.plan != undo || w.Canvas().Overlays().Top() == nil {
		t.Fatal("Undo did not open the preview dialog")
	}
	if !strings.Contains(v.dialog.preview.counts.Text, "Creates 1") {
		t.Fatalf("undo preview counts %q", v.dialog.preview.counts.Text)
	}
	if dir := os.Getenv("SHELFSYNC_ARTIFACTS"); dir != "" {
		capture(t, w, filepath.Join(dir, "undo-dialog.png"))
	}
	test.Tap(v.dialog.applyBt)
	ch.wait(t, "undo-apply")
	ch.wait(t, "history") // the reload after the undo
	if len(f.applied) != 1 || f.applied[0].plan != undo {
		t.Fatalf("apply calls %+v", f.applied)
	}
	if !strings.HasPrefix(v.dialog.apply.result.Text, "Finished:") || !v.dialog.applyBt.Disabled() {
		t.Fatalf("after the undo: %q, apply enabled %v", v.dialog.apply.result.Text, !v.dialog.applyBt.Disabled())
	}
}

// TestHistoryReviewHeldRun: a held run offers Review…, which shows its kept
// plan with the guard; Apply stays off until the guard is confirmed, then
// resumes that same run.
func TestHistoryReviewHeldRun(t *testing.T) {
	f := newFakeSync()
	f.history = sampleRuns()
	f.heldPlan = heldPlan()
	v, w, ch := newTestHistoryView(t, f)
	v.list.Select(1) // run-2: failed with errors, stopped early
	if v.resumeBtn.Disabled() || v.resumeBtn.Text != "Resume…" {
		t.Fatalf("a failed run: resume button %q, disabled %v", v.resumeBtn.Text, v.resumeBtn.Disabled())
	}
	v.list.Select(0) // run-3: held
	if v.resumeBtn.Disabled() || v.resumeBtn.Text != "Review…" {
		t.Fatalf("a held run: resume button %q, disabled %v", v.resumeBtn.Text, v.resumeBtn.Disabled())
	}
	test.Tap(v.resumeBtn)
	ch.wait(t, "resume-plan")
	if len(f.loadRuns) != 1 || f.loadRuns[0] != "run-3" || v.dialog == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatalf("LoadPlan calls %v, dialog %v", f.loadRuns, v.dialog)
	}
	d := v.dialog
	if d.preview.guardBox.Hidden || !strings.Contains(d.preview.guards.Text, "9 of 10") || d.applyBt.Text != "Apply held run" {
		t.Fatalf("guard %q, button %q", d.preview.guards.Text, d.applyBt.Text)
	}
	if !d.applyBt.Disabled() {
		t.Fatal("Apply held run is enabled before the guard is confirmed")
	}
	if dir := os.Getenv("SHELFSYNC_ARTIFACTS"); dir != "" {
		capture(t, w, filepath.Join(dir, "review-held-run.png"))
	}
	c := d.preview.confirm
	test.TapAt(c, fyne.NewPos(c.MinSize().Width/2, c.Size().Height/2))
	if d.applyBt.Disabled() {
		t.Fatal("Apply held run stays disabled after the guard is confirmed")
	}
	test.Tap(d.applyBt)
	ch.wait(t, "resume-apply")
	ch.wait(t, "history")
	if len(f.resumed) != 1 || f.resumed[0] != "run-3" || len(f.applied) != 1 || !f.applied[0].confirm {
		t.Fatalf("resume calls %v, apply calls %+v", f.resumed, f.applied)
	}
	if !strings.HasPrefix(d.apply.result.Text, "Finished:") || !d.applyBt.Disabled() {
		t.Fatalf("after the resume: %q, apply enabled %v", d.apply.result.Text, !d.applyBt.Disabled())
	}
}

func TestStoreTabsLoadEverything(t *testing.T) {
	f := newFakeSync()
	f.history = sampleRuns()
	f.schedules = []workspace.ScheduleView{{ID: "s1", Spec: "every 15m", Text: "Every 15 minutes", Enabled: true}}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	ts := buildStoreTabs(f, w, "store-1", nil)
	defer ts.stop()
	ch := newSignals()
	ts.sync.settled, ts.schedule.settled, ts.history.settled = ch.hook, ch.hook, ch.hook
	w.SetContent(container.NewAppTabs(ts.items...))
	ts.load()
	ch.wait(t, "history") // shown last, in the same UI update as the others
	if len(ts.history.runs) != 3 || len(ts.schedule.items) != 1 || len(ts.sync.locations) != 2 {
		t.Fatalf("loaded %d runs, %d schedules, %d locations", len(ts.history.runs), len(ts.schedule.items), len(ts.sync.locations))
	}
	if len(ts.items) != 3 || ts.items[0].Text != "Sync" || ts.items[1].Text != "Schedule" || ts.items[2].Text != "History" {
		t.Fatal("tabs are Sync, Schedule, History")
	}
}

func TestStoreTabsStopCancelsBackgroundWork(t *testing.T) {
	f := newFakeSync()
	f.locBlock = true // the store is slow to answer
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	tabs, stop := storeTabs(f, w, "store-1", nil)
	if len(tabs) != 3 {
		t.Fatalf("%d tabs", len(tabs))
	}
	waitFor(t, f.started, "locations")
	stop() // the user leaves the store
	waitFor(t, f.started, "locations: context canceled")
}

// TestHistoryHeldRunPreviewAgain: from a held run's review, "Preview again"
// plans the run's sheet against the store as it is now; applying that makes
// a new run instead of resuming the held one.
func TestHistoryHeldRunPreviewAgain(t *testing.T) {
	f := newFakeSync()
	f.history = sampleRuns()
	f.heldPlan = heldPlan()
	fresh := samplePlan() // the supplier fixed the sheet: no guard trips now
	f.plan = fresh
	v, _, ch := newTestHistoryView(t, f)
	v.list.Select(0) // run-3: held
	test.Tap(v.resumeBtn)
	ch.wait(t, "resume-plan")
	d := v.dialog
	if d.replan == nil {
		t.Fatal("a held run's review offers no Preview again")
	}
	test.Tap(d.replan)
	ch.wait(t, "replan")
	if len(f.planReqs) != 1 || f.planReqs[0].Source != "catalog.csv" || f.planReqs[0].StoreID != "store-1" {
		t.Fatalf("PlanSync requests %+v", f.planReqs)
	}
	if d.preview.plan != fresh || d.applyBt.Disabled() || !strings.Contains(d.note.Text, "fresh preview") {
		t.Fatalf("after Preview again: plan replaced %v, apply enabled %v, note %q", d.preview.plan == fresh, !d.applyBt.Disabled(), d.note.Text)
	}
	test.Tap(d.applyBt)
	ch.wait(t, "resume-apply")
	ch.wait(t, "history")
	if len(f.resumed) != 0 || len(f.applied) != 1 || f.applied[0].plan != fresh {
		t.Fatalf("resumed %v, applied %+v", f.resumed, f.applied)
	}
}

// heldPlan is a plan a guard stopped: it would zero most of the stock.
func heldPlan() *catalogsync.Plan {
	p := samplePlan()
	p.Guards = []catalogsync.GuardTrip{{Kind: catalogsync.GuardZeroStock, Count: 9, Of: 10,
		Message: "the sheet would set 9 of 10 stocked quantities to zero"}}
	return p
}

// A feed's key in its URL is a secret of sorts (anyone with the link reads
// the sheet): the run detail shows it masked, as the command line does.
func TestHistoryDetailMasksFeedKey(t *testing.T) {
	f := newFakeSync()
	const key = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	runs := sampleRuns()
	runs[0].Source = "https://docs.google.com/spreadsheets/d/" + key + "/edit?token=s3cr3tvalue#gid=0"
	f.history = runs
	v, _, _ := newTestHistoryView(t, f)
	for i, r := range v.runs {
		if r.ID == "run-1" {
			v.onSelected(i)
		}
	}
	got := v.detail.Text
	if strings.Contains(got, key) || strings.Contains(got, "s3cr3tvalue") || !strings.Contains(got, "docs.google.com") {
		t.Fatalf("detail shows the feed's key: %q", got)
	}
}

// TestHistoryDetailSaysRowErrorsOnce: a run that finished with row errors
// says so once in its detail, not again after the counts.
func TestHistoryDetailSaysRowErrorsOnce(t *testing.T) {
	f := newFakeSync()
	runs := sampleRuns()
	runs[0].State, runs[0].Errors, runs[0].Conflicts, runs[0].Created, runs[0].Updated = "finished", 1, 0, 1, 4
	f.history = runs
	v, _, _ := newTestHistoryView(t, f)
	for i, r := range v.runs {
		if r.ID == runs[0].ID {
			v.onSelected(i)
		}
	}
	if got := v.detail.Text; strings.Count(got, "row error") != 1 || !strings.Contains(got, "Finished with 1 row error. 1 created · 4 updated") {
		t.Fatalf("detail %q", got)
	}
}
