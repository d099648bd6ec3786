package sync

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// unitPriceState renders each variant's unit price measurement and whether
// it is shown, sorted.
func unitPriceState(sh *fakeshop.Shop) string {
	var lines []string
	for _, p := range sh.Snapshot() {
		for _, v := range p.Variants {
			u := "none"
			if v.UnitPrice != nil {
				u = fmt.Sprintf("%g %s per %d %s", v.UnitPrice.QuantityValue, v.UnitPrice.QuantityUnit, v.UnitPrice.ReferenceValue, v.UnitPrice.ReferenceUnit)
			}
			lines = append(lines, fmt.Sprintf("%s|%s|%s|shown=%v", p.Handle, v.SKU, u, v.ShowUnitPrice))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestUnitPriceEndToEnd: the four unit price columns create a variant with
// its measurement shown, set one on an existing variant, sync again with
// zero writes, change with one variant update carrying the field's diff,
// undo back to the value before, export into the same columns (synced back
// with zero writes), and with blank means clear hide the unit price.
func TestUnitPriceEndToEnd(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{Handle: "oil", Title: "Oil", Variants: []fakeshop.Variant{{SKU: "O-1", Price: "10.00"}}}})
	const header = "Handle,Title,Variant SKU,Variant Price,Unit Price Total Measure,Unit Price Total Measure Unit,Unit Price Base Measure,Unit Price Base Measure Unit\n"
	sheet := header +
		"oil,Oil,O-1,10.00,750,ml,1,l\n" +
		"rice,Rice,R-1,3.00,0.5,kg,100,g\n"
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	if p.Counts.Products.Create != 1 || res.Counts.Errors != 0 {
		t.Fatalf("plan %+v, run %+v", p.Counts, res.Counts)
	}
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{})
	if !strings.Contains(b.String(), `O-1 unitPrice: (none) → "750 ml per 1 l"`) {
		t.Errorf("plan lacks the unit price diff:\n%s", b.String())
	}
	want := "oil|O-1|750 ML per 1 L|shown=true\nrice|R-1|0.5 KG per 100 G|shown=true"
	if got := unitPriceState(h.sh); got != want {
		t.Fatalf("shop:\n%s\nwant:\n%s", got, want)
	}

	// The same sheet again, in other cases and forms: nothing to write.
	assertNoWrites(t, h, sheet, h.opts())
	assertNoWrites(t, h, header+"oil,Oil,O-1,10.00,750.0,ML,1,L\nrice,Rice,R-1,3.00,\"0,5\",Kg,100,G\n", h.opts())
	// Blank cells leave the store alone.
	assertNoWrites(t, h, header+"oil,Oil,O-1,10.00,,,,\n", h.opts())

	// A change: one variant update, with the old value and the new.
	n := h.sh.Stats().Mutations["productVariantsBulkUpdate"]
	p2, res2 := h.sync(t, readCSV(t, header+"oil,Oil,O-1,10.00,500,ml,100,ml\n"), h.opts())
	if p2.Counts.Changes != 1 || len(p2.Products) != 1 || len(p2.Products[0].Variants) != 1 {
		t.Fatalf("change: %+v", p2.Counts)
	}
	fc := p2.Products[0].Variants[0].Fields
	if len(fc) != 1 || fc[0].Field != FieldUnitPrice || fc[0].Old != "750 ml per 1 l" || fc[0].New != "500 ml per 100 ml" || fc[0].Cell.Column != "Unit Price Total Measure" {
		t.Fatalf("change %+v", fc)
	}
	if got := h.sh.Stats().Mutations["productVariantsBulkUpdate"] - n; got != 1 {
		t.Fatalf("%d productVariantsBulkUpdate calls, want 1", got)
	}
	if got := unitPriceState(h.sh); !strings.Contains(got, "oil|O-1|500 ML per 100 ML|shown=true") {
		t.Fatalf("after the change:\n%s", got)
	}

	// Undo restores the value before; verify reads it back.
	undoRun(t, h, res2.RunID)
	if got := unitPriceState(h.sh); got != want {
		t.Fatalf("after undo:\n%s\nwant:\n%s", got, want)
	}

	// Export writes the four columns; syncing it back writes nothing.
	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit",
		",750,ml,1,l,", ",0.5,kg,100,g,"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("export lacks %q:\n%s", w, buf.String())
		}
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})

	// Blank means clear: the API documents no way to remove a measurement,
	// so the unit price is hidden (and the preview says so).
	cat, err := source.ReadCSV(strings.NewReader(header+"oil,Oil,O-1,10.00,,,,\n"), source.Options{BlankClears: true})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	if !strings.Contains(strings.Join(cat.Notes, "\n"), "documents no way to remove") {
		t.Errorf("notes %q", cat.Notes)
	}
	p3, _ := h.sync(t, cat, h.opts())
	if fc := p3.Products[0].Variants[0].Fields; len(fc) != 1 || fc[0].Old != "750 ml per 1 l" || fc[0].New != "" {
		t.Fatalf("clear: %+v", fc)
	}
	if got := unitPriceState(h.sh); !strings.Contains(got, "oil|O-1|750 ML per 1 L|shown=false") {
		t.Fatalf("after clearing:\n%s", got)
	}
	// A hidden unit price reads as none: the cleared sheet syncs to nothing,
	// and the first run's undo (the oil had none) finds nothing changed since.
	assertNoWrites(t, h, header+"oil,Oil,O-1,10.00,,,,\n", h.opts())
	p4, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if p4.Counts.Changes != 1 || !strings.Contains(unitPriceState(h.sh), "oil|O-1|750 ML per 1 L|shown=true") {
		t.Fatalf("showing it again: %+v\n%s", p4.Counts, unitPriceState(h.sh))
	}
}

