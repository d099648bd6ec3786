package app

import (
	"encoding/json"
	catalogsync "github.com/shelfsync/shelfsync/sync"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/shelfsync/shelfsync/sync/source"
)

// chooseDemoSheet picks the demo sheet and waits until it is inspected.
func chooseDemoSheet(t *testing.T, v *syncView, ch *signals) {
	t.Helper()
	test.Tap(v.demo)
	ch.wait(t, "sheet")
}

// sheetsThatNameTheirLocations are the sheets whose stock needs no location
// picked (Shopify's inventory CSV, a column per location), with the line
// the Sync and Schedule tabs say instead.
var sheetsThatNameTheirLocations = []struct {
	name   string
	header []string
	say    string
}{
	{"inventory CSV", []string{"Handle", "Title", "Option1 Name", "Option1 Value", "SKU", "HS Code", "COO", "Location", "Incoming", "Unavailable", "Committed", "Available", "On hand"},
		"Quantities go to the location named on each row."},
	{"a column per location", []string{"SKU", "Stock - Main warehouse", "Stock - Shop floor"},
		"Quantities go to the locations named in the columns (Main warehouse, Shop floor)."},
}

// TestSheetThatNamesItsLocationsHidesThePicker: in a store with two
// locations, Shopify's inventory CSV (a Location column) and a sheet with a
// quantity column per location preview without a location chosen; the tab
// says in one line where the quantities go instead of asking. A single
// quantity column that names none still asks.
func TestSheetThatNamesItsLocationsHidesThePicker(t *testing.T) {
	for _, c := range sheetsThatNameTheirLocations {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeSync()
			m := source.Detect(c.header)
			f.mapping, _ = json.Marshal(m)
			v, ch, _ := newTestSyncView(t, f)
			chooseDemoSheet(t, v, ch)
			if v.location.Visible() || v.stockLabel.Visible() {
				t.Error("the location picker is offered though the sheet says where its quantities go")
			}
			if !v.stockNote.Visible() || v.stockNote.Text != c.say {
				t.Errorf("the tab says %q (visible %v), want %q", v.stockNote.Text, v.stockNote.Visible(), c.say)
			}
			savePNG(t, v.win, "sync-stock-"+strings.ReplaceAll(c.name, " ", "-")+".png")
			test.Tap(v.previewBtn) // refused, it would time out here
			ch.wait(t, "plan")
			if len(f.planReqs) != 1 {
				t.Fatalf("%d preview requests: %q", len(f.planReqs), v.planStatus.Text)
			}
			if r := f.planReqs[0]; r.LocationID != "" {
				t.Errorf("a location went with the request: %q", r.LocationID)
			}
			if strings.Contains(v.planStatus.Text, "location") {
				t.Errorf("status %q", v.planStatus.Text)
			}
		})
	}

	// A single quantity column (the fake's default mapping has one beside a
	// per-location one): the picker is asked for.
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	chooseDemoSheet(t, v, ch)
	if !v.location.Visible() || v.stockNote.Visible() {
		t.Fatal("a single quantity column is not asked a location")
	}
	test.Tap(v.previewBtn)
	if len(f.planReqs) != 0 || !strings.Contains(v.planStatus.Text, "Choose the location") {
		t.Fatalf("previewed without a location: %q", v.planStatus.Text)
	}
	// Another sheet, whose columns each name their location: no longer asked.
	f.mapping, _ = json.Marshal(source.Detect([]string{"SKU", "Location", "Available"}))
	v.useFile("/tmp/inventory_export.csv")
	ch.wait(t, "sheet")
	if v.location.Visible() || v.stockNote.Text != "Quantities go to the location named on each row." {
		t.Fatalf("after choosing an inventory CSV: picker %v, %q", v.location.Visible(), v.stockNote.Text)
	}
}

// A sheet inspected as naming its locations but edited before the preview
// to a single quantity column: the engine asks for a location, and the
// picker it needs comes back instead of a request the tab can't answer.
func TestEditedSheetThatNeedsALocationShowsThePicker(t *testing.T) {
	f := newFakeSync()
	f.mapping, _ = json.Marshal(source.Detect([]string{"SKU", "Location", "Available"}))
	v, ch, _ := newTestSyncView(t, f)
	chooseDemoSheet(t, v, ch)
	if v.location.Visible() {
		t.Fatal("an inventory CSV is asked a location")
	}
	f.mu.Lock()
	f.planErr = catalogsync.ErrNoLocation
	f.mu.Unlock()
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if !v.location.Visible() || !v.stockLabel.Visible() || v.stockNote.Visible() {
		t.Fatalf("the engine asks a location, the picker is visible %v (note %q)", v.location.Visible(), v.stockNote.Text)
	}
	if !strings.Contains(v.planStatus.Text, "Choose the location") {
		t.Fatalf("status %q", v.planStatus.Text)
	}
}

// TestSavedBlankClearsShowsInTheSyncTab: a sheet whose saved columns clear
// blank cells shows "Blank cells clear their field" ticked, saying it is
// saved with the columns, though the editor was never opened. Unticking it
// sends the columns without it (so it is saved off: schedules stop
// clearing too), and the next visit shows it unticked.
func TestSavedBlankClearsShowsInTheSyncTab(t *testing.T) {
	f := newFakeSync()
	f.locations = f.locations[:1]
	var m source.Mapping
	if err := json.Unmarshal(f.mapping, &m); err != nil {
		t.Fatal(err)
	}
	m.BlankClears = true
	f.mapping, _ = json.Marshal(m)
	v, ch, _ := newTestSyncView(t, f)
	chooseDemoSheet(t, v, ch)
	if !v.blankClears.Checked || v.blankClears.Text != clearsSavedText {
		t.Fatalf("the saved columns clear blanks but the tab shows %q ticked=%v", v.blankClears.Text, v.blankClears.Checked)
	}
	savePNG(t, v.win, "sync-saved-blank-clears.png")
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")

	test.Tap(v.blankClears) // untick
	if v.blankClears.Checked || v.blankClears.Text != clearsText || !strings.Contains(v.planStatus.Text, "saved columns change") {
		t.Fatalf("unticked: %q ticked=%v, status %q", v.blankClears.Text, v.blankClears.Checked, v.planStatus.Text)
	}
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	last := f.planReqs[len(f.planReqs)-1]
	var sent source.Mapping
	if err := json.Unmarshal(last.Mapping, &sent); err != nil || sent.BlankClears || last.BlankClears || sent.SKU != m.SKU {
		t.Fatalf("unticked, the preview sent mapping %s and blank clears %v (%v)", last.Mapping, last.BlankClears, err)
	}

	// The workspace saved that mapping: the next visit shows it unticked.
	f.mapping = last.Mapping
	v2, ch2, _ := newTestSyncView(t, f)
	chooseDemoSheet(t, v2, ch2)
	if v2.blankClears.Checked || v2.blankClears.Text != clearsText {
		t.Fatalf("next visit: %q ticked=%v", v2.blankClears.Text, v2.blankClears.Checked)
	}

	// A tick that came from a sheet's columns goes when another sheet is chosen.
	f.mapping, _ = json.Marshal(m)
	v2.useFile("/tmp/other.csv")
	ch2.wait(t, "sheet")
	if !v2.blankClears.Checked {
		t.Fatal("the other sheet's saved columns clear blanks: not ticked")
	}
	f.mapping = last.Mapping
	v2.useFile("/tmp/third.csv")
	ch2.wait(t, "sheet")
	if v2.blankClears.Checked {
		t.Fatal("the previous sheet's blank clearing stayed ticked")
	}
}
