package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
)

// longNotesPlan has the engine's long notes: blank cells, the daily variant
// limit, the bulk path and why, and a column not synced.
func longNotesPlan() *catalogsync.Plan {
	p := &catalogsync.Plan{Version: 1, Kind: "sync",
		Notes: []string{
			"19 blank cells leave their fields as they are in the store: a blank cell never deletes a value unless " +
				"\"Blank cells clear their field\" is ticked (--blank-clears on the command line)",
			"40 products (1,200 variants) wait for tomorrow: Shopify allows non-Plus stores past 50,000 variants 1,000 new variants a day, " +
				"and this store has 50,400. This run creates 33 products (990 variants), the first in sheet order that fit.",
			"variant updates of 4,000 products go to Shopify as 2 bulk operations: about 3 min, against 41 min one request at a time " +
				"within the store's rate limit of 100 points/s (bulk speed assumed 50 lines/s per operation)",
		},
		Unsynced: []catalog.UnsyncedColumn{{Column: "Google Shopping / Gender", Reason: "legacy Google Shopping column: Shopify's current CSV has no such field"}},
		Products: []catalogsync.ProductPlan{{Handle: "classic-tee", Title: "Classic Tee", ProductID: "gid://shopify/Product/2", Action: catalogsync.ActUpdate}}}
	p.Counts.Products.Update = 1
	return p
}

// TestLongNotesWrapAboveTheList: at the Sync tab's share of the default
// window, each long note above the list wraps at word boundaries and is
// there in full, its box is as tall as the wrapped lines (up to a few, then
// it scrolls), and nothing overlaps the filters or the list.
func TestLongNotesWrapAboveTheList(t *testing.T) {
	test.NewTempApp(t)
	v := newPreviewView()
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(760, 640))
	p := longNotesPlan()
	p.Notes = p.Notes[:1] // the demo's one note
	p.Unsynced = nil
	v.setPlan(p)
	want := "Note: " + p.Notes[0]
	if v.notes.Text != want || v.notes.Truncation != fyne.TextTruncateOff || v.notes.Wrapping != fyne.TextWrapWord {
		t.Fatalf("the note is cut: %q (truncation %v, wrapping %v)", v.notes.Text, v.notes.Truncation, v.notes.Wrapping)
	}
	oneLine := newPreviewLayout(v.notes).maxLines.MinSize().Height / maxNoteLines
	if h := v.notesBox.Size().Height; h < v.notes.MinSize().Height-1 || h < 1.5*oneLine {
		t.Errorf("the note wraps to %v high but its box is %v", v.notes.MinSize().Height, h)
	}
	below := func(what string, top, bottom fyne.CanvasObject) {
		t.Helper()
		if end := top.Position().Y + top.Size().Height; end > bottom.Position().Y+0.5 {
			t.Errorf("%s overlap: the upper ends at %v, the lower starts at %v", what, end, bottom.Position().Y)
		}
	}
	below("notes and filters", v.notesBox, v.filterSel)
	// Narrower, the note takes more lines, and its box grows with them.
	w.Resize(fyne.NewSize(420, 640))
	if h := v.notesBox.Size().Height; h < v.notes.MinSize().Height-1 {
		t.Errorf("at 420 wide the note wraps to %v high but its box is %v", v.notes.MinSize().Height, h)
	}
	below("notes and filters", v.notesBox, v.filterSel)
	w.Resize(fyne.NewSize(760, 640))

	// All the long notes: a few lines, then they scroll; the list keeps room.
	v.setPlan(longNotesPlan())
	for _, n := range append(longNotesPlan().Notes, "legacy Google Shopping column: Shopify's current CSV has no such field") {
		if !strings.Contains(v.notes.Text, n) {
			t.Errorf("the notes above the list lack %q", n)
		}
	}
	if v.notesBox.Size().Height > newPreviewLayout(v.notes).maxLines.MinSize().Height+1 {
		t.Errorf("the notes take %v above the list", v.notesBox.Size().Height)
	}
	below("notes and filters", v.notesBox, v.filterSel)
	if h := v.list.Size().Height; h < 300 {
		t.Errorf("the list is %v high below the notes", h)
	}
	savePNG(t, w, "preview-long-notes.png")
}
