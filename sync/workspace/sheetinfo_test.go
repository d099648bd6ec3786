package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/source"
)

// TestSheetThatNamesItsLocationsNeedsNoLocation: the demo store has two
// locations. Shopify's inventory CSV (a Location column) and a sheet with a
// column per location preview without a location chosen, and InspectSheet
// says so; only a single quantity column that names none asks for one, and
// the engine refuses it without one: the Sync tab, the command line and
// the engine agree.
func TestSheetThatNamesItsLocationsNeedsNoLocation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inventory := write("inventory_export.csv",
		"Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,SKU,HS Code,COO,Location,Incoming,Unavailable,Committed,Available,On hand\n"+
			"trail-press,Trail Press,Title,Default Title,,,,,TP-001,,,Main warehouse,0,0,0,40,40\n"+
			"trail-press,Trail Press,Title,Default Title,,,,,TP-001,,,Shop floor,0,0,0,3,3\n")
	perColumn := write("stock.csv", "SKU,Stock - Main warehouse,Stock - Shop floor\nTP-001,40,3\n")
	single := write("single.csv", "SKU,Quantity\nTP-001,40\n")
	cases := []struct {
		sheet string
		stock source.Stock
		text  string
	}{
		{inventory, source.StockPerRow, "named on each row"},
		{perColumn, source.StockPerColumn, "named in the columns (Main warehouse, Shop floor)"},
		{single, source.StockPicked, ""},
	}
	for _, c := range cases {
		req := SyncRequest{StoreID: s.ID, Source: c.sheet}
		info, err := w.InspectSheet(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if info.Stock != c.stock || !strings.Contains(info.StockText, c.text) || (c.text == "") != (info.StockText == "") {
			t.Errorf("%s: %+v", filepath.Base(c.sheet), info)
		}
		p, err := w.PlanSync(ctx, req)
		if c.stock == source.StockPicked {
			if !errors.Is(err, catalogsync.ErrNoLocation) {
				t.Errorf("%s: a single quantity column planned without a location (%v)", filepath.Base(c.sheet), err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(c.sheet), err)
		}
		if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "locations the sheet names (Main warehouse, Shop floor)") {
			t.Errorf("%s: the notes do not say where the quantities go:\n%s", filepath.Base(c.sheet), notes)
		}
	}
}

// TestInspectSheetReportsTheSavedBlankClears: a mapping saved with
// blankClears makes blank cells clear even when the request does not ask;
// InspectSheet says so (the Sync tab ticks its box), and a preview with the
// mapping sent without it saves that.
func TestInspectSheetReportsTheSavedBlankClears(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	sheet := filepath.Join(t.TempDir(), "supplier.csv")
	if err := os.WriteFile(sheet, []byte("Handle,Vendor,Article No,Preis\ntrail-press,,TP-001,36.00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	req := SyncRequest{StoreID: s.ID, Source: sheet}
	info, err := w.InspectSheet(ctx, req)
	if err != nil || info.BlankClears || info.Mapping != nil || info.Stock != source.StockNone || info.StockText == "" {
		t.Fatalf("a detected layout: %+v (%v)", info, err)
	}
	m := source.Mapping{Handle: "Handle", SKU: "Article No", Vendor: "Vendor", Price: "Preis", BlankClears: true}
	req.Mapping, _ = json.Marshal(m)
	p, err := w.PlanSync(ctx, req) // saves the mapping
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "saved with this sheet's columns") {
		t.Errorf("the notes do not say why blank cells clear:\n%s", notes)
	}
	req.Mapping = nil
	if info, err = w.InspectSheet(ctx, req); err != nil || !info.BlankClears || info.Mapping == nil {
		t.Fatalf("the saved mapping clears blanks: %+v (%v)", info, err)
	}
	m.BlankClears = false
	req.Mapping, _ = json.Marshal(m)
	if p, err = w.PlanSync(ctx, req); err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "blank cell") || strings.Contains(notes, "empties") {
		t.Errorf("blank cells still clear:\n%s", notes)
	}
	req.Mapping = nil
	if info, err = w.InspectSheet(ctx, req); err != nil || info.BlankClears {
		t.Fatalf("unticked, the saved mapping still clears blanks: %+v (%v)", info, err)
	}
}
