package fakeshop

import "testing"

// A fulfillment service's location is listed only with includeLegacy: true,
// and says so; an item's inventory levels include it either way.
func TestFulfillmentServiceLocations(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.AddFulfillmentServiceLocation("Acme 3PL")
	sh.Seed([]Product{{Handle: "tee", Title: "Tee", Variants: []Variant{{SKU: "T",
		Levels: []InventoryLevel{{LocationID: "Acme 3PL", Available: 4}, {LocationID: "Main warehouse", Available: 1}}}}}})
	const q = `query($legacy: Boolean) { locations(first: 10, includeLegacy: $legacy) { nodes { name isFulfillmentService } } }`
	count := func(legacy bool) (n, fs int) {
		for _, l := range dig(gql(t, sh, tok, q, map[string]any{"legacy": legacy}), "locations", "nodes").([]any) {
			n++
			if dig(l, "isFulfillmentService") == true {
				fs++
			}
		}
		return n, fs
	}
	if n, fs := count(false); n != 2 || fs != 0 {
		t.Errorf("default: %d locations, %d fulfillment services", n, fs)
	}
	if n, fs := count(true); n != 3 || fs != 1 {
		t.Errorf("includeLegacy: %d locations, %d fulfillment services", n, fs)
	}
	d := gql(t, sh, tok, `query($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 5) { nodes { location { id } } } } }`,
		map[string]any{"id": sh.Snapshot()[0].Variants[0].InventoryItemID})
	if n := len(dig(d, "inventoryItem", "inventoryLevels", "nodes").([]any)); n != 2 {
		t.Errorf("levels %d", n)
	}
}
