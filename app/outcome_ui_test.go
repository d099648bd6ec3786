package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// TestRowErrorsAreAmberEverywhere: the demo's first run finishes with one
// row error. Card, dashboard and History say the same words in amber; only
// a run that stopped is red; the dashboard never says all is in order beside it.
func TestRowErrorsAreAmberEverywhere(t *testing.T) {
	test.NewTempApp(t)
	rowErr := workspace.RunSummary{ID: "r1", Kind: "sync", State: "finished", Created: 1, Updated: 3, Errors: 1,
		Started: time.Now().Add(-time.Minute), Finished: time.Now()}
	stopped := rowErr
	stopped.State = "failed"

	if got := outcomeWords(rowErr); got != "Finished with 1 row error" {
		t.Fatalf("words %q", got)
	}
	if outcomeOf(rowErr).importance() != widget.WarningImportance || outcomeOf(stopped).importance() != widget.DangerImportance {
		t.Fatal("row errors must be amber and a stopped run red")
	}

	d := newDashboardView(func(string) {}, func(string) {})
	store := workspace.StoreSummary{ID: "s", Name: "Demo", Shop: "demo.myshopify.com", Health: workspace.HealthRowErrors,
		HealthText: "Last run finished with 1 row error", ConnectionText: "Connected · token renews itself",
		LastRun: &rowErr, Recent: []workspace.RunSummary{rowErr}}
	d.setStores([]workspace.StoreSummary{store})
	if cols := dashboardColumns(t, d); cols[1] != "Connected · token renews itself" || strings.Contains(cols[1], "row error") ||
		!strings.Contains(cols[2], "Finished with 1 row error") {
		t.Fatalf("the run belongs in the run column, the token in Connection: %q", cols)
	}
	store.NextRun = time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC)
	d.setStores([]workspace.StoreSummary{store})
	if cols := dashboardColumns(t, d); !strings.Contains(cols[2], "Next run "+store.NextRun.Local().Format("Mon 15:04 MST")) {
		t.Fatalf("the next run names no time zone: %q", cols[2])
	}
	if strings.Contains(d.summary.Text, "all in order") || strings.Contains(d.summary.Text, "healthy") ||
		!strings.Contains(d.summary.Text, "1 needs attention") {
		t.Fatalf("dashboard header %q beside an amber store", d.summary.Text)
	}
	var last *widget.Label
	walk(d.rows, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Finished with 1 row error") {
			last = l
		}
	})
	if last == nil || last.Importance != widget.WarningImportance {
		t.Fatalf("dashboard last-run label %+v", last)
	}
	if healthLabel(workspace.HealthRowErrors) != "Row errors" {
		t.Fatal("card label")
	}
	if !strings.HasPrefix(runCounts(rowErr), "Finished with 1 row error") {
		t.Fatalf("History line %q", runCounts(rowErr))
	}
	if !strings.HasPrefix(runCounts(stopped), "Stopped (failed)") {
		t.Fatalf("History line %q", runCounts(stopped))
	}
}

// TestDashboardHeadingsAndRefresh: the dashboard's columns have headings and
// its chart a legend and a scale; adding a schedule reloads the stores, so
// the dashboard's next run is fresh without "Run schedules now".
func TestDashboardHeadingsAndRefresh(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "")
	m, _ := newTestWindow(t, b)
	var texts []string
	walk(m.dashboard.content, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	joined := strings.Join(texts, "|")
	for _, want := range []string{"Store", "Connection", "Schedule and last run", "Recent runs", "rows written", "row errors", "stopped"} {
		if !strings.Contains(joined, want) {
			t.Errorf("dashboard lacks %q (%s)", want, joined)
		}
	}
	m.stores.list.Select(0)
	wait(t, b, "store")
	sv := m.tabs.schedule
	sv.source.SetText("catalog.csv")
	sv.spec.SetText("daily 06:30")
	test.Tap(sv.save)
	wait(t, b, "stores") // the window reloaded the stores (and the dashboard) after the save
}

// TestUndoPreviewCountsDeletes: an undo that removes a created product shows
// "Deletes 1", has a Deletes filter, and its detail says it will be removed.
func TestUndoPreviewCountsDeletes(t *testing.T) {
	test.NewTempApp(t)
	p := &catalogsync.Plan{Version: 1, Kind: "undo", UndoOf: "run-1",
		Products: []catalogsync.ProductPlan{
			{Handle: "ocean-blue-shirt", Title: "Ocean Blue Shirt", ProductID: "gid://shopify/Product/9", Action: catalogsync.ActDelete},
			{Handle: "classic-tee", Title: "Classic Tee", ProductID: "gid://shopify/Product/2", Action: catalogsync.ActUpdate},
		}}
	p.Counts.Products.Delete, p.Counts.Products.Update = 1, 1
	v := newPreviewView()
	test.NewTempWindow(t, v.content)
	v.setPlan(p)
	if !strings.Contains(v.counts.Text, "Deletes 1") || !strings.Contains(v.counts.Text, "Updates 1") {
		t.Fatalf("counts %q", v.counts.Text)
	}
	v.filterSel.SetSelected(filterDeletes)
	if len(v.rows) != 1 || v.rows[0].product.Handle != "ocean-blue-shirt" {
		t.Fatalf("Deletes filter shows %d rows", len(v.rows))
	}
	// The row says what happens, not "0 variants · 0 changes".
	if got := v.rows[0].note(); got != "removed from the store, with its variants and stock" {
		t.Fatalf("delete row reads %q", got)
	}
	v.list.Select(0)
	if !strings.Contains(v.detail.Text, "will be removed from the store") {
		t.Fatalf("detail %q", v.detail.Text)
	}
	v.filterSel.SetSelected(filterUpdates)
	if len(v.rows) != 1 || v.rows[0].product.Handle != "classic-tee" {
		t.Fatal("a delete is listed under Updates")
	}
}

