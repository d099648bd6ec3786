package sync

import (
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// Unit prices (issue 14). The field's value is the measurement the
// storefront shows, in catalog.UnitPrice's short form ("250 ml per 1 l"),
// or "" for none.
//
// showUnitPrice: the Admin API keeps a measurement and, apart, whether to
// show it (ProductVariant.showUnitPrice: Boolean!, "Whether to show the
// unit price for this product variant"; ProductVariantsBulkInput and
// ProductVariantSetInput take both, 2026-04 schema), and Shopify's admin
// shows a unit price only when it is on. A sheet's unit price columns are
// there to show one (Shopify's CSV has no column for the switch), so every
// measurement written turns showUnitPrice on; a measurement the store
// keeps hidden reads as none, so a sheet that has one shows it.
//
// Clearing: no documented input removes a measurement
// (UnitPriceMeasurementInput has only the four values, and what null does
// is not documented), so rather than guess, a clear ("blank means clear",
// or undoing a first unit price) only turns showUnitPrice off: the
// storefront shows none and the measurement stays in Shopify, where a later
// sync or undo can show it again. The preview says so (the source's blank
// note).

// unitPriceText is a measurement's value in the plan, "" for none.
func unitPriceText(p *catalog.UnitPrice) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// sameUnitPrice compares two measurements numerically (nil: none).
func sameUnitPrice(a, b *catalog.UnitPrice) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Same(*b)
}

// sameUnitPriceText compares two encoded values; an unreadable one differs
// from everything but itself.
func sameUnitPriceText(a, b string) bool {
	pa, oka := catalog.ParseUnitPrice(a)
	pb, okb := catalog.ParseUnitPrice(b)
	switch {
	case a == "" || b == "":
		return a == b
	case !oka || !okb:
		return a == b
	}
	return pa.Same(pb)
}

// unitPriceInput is an encoded value as the API's input: the measurement
// with showUnitPrice on, or, for "", showUnitPrice off alone.
func unitPriceInput(v string) (*shopify.UnitPriceMeasurement, *bool) {
	p, ok := catalog.ParseUnitPrice(v)
	show := ok
	if !ok {
		return nil, &show
	}
	return &shopify.UnitPriceMeasurement{QuantityValue: p.QuantityValue, QuantityUnit: p.QuantityUnit.Enum(),
		ReferenceValue: int(p.ReferenceValue), ReferenceUnit: p.ReferenceUnit.Enum()}, &show
}

// storeUnitPrice is the measurement a store variant shows: nil when it has
// none, keeps it hidden, or uses a unit this Shelfsync doesn't know.
func storeUnitPrice(v *shopify.Variant) *catalog.UnitPrice {
	u := v.UnitPrice
	if u == nil || !v.ShowUnitPrice {
		return nil
	}
	p := catalog.UnitPrice{QuantityValue: u.QuantityValue, ReferenceValue: int32(u.ReferenceValue),
		QuantityUnit: catalog.ParseMeasureUnit(u.QuantityUnit), ReferenceUnit: catalog.ParseMeasureUnit(u.ReferenceUnit)}
	if p.QuantityUnit == 0 || p.ReferenceUnit == 0 {
		return nil
	}
	return &p
}
