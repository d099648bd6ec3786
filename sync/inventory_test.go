package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// Shopify's inventory export, edited: On hand goes up at Main warehouse and
// Shop floor is "Not stocked" for the M. The sync sets on hand (never
// available) per location, and the preview says which quantity it sets.
func TestInventoryCSVSetsOnHandPerLocation(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1000)
	h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee", Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M"}}},
		Variants: []fakeshop.Variant{
			{SKU: "TEE-S", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}},
				Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 7, Committed: 2, Unavailable: 1}, {LocationID: "Shop floor", Available: 3}}},
			{SKU: "TEE-M", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "M"}},
				Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 4}}},
		}}})
	in := "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,SKU,HS Code,COO,Location,Incoming,Unavailable,Committed,Available,On hand\n" +
		"tee,Tee,Size,S,,,,,TEE-S,,,Main warehouse,0,1,2,7,12\n" +
		"tee,Tee,Size,S,,,,,TEE-S,,,Shop floor,0,0,0,3,3\n" +
		"tee,Tee,Size,M,,,,,TEE-M,,,Main warehouse,0,0,0,4,6\n" +
		"tee,Tee,Size,M,,,,,TEE-M,,,Shop floor,0,0,0,not stocked,not stocked\n"
	cat := readCSV(t, in)
	p, err := h.eng.Plan(context.Background(), h.st, cat, Options{StoreID: h.storeID})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	_ = p.WriteText(&text, TextOptions{})
	for _, want := range []string{"on hand @ Main warehouse: 10 → 12", "on hand @ Main warehouse: 4 → 6", "quantities set On hand"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("preview lacks %q:\n%s", want, text.String())
		}
	}
	// Two locations and none chosen: each row names its own, and the preview says so.
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "quantities go to the locations the sheet names (Main warehouse, Shop floor), so no location needs choosing") {
		t.Errorf("notes %q", p.Notes)
	}
	if p.Counts.Changes != 2 || p.Counts.Products.Create != 0 {
		t.Errorf("counts %+v", p.Counts)
	}
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) > 0 {
		t.Fatal(err, res.Problems)
	}
	got := map[string]fakeshop.InventoryLevel{}
	locName := map[string]string{}
	for _, l := range h.sh.Locations() {
		locName[l.ID] = l.Name
	}
	for _, v := range h.sh.Snapshot()[0].Variants {
		for _, l := range v.Levels {
			got[v.SKU+"@"+locName[l.LocationID]] = l
		}
	}
	if l := got["TEE-S@Main warehouse"]; l.OnHand != 12 || l.Available != 9 {
		t.Errorf("TEE-S at Main warehouse: on hand %d, available %d; want 12 and 9 (committed 2, unavailable 1)", l.OnHand, l.Available)
	}
	if l := got["TEE-M@Main warehouse"]; l.OnHand != 6 || l.Available != 6 {
		t.Errorf("TEE-M at Main warehouse %+v", l)
	}
	if _, stocked := got["TEE-M@Shop floor"]; stocked {
		t.Error("Not stocked was stocked")
	}
	// Undo puts on hand back.
	up, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Apply(context.Background(), h.st, up, ApplyOptions{Confirm: true}); err != nil {
		t.Fatal(err)
	}
	for _, v := range h.sh.Snapshot()[0].Variants {
		if v.SKU == "TEE-S" && (v.Levels[0].OnHand != 10 || v.Levels[0].Available != 7) {
			t.Errorf("after undo %+v", v.Levels[0])
		}
	}
	if cat.QuantityName != catalog.QuantityOnHand {
		t.Error(cat.QuantityName)
	}
}

// Created variants are tracked as the sheet's Variant Inventory Tracker says
// (shopify: tracked, blank: not, as in Shopify's CSV), and tracked when the
// sheet has no such column; tracked is always sent, as Shopify documents no
// default (the simulator leaves an unsent one untracked).
func TestCreatedVariantsTracking(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1000)
	in := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Tracker,Variant Inventory Qty\n" +
		"tee,Tee,Size,S,TEE-S,10,shopify,4\n" +
		"tee,,,M,TEE-M,10,,0\n"
	p, res := h.sync(t, readCSV(t, in), h.opts())
	if len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	if m := p.Products[0].Variants[1].Message; !strings.Contains(m, "inventory not tracked") {
		t.Errorf("preview of TEE-M: %q", m)
	}
	h.sync(t, readCSV(t, "Handle,Title,Variant SKU,Variant Price\nmug,Mug,MUG,5\n"), h.opts())
	tracked := map[string]bool{}
	for _, pr := range h.sh.Snapshot() {
		for _, v := range pr.Variants {
			tracked[v.SKU] = v.Tracked
		}
	}
	if !tracked["TEE-S"] || tracked["TEE-M"] || !tracked["MUG"] {
		t.Errorf("tracked %v, want TEE-S and MUG tracked, TEE-M not", tracked)
	}
}

// A fulfillment service's (3PL's) location is left out of "locations" by
// default, but its level is among an item's inventory levels. The levels
// page must count it, or a level at a normal location falls off and is
// planned as a new activation; the 3PL's location is shown as such.
func TestFulfillmentServiceLocationLevels(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1000)
	h.sh.AddFulfillmentServiceLocation("Acme 3PL")
	h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee", Variants: []fakeshop.Variant{{SKU: "TEE",
		Levels: []fakeshop.InventoryLevel{{LocationID: "Acme 3PL", Available: 40}, {LocationID: "Main warehouse", Available: 1}, {LocationID: "Shop floor", Available: 5}}}}}})
	cat := readCSV(t, "SKU,Stock - Shop floor,Stock - Acme 3PL\nTEE,6,41\n")
	p, err := h.eng.Plan(context.Background(), h.st, cat, Options{StoreID: h.storeID})
	if err != nil {
		t.Fatal(err)
	}
	qs := map[string]QuantityChange{}
	for _, q := range p.Loose[0].Quantities {
		qs[q.Location] = q
	}
	if q := qs["Shop floor"]; q.Old == nil || *q.Old != 5 {
		t.Errorf("Shop floor: %+v (its level was not read)", q)
	}
	if q := qs["Acme 3PL (fulfillment service)"]; q.Old == nil || *q.Old != 40 {
		t.Errorf("Acme 3PL: %+v", qs)
	}
	fs := 0
	for _, l := range p.Locations {
		if l.FulfillmentService {
			fs++
		}
	}
	if fs != 1 || !slicesContainsPrefix(p.Notes, "quantities at Acme 3PL are set although it is a fulfillment service") {
		t.Errorf("locations %+v, notes %q", p.Locations, p.Notes)
	}
	// A single quantity column never goes to the 3PL by default.
	r, _, err := newLocationResolver(readCSV(t, "SKU,Stock\nTEE,1\n"), []Location{{ID: "a", Name: "Main", IsActive: true}, {ID: "b", Name: "Acme 3PL", IsActive: true, FulfillmentService: true}}, Options{})
	if err != nil || r.ids[catalog.DefaultLocation] != "a" {
		t.Errorf("default location %v %v", r, err)
	}
}

func slicesContainsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
