package app

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// newTestScheduleView shows store-1's Schedule tab, loaded.
func newTestScheduleView(t *testing.T, f *fakeSync) (*scheduleView, fyne.Window, *signals) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	v := newScheduleView(ctx, f, w, "store-1")
	ch := newSignals()
	v.settled = ch.hook
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1024, 700))
	v.load()
	ch.wait(t, "schedules")
	return v, w, ch
}

func TestScheduleAddChangeRemove(t *testing.T) {
	f := newFakeSync()
	v, w, ch := newTestScheduleView(t, f)

	// Given an empty form, saving is refused with a reason and nothing is sent.
	test.Tap(v.save)
	if len(f.setReqs) != 0 || w.Canvas().Overlays().Top() == nil {
		t.Fatal("an empty schedule was sent, or no error was shown")
	}
	w.Canvas().Overlays().Top().Hide()

	// When the user fills it in and saves, the backend gets exactly that.
	v.source.SetText("/home/me/catalog.csv")
	v.spec.SetText("daily 06:30")
	v.zone.SetText("Europe/Paris")
	test.Tap(v.save)
	ch.wait(t, "schedule-saved")
	ch.wait(t, "schedules")
	want := workspace.ScheduleRequest{StoreID: "store-1", Source: "/home/me/catalog.csv", Spec: "daily 06:30", TimeZone: "Europe/Paris", Enabled: true}
	if len(f.setReqs) != 1 || f.setReqs[0] != want {
		t.Fatalf("requests %+v, want %+v", f.setReqs, want)
	}
	if len(v.items) != 1 || v.items[0].Spec != "daily 06:30" {
		t.Fatalf("list %+v", v.items)
	}

	// Selecting it edits it: the request carries its ID.
	v.list.Select(0)
	ch.wait(t, "schedule-sheet") // the sheet is inspected: is a location needed?
	v.spec.SetText("every 15m")
	test.Tap(v.enabled) // off
	test.Tap(v.save)
	ch.wait(t, "schedule-saved")
	ch.wait(t, "schedules")
	if got := f.setReqs[1]; got.ID != "sched-1" || got.Spec != "every 15m" || got.Enabled {
		t.Fatalf("edit request %+v", got)
	}

	// Remove asks first, then removes that schedule.
	v.list.Select(0)
	ch.wait(t, "schedule-sheet")
	test.Tap(v.remove)
	if v.confirm == nil || len(f.removed) != 0 {
		t.Fatal("Remove did not ask first")
	}
	v.confirm.Confirm()
	ch.wait(t, "schedule-removed")
	ch.wait(t, "schedules")
	if len(f.removed) != 1 || f.removed[0] != "sched-1" || len(v.items) != 0 {
		t.Fatalf("removed %v, left %d", f.removed, len(v.items))
	}
}

func TestScheduleValidators(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"", true}, {"UTC", true}, {"Europe/Paris", true}, {"Mars/Olympus", false}} {
		if err := validateZone(c.in); (err == nil) != c.ok {
			t.Errorf("validateZone(%q) = %v", c.in, err)
		}
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"", false}, {"/a/b.csv", true}, {"/a/b.XLSX", true}, {"/a/b.pdf", false},
		{"https://docs.google.com/spreadsheets/d/x/edit", true}, {"ftp://x/y.csv", false}} {
		if err := validateScheduleSource(c.in); (err == nil) != c.ok {
			t.Errorf("validateScheduleSource(%q) = %v", c.in, err)
		}
	}
}

func TestRunChartBarsAreProportional(t *testing.T) {
	test.NewTempApp(t)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	runs := []workspace.RunSummary{ // newest first, as History returns them
		{Started: t0.Add(2 * time.Hour), Errors: 1, Conflicts: 1},
		{Started: t0.Add(time.Hour), Created: 2, Updated: 3, Errors: 5},
		{Started: t0, Created: 4, Updated: 6},
	}
	chart := newRunChart(runs).(*runChart)
	chart.Resize(fyne.NewSize(120, chartHeight))
	r := test.WidgetRenderer(chart).(*runChartRenderer)
	r.Layout(chart.Size())
	usable := float32(chartHeight - 1)
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) < 0.01 }
	want := []struct{ changes, failures float32 }{{10, 0}, {5, 5}, {0, 2}} // oldest first
	for i, w := range want {
		ch, fl := r.changes[i], r.failures[i]
		if !near(ch.Size().Height, usable*w.changes/10) || !near(fl.Size().Height, usable*w.failures/10) {
			t.Errorf("bar %d: changes %.1f failures %.1f, want %.1f and %.1f", i,
				ch.Size().Height, fl.Size().Height, usable*w.changes/10, usable*w.failures/10)
		}
		if !near(fl.Position().Y+fl.Size().Height, ch.Position().Y) {
			t.Errorf("bar %d: failures are not stacked on the changes", i)
		}
		if !near(ch.Position().Y+ch.Size().Height, usable) {
			t.Errorf("bar %d does not stand on the baseline", i)
		}
	}
	if r.failures[1].FillColor == r.changes[1].FillColor {
		t.Error("failures must be drawn in their own (error) colour")
	}
	if !(r.changes[0].Position().X < r.changes[1].Position().X && r.changes[1].Position().X < r.changes[2].Position().X) {
		t.Error("bars are not in time order")
	}
	if got := r.MinSize().Height; got != chartHeight {
		t.Errorf("height %v, want the fixed %v", got, chartHeight)
	}
	var _ *canvas.Rectangle = r.base
}

