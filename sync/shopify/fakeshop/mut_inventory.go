package fakeshop

import (
	"fmt"
)

// validReasons are the documented reasons for quantity changes
// (https://shopify.dev/docs/apps/fulfillment/inventory-management-apps/quantities-states).
var validReasons = map[string]bool{
	"correction": true, "cycle_count_available": true, "damaged": true, "movement_created": true,
	"movement_updated": true, "movement_received": true, "movement_canceled": true, "other": true,
	"promotion": true, "quality_control": true, "received": true, "reservation_created": true,
	"reservation_deleted": true, "reservation_updated": true, "restock": true, "safety_stock": true,
	"shrinkage": true,
}

const maxQuantity = 1_000_000_000 // InventorySetQuantitiesUserErrorCode docs (FACTS §9)

// mutInventorySetQuantities sets absolute quantities with Shopify's compare-and-swap rules:
// from 2026-04 every quantity must carry changeFromQuantity (explicit null opts out); 2026-01
// accepts it or falls back to compareQuantity/ignoreCompareQuantity; older versions use only
// the latter (https://shopify.dev/changelog/finalizing-compare-and-swap-redesign-for-inventory-set-quantities).
// All or nothing: one bad quantity leaves every level untouched.
func mutInventorySetQuantities(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "InventorySetQuantitiesUserError"
	in := asMap(a["input"])
	cat := ec.sh.cat
	var errs []any
	add := func(field []string, msg, code string) { errs = append(errs, uerr(et, field, msg, code)) }
	name := str(in["name"])
	if name != "available" && name != "on_hand" {
		add(path("input", "name"), "The quantity name must be either 'available' or 'on_hand'.", "INVALID_NAME")
	}
	if !validReasons[str(in["reason"])] {
		add(path("input", "reason"), "The specified reason is invalid.", "INVALID_REASON")
	}
	type change struct {
		lv  *level
		qty int
	}
	var changes []change
	seen := map[*level]bool{}
	for i, x := range asList(in["quantities"]) {
		q := asMap(x)
		it := cat.itemByGID(str(q["inventoryItemId"]))
		loc := cat.location(str(q["locationId"]))
		qty, _ := toInt(q["quantity"])
		switch {
		case it == nil:
			add(path("input", "quantities", i, "inventoryItemId"), "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM")
			continue
		case loc == nil:
			add(path("input", "quantities", i, "locationId"), "The specified location could not be found.", "INVALID_LOCATION")
			continue
		case qty > maxQuantity:
			add(path("input", "quantities", i, "quantity"), fmt.Sprintf("The quantity can't be higher than %d.", maxQuantity), "INVALID_QUANTITY_TOO_HIGH")
			continue
		case qty < -maxQuantity:
			add(path("input", "quantities", i, "quantity"), fmt.Sprintf("The quantity can't be lower than -%d.", maxQuantity), "INVALID_QUANTITY_TOO_LOW")
			continue
		}
		lv := it.levelAt(loc)
		if lv == nil {
			add(path("input", "quantities", i, "locationId"), "The specified inventory item is not stocked at the location.", "ITEM_NOT_STOCKED_AT_LOCATION")
			continue
		}
		if seen[lv] {
			add(path("input", "quantities", i), "The combination of inventoryItemId and locationId must be unique.", "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR")
			continue
		}
		seen[lv] = true
		current := lv.available
		if name == "on_hand" {
			current = lv.onHand
		}
		if field, msg, code := ec.casCheck(q, in, current); code != "" {
			add(path("input", "quantities", i, field), msg, code)
			continue
		}
		changes = append(changes, change{lv: lv, qty: qty})
	}
	if len(errs) > 0 {
		return obj("InventorySetQuantitiesPayload", "inventoryAdjustmentGroup", nil, "userErrors", errs), nil
	}
	var list []any
	for _, c := range changes {
		lv := c.lv
		var delta int
		if name == "available" {
			delta = c.qty - lv.available
		} else {
			delta = c.qty - lv.onHand
		}
		lv.available += delta
		lv.onHand += delta
		lv.updatedAt = ec.now
		other := "on_hand"
		if name == "on_hand" {
			other = "available"
		}
		after := map[string]int{"available": lv.available, "on_hand": lv.onHand}
		for _, n := range []string{name, other} {
			list = append(list, obj("InventoryChange", "name", n, "delta", delta, "quantityAfterChange", after[n],
				"ledgerDocumentUri", nil, "item", lv.item, "location", lv.loc))
		}
		ec.touch(lv.item.variant.product)
	}
	group := obj("InventoryAdjustmentGroup", "id", gid("InventoryAdjustmentGroup", cat.newID()),
		"createdAt", ts(ec.now), "reason", str(in["reason"]), "referenceDocumentUri", in["referenceDocumentUri"], "changes", list)
	return obj("InventorySetQuantitiesPayload", "inventoryAdjustmentGroup", group, "userErrors", []any{}), nil
}

// casCheck applies the compare-and-swap rules of the request's API version.
func (ec *execCtx) casCheck(q, in map[string]any, current int) (field, msg, code string) {
	if cf, present := q["changeFromQuantity"]; present && ec.version >= "2026-01" {
		if cf == nil {
			return "", "", ""
		}
		if n, _ := toInt(cf); n != current {
			return "changeFromQuantity", "The specified compare quantity does not match the current quantity.", "CHANGE_FROM_QUANTITY_STALE"
		}
		return "", "", ""
	}
	if ec.version >= "2026-04" {
		// Omitting changeFromQuantity is an error in 2026-04; the exact code is UNCONFIRMED, the
		// enum's COMPARE_QUANTITY_REQUIRED is the closest.
		return "changeFromQuantity", "The changeFromQuantity field is required. Pass null to skip the compare-and-swap check.", "COMPARE_QUANTITY_REQUIRED"
	}
	if in["ignoreCompareQuantity"] == true {
		return "", "", ""
	}
	cq, present := q["compareQuantity"]
	if !present || cq == nil {
		return "compareQuantity", "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.", "COMPARE_QUANTITY_REQUIRED"
	}
	if n, _ := toInt(cq); n != current {
		return "compareQuantity", "The specified compare quantity does not match the current quantity.", "COMPARE_QUANTITY_STALE"
	}
	return "", "", ""
}

// mutInventoryActivate stocks an item at a location (idempotent when already stocked).
func mutInventoryActivate(ec *execCtx, _ any, a map[string]any) (any, error) {
	cat := ec.sh.cat
	it := cat.itemByGID(str(a["inventoryItemId"]))
	loc := cat.location(str(a["locationId"]))
	if it == nil {
		return obj("InventoryActivatePayload", "inventoryLevel", nil, "userErrors",
			[]any{uerr("UserError", path("inventoryItemId"), "Inventory item does not exist", "")}), nil
	}
	if loc == nil {
		return obj("InventoryActivatePayload", "inventoryLevel", nil, "userErrors",
			[]any{uerr("UserError", path("locationId"), "Location does not exist", "")}), nil
	}
	fresh := it.levelAt(loc) == nil
	lv := cat.stock(it, loc, ec.now)
	if n, ok := toInt(a["available"]); ok && fresh {
		lv.setAvailable(n)
	}
	if n, ok := toInt(a["onHand"]); ok && fresh {
		lv.setOnHand(n)
	}
	lv.updatedAt = ec.now
	return obj("InventoryActivatePayload", "inventoryLevel", lv, "userErrors", []any{}), nil
}
