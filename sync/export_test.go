package sync

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestExportResyncsToNothing exports a shop (samples plus a multi-location,
// multi-option product) and syncs the file straight back: zero changes.
func TestExportResyncsToNothing(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{
		Handle: "mug", Title: "Mug", Vendor: "Acme", ProductType: "Kitchen", Tags: []string{"b", "a"}, Status: "DRAFT",
		DescriptionHTML: "<p>A mug, with \"quotes\"\nand lines</p>",
		Options:         []fakeshop.Option{{Name: "Color", Values: []string{"Red", "Blue"}}, {Name: "Size", Values: []string{"S"}}},
		Variants: []fakeshop.Variant{
			{SKU: "M-R", Barcode: "42", Price: "5.50", CompareAtPrice: "7.00", InventoryPolicy: "CONTINUE", Tracked: true,
				SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}, {Name: "Size", Value: "S"}},
				Levels:          []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 3}, {LocationID: "Shop floor", Available: 1}}},
			{SKU: "M-B", Price: "5.50", InventoryPolicy: "DENY", Tracked: true,
				SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Blue"}, {Name: "Size", Value: "S"}},
				Levels:          []fakeshop.InventoryLevel{{LocationID: "Shop floor", Available: 0}}},
		},
	}})
	if dir := samplesDirOrEmpty(); dir != "" {
		raw, err := os.ReadFile(filepath.Join(dir, "apparel.csv"))
		if err == nil {
			h.sync(t, readCSV(t, string(raw)), h.opts())
		}
	}
	var buf bytes.Buffer
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Inventory quantity / Shop floor") {
		t.Fatalf("export lacks per-location columns:\n%s", buf.String())
	}
	before := h.mutations()
	p, _ := h.sync(t, readCSV(t, buf.String()), Options{StoreID: h.storeID})
	if p.HasChanges() || h.mutations() != before {
		var b strings.Builder
		_ = p.WriteText(&b, TextOptions{})
		t.Fatalf("resync of the export plans changes:\n%s\nexport:\n%s", b.String(), buf.String())
	}
	if p.Counts.Variants.Unchanged < 2 {
		t.Fatalf("counts %+v", p.Counts)
	}
}

func samplesDirOrEmpty() string {
	dir, _ := os.Getwd()
	for range 6 {
		p := filepath.Join(dir, "..", "shared", "samples", "shopify-product-csvs")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		dir = filepath.Dir(dir)
	}
	return ""
}
