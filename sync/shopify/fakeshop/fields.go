package fakeshop

import (
	"encoding/json"
	"strconv"
)

// Product SEO and gift card, variant tax, and the inventory item's weight,
// cost, shipping and customs fields, as the Admin API 2026-04 schema defines
// them (admin-2026-04.graphql: Product.seo: SEO!, Product.isGiftCard,
// ProductSetInput.seo/giftCard, ProductVariant.taxable, InventoryItem
// .requiresShipping/.harmonizedSystemCode/.countryCodeOfOrigin/.unitCost/
// .measurement, InventoryItemInput.cost/.measurement/.requiresShipping/
// .harmonizedSystemCode/.countryCodeOfOrigin).

// Weight is an inventory item's weight (enum WeightUnit: GRAMS, KILOGRAMS, OUNCES, POUNDS).
type Weight struct {
	Value float64
	Unit  string
}

// UnitPrice is a variant's unit price measurement (ProductVariant
// .unitPriceMeasurement), units as the enum UnitPriceMeasurementMeasuredUnit
// names them.
type UnitPrice struct {
	QuantityValue  float64
	QuantityUnit   string
	ReferenceValue int
	ReferenceUnit  string
}

// measuredTypes is the measured type (enum UnitPriceMeasurementMeasuredType)
// of each unit of enum UnitPriceMeasurementMeasuredUnit, as the enum's
// descriptions group them ("1000 milliliters equals 1 liter", "16 ounces
// equals 1 pound", …; 2026-04 schema). UNKNOWN ("Upgrade to the latest
// version of the API") is not an input.
var measuredTypes = map[string]string{
	"ML": "VOLUME", "CL": "VOLUME", "L": "VOLUME", "M3": "VOLUME", "FLOZ": "VOLUME", "PT": "VOLUME", "QT": "VOLUME", "GAL": "VOLUME",
	"MG": "WEIGHT", "G": "WEIGHT", "KG": "WEIGHT", "OZ": "WEIGHT", "LB": "WEIGHT",
	"MM": "LENGTH", "CM": "LENGTH", "M": "LENGTH", "IN": "LENGTH", "FT": "LENGTH", "YD": "LENGTH",
	"M2": "AREA", "FT2": "AREA", "ITEM": "COUNT",
}

// unitPriceErr checks a variant input's unitPriceMeasurement. Shopify
// computes a unit price by converting the quantity into the reference unit
// ("$9.99 / 100ml", UnitPriceMeasurement's description), and its admin
// asks for all four values; what the API answers to a partial or mixed
// measurement is not documented, so the simulator refuses one (a
// userError) rather than accept what a real store might not: every field
// present, known units of one measured type, quantity and reference above
// 0 (referenceValue is an Int).
func unitPriceErr(in map[string]any) string {
	raw, ok := in["unitPriceMeasurement"]
	if !ok || raw == nil {
		return ""
	}
	m := asMap(raw)
	q, okq := number(m["quantityValue"])
	r, okr := number(m["referenceValue"])
	qu, ru := str(m["quantityUnit"]), str(m["referenceUnit"])
	switch {
	case !okq || !okr || qu == "" || ru == "":
		return "Unit price measurement needs quantityValue, quantityUnit, referenceValue and referenceUnit"
	case measuredTypes[qu] == "" || measuredTypes[ru] == "":
		return "Unit price measurement unit is not supported"
	case measuredTypes[qu] != measuredTypes[ru]:
		return "Quantity unit and reference unit must be of the same measured type"
	case q <= 0:
		return "Unit price quantity value must be greater than 0"
	case r <= 0 || r != float64(int64(r)):
		return "Unit price reference value must be a whole number greater than 0"
	}
	return ""
}

// addFieldTypes adds the fields above to the catalog types.
func addFieldTypes(sc *schema) {
	sc.mapType("SEO", nil, "title", "description")
	sc.mapType("UnitPriceMeasurement", nil, "measuredType", "quantityUnit", "quantityValue", "referenceUnit", "referenceValue")
	vf := sc.types["ProductVariant"].fields
	vf["unitPriceMeasurement"] = ref("UnitPriceMeasurement", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		u := p.(*variant).unitPrice
		if u == nil {
			return nil, nil
		}
		return obj("UnitPriceMeasurement", "measuredType", measuredTypes[u.QuantityUnit], "quantityUnit", u.QuantityUnit,
			"quantityValue", u.QuantityValue, "referenceUnit", u.ReferenceUnit, "referenceValue", u.ReferenceValue), nil
	})
	vf["showUnitPrice"] = scalar(func(p any) any { return p.(*variant).showUnitPrice })
	sc.mapType("Weight", nil, "value", "unit")
	sc.mapType("InventoryItemMeasurement", nil, "id", "weight:Weight")
	sc.mapType("MoneyV2", nil, "amount", "currencyCode")
	pf := sc.types["Product"].fields
	pf["seo"] = ref("SEO", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		pr := p.(*product)
		return obj("SEO", "title", nullIfEmpty(pr.seoTitle), "description", nullIfEmpty(pr.seoDesc)), nil
	})
	pf["isGiftCard"] = scalar(func(p any) any { return p.(*product).giftCard })
	sc.types["ProductVariant"].fields["taxable"] = scalar(func(p any) any { return p.(*variant).taxable })
	it := sc.types["InventoryItem"].fields
	it["requiresShipping"] = scalar(func(p any) any { return p.(*invItem).requiresShipping })
	it["harmonizedSystemCode"] = scalar(func(p any) any { return nullIfEmpty(p.(*invItem).hsCode) })
	it["countryCodeOfOrigin"] = scalar(func(p any) any { return nullIfEmpty(p.(*invItem).origin) })
	it["unitCost"] = ref("MoneyV2", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		if c := p.(*invItem).cost; c != "" {
			return obj("MoneyV2", "amount", c, "currencyCode", "USD"), nil
		}
		return nil, nil
	})
	it["measurement"] = ref("InventoryItemMeasurement", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		i := p.(*invItem)
		var w any
		if i.weight != nil {
			w = obj("Weight", "value", i.weight.Value, "unit", i.weight.Unit)
		}
		return obj("InventoryItemMeasurement", "id", gid("InventoryItemMeasurement", i.id), "weight", w), nil
	})
}

