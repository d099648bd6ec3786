package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// The real workspace must keep the contract the tabs are written against.
var _ SyncBackend = (*workspace.Workspace)(nil)

// demoStoreTabs shows the simulated demo store's tabs, on the real
// workspace, in a test window, once they have loaded.
func demoStoreTabs(t *testing.T) (*workspace.Workspace, *storeTabSet, fyne.Window, *signals) {
	t.Helper()
	ws, err := workspace.Open(workspace.Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	store, err := ws.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
	w := test.NewTempWindow(t, nil)
	ts := buildStoreTabs(ws, w, store.ID, nil)
	t.Cleanup(ts.stop)
	ch := newSignals()
	ts.sync.settled, ts.schedule.settled, ts.history.settled = ch.hook, ch.hook, ch.hook
	w.SetContent(ts.sync.content)
	w.Resize(fyne.NewSize(760, 640)) // the tab's share of a 1024×700 window
	ts.load()
	ch.wait(t, "history")
	return ws, ts, w, ch
}

// TestDemoStoreThroughTheTabs drives the Sync and History tabs against the
// real workspace and the simulated demo store on 127.0.0.1: preview the demo
// sheet, apply it, find the run in History and undo it.
func TestDemoStoreThroughTheTabs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulated store")
	}
	ws, ts, w, ch := demoStoreTabs(t)
	v := ts.sync
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// Preview: the demo store has several locations, so one must be chosen.
	if len(v.locations) > 1 && v.location.Selected != "" {
		t.Fatalf("a location was chosen for the user: %q", v.location.Selected)
	}
	v.location.SetSelected("Main warehouse")
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if v.plan == nil {
		t.Fatalf("no plan: %q", v.planStatus.Text)
	}
	// The demo sheet has one deliberate mistake (row 22's price "twenty"):
	// one error, not one each for its cell, its variant and its product.
	if !strings.Contains(v.preview.counts.Text, "Creates 1") || !strings.Contains(v.preview.counts.Text, "Errors 1") {
		t.Errorf("counts %q", v.preview.counts.Text)
	}
	v.preview.filterSel.SetSelected(filterErrors)
	if len(v.preview.rows) == 0 {
		t.Fatal("the demo sheet's bad row is not under Errors")
	}
	v.preview.list.Select(0)
	if !strings.Contains(v.preview.detail.Text, "row ") {
		t.Errorf("the error does not say where it is: %q", v.preview.detail.Text)
	}
	v.preview.filterSel.SetSelected(filterUpdates)
	v.preview.list.Select(0)
	if !strings.Contains(v.preview.detail.Text, "→") {
		t.Errorf("an update shows no change: %q", v.preview.detail.Text)
	}
	if dir := os.Getenv("SHELFSYNC_ARTIFACTS"); dir != "" {
		capture(t, w, filepath.Join(dir, "sync-demo-store.png"))
	}

	// Apply, then the run is in History.
	test.Tap(v.applyBtn)
	ch.wait(t, "apply")
	ch.wait(t, "history") // the reload the run started; read nothing before it is done
	if !strings.Contains(v.apply.result.Text, "created") || !strings.Contains(v.apply.result.Text, "1 row error") {
		t.Fatalf("result %q", v.apply.result.Text)
	}
	h := ts.history
	if len(h.runs) == 0 || h.runs[0].Kind != "sync" {
		t.Fatalf("history %+v", h.runs)
	}
	// The same words on the dashboard, History and the card; the dashboard's
	// Connection column speaks of the token, the run column of the run.
	if got := runCounts(h.runs[0]); !strings.HasPrefix(got, "Finished with 1 row error") {
		t.Errorf("History line %q", got)
	}
	stores, err := ws.Stores(ctx)
	if err != nil || len(stores) != 1 {
		t.Fatalf("stores %+v, %v", stores, err)
	}
	if stores[0].HealthText != "Last run finished with 1 row error" {
		t.Errorf("card %q", stores[0].HealthText)
	}
	d := newDashboardView(func(string) {}, func(string) {})
	d.setStores(stores)
	cols := dashboardColumns(t, d)
	if cols[1] != "Connected · token renews itself" || !strings.Contains(cols[2], "Finished with 1 row error") {
		t.Errorf("dashboard columns %q", cols)
	}

	// Undo it from History.
	h.list.Select(0)
	test.Tap(h.undoBtn)
	ch.wait(t, "undo-plan")
	if h.dialog == nil || h.dialog.plan == nil || !h.dialog.plan.HasChanges() {
		t.Fatal("Undo showed no plan to apply")
	}
	test.Tap(h.dialog.applyBt)
	ch.wait(t, "undo-apply")
	ch.wait(t, "history")
	if !strings.Contains(h.dialog.apply.result.Text, "updated") || len(h.runs) < 2 || h.runs[0].Kind != "undo" {
		t.Fatalf("undo result %q, history %+v", h.dialog.apply.result.Text, h.runs)
	}
}
