package sync

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/source"
)

// The fields beyond the core ones: product SEO and gift card, variant
// weight, cost, shipping, tax and customs. Each travels through the plan and
// the journal as a FieldChange keyed below, its value encoded as text;
// creates carry them in ProductFields.Extra and VariantInput.Extra.
const (
	FieldSEOTitle         = "seoTitle"
	FieldSEODescription   = "seoDescription"
	FieldGiftCard         = "giftCard" // create only
	FieldWeight           = "weight"   // "0.145 kg": value and unit as the store keeps them
	FieldCost             = "cost"     // "12.50"; "" for none
	FieldRequiresShipping = "requiresShipping"
	FieldTaxable          = "taxable" // "true" or "false"
	FieldHSCode           = "harmonizedSystemCode"
	FieldCountryOfOrigin  = "countryCodeOfOrigin"
	FieldUnitPrice        = "unitPrice" // "250 ml per 1 l"; "" for none shown (see unitprice.go)
)

// extraProductChanges diffs the product's SEO fields. Gift card is set only
// when a product is created (giftCard on ProductSetInput; Shopify's admin has
// no way to turn a product into a gift card or back), so a difference is
// reported and left alone.
func extraProductChanges(sp *catalog.Product, cur *SnapProduct, pp *ProductPlan) []FieldChange {
	var out []FieldChange
	f := sp.Fields
	if f.Has(catalog.FieldSEOTitle) && sp.SEOTitle != cur.SEOTitle {
		out = append(out, FieldChange{Field: FieldSEOTitle, Old: cur.SEOTitle, New: sp.SEOTitle, Cell: sp.Cell(catalog.FieldSEOTitle)})
	}
	if f.Has(catalog.FieldSEODescription) && sp.SEODescription != cur.SEODescription {
		out = append(out, FieldChange{Field: FieldSEODescription, Old: cur.SEODescription, New: sp.SEODescription, Cell: sp.Cell(catalog.FieldSEODescription)})
	}
	if f.Has(catalog.FieldGiftCard) && sp.GiftCard != cur.GiftCard && pp != nil {
		pp.Message = "gift card: the sheet says " + boolText(sp.GiftCard) + ", the store " + boolText(cur.GiftCard) +
			"; Shopify sets this only when a product is created, so it is left as it is"
	}
	return out
}

// extraVariantChanges diffs the variant's weight, cost, shipping, tax and
// customs fields. An absent field (blank cell) is never written.
func extraVariantChanges(sv *catalog.Variant, cv *SnapVariant, vp *VariantPlan) {
	f := sv.Fields
	add := func(field string, cf catalog.Field, old, new string) {
		if !sameValue(field, old, new) {
			vp.Fields = append(vp.Fields, FieldChange{Field: field, Old: old, New: new, Cell: sv.Cell(cf)})
		}
	}
	// Weight and cost are compared as numbers first: most variants of a
	// sheet are unchanged, and their values need not be written as text.
	if f.Has(catalog.FieldWeight) && !sameWeight(sv, cv) {
		add(FieldWeight, catalog.FieldWeight, variantValue(cv, FieldWeight), sheetWeight(sv, cv.WeightUnit))
	}
	if f.Has(catalog.FieldCost) {
		if old, ok := storeMoney(cv.Cost); !ok || old != sv.Cost {
			add(FieldCost, catalog.FieldCost, cv.Cost, sv.Cost.String())
		}
	}
	if f.Has(catalog.FieldRequiresShipping) {
		add(FieldRequiresShipping, catalog.FieldRequiresShipping, strconv.FormatBool(cv.RequiresShipping), strconv.FormatBool(sv.RequiresShipping))
	}
	if f.Has(catalog.FieldTaxable) {
		add(FieldTaxable, catalog.FieldTaxable, strconv.FormatBool(cv.Taxable), strconv.FormatBool(sv.Taxable))
	}
	if f.Has(catalog.FieldHSCode) {
		add(FieldHSCode, catalog.FieldHSCode, cv.HSCode, sv.HSCode)
	}
	if f.Has(catalog.FieldCountryOfOrigin) {
		add(FieldCountryOfOrigin, catalog.FieldCountryOfOrigin, cv.CountryOfOrigin, sv.CountryOfOrigin)
	}
	if f.Has(catalog.FieldUnitPrice) && !sameUnitPrice(sv.UnitPrice, cv.UnitPrice) {
		add(FieldUnitPrice, catalog.FieldUnitPrice, unitPriceText(cv.UnitPrice), unitPriceText(sv.UnitPrice))
	}
}