// applyProductExtras copies seo from a product input; like productSet's other
// non-list fields, an omitted sub-field is left as it is (productSet: "Updates
// only the included fields. Any omitted fields will remain unchanged.").
func applyProductExtras(p *product, in map[string]any) {
	if seo := asMap(in["seo"]); seo != nil {
		if v, ok := seo["title"]; ok {
			p.seoTitle = str(v)
		}
		if v, ok := seo["description"]; ok {
			p.seoDesc = str(v)
		}
	}
}

// applyGiftCard sets giftCard on a product being created. Whether
// productSet may turn an existing product into a gift card is not
// documented; the simulator ignores it on update, as Shelfsync never sends it.
func applyGiftCard(p *product, in map[string]any) {
	if g, ok := in["giftCard"].(bool); ok {
		p.giftCard = g
	}
}

// applyVariantExtras copies taxable and the inventory item's fields from a
// variant input (ProductVariantSetInput or ProductVariantsBulkInput).
func applyVariantExtras(v *variant, in map[string]any) {
	if t, ok := in["taxable"].(bool); ok {
		v.taxable = t
	}
	if u := asMap(in["unitPriceMeasurement"]); u != nil { // checked by unitPriceErr
		q, _ := number(u["quantityValue"])
		r, _ := number(u["referenceValue"])
		v.unitPrice = &UnitPrice{QuantityValue: q, QuantityUnit: str(u["quantityUnit"]), ReferenceValue: int(r), ReferenceUnit: str(u["referenceUnit"])}
	}
	if s, ok := in["showUnitPrice"].(bool); ok {
		v.showUnitPrice = s
	}
	ii := asMap(in["inventoryItem"])
	if ii == nil {
		return
	}
	it := v.item
	if c, ok := ii["cost"]; ok {
		if c == nil {
			it.cost = ""
		} else if m, ok := money(c); ok {
			it.cost = m
		}
	}
	if r, ok := ii["requiresShipping"].(bool); ok {
		it.requiresShipping = r
	}
	if h, ok := ii["harmonizedSystemCode"]; ok {
		it.hsCode = str(h)
	}
	if c, ok := ii["countryCodeOfOrigin"]; ok {
		it.origin = str(c)
	}
	if w := asMap(asMap(ii["measurement"])["weight"]); w != nil {
		if f, ok := number(w["value"]); ok {
			it.weight = &Weight{Value: f, Unit: str(w["unit"])}
		}
	}
}

// number reads a Float input.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// seedExtras copies the public fields of a seeded variant.
func seedExtras(v *variant, in Variant) {
	if in.Taxable != nil {
		v.taxable = *in.Taxable
	}
	if in.RequiresShipping != nil {
		v.item.requiresShipping = *in.RequiresShipping
	}
	if in.Weight != nil {
		w := *in.Weight
		v.item.weight = &w
	}
	v.item.cost, v.item.hsCode, v.item.origin = in.Cost, in.HSCode, in.CountryOfOrigin
	if in.UnitPrice != nil {
		u := *in.UnitPrice
		v.unitPrice = &u
	}
	v.showUnitPrice = in.ShowUnitPrice
}

// publicExtras copies a variant's fields into the public type.
func publicExtras(pv *Variant, v *variant) {
	t, r := v.taxable, v.item.requiresShipping
	pv.Taxable, pv.RequiresShipping = &t, &r
	if v.item.weight != nil {
		w := *v.item.weight
		pv.Weight = &w
	}
	pv.Cost, pv.HSCode, pv.CountryOfOrigin = v.item.cost, v.item.hsCode, v.item.origin
	if v.unitPrice != nil {
		u := *v.unitPrice
		pv.UnitPrice = &u
	}
	pv.ShowUnitPrice = v.showUnitPrice
}
