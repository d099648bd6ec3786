package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func newTestSyncView(t *testing.T, f *fakeSync) (*syncView, *signals, *int) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	changed := new(int)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	v := newSyncView(ctx, f, w, "store-1", func() { *changed++ })
	ch := newSignals()
	v.settled = ch.hook
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1024, 700))
	v.loadLocations()
	ch.wait(t, "locations")
	return v, ch, changed
}

// previewed runs a preview of the demo sheet at the first location.
func previewed(t *testing.T, v *syncView, ch *signals) {
	t.Helper()
	v.location.SetSelectedIndex(0)
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
}

func TestPreviewShowsCountsAndFilters(t *testing.T) {
	test.NewTempApp(t)
	v := newPreviewView()
	v.setPlan(samplePlan())
	for _, want := range []string{"Creates 1", "Updates 1", "Errors 2"} {
		if !strings.Contains(v.counts.Text, want) {
			t.Errorf("counts %q lack %q", v.counts.Text, want)
		}
	}
	if !v.guardBox.Hidden {
		t.Error("a plan without guard trips shows the guard box")
	}
	cases := []struct {
		filter string
		want   []string
	}{
		{filterAll, []string{`row 20, column "Handle"`, "ocean-blue-shirt", "classic-tee", "plain-mug", "broken-hat"}},
		{filterCreates, []string{"ocean-blue-shirt"}},
		{filterUpdates, []string{"classic-tee"}},
		{filterErrors, []string{`row 20, column "Handle"`, "broken-hat"}},
		{filterUnchanged, []string{"plain-mug"}},
	}
	for _, c := range cases {
		v.filterSel.SetSelected(c.filter)
		var got []string
		for _, r := range v.rows {
			got = append(got, strings.SplitN(r.title(), " · ", 2)[0])
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("filter %s: rows %v, want %v", c.filter, got, c.want)
		}
	}
}

func TestPreviewShowsFieldDiffsOfAnUpdate(t *testing.T) {
	test.NewTempApp(t)
	v := newPreviewView()
	v.setPlan(samplePlan())
	v.filterSel.SetSelected(filterUpdates)
	v.list.Select(0)
	for _, want := range []string{"classic-tee (update)", "title: Tee → Classic Tee", "Variant TEE-1 (update)",
		"price: 19.90 → 21.00", "available at Main warehouse: 4 → 7"} {
		if !strings.Contains(v.detail.Text, want) {
			t.Errorf("detail lacks %q:\n%s", want, v.detail.Text)
		}
	}
	v.filterSel.SetSelected(filterCreates)
	v.list.Select(0)
	for _, want := range []string{"New product", "vendor: Ocean Co", "SKU: OBS-M", "price: 39.00", "available at Main warehouse: 12"} {
		if !strings.Contains(v.detail.Text, want) {
			t.Errorf("create detail lacks %q:\n%s", want, v.detail.Text)
		}
	}
}

func TestPreviewErrorRowShowsItsCell(t *testing.T) {
	test.NewTempApp(t)
	v := newPreviewView()
	v.setPlan(samplePlan())
	v.filterSel.SetSelected(filterErrors)
	v.list.Select(1)
	if want := `row 12, column "Variant Price": not a price: "abc"`; !strings.Contains(v.detail.Text, want) {
		t.Errorf("detail lacks %q:\n%s", want, v.detail.Text)
	}
	v.list.Select(0)
	if want := `row 20, column "Handle"`; !strings.Contains(v.detail.Text, want) || !strings.Contains(v.detail.Text, "the handle is empty") {
		t.Errorf("source error detail %q", v.detail.Text)
	}
}

func TestPreviewNeedsALocationWhenTheStoreHasSeveral(t *testing.T) {
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	if v.location.Selected != "" {
		t.Fatalf("with two locations the picker chose %q by itself", v.location.Selected)
	}
	test.Tap(v.demo)
	if v.source != f.demo {
		t.Fatalf("source = %q", v.source)
	}
	ch.wait(t, "sheet") // its single quantity column names no location
	test.Tap(v.previewBtn)
	if len(f.planReqs) != 0 || !strings.Contains(v.planStatus.Text, "Choose the location") {
		t.Fatalf("preview ran without a location: %d requests, status %q", len(f.planReqs), v.planStatus.Text)
	}
	v.location.SetSelected("Shop floor")
	test.Tap(v.archive)
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	req := f.planReqs[0]
	want := workspace.SyncRequest{StoreID: "store-1", Source: f.demo, LocationID: "gid://shopify/Location/2", Missing: "archive", Trigger: "manual"}
	if req.StoreID != want.StoreID || req.Source != want.Source || req.LocationID != want.LocationID || req.Missing != want.Missing || req.Trigger != want.Trigger {
		t.Fatalf("request %+v, want %+v", req, want)
	}
	if v.preview.plan == nil || v.applyBtn.Disabled() {
		t.Fatal("after a preview with changes, Apply must be enabled")
	}
}

