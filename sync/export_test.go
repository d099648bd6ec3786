package sync

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
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

// TestExportWritesCreateOnlyColumns: the export says, as Shopify's own
// does, which products are on the Online Store ("Published on online
// store") and which variants' inventory is tracked ("Inventory tracker":
// shopify or blank). Syncing it back plans nothing; syncing it into an empty
// store creates the products published and tracked the same way.
func TestExportWritesCreateOnlyColumns(t *testing.T) {
	scopes := []string{"write_products", "write_inventory", "read_locations", "read_publications", "write_publications"}
	a := newHarnessScopes(t, fakeshop.PlanPlus, 100, scopes)
	ctx := context.Background()
	sel := func(v string) []fakeshop.SelectedOption { return []fakeshop.SelectedOption{{Name: "Size", Value: v}} }
	a.sh.Seed([]fakeshop.Product{
		{Handle: "live", Title: "Live", Published: true, Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M"}}},
			Variants: []fakeshop.Variant{{SKU: "L-S", Price: "5.00", SelectedOptions: sel("S")},
				{SKU: "L-M", Price: "5.00", Untracked: true, SelectedOptions: sel("M")}}},
		{Handle: "hidden", Title: "Hidden", Status: "DRAFT", Variants: []fakeshop.Variant{{SKU: "H-1", Price: "3.00", Untracked: true}}},
	})
	var buf bytes.Buffer
	if err := a.eng.Export(ctx, a.st, &buf); err != nil {
		t.Fatal(err)
	}
	cat := readCSV(t, buf.String())
	want := map[string]bool{"live": true, "hidden": false}
	tracked := map[string]bool{"L-S": true, "L-M": false, "H-1": false}
	for i := range cat.Products {
		p := &cat.Products[i]
		if p.Published == nil || *p.Published != want[p.Handle] {
			t.Errorf("%s: Published %v, want %v\n%s", p.Handle, p.Published, want[p.Handle], buf.String())
		}
		for _, v := range p.Variants {
			if v.Tracked == nil || *v.Tracked != tracked[v.SKU] {
				t.Errorf("%s: Tracked %v, want %v\n%s", v.SKU, v.Tracked, tracked[v.SKU], buf.String())
			}
		}
	}
	for _, col := range []string{"Published on online store", "Inventory tracker", "Status"} {
		if !slices.Contains(cat.Columns, col) {
			t.Errorf("export lacks %q: %v", col, cat.Columns)
		}
	}
	assertNoWrites(t, a, buf.String(), a.opts())

	b := newHarnessScopes(t, fakeshop.PlanPlus, 100, scopes)
	b.sync(t, readCSV(t, buf.String()), b.opts())
	if got := b.sh.PublishedOn("live"); !slices.Equal(got, []string{"Online Store"}) {
		t.Errorf("live published on %v in the new store", got)
	}
	if got := b.sh.PublishedOn("hidden"); len(got) != 0 {
		t.Errorf("hidden published on %v in the new store", got)
	}
	for _, p := range b.sh.Snapshot() {
		for _, v := range p.Variants {
			if v.Tracked != tracked[v.SKU] {
				t.Errorf("new store: %s tracked %v, want %v", v.SKU, v.Tracked, tracked[v.SKU])
			}
		}
	}
}