// TestSyncTabSurvivesAnotherStore: the sheet, its options and its preview
// are still there after a visit to another store.
func TestSyncTabSurvivesAnotherStore(t *testing.T) {
	b := newFakeBackend()
	b.add("alpha", "")
	b.add("beta", "")
	m, _ := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	v := m.tabs.sync
	v.settled = m.settled
	v.setSource("catalog.csv")
	wait(t, b, "sheet")
	v.location.SetSelected("Shop floor")
	v.archive.SetChecked(true)
	test.Tap(v.previewBtn)
	wait(t, b, "plan")
	if v.plan == nil {
		t.Fatal("no preview")
	}
	m.stores.list.Select(1)
	wait(t, b, "store")
	if m.tabs.sync.source != "" {
		t.Fatal("the other store shows this store's sheet")
	}
	m.stores.list.Select(0)
	waitAll(t, b, "store", "sheet") // the restored sheet is inspected again, in either order
	v = m.tabs.sync
	if v.source != "catalog.csv" || v.location.Selected != "Shop floor" || !v.archive.Checked || v.plan == nil ||
		len(v.preview.rows) == 0 {
		t.Fatalf("after coming back: source %q, location %q, archive %v, plan %v", v.source, v.location.Selected, v.archive.Checked, v.plan != nil)
	}
}

// TestPreviewRowShowsTheWholeTitle: the title has a line of its own, so a
// long handle beside it no longer cuts it to one word.
func TestPreviewRowShowsTheWholeTitle(t *testing.T) {
	test.NewTempApp(t)
	p := &catalogsync.Plan{Version: 1, Kind: "sync", Products: []catalogsync.ProductPlan{
		{Handle: "enamel-camp-mug-with-a-long-handle", Title: "Enamel Camp Mug", Action: catalogsync.ActUpdate,
			Variants: []catalogsync.VariantPlan{{Key: "MUG-1", Action: catalogsync.ActUpdate}}},
	}}
	v := newPreviewView()
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(760, 500))
	v.setPlan(p)
	row := v.createRow()
	v.updateRow(0, row)
	row.Resize(fyne.NewSize(420, row.MinSize().Height))
	lines := row.(*fyne.Container).Objects[0].(*fyne.Container)
	title := lines.Objects[0].(*widget.Label)
	if title.Text != "Enamel Camp Mug" || !strings.HasPrefix(lines.Objects[1].(*widget.Label).Text, "enamel-camp-mug-with-a-long-handle · ") {
		t.Fatalf("lines %q / %q", title.Text, lines.Objects[1].(*widget.Label).Text)
	}
	if title.Size().Width < title.MinSize().Width || title.Size().Width < 200 {
		t.Fatalf("the title has %v of width", title.Size().Width)
	}
}

// dashboardColumns reads the first store row of the dashboard: the text of
// each of its four columns (Store, Connection, Schedule and last run, Recent runs).
func dashboardColumns(t *testing.T, d *dashboardView) []string {
	t.Helper()
	var grid *fyne.Container
	walk(d.rows, func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok && grid == nil && len(c.Objects) == 4 {
			if _, ok := c.Objects[1].(*widget.Label); ok {
				grid = c
			}
		}
	})
	if grid == nil {
		t.Fatal("no store row on the dashboard")
	}
	cols := make([]string, len(grid.Objects))
	for i, o := range grid.Objects {
		var parts []string
		walk(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				parts = append(parts, l.Text)
			}
		})
		cols[i] = strings.Join(parts, " | ")
	}
	return cols
}

