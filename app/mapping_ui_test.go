package app

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// openColumns chooses the demo sheet and opens the column editor on it.
func openColumns(t *testing.T, v *syncView, ch *signals) *mappingView {
	t.Helper()
	if v.source == "" {
		test.Tap(v.demo)
		ch.wait(t, "sheet")
	}
	if v.columnsBtn.Disabled() {
		t.Fatal("Columns… is disabled with a sheet chosen")
	}
	test.Tap(v.columnsBtn)
	ch.wait(t, "columns")
	if v.columns == nil || v.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the column editor did not open")
	}
	return v.columns
}

func TestColumnEditorOpensPrefilled(t *testing.T) {
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	if !v.columnsBtn.Disabled() {
		t.Fatal("Columns… is enabled before a sheet is chosen")
	}
	m := openColumns(t, v, ch)
	if len(f.colReqs) != 1 || f.colReqs[0].Source != f.demo || f.colReqs[0].StoreID != "store-1" || f.colReqs[0].Mapping != nil {
		t.Fatalf("SourceColumns requests %+v", f.colReqs)
	}
	for label, want := range map[string]string{"SKU": "Article No", "Barcode": "EAN", "Price": "Preis",
		"URL handle": notInSheet, "Title": notInSheet, "Compare-at price": notInSheet} {
		if got := m.fields[label].Selected; got != want {
			t.Errorf("%s shows %q, want %q", label, got, want)
		}
	}
	got := map[string]string{}
	for _, r := range m.qty {
		got[r.key] = r.sel.Selected
	}
	want := map[string]string{"": "Bestand", "Main warehouse": notInSheet, "Shop floor": "Stock - Shop floor"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("quantity rows %v, want %v", got, want)
	}
	if opts := m.fields["SKU"].Options; len(opts) != len(f.columns)+1 || opts[0] != notInSheet {
		t.Errorf("choices %q", opts)
	}
	if m.decimal.Checked || strings.Contains(m.note.Text, "Shopify") || !m.errLabel.Hidden {
		t.Errorf("decimal %v, note %q, error shown %v", m.decimal.Checked, m.note.Text, !m.errLabel.Hidden)
	}
}

func TestColumnEditorMappingGoesToTheNextPreview(t *testing.T) {
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	previewed(t, v, ch)
	m := openColumns(t, v, ch)
	m.fields["SKU"].SetSelected("EAN")
	m.fields["Barcode"].SetSelected(notInSheet)
	test.Tap(m.decimal)
	test.Tap(m.useBtn)
	if v.win.Canvas().Overlays().Top() != nil {
		t.Fatal("the editor stayed open after a mapping that fits")
	}
	if v.plan != nil || v.preview.plan != nil || !v.applyBtn.Disabled() {
		t.Fatal("the preview made with the old columns was kept")
	}
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	if len(f.planReqs) != 2 {
		t.Fatalf("%d previews", len(f.planReqs))
	}
	want := source.Mapping{Dialect: "mapped", SKU: "EAN", Price: "Preis", Decimal: ",",
		Quantity: map[string]string{"": "Bestand", "Shop floor": "Stock - Shop floor"}}
	wantJSON, _ := json.Marshal(want)
	if got := f.planReqs[1].Mapping; string(got) != string(wantJSON) {
		t.Fatalf("preview sent mapping %s, want %s", got, wantJSON)
	}
	if f.planReqs[0].Mapping != nil {
		t.Fatalf("the first preview sent a mapping: %s", f.planReqs[0].Mapping)
	}
	// Reopened, the editor starts from the mapping just chosen.
	m = openColumns(t, v, ch)
	if string(f.colReqs[1].Mapping) != string(wantJSON) || m.fields["SKU"].Selected != "EAN" || !m.decimal.Checked {
		t.Fatalf("reopened: request %s, SKU %q", f.colReqs[1].Mapping, m.fields["SKU"].Selected)
	}
	// Another sheet starts from its own saved or detected mapping.
	v.useFile("/tmp/other.csv")
	ch.wait(t, "sheet")
	if v.mapping != nil {
		t.Fatal("the mapping chosen for one sheet carried over to another")
	}
}