// extraProductFields are the extra fields of a product to create.
func extraProductFields(sp *catalog.Product) map[string]string {
	m := map[string]string{}
	if sp.Fields.Has(catalog.FieldSEOTitle) {
		m[FieldSEOTitle] = sp.SEOTitle
	}
	if sp.Fields.Has(catalog.FieldSEODescription) {
		m[FieldSEODescription] = sp.SEODescription
	}
	if sp.Fields.Has(catalog.FieldGiftCard) {
		m[FieldGiftCard] = strconv.FormatBool(sp.GiftCard)
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// extraVariantInput is the extra fields of a variant to create.
func extraVariantInput(sv *catalog.Variant) map[string]string {
	f := sv.Fields
	if !f.Has(catalog.FieldWeight) && !f.Has(catalog.FieldCost) && !f.Has(catalog.FieldRequiresShipping) &&
		!f.Has(catalog.FieldTaxable) && !f.Has(catalog.FieldHSCode) && !f.Has(catalog.FieldCountryOfOrigin) &&
		sv.UnitPrice == nil {
		return nil
	}
	m := map[string]string{}
	if f.Has(catalog.FieldWeight) {
		m[FieldWeight] = sheetWeight(sv, "")
	}
	if f.Has(catalog.FieldCost) {
		m[FieldCost] = sv.Cost.String()
	}
	if f.Has(catalog.FieldRequiresShipping) {
		m[FieldRequiresShipping] = strconv.FormatBool(sv.RequiresShipping)
	}
	if f.Has(catalog.FieldTaxable) {
		m[FieldTaxable] = strconv.FormatBool(sv.Taxable)
	}
	if f.Has(catalog.FieldHSCode) {
		m[FieldHSCode] = sv.HSCode
	}
	if f.Has(catalog.FieldCountryOfOrigin) {
		m[FieldCountryOfOrigin] = sv.CountryOfOrigin
	}
	if f.Has(catalog.FieldUnitPrice) && sv.UnitPrice != nil { // a new variant has none to clear
		m[FieldUnitPrice] = sv.UnitPrice.String()
	}
	return m
}

// productExtraValue is an extra product field as the plan encodes it.
func productExtraValue(p *SnapProduct, field string) string {
	if k, ok := metafieldKey(field); ok {
		return p.Metafields[k]
	}
	switch field {
	case FieldSEOTitle:
		return p.SEOTitle
	case FieldSEODescription:
		return p.SEODescription
	case FieldGiftCard:
		return strconv.FormatBool(p.GiftCard)
	case FieldCategory:
		return categoryText(p.CategoryName, p.CategoryID)
	}
	return ""
}

// variantExtraValue is an extra variant field as the plan encodes it.
func variantExtraValue(v *SnapVariant, field string) string {
	if k, ok := metafieldKey(field); ok {
		return v.Metafields[k]
	}
	switch field {
	case FieldWeight:
		if v.WeightUnit == "" {
			return ""
		}
		return weightText(v.Weight, v.WeightUnit)
	case FieldCost:
		return v.Cost
	case FieldRequiresShipping:
		return strconv.FormatBool(v.RequiresShipping)
	case FieldTaxable:
		return strconv.FormatBool(v.Taxable)
	case FieldHSCode:
		return v.HSCode
	case FieldCountryOfOrigin:
		return v.CountryOfOrigin
	case FieldUnitPrice:
		return unitPriceText(v.UnitPrice)
	}
	return ""
}

// sameExtraValue compares two encoded values of an extra field the way the
// store does; ok is false for a field that is not an extra one.
func sameExtraValue(field, a, b string) (same, ok bool) {
	if _, ok := metafieldKey(field); ok {
		return a == b, true
	}
	if field == FieldCategory {
		return categoryID(a) == categoryID(b), true
	}
	switch field {
	case FieldWeight:
		ga, ua := parseWeight(a)
		gb, ub := parseWeight(b)
		// A store without a weight has none, which is as good as zero.
		return math.Abs(ga-gb) < 0.01 && (ua == ub || ua == "" || ub == ""), true
	case FieldCost:
		ma, oka := storeMoney(a)
		mb, okb := storeMoney(b)
		return oka && okb && ma == mb, true
	case FieldRequiresShipping, FieldTaxable, FieldGiftCard, FieldCountryOfOrigin:
		return strings.EqualFold(a, b), true
	case FieldSEOTitle, FieldSEODescription, FieldHSCode:
		return a == b, true
	case FieldUnitPrice:
		return sameUnitPriceText(a, b), true
	}
	return false, false
}

// sheetWeight encodes a sheet variant's weight in its unit, else the
// store's (storeUnit), else grams.
func sheetWeight(sv *catalog.Variant, storeUnit string) string {
	unit := sv.WeightUnit
	if unit == "" {
		unit = storeUnit
	}
	if unit == "" {
		unit = "GRAMS"
	}
	return weightText(sv.WeightGrams/gramsPer(unit), unit)
}

// sameWeight reports whether the sheet's weight is the store's, as
// sameValue compares their texts (weightText, parseWeight), when both units
// are ones weightText spells; false sends the caller to the texts.
func sameWeight(sv *catalog.Variant, cv *SnapVariant) bool {
	unit := cmp.Or(sv.WeightUnit, cv.WeightUnit, "GRAMS")
	if source.WeightUnitText(unit) == "" || source.WeightUnitText(cv.WeightUnit) == "" || unit != cv.WeightUnit {
		return false
	}
	round := func(v float64) float64 { return math.Round(v*1e6) / 1e6 } // as weightText
	per := gramsPer(unit)
	return math.Abs(round(cv.Weight)*per-round(sv.WeightGrams/per)*per) < 0.01
}

// gramsPer is the number of grams in one unit (1 lb = 453.59237 g and
// 1 oz = 28.349523125 g exactly, by the international yard and pound agreement).
func gramsPer(unit string) float64 {
	switch unit {
	case "KILOGRAMS":
		return 1000
	case "POUNDS":
		return 453.59237
	case "OUNCES":
		return 28.349523125
	}
	return 1
}

// weightText encodes a weight: "0.145 kg", rounded to a millionth of the unit.
func weightText(value float64, unit string) string {
	return strconv.FormatFloat(math.Round(value*1e6)/1e6, 'f', -1, 64) + " " + source.WeightUnitText(unit)
}

// parseWeight reads weightText back as grams and the unit enum ("" for none).
func parseWeight(s string) (grams float64, unit string) {
	v, u, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return 0, ""
	}
	unit = source.WeightUnit(u)
	value, _ := strconv.ParseFloat(v, 64)
	return value * gramsPer(unit), unit
}

func boolText(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// shopVariantExtras turns the encoded extra fields of a variant input into
// the client's input.
func shopVariantExtras(extra map[string]string) shopify.VariantExtras {
	var x shopify.VariantExtras
	for field, v := range extra {
		v := v
		switch field {
		case FieldWeight:
			grams, unit := parseWeight(v)
			if unit == "" {
				unit = "GRAMS"
			}
			x.Weight = &shopify.Weight{Value: math.Round(grams/gramsPer(unit)*1e6) / 1e6, Unit: unit}
		case FieldCost:
			x.Cost = &v
		case FieldRequiresShipping:
			b := strings.EqualFold(v, "true")
			x.RequiresShipping = &b
		case FieldTaxable:
			b := strings.EqualFold(v, "true")
			x.Taxable = &b
		case FieldHSCode:
			x.HarmonizedSystemCode = &v
		case FieldCountryOfOrigin:
			x.CountryCodeOfOrigin = &v
		case FieldUnitPrice:
			x.UnitPrice, x.ShowUnitPrice = unitPriceInput(v)
		}
	}
	return x
}

// setProductExtras puts the encoded extra product fields into a productSet input.
func setProductExtras(ps *shopify.ProductSetInput, extra map[string]string) {
	for field, v := range extra {
		v := v
		switch field {
		case FieldSEOTitle:
			ps.SEOTitle = &v
		case FieldSEODescription:
			ps.SEODescription = &v
		case FieldGiftCard:
			b := strings.EqualFold(v, "true")
			ps.GiftCard = &b
		case FieldCategory:
			setCategory(ps, v)
		}
	}
}

// completeSEO gives a productSet update that changes one SEO field the
// store's value of the other. Whether Shopify keeps a sub-field left out of
// the seo input is not documented (productSet: "Updates only the included
// fields"), so both are sent rather than risk clearing one.
func completeSEO(ps *shopify.ProductSetInput, cur *shopify.Product) {
	if ps.SEOTitle == nil && ps.SEODescription != nil {
		ps.SEOTitle = &cur.SEOTitle
	}
	if ps.SEODescription == nil && ps.SEOTitle != nil {
		ps.SEODescription = &cur.SEODescription
	}
}

// exportExtras copies a store variant's extra fields into an exported one.
// A weight or cost the store doesn't have stays absent, so the exported
// cell is empty and leaves the store alone when synced back.
func exportExtras(v *catalog.Variant, sv *SnapVariant) {
	v.RequiresShipping, v.Taxable, v.HSCode, v.CountryOfOrigin = sv.RequiresShipping, sv.Taxable, sv.HSCode, sv.CountryOfOrigin
	if sv.WeightUnit != "" {
		v.WeightGrams, v.WeightUnit = sv.Weight*gramsPer(sv.WeightUnit), sv.WeightUnit
		v.Fields.Add(catalog.FieldWeight)
	}
	if c, ok := storeMoney(sv.Cost); ok && sv.Cost != "" {
		v.Cost = c
		v.Fields.Add(catalog.FieldCost)
	}
	if sv.UnitPrice != nil {
		v.UnitPrice = sv.UnitPrice
		v.Fields.Add(catalog.FieldUnitPrice)
	}
}

// productFiles lists a new product's images: the sheet's images by position
// (then in sheet order), then variant images that are not among them, each
// address once (productSet requires a variant's file among the product's).
func productFiles(sp *catalog.Product) []FileInput {
	imgs := slices.Clone(sp.Images)
	slices.SortStableFunc(imgs, func(a, b catalog.Image) int {
		switch {
		case a.Position == b.Position, a.Position == 0 || b.Position == 0:
			return 0
		}
		return a.Position - b.Position
	})
	var out []FileInput
	seen := map[string]bool{}
	add := func(src, alt string) {
		if src != "" && !seen[src] {
			seen[src] = true
			out = append(out, FileInput{Source: src, Alt: alt})
		}
	}
	for _, img := range imgs {
		add(img.Src, img.Alt)
	}
	for i := range sp.Variants {
		add(sp.Variants[i].ImageSrc, "")
	}
	return out
}