func TestSingleLocationIsChosenAndFilesAreChecked(t *testing.T) {
	f := newFakeSync()
	f.locations = f.locations[:1]
	v, ch, _ := newTestSyncView(t, f)
	if v.location.Selected != "Main warehouse" {
		t.Fatalf("the only location was not chosen: %q", v.location.Selected)
	}
	v.onDropped(fyne.NewPos(1, 1), []fyne.URI{storage.NewFileURI("/tmp/stock.xlsx")})
	if v.source != "/tmp/stock.xlsx" {
		t.Fatalf("dropped file not taken: %q", v.source)
	}
	ch.wait(t, "sheet")
	v.onDropped(fyne.NewPos(1, 1), []fyne.URI{storage.NewFileURI("/tmp/photo.png")})
	if v.source != "/tmp/stock.xlsx" {
		t.Fatalf("a PNG replaced the sheet: %q", v.source)
	}
	if v.win.Canvas().Overlays().Top() == nil {
		t.Fatal("dropping a PNG showed no error")
	}
	v.url.SetText("http://example.com/sheet.csv")
	if v.url.Validate() == nil {
		t.Fatal("an http link passed validation")
	}
	v.url.SetText("https://docs.google.com/spreadsheets/d/abc/edit#gid=0")
	test.Tap(v.useURL)
	ch.wait(t, "sheet")
	if v.source != v.url.Text {
		t.Fatalf("link not taken: %q", v.source)
	}
}

// TestPastedFilePathIsTheFile: a file's path pasted where a link goes (as a
// file manager copies it, quoted or as file://) is taken as that file, not
// refused as "not a link".
func TestPastedFilePathIsTheFile(t *testing.T) {
	v, ch, _ := newTestSyncView(t, newFakeSync())
	for text, want := range map[string]string{
		"/home/me/catalog.csv":                "/home/me/catalog.csv",
		`"/home/me/my stock.xlsx"`:            "/home/me/my stock.xlsx",
		"file:///home/me/supplier%20list.csv": "/home/me/supplier list.csv",
	} {
		v.url.SetText(text)
		if err := v.url.Validate(); err != nil {
			t.Errorf("%s marked wrong: %v", text, err)
		}
		test.Tap(v.useURL)
		ch.wait(t, "sheet")
		if v.source != want || v.win.Canvas().Overlays().Top() != nil {
			t.Fatalf("%s: sheet %q, error shown: %v", text, v.source, v.win.Canvas().Overlays().Top() != nil)
		}
	}
	v.url.SetText("/home/me/photo.png")
	test.Tap(v.useURL)
	if v.source == "/home/me/photo.png" || v.win.Canvas().Overlays().Top() == nil {
		t.Fatal("a pasted picture's path was taken as a sheet")
	}
}

func TestGuardTripBlocksApplyUntilConfirmed(t *testing.T) {
	f := newFakeSync()
	f.plan.Guards = []catalogsync.GuardTrip{{Kind: catalogsync.GuardZeroStock, Count: 9, Of: 10,
		Message: "the sheet would set 9 of 10 stocked quantities to zero"}}
	v, ch, _ := newTestSyncView(t, f)
	previewed(t, v, ch)
	if v.preview.guardBox.Hidden || !strings.Contains(v.preview.guards.Text, "9 of 10 stocked quantities") {
		t.Fatalf("guard not shown: %q", v.preview.guards.Text)
	}
	if !v.applyBtn.Disabled() {
		t.Fatal("Apply is enabled before the guard is confirmed")
	}
	test.Tap(v.applyBtn)
	if len(f.applied) != 0 {
		t.Fatal("Apply ran without confirmation")
	}
	c := v.preview.confirm
	test.TapAt(c, fyne.NewPos(c.MinSize().Width/2, c.Size().Height/2)) // where a user taps: on the box
	if v.applyBtn.Disabled() {
		t.Fatal("Apply stays disabled after the guard is confirmed")
	}
	test.Tap(v.applyBtn)
	ch.wait(t, "apply")
	if len(f.applied) != 1 || !f.applied[0].confirm {
		t.Fatalf("apply calls %+v", f.applied)
	}
}

