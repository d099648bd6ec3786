package sync

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

func guardKinds(p *Plan) string {
	var ks []string
	for _, g := range p.Guards {
		ks = append(ks, g.Kind)
	}
	return strings.Join(ks, ",")
}

// TestGuards trips each guard, checks Apply refuses and holds the run, and
// that confirming applies it.
func TestGuards(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	ctx := context.Background()
	ten := func(i, j int) string { return "10.00" }
	stock := func(i, j int) int { return 5 }
	base := genCSV(10, 2, ten, stock)
	h.sync(t, readCSV(t, base), h.opts())

	cases := []struct {
		name, csv, want string
	}{
		{"small edit", genCSV(10, 2, func(i, j int) string {
			if i == 0 {
				return "11.00"
			}
			return "10.00"
		}, stock), ""},
		{"zero stock", genCSV(10, 2, ten, func(i, j int) int {
			if i < 6 {
				return 0
			}
			return 5
		}), GuardZeroStock},
		{"prices", genCSV(10, 2, func(i, j int) string { return "20.00" }, stock), GuardPriceChanges},
		{"missing SKUs", genCSV(3, 2, ten, stock), GuardMissingSKUs},
	}
	for _, tc := range cases {
		p, err := h.eng.Plan(ctx, h.st, readCSV(t, tc.csv), h.opts())
		if err != nil {
			t.Fatal(err)
		}
		if got := guardKinds(p); got != tc.want {
			t.Errorf("%s: guards %q, want %q", tc.name, got, tc.want)
		}
		if tc.want == "" {
			continue
		}
		before := h.mutations()
		res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{})
		if !errors.Is(err, ErrGuardsTripped) || res.State != state.RunHeld || h.mutations() != before {
			t.Fatalf("%s: apply without confirm: %v %+v (%d writes)", tc.name, err, res, h.mutations()-before)
		}
		// The held run keeps its plan for review.
		held, err := h.eng.LoadPlan(ctx, res.RunID)
		if err != nil || guardKinds(held) != tc.want {
			t.Fatalf("%s: held plan: %v", tc.name, err)
		}
		if _, err := h.eng.Resume(ctx, h.st, res.RunID, ApplyOptions{}); !errors.Is(err, ErrGuardsTripped) {
			t.Fatalf("%s: resume without confirm: %v", tc.name, err)
		}
	}
	// Confirming the zero-stock plan applies it.
	p, _ := h.eng.Plan(ctx, h.st, readCSV(t, cases[1].csv), h.opts())
	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
	if err != nil || res.State != state.RunFinished {
		t.Fatalf("confirmed: %v %+v", err, res)
	}
	if !strings.Contains(shopState(h.sh), "V prod-0|SKU-0-0||10.00||DENY|Size=S0|Main warehouse=0") {
		t.Fatal("confirmed plan not applied")
	}
}

// TestPlanDetails covers matching and errors on a seeded shop: a partial
// sheet by SKU and barcode, unknown SKUs, duplicate SKUs, a variant added
// to an existing product, a variant left out (never deleted), per-location
// quantities, and the explicit location rule.
func TestPlanDetails(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{
		Handle: "tee", Title: "Tee", Status: "ACTIVE",
		Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M", "L"}}},
		Variants: []fakeshop.Variant{
			{SKU: "T-S", Price: "10.00", InventoryPolicy: "DENY", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}},
				Tracked: true, Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 3}}},
			{SKU: "T-M", Barcode: "111", Price: "10.00", InventoryPolicy: "DENY", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "M"}},
				Tracked: true, Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 4}}},
			{SKU: "T-L", Price: "10.00", InventoryPolicy: "DENY", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "L"}},
				Tracked: true, Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 0}}},
		},
	}})

	// A partial supplier sheet: SKU or barcode, price, stock per location.
	partial := "SKU,Barcode,Price,Stock - Main warehouse,Stock - Shop floor\n" +
		"T-S,,12.00,3,2\n" +
		",111,10.00,9,0\n" +
		"NOPE,,1.00,1,1\n"
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, partial), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	_ = p.WriteText(&text, TextOptions{})
	for _, want := range []string{
		"price: 10.00 → 12.00", "available @ Shop floor: not stocked → 2", "available @ Main warehouse: 4 → 9",
		`no variant with SKU "NOPE" in the store`,
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("plan text lacks %q:\n%s", want, text.String())
		}
	}
	if _, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true}); err != nil {
		t.Fatal(err)
	}
	got := shopState(h.sh)
	for _, want := range []string{"|T-S||12.00||DENY|Size=S|Main warehouse=3,Shop floor=2", "|T-M|111|10.00||DENY|Size=M|Main warehouse=9"} {
		if !strings.Contains(got, want) {
			t.Errorf("shop lacks %q:\n%s", want, got)
		}
	}

	// A product sheet that leaves out T-L and adds XL: XL is created, T-L stays.
	full := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
		"tee,Tee,Size,S,T-S,12.00\n" +
		"tee,,,M,T-M,10.00\n" +
		"tee,,,XL,T-XL,11.00\n"
	h.sync(t, readCSV(t, full), h.opts())
	got = shopState(h.sh)
	if !strings.Contains(got, "|T-L|") || !strings.Contains(got, "|T-XL||11.00|") {
		t.Fatalf("variants after partial product sheet:\n%s", got)
	}

	// A single quantity column and several locations: an explicit location is required.
	o := h.opts()
	o.DefaultLocationID = ""
	if _, err := h.eng.Plan(ctx, h.st, readCSV(t, "SKU,Quantity\nT-S,1\n"), o); !errors.Is(err, ErrNoLocation) {
		t.Fatalf("no location: %v", err)
	}
}

// TestMissingProducts: products left out of the sheet stay by default, are
// archived or deleted when asked, and the archive can be undone.
func TestMissingProducts(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	ctx := context.Background()
	h.sync(t, readCSV(t, genCSV(4, 1, func(i, j int) string { return "10.00" }, func(i, j int) int { return 1 })), h.opts())
	short := readCSV(t, genCSV(3, 1, func(i, j int) string { return "10.00" }, func(i, j int) int { return 1 }))
	o := h.opts()
	o.Guards.MissingSKUs = -1
	if p, _ := h.sync(t, short, o); p.HasChanges() {
		t.Fatal("missing products acted on by default")
	}
	o.Missing = MissingArchive
	_, res := h.sync(t, short, o)
	if !strings.Contains(shopState(h.sh), "P prod-3|Product 3||Acme||a,b|ARCHIVED") {
		t.Fatalf("not archived:\n%s", shopState(h.sh))
	}
	up, err := h.eng.PlanUndo(ctx, h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Apply(ctx, h.st, up, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shopState(h.sh), "P prod-3|Product 3||Acme||a,b|ACTIVE") {
		t.Fatalf("archive not undone:\n%s", shopState(h.sh))
	}
	o.Missing = MissingDelete
	h.sync(t, short, o)
	if strings.Contains(shopState(h.sh), "prod-3") || len(h.sh.Snapshot()) != 3 {
		t.Fatalf("not deleted:\n%s", shopState(h.sh))
	}
}