// TestPreviewNotesReadableInFull: until a product is picked the detail pane
// shows every note and every column not synced in full, wrapped (above the
// list they wrap too: TestLongNotesWrapAboveTheList).
func TestPreviewNotesReadableInFull(t *testing.T) {
	test.NewTempApp(t)
	long := "19 blank cells leave their fields as they are in the store: a blank cell never deletes a value unless " +
		"\"Blank cells clear their field\" is ticked (--blank-clears on the command line)"
	p := &catalogsync.Plan{Version: 1, Kind: "sync", Notes: []string{long, "1 new product will stay unpublished"},
		Products: []catalogsync.ProductPlan{{Handle: "classic-tee", Title: "Classic Tee", ProductID: "gid://shopify/Product/2", Action: catalogsync.ActUpdate}},
		Unsynced: []catalog.UnsyncedColumn{{Column: "Google Shopping / Gender", Reason: "legacy Google Shopping column"}}}
	p.Counts.Products.Update = 1
	v := newPreviewView()
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(760, 520))
	v.setPlan(p)
	for _, want := range []string{long, "1 new product will stay unpublished", "Google Shopping / Gender", "legacy Google Shopping column"} {
		if !strings.Contains(v.detail.Text, want) {
			t.Errorf("the detail pane lacks %q:\n%s", want, v.detail.Text)
		}
	}
	if !v.detail.Visible() || v.detail.Wrapping != fyne.TextWrapWord {
		t.Fatal("the notes are not shown wrapped")
	}
	v.list.Select(0)
	if strings.Contains(v.detail.Text, long) {
		t.Fatal("the notes stay under a picked product")
	}
}

// TestPreviewNotesLeaveTheListRoom: six notes take a few lines above the
// list and scroll past them (every one is there, none cut), so the list
// keeps its height; "warning: …" reads "Warning: …", not "Note: warning: …".
func TestPreviewNotesLeaveTheListRoom(t *testing.T) {
	test.NewTempApp(t)
	p := &catalogsync.Plan{Version: 1, Kind: "sync",
		Notes:    []string{"19 blank cells leave their fields", "warning: 1 SKU is already on another product", "3 products are sent paced"},
		Products: []catalogsync.ProductPlan{{Handle: "classic-tee", Title: "Classic Tee", ProductID: "gid://shopify/Product/2", Action: catalogsync.ActUpdate}}}
	for i, c := range []string{"Google Shopping / Gender", "Google Shopping / Age Group", "product.metafields.custom.material"} {
		p.Unsynced = append(p.Unsynced, catalog.UnsyncedColumn{Column: c, Reason: "reason " + strconv.Itoa(i)})
	}
	v := newPreviewView()
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(760, 520))
	v.setPlan(p)
	if lines := strings.Split(v.notes.Text, "\n"); len(lines) != 6 || !strings.Contains(v.notes.Text, "reason 2") {
		t.Fatalf("notes above the list: %q", lines)
	}
	if box, most := v.notesBox.Size().Height, newPreviewLayout(v.notes).maxLines.MinSize().Height; box > most+1 || box < most-1 {
		t.Errorf("six notes take %v above the list, want the %v of %d lines", box, most, maxNoteLines)
	}
	if v.notes.Size().Height <= v.notesBox.Size().Height {
		t.Errorf("six notes fit in %v: they should scroll", v.notesBox.Size().Height)
	}
	if strings.Contains(v.detail.Text, "Note: warning") || !strings.Contains(v.detail.Text, "Warning: 1 SKU") ||
		!strings.Contains(v.detail.Text, "product.metafields.custom.material") {
		t.Fatalf("detail %q", v.detail.Text)
	}
	if h := v.list.Size().Height; h < 250 {
		t.Fatalf("the list is %v high beside six notes", h)
	}
}

// TestPriceListPreviewCountsItsVariants: a sheet of SKUs and prices matches
// variants without their product; its preview counts them, so the head of
// the preview agrees with the rows and filters below it (it said "Updates 0"
// above a list of updates).
func TestPriceListPreviewCountsItsVariants(t *testing.T) {
	test.NewTempApp(t)
	p := &catalogsync.Plan{Version: 1, Kind: "sync", Loose: []catalogsync.VariantPlan{
		{Key: "TP-001", Action: catalogsync.ActUpdate, Fields: []catalogsync.FieldChange{{Field: catalogsync.FieldPrice, Old: "10.00", New: "12.00"}}},
		{Key: "TP-002", Action: catalogsync.ActUpdate, Fields: []catalogsync.FieldChange{{Field: catalogsync.FieldPrice, Old: "10.00", New: "11.00"}}},
		{Key: "TP-003", Action: catalogsync.ActUnchanged},
		{Key: "TP-004", Action: catalogsync.ActError, Message: "no variant has this SKU"},
	}}
	p.Counts.Variants.Update, p.Counts.Variants.Unchanged, p.Counts.Variants.Error, p.Counts.Changes = 2, 1, 1, 2
	v := newPreviewView()
	test.NewTempWindow(t, v.content)
	v.setPlan(p)
	if want := "Creates 0 · Updates 2 · Unchanged 1 · Errors 1"; v.counts.Text != want {
		t.Fatalf("counts %q, want %q", v.counts.Text, want)
	}
	v.filterSel.SetSelected(filterUpdates)
	if len(v.rows) != 2 {
		t.Fatalf("the Updates filter shows %d rows, the head says 2", len(v.rows))
	}
}