func TestApplyShowsProgressAndSummary(t *testing.T) {
	f := newFakeSync()
	v, ch, changed := newTestSyncView(t, f)
	previewed(t, v, ch)
	if v.applyBtn.Text != "Apply 4 changes" {
		t.Fatalf("apply button %q", v.applyBtn.Text)
	}
	test.Tap(v.applyBtn)
	ch.wait(t, "apply")
	frac, _ := v.apply.feed.fraction.Get()
	text, _ := v.apply.feed.text.Get()
	if frac != 1 || !strings.HasPrefix(text, "Variants: 5 of 5") {
		t.Fatalf("progress %.2f %q", frac, text)
	}
	if !strings.Contains(v.apply.result.Text, "Finished: 3 created, 5 updated") || v.apply.result.Hidden {
		t.Fatalf("summary %q", v.apply.result.Text)
	}
	if *changed != 1 {
		t.Fatalf("onChanged called %d times", *changed)
	}
	if !v.applyBtn.Disabled() || v.plan != nil {
		t.Fatal("an applied plan can be applied again")
	}
}

func TestCancelCancelsApply(t *testing.T) {
	f := newFakeSync()
	f.applyBlock = true
	v, ch, _ := newTestSyncView(t, f)
	previewed(t, v, ch)
	test.Tap(v.applyBtn)
	waitFor(t, f.started, "apply")
	if v.apply.running.Hidden || !v.applyBtn.Disabled() || !v.previewBtn.Disabled() {
		t.Fatal("while a run goes on, the progress shows and Apply and Preview are disabled")
	}
	test.Tap(v.apply.cancel)
	ch.wait(t, "apply")
	if len(f.applied) != 1 || !errors.Is(f.applied[0].ctxErr, context.Canceled) {
		t.Fatalf("apply calls %+v", f.applied)
	}
	if !strings.HasPrefix(v.apply.result.Text, "Cancelled") {
		t.Fatalf("result %q", v.apply.result.Text)
	}
}

func TestCancelCancelsPreview(t *testing.T) {
	f := newFakeSync()
	f.planBlock = true
	v, ch, _ := newTestSyncView(t, f)
	v.location.SetSelectedIndex(0)
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	test.Tap(v.previewBtn)
	waitFor(t, f.started, "plan")
	if v.cancelBtn.Hidden || !v.previewBtn.Disabled() {
		t.Fatal("while previewing, Cancel shows and Preview is disabled")
	}
	test.Tap(v.cancelBtn)
	ch.wait(t, "plan")
	if v.preview.plan != nil || v.planStatus.Text != "Preview cancelled." || v.previewBtn.Disabled() {
		t.Fatalf("after Cancel: plan %v, status %q", v.preview.plan, v.planStatus.Text)
	}
}

func TestProgressFeedThrottles(t *testing.T) {
	f := newProgressFeed()
	f.every = time.Hour // nothing but the first and the last may pass
	for i := 1; i < 100; i++ {
		f.update(workspace.ApplyProgress{Phase: "inventory", Done: i, Total: 100})
	}
	if text, _ := f.text.Get(); text != "Inventory: 1 of 100" {
		t.Fatalf("shown %q, want only the first update", text)
	}
	f.flush()
	if text, _ := f.text.Get(); text != "Inventory: 99 of 100" {
		t.Fatalf("after flush %q", text)
	}
	f.update(workspace.ApplyProgress{Phase: "inventory", Done: 100, Total: 100})
	if frac, _ := f.fraction.Get(); frac != 1 {
		t.Fatalf("the last update was held back: %.2f", frac)
	}
	for _, c := range []struct {
		p    workspace.ApplyProgress
		want string
	}{
		{workspace.ApplyProgress{Phase: "products", Done: 2, Total: 8, ETA: 90 * time.Second}, "Products: 2 of 8 · about 2 min left"},
		{workspace.ApplyProgress{Phase: "inventory", Done: 3, Total: 4, ETA: 1500 * time.Millisecond}, "Inventory: 3 of 4 · about 2 s left"},
		{workspace.ApplyProgress{Done: 5}, "Working: 5 done"},
	} {
		if got := progressText(c.p); got != c.want {
			t.Errorf("progressText(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
	f.reset("")
	f.update(workspace.ApplyProgress{Done: 1})
	f.update(workspace.ApplyProgress{Done: 2}) // no total: throttled like any other
	if text, _ := f.text.Get(); text != "Working: 1 done" {
		t.Fatalf("unknown total: shown %q", text)
	}
}

// "Blank means clear" is off unless the user ticks it, and the request the
// preview sends carries the choice (the engine then empties fields for blank
// cells, and the preview's notes say which columns do).
func TestBlankClearsIsAskedFor(t *testing.T) {
	f := newFakeSync()
	f.locations = f.locations[:1]
	v, ch, _ := newTestSyncView(t, f)
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if f.planReqs[0].BlankClears {
		t.Fatal("blank means clear was on without being asked for")
	}
	test.Tap(v.blankClears)
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if !f.planReqs[len(f.planReqs)-1].BlankClears {
		t.Fatal("the ticked 'Blank cells clear their field' did not reach the request")
	}
}