// TestUnitPriceRefusedByTheStore: fakeshop refuses what Shopify can't
// take, with a userError on the variant, rather than store it.
func TestUnitPriceRefusedByTheStore(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{Handle: "oil", Title: "Oil", Variants: []fakeshop.Variant{{SKU: "O-1", Price: "10.00"}}}})
	snap, err := h.st.AllProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pid, vid := snap[0].ID, snap[0].Variants[0].ID
	for _, bad := range []string{"250 ml per 1 kg", "0 ml per 1 l", "250 ml per 0 l"} {
		in := VariantInput{ID: vid, Extra: map[string]string{FieldUnitPrice: bad}}
		err := h.st.VariantsUpdate(ctx, pid, []VariantInput{in})
		if _, ok := itemErrors(err); !ok {
			t.Errorf("%s: accepted (%v)", bad, err)
		}
	}
	if got := unitPriceState(h.sh); got != "oil|O-1|none|shown=false" {
		t.Errorf("the store took a bad measurement: %s", got)
	}
}

// TestBulkUnitPrices: unit prices go through the bulk JSONL path like any
// variant field, and are undone through it.
func TestBulkUnitPrices(t *testing.T) {
	const n = 300
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	h.eng.BulkUpdates = true
	seedShop(h.sh, n, 1, "10.00")
	var b strings.Builder
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit\n")
	for i := range n {
		fmt.Fprintf(&b, "prod-%d,Product %d,Size,S0,SKU-%d-0,%d,g,1,kg\n", i, i, i, 100+i)
	}
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, b.String()), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if up := p.UpdatePath; up == nil || up.Path != PathBulk || up.Lines != n {
		t.Fatalf("path %+v", p.UpdatePath)
	}
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("%v %+v", err, res)
	}
	state := unitPriceState(h.sh)
	if st := h.sh.Stats(); st.BulkLines["productVariantsBulkUpdate"] != n || strings.Count(state, "shown=true") != n ||
		!strings.Contains(state, "prod-7|SKU-7-0|107 G per 1 KG|shown=true") {
		t.Fatalf("bulk lines %d:\n%s", st.BulkLines["productVariantsBulkUpdate"], state)
	}
	undoRun(t, h, res.RunID)
	if got := unitPriceState(h.sh); strings.Count(got, "shown=false") != n {
		t.Fatalf("after undo:\n%s", got)
	}
}

// TestUnitPriceLostAnswerVerified: a unit price update whose answer is lost
// after Shopify applied it is verified by reading the variant back (the
// measurement and showUnitPrice as written), recorded done, and not sent
// again.
func TestUnitPriceLostAnswerVerified(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{Handle: "oil", Title: "Oil", Variants: []fakeshop.Variant{{SKU: "O-1", Price: "10.00"}}}})
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, "Handle,Variant SKU,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit\n"+
		"oil,O-1,750,ml,1,l\n"), h.opts())
	if err != nil || p.Counts.Changes != 1 {
		t.Fatalf("plan %+v %v", p.Counts, err)
	}
	h.sh.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultDrop, After: true})
	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) != 0 || res.Counts.Updated != 1 {
		t.Fatalf("run %+v %v", res, err)
	}
	st := h.sh.Stats()
	if st.Faults != 1 || st.Mutations["productVariantsBulkUpdate"] != 1 {
		t.Fatalf("faults %d, productVariantsBulkUpdate sent %d times, want once (verified, not resent)", st.Faults, st.Mutations["productVariantsBulkUpdate"])
	}
	if got := unitPriceState(h.sh); got != "oil|O-1|750 ML per 1 L|shown=true" {
		t.Fatalf("shop: %s", got)
	}
}
