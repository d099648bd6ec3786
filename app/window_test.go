package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

func newTestWindow(t *testing.T, b *fakeBackend) (*mainWindow, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, b, "9.9.9")
	m.settled = func(what string) { b.ui <- what }
	m.clockTick = 0
	w.SetContent(m.build())
	w.Resize(fyne.NewSize(1024, 700))
	m.start()
	wait(t, b, "stores")
	return m, w
}

// wait blocks until the window has finished the background work named what
// (its widgets are updated and nothing else touches them).
func wait(t *testing.T, b *fakeBackend, what string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-b.ui:
			if got == what {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitAll is wait for several events that may come in any order.
func waitAll(t *testing.T, b *fakeBackend, whats ...string) {
	t.Helper()
	left := map[string]bool{}
	for _, w := range whats {
		left[w] = true
	}
	deadline := time.After(10 * time.Second)
	for len(left) > 0 {
		select {
		case got := <-b.ui:
			delete(left, got)
		case <-deadline:
			t.Fatalf("timed out waiting for %v", left)
		}
	}
}

func TestEmptyStateOffersConnectAndDemo(t *testing.T) {
	m, _ := newTestWindow(t, newFakeBackend())
	if m.body.Objects[0] != m.emptyState {
		t.Fatal("with no stores the window must show the empty state")
	}
	if m.connectButton.Text != "Connect a store" || m.demoButton.Text != "Try the demo store" {
		t.Fatalf("buttons: %q, %q", m.connectButton.Text, m.demoButton.Text)
	}
}

func TestTryDemoConnectsAndShowsTheStore(t *testing.T) {
	b := newFakeBackend()
	m, _ := newTestWindow(t, b)
	test.Tap(m.demoButton)
	waitAll(t, b, "demo", "stores", "store") // the new store is opened; "store" may come first
	if m.body.Objects[0] != m.split {
		t.Fatal("after the demo connects, the store list must replace the empty state")
	}
	if len(m.stores.rows) != 1 || m.stores.rows[0].store.Name != "Shelfsync Demo" {
		t.Fatalf("store list rows: %+v", m.stores.rows)
	}
}

func TestStoresAreGroupedByClient(t *testing.T) {
	b := newFakeBackend()
	b.add("zeta", "")
	b.add("beta", "Acme")
	b.add("alpha", "Acme")
	b.add("gamma", "Bolt")
	m, _ := newTestWindow(t, b)
	var got []string
	for _, r := range m.stores.rows {
		if r.header != "" {
			got = append(got, "["+r.header+"]")
		} else {
			got = append(got, r.store.Name)
		}
	}
	want := "zeta [Acme] alpha beta [Bolt] gamma"
	if strings.Join(got, " ") != want {
		t.Fatalf("rows = %v, want %s", got, want)
	}
}

func TestStatusPanelShowsTokenAndChecksNow(t *testing.T) {
	b := newFakeBackend()
	s := b.add("alpha", "")
	b.status[s.ID] = workspace.TokenStatus{
		StoreID: s.ID, Shop: s.Shop, ShopName: "Alpha Goods", Plan: "Grow",
		KindLabel: "OAuth, expiring (refreshed)", MaskedToken: "shpat_****cafe", Renews: true,
		ExpiresAt: time.Now().Add(50 * time.Minute), Granted: []string{"read_products"},
		Needed: []string{"read_products", "write_products"}, Missing: []string{"write_products"},
		Health: workspace.HealthAttention, Title: "Missing permissions", Fix: "Reconnect and approve write_products.",
	}
	m, _ := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	v := m.status
	if v.title.Text != "Missing permissions" || !strings.Contains(v.missing.Text, "write_products") {
		t.Fatalf("title %q, missing %q", v.title.Text, v.missing.Text)
	}
	if !strings.Contains(v.token.Text, "shpat_****cafe") || !strings.Contains(v.shop.Text, "Alpha Goods") {
		t.Fatalf("token %q shop %q", v.token.Text, v.shop.Text)
	}
	exp, _ := v.expires.Get()
	if !strings.HasPrefix(exp, "in 49 min") && !strings.HasPrefix(exp, "in 50 min") {
		t.Fatalf("countdown = %q", exp)
	}
	test.Tap(v.checkNow)
	wait(t, b, "status")
	wait(t, b, "stores") // a check reloads the store list
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.checks != 1 {
		t.Fatalf("Check now made %d checks", b.checks)
	}
}

// tapButton finds the button labelled text under o (a dialog on the
// overlay, say) and taps it, as a user would.
func tapButton(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
				return
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no %q button", text)
	}
	test.Tap(found)
}

func TestSwitchToExpiringToken(t *testing.T) {
	b := newFakeBackend()
	s := b.add("alpha", "")
	b.status[s.ID] = workspace.TokenStatus{
		StoreID: s.ID, Shop: s.Shop, KindLabel: "OAuth, non-expiring", MaskedToken: "shpat_****cafe",
		CanSwitch: true, Health: workspace.HealthHealthy, Title: "Connected",
		Fix: "Shopify stops accepting non-expiring tokens of public apps on 1 January 2027.",
	}
	m, w := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	v := m.status
	if v.switchTok.Hidden || v.kind.Text != "OAuth, non-expiring" {
		t.Fatalf("switch button hidden %v, kind %q", v.switchTok.Hidden, v.kind.Text)
	}
	test.Tap(v.switchTok)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation before an irreversible switch")
	}
	tapButton(t, top, "No")
	if len(b.switched) != 0 {
		t.Fatal("switched although the user said No")
	}
	test.Tap(v.switchTok)
	tapButton(t, w.Canvas().Overlays().Top(), "Yes")
	wait(t, b, "switch")
	wait(t, b, "stores") // a switch reloads the store list
	if len(b.switched) != 1 || !v.switchTok.Hidden || !strings.Contains(v.kind.Text, "renewed by Shelfsync") {
		t.Fatalf("after the switch: calls %v, button hidden %v, kind %q", b.switched, v.switchTok.Hidden, v.kind.Text)
	}
}

