package fakeshop

import "testing"

// On hand is available + committed + unavailable: setting on_hand moves
// available by the same amount, and committed and unavailable stay.
func TestSetOnHandKeepsCommittedAndUnavailable(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Seed([]Product{{Handle: "tee", Title: "Tee", Variants: []Variant{{SKU: "T",
		Levels: []InventoryLevel{{LocationID: "Main warehouse", Available: 7, Committed: 2, Unavailable: 1}}}}}})
	v := sh.Snapshot()[0].Variants[0]
	if l := v.Levels[0]; l.OnHand != 10 {
		t.Fatalf("seeded %+v", l)
	}
	in := qtyInput(v.InventoryItemID, sh.Locations()[0].ID, 12, 10, false)
	in["name"] = "on_hand"
	r := gql(t, sh, tok, setQtyDoc, map[string]any{"input": in, "key": "k"})["inventorySetQuantities"]
	if errs := dig(r, "userErrors").([]any); len(errs) != 0 {
		t.Fatalf("%v", errs)
	}
	l := sh.Snapshot()[0].Variants[0].Levels[0]
	if l.OnHand != 12 || l.Available != 9 || l.Committed != 2 || l.Unavailable != 1 {
		t.Errorf("after setting on hand to 12: %+v", l)
	}
	d := gql(t, sh, tok, `query($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 1) { nodes { quantities(names: ["available", "on_hand", "committed", "reserved"]) { name quantity } } } } }`,
		map[string]any{"id": v.InventoryItemID})
	qs := dig(d, "inventoryItem", "inventoryLevels", "nodes", 0, "quantities").([]any)
	want := map[string]float64{"available": 9, "on_hand": 12, "committed": 2, "reserved": 1}
	for _, q := range qs {
		if n := dig(q, "name").(string); dig(q, "quantity") != want[n] {
			t.Errorf("%s = %v, want %v", n, dig(q, "quantity"), want[n])
		}
	}
}
