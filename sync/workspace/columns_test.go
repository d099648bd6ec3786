package workspace

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/source"
)

// TestSourceColumnsDetectsThenRemembers: a supplier sheet's header comes
// back with the detected mapping, and after a preview with an edited
// mapping, with that one.
func TestSourceColumnsDetectsThenRemembers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	sheet := filepath.Join(t.TempDir(), "supplier.csv")
	data := "Article No;EAN;Description;Preis;Bestand\nA-1;4006381333931;Widget;12,50;4\n"
	if err := os.WriteFile(sheet, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	req := SyncRequest{StoreID: s.ID, Source: sheet}
	cols, raw, err := w.SourceColumns(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Article No", "EAN", "Description", "Preis", "Bestand"}
	if !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns %q, want %q", cols, want)
	}
	var got source.Mapping
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if detected := source.Detect(want); !reflect.DeepEqual(got, detected) || got.SKU != "Article No" || got.Barcode != "EAN" {
		t.Fatalf("mapping %+v, want the detected %+v", got, detected)
	}

	edited := got
	edited.SKU, edited.Barcode, edited.Decimal = "EAN", "", ","
	req.Mapping, _ = json.Marshal(edited)
	req.LocationID = mainWarehouse(t, w, s.ID)
	if _, err := w.PlanSync(ctx, req); err != nil {
		t.Fatal(err)
	}
	_, raw, err = w.SourceColumns(ctx, SyncRequest{StoreID: s.ID, Source: sheet})
	if err != nil {
		t.Fatal(err)
	}
	var saved source.Mapping
	if err := json.Unmarshal(raw, &saved); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved, edited) {
		t.Fatalf("after a preview with a mapping: %+v, want %+v", saved, edited)
	}
}

// TestSourceColumnsKeepsAMappingThatNoLongerFits: the columns still come
// back, so the mapping editor can fix it.
func TestSourceColumnsKeepsAMappingThatNoLongerFits(t *testing.T) {
	w, s := demoWorkspace(t, nil)
	sheet := filepath.Join(t.TempDir(), "stock.csv")
	if err := os.WriteFile(sheet, []byte("Code,Qty\nX1,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stale := []byte(`{"dialect":"mapped","sku":"Article No"}`)
	cols, raw, err := w.SourceColumns(context.Background(), SyncRequest{StoreID: s.ID, Source: sheet, Mapping: stale})
	if err != nil {
		t.Fatal(err)
	}
	var m source.Mapping
	if err := json.Unmarshal(raw, &m); err != nil || m.SKU != "Article No" || len(cols) != 2 || cols[0] != "Code" {
		t.Fatalf("columns %q, mapping %s (%v)", cols, raw, err)
	}
	if _, _, err := w.SourceColumns(context.Background(), SyncRequest{StoreID: s.ID, Source: filepath.Join(t.TempDir(), "none.csv")}); err == nil {
		t.Fatal("a missing file gave no error")
	}
}