// TestOpeningHistoryClearsTheRedMark: selecting a store loads its history
// without counting as "seen"; opening the History tab does, and reloads the
// store list so the red mark goes.
func TestOpeningHistoryClearsTheRedMark(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "")
	m, _ := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	if len(b.seen) != 0 {
		t.Fatalf("opening the store marked its history seen: %v", b.seen)
	}
	m.storeTabs.Select(m.tabs.historyTab)
	wait(t, b, "stores")
	b.fakeSync.mu.Lock()
	defer b.fakeSync.mu.Unlock()
	if len(b.seen) != 1 || b.seen[0] != "id-1" {
		t.Fatalf("SeenHistory calls %v", b.seen)
	}
}

func TestAboutShowsVersion(t *testing.T) {
	m, w := newTestWindow(t, newFakeBackend())
	m.onAbout()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("About did not open a dialog")
	}
	if !hasLabel(top, "Shelfsync 9.9.9") {
		t.Fatal("About does not show the version")
	}
}

// hasLabel reports whether a label under o contains part.
func hasLabel(o fyne.CanvasObject, part string) bool {
	found := false
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, part) {
			found = true
		}
	})
	return found
}

// walk visits every object under o, descending into containers and widgets.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, visit)
		}
	}
}

// TestRunEventNotifications: a failed scheduled run is announced on the
// desktop; a slot skipped for a token problem already told is not, so a
// store needing reconnection does not notify every 15 minutes.
func TestRunEventNotifications(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "")
	m, w := newTestWindow(t, b)
	bg := &background{app: m.app, win: w, backend: b, main: m}
	failed := workspace.RunEvent{StoreID: "id-1", StoreName: "alpha", Err: errors.New("alpha: Reconnect needed")}
	test.AssertNotificationSent(t, fyne.NewNotification("Shelfsync: sync failed", "alpha: alpha: Reconnect needed"), func() {
		bg.onRunEvent(failed)
		wait(t, b, "stores")
	})
	failed.AlreadyTold = true
	test.AssertNotificationSent(t, nil, func() {
		bg.onRunEvent(failed)
		wait(t, b, "stores")
	})
}

// TestTokenCheckTellsNewlyBrokenStores: the periodic token check announces a
// store whose token just stopped working, and nothing when all is well.
func TestTokenCheckTellsNewlyBrokenStores(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "")
	m, w := newTestWindow(t, b)
	bg := &background{app: m.app, win: w, backend: b, main: m}
	b.checked = []workspace.CheckResult{{StoreID: "id-1", StoreName: "alpha",
		Status: workspace.TokenStatus{Title: "Reconnect needed", Fix: "Connect the store again."}, Newly: true}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	test.AssertNotificationSent(t, fyne.NewNotification("Shelfsync: a store needs you",
		"alpha: Reconnect needed. Connect the store again."), func() {
		go bg.keepTokensAlive(ctx, 0, time.Hour)
		wait(t, b, "stores")
	})
	b.mu.Lock()
	b.checked[0].Newly = false
	b.mu.Unlock()
	test.AssertNotificationSent(t, nil, func() {
		bg.onChecked(b.checked)
		wait(t, b, "stores")
	})
}

// TestDashboardRunsOneClientsSchedules: with agency clients, the dashboard
// offers "All stores" and each client, and runs only the one picked.
func TestDashboardRunsOneClientsSchedules(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "Acme Ltd")
	b.add("beta", "Bolt & Co")
	b.add("gamma", "")
	m, _ := newTestWindow(t, b)
	d := m.dashboard
	if d.which.Hidden || strings.Join(d.which.Options, "|") != "All stores|Acme Ltd|Bolt & Co" {
		t.Fatalf("choices hidden %v: %v", d.which.Hidden, d.which.Options)
	}
	d.which.SetSelected("Bolt & Co")
	test.Tap(d.runAll)
	wait(t, b, "runall")
	wait(t, b, "stores") // the run reloads the store list
	d.which.SetSelected(allStores)
	test.Tap(d.runAll)
	wait(t, b, "runall")
	wait(t, b, "stores")
	b.mu.Lock()
	defer b.mu.Unlock()
	if strings.Join(b.ranGroups, "|") != "Bolt & Co|" {
		t.Fatalf("RunAllNow groups %q", b.ranGroups)
	}
}