func TestScheduleEmptyStateExplains(t *testing.T) {
	f := newFakeSync()
	v, _, ch := newTestScheduleView(t, f)
	if v.empty.Hidden || !strings.Contains(v.empty.Text, "No schedules yet") {
		t.Fatalf("empty state hidden %v: %q", v.empty.Hidden, v.empty.Text)
	}
	f.mu.Lock()
	f.schedules = []workspace.ScheduleView{{ID: "s1", Spec: "every 15m", Text: "Every 15 minutes", Enabled: true}}
	f.mu.Unlock()
	v.load()
	ch.wait(t, "schedules")
	if !v.empty.Hidden {
		t.Fatal("the empty state stays over a schedule")
	}
}

// TestScheduleSaveConfirmsAndClears: saving says what was saved, empties
// the form, sends the chosen location and tells the window (the dashboard
// refreshes); the time zone comes from a list.
func TestScheduleSaveConfirmsAndClears(t *testing.T) {
	f := newFakeSync()
	v, _, ch := newTestScheduleView(t, f)
	changed := make(chan struct{}, 1)
	v.onChanged = func() { changed <- struct{}{} }
	if len(zoneChoices()) < 5 || v.location.Hidden {
		t.Fatalf("zones %v, location hidden %v", zoneChoices(), v.location.Hidden)
	}
	v.source.SetText("catalog.csv")
	v.spec.SetText("every day at 6")
	v.location.SetSelected(v.location.Options[1])
	test.Tap(v.save)
	ch.wait(t, "schedule-saved")
	ch.wait(t, "schedules") // the reload after the save
	select {
	case <-changed: // the window is told after the reload
	case <-time.After(10 * time.Second):
		t.Fatal("the window was not told of the new schedule")
	}
	f.mu.Lock()
	req := f.setReqs[0]
	f.mu.Unlock()
	if req.LocationID == "" || req.LocationID != v.locIDs[v.location.Options[1]] {
		t.Fatalf("location sent %q", req.LocationID)
	}
	if v.saved.Hidden || !strings.HasPrefix(v.saved.Text, "Schedule added") {
		t.Fatalf("no confirmation: %q", v.saved.Text)
	}
	if v.source.Text != "" || v.spec.Text != "" {
		t.Fatalf("form not cleared (%q, %q)", v.source.Text, v.spec.Text)
	}
}

// TestScheduleOffersTheSheetJustChosen: after a sheet is chosen in the Sync
// tab (the demo sheet, whose path nobody knows by heart), a new schedule's
// Sheet is filled with it; a sheet typed there, or a schedule being edited,
// is left alone.
func TestScheduleOffersTheSheetJustChosen(t *testing.T) {
	f := newFakeSync()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	ts := buildStoreTabs(f, w, "store-1", nil)
	defer ts.stop()
	ch := newSignals()
	ts.sync.settled, ts.schedule.settled, ts.history.settled = ch.hook, ch.hook, ch.hook
	w.SetContent(container.NewAppTabs(ts.items...))
	ts.load()
	ch.wait(t, "history")
	ts.sync.setSource("/home/me/catalog.csv")
	ch.wait(t, "sheet")
	if got := ts.schedule.source.Text; got != "/home/me/catalog.csv" {
		t.Fatalf("the schedule's sheet is %q", got)
	}
	ts.schedule.source.SetText("/data/supplier.xlsx")
	ts.sync.setSource("/home/me/other.csv")
	ch.wait(t, "sheet")
	if got := ts.schedule.source.Text; got != "/data/supplier.xlsx" {
		t.Fatalf("a typed sheet was replaced by %q", got)
	}
}