func TestColumnEditorRejectsAMappingWithoutAnIdentifier(t *testing.T) {
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	m := openColumns(t, v, ch)
	m.fields["SKU"].SetSelected(notInSheet)
	m.fields["Barcode"].SetSelected(notInSheet)
	test.Tap(m.useBtn)
	if m.errLabel.Hidden || !strings.Contains(m.errLabel.Text, "no column identifies a product or variant") {
		t.Fatalf("error shown %v: %q", !m.errLabel.Hidden, m.errLabel.Text)
	}
	if v.win.Canvas().Overlays().Top() == nil || v.mapping != nil {
		t.Fatal("an invalid mapping closed the editor or was kept")
	}
	// A new choice clears the error; one that fits closes the editor.
	m.fields["Barcode"].SetSelected("EAN")
	if !m.errLabel.Hidden {
		t.Fatal("the error stays after the choice changed")
	}
	test.Tap(m.useBtn)
	if !m.errLabel.Hidden || v.win.Canvas().Overlays().Top() != nil || v.mapping == nil {
		t.Fatalf("a barcode column was refused: %q", m.errLabel.Text)
	}
}

func TestColumnEditorOnAShopifySheet(t *testing.T) {
	f := newFakeSync()
	f.columns = []string{"Handle", "Title", "Variant SKU", "Variant Price", "Variant Inventory Qty"}
	f.mapping, _ = json.Marshal(source.Detect(f.columns))
	v, ch, _ := newTestSyncView(t, f)
	m := openColumns(t, v, ch)
	if !strings.Contains(m.note.Text, "Shopify's own columns were recognised; change only if needed") {
		t.Fatalf("note %q", m.note.Text)
	}
	if m.fields["URL handle"].Selected != "Handle" || m.fields["SKU"].Selected != "Variant SKU" {
		t.Fatalf("handle %q, SKU %q", m.fields["URL handle"].Selected, m.fields["SKU"].Selected)
	}
	test.Tap(m.useBtn)
	var got source.Mapping
	// Blank cells don't clear unless the user asks (issue 14), not even in Shopify's own CSV.
	if err := json.Unmarshal(v.mapping, &got); err != nil || got.BlankClears || got.Dialect != "shopify-legacy" {
		t.Fatalf("unchanged Shopify mapping came back as %s (%v)", v.mapping, err)
	}
}

// TestScreenshotColumnEditor renders the Sync tab with the column editor
// open, for a person to look at.
func TestScreenshotColumnEditor(t *testing.T) {
	f := newFakeSync()
	v, ch, _ := newTestSyncView(t, f)
	v.location.SetSelectedIndex(0)
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	savePNG(t, v.win, "sync-columns-closed.png")
	m := openColumns(t, v, ch)
	savePNG(t, v.win, "sync-columns.png")
	m.fields["SKU"].SetSelected(notInSheet)
	m.fields["Barcode"].SetSelected(notInSheet)
	test.Tap(m.useBtn)
	savePNG(t, v.win, "sync-columns-error.png")
}

func TestColumnEditorFlagsColumnsTheSheetLacks(t *testing.T) {
	f := newFakeSync()
	f.mapping = []byte(`{"dialect":"mapped","sku":"Art.Nr.","barcode":"ean","quantity":{"Berlin":"Stock - Berlin"}}`)
	v, ch, _ := newTestSyncView(t, f)
	m := openColumns(t, v, ch)
	if m.fields["SKU"].Selected != notInSheet || m.fields["Barcode"].Selected != "EAN" {
		t.Fatalf("SKU %q, barcode %q (matched case-insensitively)", m.fields["SKU"].Selected, m.fields["Barcode"].Selected)
	}
	if m.errLabel.Hidden || !strings.Contains(m.errLabel.Text, `"Art.Nr."`) || !strings.Contains(m.errLabel.Text, `"Stock - Berlin"`) {
		t.Fatalf("stale columns not flagged: %q", m.errLabel.Text)
	}
	// A location the store lacks gets a row, so its column can be cleared.
	last := m.qty[len(m.qty)-1]
	if last.key != "Berlin" || last.sel.Selected != notInSheet {
		t.Fatalf("last quantity row %q → %q", last.key, last.sel.Selected)
	}
	test.Tap(m.useBtn)
	var got source.Mapping
	if err := json.Unmarshal(v.mapping, &got); err != nil || got.SKU != "" || got.Barcode != "EAN" || got.Quantity != nil {
		t.Fatalf("used mapping %s (%v)", v.mapping, err)
	}
}

func TestColumnEditorReportsAnUnreadableSheet(t *testing.T) {
	f := newFakeSync()
	f.columnsErr = errors.New("can't open catalog.csv: no such file")
	v, ch, _ := newTestSyncView(t, f)
	test.Tap(v.demo)
	ch.wait(t, "sheet")
	test.Tap(v.columnsBtn)
	ch.wait(t, "columns")
	if v.columns != nil || v.win.Canvas().Overlays().Top() == nil || v.columnsBtn.Disabled() {
		t.Fatal("an unreadable sheet opened the editor, showed no error or left Columns… disabled")
	}
}

