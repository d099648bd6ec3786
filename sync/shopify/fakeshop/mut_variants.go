package fakeshop

import (
	"fmt"
	"strings"
	"time"
)

// applyVariantFields copies the fields present in a variant input. The SKU comes from
// inventoryItem.sku (ProductVariantsBulkInput has no sku; FACTS §9) or, for productSet, sku.
func applyVariantFields(v *variant, in map[string]any, now time.Time) {
	if pr, ok := in["price"]; ok && pr != nil {
		v.price, _ = money(pr)
	}
	if c, ok := in["compareAtPrice"]; ok {
		if c == nil {
			v.compareAt = ""
		} else if m, ok := money(c); ok {
			v.compareAt = m
		}
	}
	if b, ok := in["barcode"]; ok {
		v.barcode = str(b)
	}
	if p, ok := in["inventoryPolicy"]; ok && p != nil {
		v.policy = str(p)
	}
	if s, ok := in["sku"]; ok {
		v.item.sku = str(s)
	}
	if ii := asMap(in["inventoryItem"]); ii != nil {
		if s, ok := ii["sku"]; ok {
			v.item.sku = str(s)
		}
		if t, ok := ii["tracked"].(bool); ok {
			v.item.tracked = t
		}
	}
	applyVariantExtras(v, in)
	v.updatedAt = now
}

func checkPrice(in map[string]any) bool {
	if pr, ok := in["price"]; ok && pr != nil {
		m, ok := money(pr)
		return ok && !strings.HasPrefix(m, "-")
	}
	return true
}