// TestScheduleSheetThatNamesItsLocationsHidesThePicker: as in the Sync tab,
// a schedule of Shopify's inventory CSV (a Location column) or of a sheet
// with a quantity column per location is not asked a location in a store
// with several: the form says in one line where the quantities go, and the
// schedule is saved without the location it had. A single quantity column,
// or a sheet that can't be read, keeps the picker and the location picked.
func TestScheduleSheetThatNamesItsLocationsHidesThePicker(t *testing.T) {
	for _, c := range sheetsThatNameTheirLocations {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeSync()
			f.mapping, _ = json.Marshal(source.Detect(c.header))
			f.schedules = []workspace.ScheduleView{{ID: "s1", Source: "/home/me/stock.csv", Spec: "every 15m", Text: "Every 15 minutes",
				Enabled: true, LocationID: f.locations[0].ID}} // saved before the sheet said where its stock goes
			v, w, ch := newTestScheduleView(t, f)
			if !v.location.Visible() {
				t.Fatal("no picker before a sheet is chosen, in a store with two locations")
			}
			v.list.Select(0)
			ch.wait(t, "schedule-sheet")
			assertStockSaid(t, v, c.say)
			savePNG(t, w, "schedule-stock-"+strings.ReplaceAll(c.name, " ", "-")+".png")
			test.Tap(v.save)
			ch.wait(t, "schedule-saved")
			ch.wait(t, "schedules")
			if len(f.setReqs) != 1 || f.setReqs[0].ID != "s1" || f.setReqs[0].LocationID != "" {
				t.Fatalf("saved %+v: a location went with a sheet that names its own", f.setReqs)
			}
		})
	}

	f := newFakeSync()
	f.schedules = []workspace.ScheduleView{{ID: "s1", Source: "/home/me/catalog.csv", Spec: "hourly", Enabled: true},
		{ID: "s2", Source: "/home/me/inventory_export.csv", Spec: "hourly", Enabled: true},
		{ID: "s3", Source: "/home/me/gone.csv", Spec: "hourly", Enabled: true}}
	v, _, ch := newTestScheduleView(t, f)
	v.list.Select(0) // a single quantity column (the fake's default mapping)
	ch.wait(t, "schedule-sheet")
	assertPickerOffered(t, v, "a single quantity column")
	f.mu.Lock()
	f.mapping, _ = json.Marshal(source.Detect([]string{"SKU", "Location", "Available"}))
	f.mu.Unlock()
	v.list.Select(1)
	ch.wait(t, "schedule-sheet")
	assertStockSaid(t, v, "Quantities go to the location named on each row.")
	f.mu.Lock()
	f.columnsErr = errors.New("the file is gone")
	f.mu.Unlock()
	v.list.Select(2)
	ch.wait(t, "schedule-sheet")
	assertPickerOffered(t, v, "a sheet that can't be read")
	v.location.SetSelected("Shop floor")
	test.Tap(v.save)
	ch.wait(t, "schedule-saved")
	ch.wait(t, "schedules")
	if r := f.setReqs[0]; r.ID != "s3" || r.LocationID != f.locations[1].ID {
		t.Fatalf("saved %+v: the location picked is not", r)
	}
	if r := f.inspected[len(f.inspected)-1]; r.StoreID != "store-1" || r.Source != "/home/me/gone.csv" {
		t.Fatalf("inspected %+v", r)
	}
}

// TestScheduleTabAsksAboutTheSheetOffered: the sheet the Sync tab offers a
// new schedule is inspected when the Schedule tab is shown (not beside the
// Sync tab's own inspection); Shopify's inventory CSV then needs no location.
func TestScheduleTabAsksAboutTheSheetOffered(t *testing.T) {
	b := newFakeBackend()
	b.mapping, _ = json.Marshal(source.Detect([]string{"SKU", "Location", "Available"}))
	s := b.add("alpha", "")
	b.status[s.ID] = workspace.TokenStatus{StoreID: s.ID, Shop: s.Shop, Health: workspace.HealthHealthy}
	m, w := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	m.tabs.sync.setSource("/home/me/inventory_export.csv")
	wait(t, b, "sheet")
	sv := m.tabs.schedule
	if sv.source.Text != "/home/me/inventory_export.csv" {
		t.Fatalf("the schedule's sheet is %q", sv.source.Text)
	}
	m.storeTabs.Select(m.tabs.scheduleTab)
	wait(t, b, "schedule-sheet")
	assertStockSaid(t, sv, "Quantities go to the location named on each row.")
	savePNG(t, w, "schedule-tab-inventory-csv.png")
	sv.spec.SetText("daily 06:30")
	test.Tap(sv.save)
	wait(t, b, "stores") // saved, and the window reloaded the stores: nothing is left running
	b.fakeSync.mu.Lock()
	defer b.fakeSync.mu.Unlock()
	if len(b.setReqs) != 1 || b.setReqs[0].LocationID != "" {
		t.Fatalf("saved %+v", b.setReqs)
	}
}

// assertStockSaid: the form says where the quantities go, without a picker.
func assertStockSaid(t *testing.T, v *scheduleView, say string) {
	t.Helper()
	if v.location.Visible() {
		t.Error("the location picker is offered though the sheet says where its quantities go")
	}
	if !v.stockNote.Visible() || v.stockNote.Text != say || v.stockItem.Text != stockSaysText {
		t.Errorf("the form says %q: %q (visible %v), want %q", v.stockItem.Text, v.stockNote.Text, v.stockNote.Visible(), say)
	}
}

// assertPickerOffered: the form asks for the location, as before.
func assertPickerOffered(t *testing.T, v *scheduleView, sheet string) {
	t.Helper()
	if !v.location.Visible() || v.stockNote.Visible() || v.stockItem.Text != stockPickText {
		t.Errorf("%s: picker %v, note %v, row %q", sheet, v.location.Visible(), v.stockNote.Visible(), v.stockItem.Text)
	}
}
