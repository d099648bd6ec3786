package sync

import (
	"slices"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Which inventory quantity a sheet sets. A sheet with an On hand column
// (Shopify's inventory export, "edit only the On hand values",
// https://help.shopify.com/en/manual/products/inventory/inventory-csv) sets
// on hand; every other sheet sets available. inventorySetQuantities takes
// either name ("The only accepted values are: available or on_hand",
// InventorySetQuantitiesInput.name, 2026-04 schema), and setting on hand
// moves available by the same amount (on hand = available + committed +
// unavailable). A new level (not stocked before) has nothing committed or
// unavailable, so creating or activating with the sheet's number sets both.

// FieldOnHand is the journal field of an on-hand quantity at a location
// (FieldAvailable is the available one).
const FieldOnHand = "onHand"

// quantityName normalises a quantity name: "" is available.
func quantityName(name string) string {
	if name == catalog.QuantityOnHand {
		return catalog.QuantityOnHand
	}
	return ""
}

// quantityField is the journal field of a quantity name.
func quantityField(name string) string {
	if quantityName(name) == catalog.QuantityOnHand {
		return FieldOnHand
	}
	return FieldAvailable
}

// quantityOfField is the quantity name of a journal field.
func quantityOfField(field string) string {
	if field == FieldOnHand {
		return catalog.QuantityOnHand
	}
	return ""
}

// isQuantityField reports a journal field that is a quantity at a location.
func isQuantityField(field string) bool { return field == FieldAvailable || field == FieldOnHand }

// QuantityLabel names a quantity for people: "available" or "on hand".
func QuantityLabel(name string) string {
	if quantityName(name) == catalog.QuantityOnHand {
		return "on hand"
	}
	return "available"
}

// quantity is the variant's quantity of this name at a location, and
// whether the item is stocked there.
func (v *SnapVariant) quantity(name, loc string) (int, bool) {
	l, ok := v.level(loc)
	if quantityName(name) == catalog.QuantityOnHand {
		return l.OnHand, ok
	}
	return l.Available, ok
}

// currentQuantityNamed is currentQuantity for a quantity name.
func currentQuantityNamed(cur *snapshot, variantID, locationID, name string) (int, bool) {
	if cur == nil {
		return 0, false
	}
	for _, p := range cur.products {
		if v := findVariant(p, variantID); v != nil {
			return v.quantity(name, locationID)
		}
	}
	return 0, false
}

// quantityNote says in the plan which quantity the sheet sets, when it is on hand.
func quantityNote(name string) string {
	if quantityName(name) != catalog.QuantityOnHand {
		return ""
	}
	return "quantities set On hand (available + committed + unavailable), as Shopify's inventory import does; available moves by the same amount"
}

// trackedOnCreate is whether a variant created from sv has its inventory
// tracked: as the sheet's Inventory tracker says, else tracked. Shopify
// documents no default for InventoryItemInput.tracked (2026-04 schema), and an
// untracked variant sells without limit while the sheet shows stock, so it
// is always sent.
func trackedOnCreate(sv *catalog.Variant) *bool {
	t := true
	if sv.Tracked != nil {
		t = *sv.Tracked
	}
	return &t
}

// untrackedNote tells a variant that will be created untracked ("" otherwise).
func untrackedNote(in *VariantInput) string {
	if in.Tracked != nil && !*in.Tracked {
		return "inventory not tracked (the sheet's inventory tracker is blank): it sells without a stock limit"
	}
	return ""
}

// Fulfillment services' (3PLs') legacy locations: the locations query leaves
// them out unless includeLegacy is true (2026-04 schema), but an item's
// inventory levels include them, so the client counts them (F10) and the
// plan names them as such.

// locationLabel names a location for the preview: a fulfillment service's
// is marked.
func locationLabel(l Location) string {
	if l.FulfillmentService {
		return l.Name + " (fulfillment service)"
	}
	return l.Name
}

// fulfillmentNotes warns once per fulfillment-service location the sheet
// sets quantities at: the service usually reports its own stock.
func fulfillmentNotes(r *locationResolver, locs []Location) []string {
	var ids []string
	for _, id := range r.ids {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var notes []string
	for _, l := range locs {
		if l.FulfillmentService && slices.Contains(ids, l.ID) {
			notes = append(notes, "quantities at "+l.Name+" are set although it is a fulfillment service's location: the service usually reports its own stock and may overwrite them")
		}
	}
	return notes
}