// mutVariantsBulkUpdate implements productVariantsBulkUpdate. Without allowPartialUpdates one
// bad variant blocks the whole call; with it the good ones are applied
// (https://shopify.dev/changelog/partial-updates-for-bulk-product-variants-mutation).
func mutVariantsBulkUpdate(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "ProductVariantsBulkUpdateUserError"
	p := ec.sh.cat.productByGID(str(a["productId"]))
	if p == nil {
		return obj("ProductVariantsBulkUpdatePayload", "product", nil, "productVariants", nil,
			"userErrors", []any{uerr(et, path("productId"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")}), nil
	}
	errs := []any{}
	type upd struct {
		v   *variant
		in  map[string]any
		sel []SelectedOption
	}
	var ok []upd
	for i, x := range asList(a["variants"]) {
		in := asMap(x)
		id := str(in["id"])
		v := ec.sh.cat.variantByGID(id)
		var sel []SelectedOption
		msg := ""
		switch {
		case id == "":
			errs = append(errs, uerr(et, path("variants", i, "id"), "Product variant is missing ID attribute", "PRODUCT_VARIANT_ID_MISSING"))
		case v == nil || v.product != p:
			errs = append(errs, uerr(et, path("variants", i, "id"), "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST"))
		case in["inventoryQuantities"] != nil:
			errs = append(errs, uerr(et, path("variants", i, "inventoryQuantities"),
				"Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.",
				"NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE"))
		case !checkPrice(in):
			errs = append(errs, uerr(et, path("variants", i, "price"), "Price must be greater than or equal to 0", "NEGATIVE_PRICE_VALUE"))
		case mediaErr(ec.sh.cat, p, in) != "":
			errs = append(errs, uerr(et, path("variants", i, "mediaId"), mediaErr(ec.sh.cat, p, in), "INVALID_INPUT"))
		case unitPriceErr(in) != "":
			errs = append(errs, uerr(et, path("variants", i, "unitPriceMeasurement"), unitPriceErr(in), "INVALID_INPUT"))
		default:
			if ov := asList(in["optionValues"]); ov != nil {
				code := ""
				if sel, msg, code = selectedFromInput(ov, nil, p, ec.sh.cat.linkedOf(p)); msg != "" {
					if code == "" {
						code = "OPTION_DOES_NOT_EXIST"
					}
					errs = append(errs, uerr(et, path("variants", i, "optionValues"), msg, code))
					continue
				}
				sel = mergeSelected(v.selected, sel)
			}
			ok = append(ok, upd{v: v, in: in, sel: sel})
		}
	}
	if len(errs) > 0 && a["allowPartialUpdates"] != true {
		return obj("ProductVariantsBulkUpdatePayload", "product", p, "productVariants", nil, "userErrors", errs), nil
	}
	var updated []any
	for _, u := range ok {
		applyVariantFields(u.v, u.in, ec.now)
		if _, m := variantMediaError(ec.sh.cat, p, u.in); m != nil {
			u.v.media = m
		}
		if u.sel != nil {
			u.v.selected = u.sel
			for _, so := range u.sel {
				p.addOptionValue(ec.sh.cat, so.Name, so.Value)
			}
			p.pruneOptionValues()
		}
		updated = append(updated, u.v)
	}
	if len(ok) > 0 {
		ec.touch(p)
	}
	return obj("ProductVariantsBulkUpdatePayload", "product", p, "productVariants", updated, "userErrors", errs), nil
}

func mergeSelected(old, upd []SelectedOption) []SelectedOption {
	out := append([]SelectedOption(nil), old...)
	for _, u := range upd {
		for i := range out {
			if strings.EqualFold(out[i].Name, u.Name) {
				out[i].Value = u.Value
			}
		}
	}
	return out
}

// mutVariantsBulkCreate implements productVariantsBulkCreate with its standalone-variant
// strategies (ProductVariantsBulkCreateStrategy in the schema).
func mutVariantsBulkCreate(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "ProductVariantsBulkCreateUserError"
	cat := ec.sh.cat
	p := cat.productByGID(str(a["productId"]))
	fail := func(errs []any) (any, error) {
		return obj("ProductVariantsBulkCreatePayload", "product", p, "productVariants", nil, "userErrors", errs), nil
	}
	if p == nil {
		return fail([]any{uerr(et, path("productId"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")})
	}
	inputs := asList(a["variants"])
	strategy := str(a["strategy"])
	standalone := len(p.variants) == 1
	isDefault := standalone && p.variants[0].title() == "Default Title"
	removeStandalone := (strategy == "" || strategy == "DEFAULT") && isDefault ||
		strategy == "REMOVE_STANDALONE_VARIANT" && standalone
	// A product that only has the default Title option takes its options from the input.
	var optNames []string
	if isDefault && removeStandalone {
		for _, x := range inputs {
			for _, ov := range asList(asMap(x)["optionValues"]) {
				n := str(asMap(ov)["optionName"])
				dup := false
				for _, o := range optNames {
					dup = dup || strings.EqualFold(o, n)
				}
				if !dup && n != "" {
					optNames = append(optNames, n)
				}
			}
		}
		if len(optNames) > maxOptions {
			return fail([]any{uerr(et, path("variants"), fmt.Sprintf("Options count is over the allowed limit of %d.", maxOptions), "INVALID_INPUT")})
		}
	}
	existing := map[string]bool{}
	if !removeStandalone {
		for _, v := range p.variants {
			existing[v.optionKey()] = true
		}
	}
	total := len(inputs)
	if !removeStandalone {
		total += len(p.variants)
	}
	if total > maxVariants {
		return fail([]any{uerr(et, path("variants"), fmt.Sprintf("Product can have at most %d variants.", maxVariants), "INVALID_INPUT")})
	}
	var errs []any
	sels := make([][]SelectedOption, len(inputs))
	var linked map[string]entryNamer
	if optNames == nil {
		linked = cat.linkedOf(p)
	}
	for i, x := range inputs {
		in := asMap(x)
		sel, msg, code := selectedFromInput(asList(in["optionValues"]), optNames, p, linked)
		if msg != "" {
			if code == "" {
				code = "INVALID_INPUT"
			}
			errs = append(errs, uerr(et, path("variants", i, "optionValues"), msg, code))
			continue
		}
		key := (&variant{selected: sel}).optionKey()
		if existing[key] {
			errs = append(errs, uerr(et, path("variants", i), fmt.Sprintf("The variant '%s' already exists.", (&variant{selected: sel}).title()), "VARIANT_ALREADY_EXISTS"))
			continue
		}
		existing[key] = true
		if !checkPrice(in) {
			errs = append(errs, uerr(et, path("variants", i, "price"), "Price must be greater than or equal to 0", "NEGATIVE_PRICE_VALUE"))
			continue
		}
		if msg := mediaErr(cat, p, in); msg != "" { // mediaId: one of the product's READY images (media.go)
			errs = append(errs, uerr(et, path("variants", i, "mediaId"), msg, "INVALID_INPUT"))
			continue
		}
		if msg := unitPriceErr(in); msg != "" {
			errs = append(errs, uerr(et, path("variants", i, "unitPriceMeasurement"), msg, "INVALID_INPUT"))
			continue
		}
		for j, q := range asList(in["inventoryQuantities"]) {
			if cat.location(str(asMap(q)["locationId"])) == nil {
				errs = append(errs, uerr(et, path("variants", i, "inventoryQuantities", j, "locationId"),
					"Location does not exist", "TRACKED_VARIANT_LOCATION_NOT_FOUND"))
			}
		}
		sels[i] = sel
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	if err := ec.sh.takeVariantCreates(ec.now, len(inputs)); err != nil { // daylimit.go
		return nil, err
	}
	if removeStandalone {
		for _, v := range p.variants {
			cat.dropVariant(v)
		}
		p.variants = nil
		if optNames != nil {
			p.options = nil
			for _, n := range optNames {
				p.options = append(p.options, &option{id: cat.newID(), name: n})
			}
		}
	}
	var created []any
	for i, x := range inputs {
		in := asMap(x)
		v := cat.newVariant(p, ec.now, nil)
		for _, q := range asList(in["inventoryQuantities"]) {
			qm := asMap(q)
			lv := cat.stock(v.item, cat.location(str(qm["locationId"])), ec.now)
			n, _ := toInt(qm["availableQuantity"])
			lv.setAvailable(n)
		}
		if len(v.item.levels) == 0 && len(cat.locations) > 0 {
			cat.stock(v.item, cat.locations[0], ec.now)
		}
		v.selected = sels[i]
		applyVariantFields(v, in, ec.now)
		if _, m := variantMediaError(cat, p, in); m != nil {
			v.media = m
		}
		for _, so := range v.selected {
			p.addOptionValue(cat, so.Name, so.Value)
		}
		p.variants = append(p.variants, v)
		created = append(created, v)
	}
	p.pruneOptionValues()
	p.renumber()
	ec.touch(p)
	return obj("ProductVariantsBulkCreatePayload", "product", p, "productVariants", created, "userErrors", []any{}), nil
}

func mutVariantsBulkDelete(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "ProductVariantsBulkDeleteUserError"
	p := ec.sh.cat.productByGID(str(a["productId"]))
	if p == nil {
		return obj("ProductVariantsBulkDeletePayload", "product", nil,
			"userErrors", []any{uerr(et, path("productId"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")}), nil
	}
	drop := map[*variant]bool{}
	for _, id := range toAnySliceOfStrings(a["variantsIds"]) {
		v := ec.sh.cat.variantByGID(id)
		if v == nil || v.product != p {
			return obj("ProductVariantsBulkDeletePayload", "product", p, "userErrors", []any{uerr(et, path("variantsIds"),
				"At least one variant does not belong to the product", "AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT")}), nil
		}
		drop[v] = true
	}
	if len(drop) >= len(p.variants) {
		return obj("ProductVariantsBulkDeletePayload", "product", p, "userErrors", []any{uerr(et, path("variantsIds"),
			"Cannot delete the last variant of a product", "CANNOT_DELETE_LAST_VARIANT")}), nil
	}
	kept := p.variants[:0]
	for _, v := range p.variants {
		if drop[v] {
			ec.sh.cat.dropVariant(v)
		} else {
			kept = append(kept, v)
		}
	}
	p.variants = kept
	p.pruneOptionValues()
	p.renumber()
	ec.touch(p)
	return obj("ProductVariantsBulkDeletePayload", "product", p, "userErrors", []any{}), nil
}