// TestColumnEditorNamesTheOnHandQuantity: an on-hand sheet's quantity
// column is headed "Quantity on hand", never "Quantity available".
func TestColumnEditorNamesTheOnHandQuantity(t *testing.T) {
	f := newFakeSync()
	f.columns = []string{"Handle", "SKU", "Location", "On hand (new)"}
	f.mapping, _ = json.Marshal(source.Detect(f.columns))
	v, ch, _ := newTestSyncView(t, f)
	m := openColumns(t, v, ch)
	var headings []string
	walk(m.content, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold && strings.HasPrefix(l.Text, "Quantity ") {
			headings = append(headings, l.Text)
		}
	})
	if len(headings) != 1 || headings[0] != "Quantity on hand" {
		t.Fatalf("quantity headings %q, want [Quantity on hand]", headings)
	}
	savePNG(t, v.win, "sync-columns-on-hand.png")
}

// TestColumnEditorEditsQuantityNameLocationAndBlankClears opens the editor
// on Shopify's inventory CSV (on-hand quantities, one row per location) and
// changes what the editor once only carried through: the quantity name,
// the Location column and "blank means clear".
func TestColumnEditorEditsQuantityNameLocationAndBlankClears(t *testing.T) {
	f := newFakeSync()
	f.columns = []string{"Handle", "Title", "SKU", "Location", "On hand (new)", "Stock - Shop floor"}
	detected := source.Detect(f.columns)
	if detected.QuantityName != catalog.QuantityOnHand || detected.Location != "Location" {
		t.Fatalf("detected %+v: not an on-hand inventory sheet", detected)
	}
	detected.BlankClears = true
	f.mapping, _ = json.Marshal(detected)
	v, ch, _ := newTestSyncView(t, f)
	v.location.SetSelectedIndex(0)
	m := openColumns(t, v, ch)
	if m.qtyHead.Text != "Quantity on hand" || m.qtyName.Selected != qtyOnHand || m.location.Selected != "Location" || !m.clears.Checked {
		t.Fatalf("heading %q, name %q, location column %q, blank clears %v", m.qtyHead.Text, m.qtyName.Selected, m.location.Selected, m.clears.Checked)
	}
	for _, r := range m.qty {
		if r.key != catalog.DefaultLocation && !r.sel.Disabled() {
			t.Errorf("the column for %q is offered though each row names its location", r.key)
		}
	}

	m.qtyName.SetSelected(qtyAvailable)
	if m.qtyHead.Text != "Quantity available" {
		t.Errorf("heading %q after choosing Available", m.qtyHead.Text)
	}
	m.location.SetSelected(notInSheet)
	test.Tap(m.clears)
	test.Tap(m.useBtn)
	if !m.errLabel.Hidden {
		t.Fatalf("refused: %q", m.errLabel.Text)
	}
	var got source.Mapping
	if err := json.Unmarshal(v.mapping, &got); err != nil {
		t.Fatal(err)
	}
	if got.QuantityName != catalog.QuantityAvailable || got.Location != "" || got.BlankClears {
		t.Fatalf("used mapping %s", v.mapping)
	}

	// Reopened: on hand again, and blank cells clear. The Sync tab's tick says so.
	m = openColumns(t, v, ch)
	if m.qtyName.Selected != qtyAvailable || m.location.Selected != notInSheet || m.clears.Checked {
		t.Fatalf("reopened: name %q, location column %q, blank clears %v", m.qtyName.Selected, m.location.Selected, m.clears.Checked)
	}
	m.qtyName.SetSelected(qtyOnHand)
	test.Tap(m.clears)
	test.Tap(m.useBtn)
	got = source.Mapping{}
	if err := json.Unmarshal(v.mapping, &got); err != nil || got.QuantityName != catalog.QuantityOnHand || !got.BlankClears {
		t.Fatalf("used mapping %s (%v)", v.mapping, err)
	}
	if !v.blankClears.Checked {
		t.Fatal("the Sync tab says blank cells don't clear while the columns clear them")
	}
	// Unticked in the Sync tab, blank cells no longer clear, whatever the columns said.
	test.Tap(v.blankClears)
	test.Tap(v.previewBtn)
	ch.wait(t, "plan")
	last := f.planReqs[len(f.planReqs)-1]
	got = source.Mapping{}
	if err := json.Unmarshal(last.Mapping, &got); err != nil || got.BlankClears || last.BlankClears || got.QuantityName != catalog.QuantityOnHand {
		t.Fatalf("preview sent mapping %s, blank clears %v (%v)", last.Mapping, last.BlankClears, err)
	}
}
