package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// TestWalkFreshStartToSchedule is a merchant's first minutes, timed, through
// the real window, the real workspace and the simulated demo store: a fresh
// start, Try the demo store, preview the demo sheet, apply it, add a
// schedule with an everyday phrase. No step may end in a dead end (an error
// dialog, a disabled button, a red store for row errors).
//
// Re-run and read the times: go test ./app -run TestWalkFreshStartToSchedule -v
func TestWalkFreshStartToSchedule(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulated store")
	}
	ws, err := workspace.Open(workspace.Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, ws, "walk")
	ch := newSignals()
	m.settled = ch.hook
	m.clockTick = 0
	w.SetContent(m.build())
	w.Resize(fyne.NewSize(1100, 720))
	start := time.Now()
	last := start
	step := func(name string) {
		now := time.Now()
		t.Logf("%-28s %6.0f ms (total %6.0f ms)", name, float64(now.Sub(last).Microseconds())/1000, float64(now.Sub(start).Microseconds())/1000)
		last = now
		if top := w.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("after %s a dialog is open (a dead end?)", name)
		}
	}
	m.start()
	ch.wait(t, "stores")
	if m.body.Objects[0] != m.emptyState {
		t.Fatal("a fresh start does not show the empty state")
	}
	step("fresh start")

	test.Tap(m.demoButton)
	ch.wait(t, "demo")
	ch.wait(t, "stores")
	ch.wait(t, "store")
	step("demo store connected")

	v := m.tabs.sync
	v.settled = ch.hook
	m.tabs.schedule.settled = ch.hook
	m.tabs.history.settled = ch.hook
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	v.location.SetSelected("Main warehouse")
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if v.plan == nil || v.applyBtn.Disabled() {
		t.Fatalf("preview: %q", v.planStatus.Text)
	}
	step("preview")

	test.Tap(v.applyBtn)
	ch.wait(t, "apply")
	ch.wait(t, "history")
	ch.wait(t, "stores") // the window reloads the store list after a run
	if !strings.HasPrefix(v.apply.result.Text, "Finished") {
		t.Fatalf("apply: %q", v.apply.result.Text)
	}
	step("apply")

	sv := m.tabs.schedule
	sv.source.SetText(v.source)
	sv.spec.SetText("every day at 6")
	sv.location.SetSelected("Main warehouse")
	test.Tap(sv.save)
	ch.wait(t, "schedule-saved")
	ch.wait(t, "schedules")
	ch.wait(t, "stores") // the dashboard reloads
	if !strings.HasPrefix(sv.saved.Text, "Schedule added") {
		t.Fatalf("schedule: %q", sv.saved.Text)
	}
	step("schedule added")

	stores, err := ws.Stores(t.Context())
	if err != nil || len(stores) != 1 || stores[0].NextRun.IsZero() || stores[0].Health == workspace.HealthAttention {
		t.Fatalf("after the walk: %+v, %v", stores, err)
	}
	t.Logf("walk total: %.1f s", time.Since(start).Seconds())
}
