package app

import (
	"fmt"
	"strconv"
	"strings"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
)

// rowDetail is the selected row's changes, one per line: product fields,
// then each variant's fields and quantities per location, with the sheet
// cell of every error.
func rowDetail(r previewRow, locs map[string]string) string {
	var b strings.Builder
	switch {
	case r.srcErr != nil:
		fmt.Fprintf(&b, "Could not read %s:\n%s", r.srcErr.Cell.String(), r.srcErr.Message)
	case r.variant != nil:
		fmt.Fprintf(&b, "Variant %s (%s)\n", r.variant.Key, r.variant.Action)
		if r.variant.Action == catalogsync.ActDelete {
			b.WriteString("This variant will be removed from the store.\n")
		}
		writeVariantDetail(&b, r.variant, "", locs)
	default:
		p := r.product
		fmt.Fprintf(&b, "%s (%s)\n", p.Handle, p.Action)
		if p.Title != "" {
			fmt.Fprintf(&b, "%q\n", p.Title)
		}
		switch p.Action {
		case catalogsync.ActDelete:
			b.WriteString("This product will be removed from the store, with its variants and stock.\n")
		case catalogsync.ActArchive:
			b.WriteString("This product will be archived: hidden from sales channels, kept in the admin.\n")
		}
		if p.Message != "" {
			b.WriteString(withCell(catalog.Cell{Row: p.Row}, p.Message) + "\n")
		}
		for _, f := range p.Fields {
			b.WriteString(fieldLine(f) + "\n")
		}
		for _, c := range p.Images {
			b.WriteString(c.Line() + "\n")
		}
		if p.Create != nil {
			writeCreate(&b, p.Create, locs)
			break
		}
		for i := range p.Variants {
			vp := &p.Variants[i]
			fmt.Fprintf(&b, "\nVariant %s (%s)\n", vp.Key, vp.Action)
			writeVariantDetail(&b, vp, "    ", locs)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeVariantDetail(b *strings.Builder, vp *catalogsync.VariantPlan, indent string, locs map[string]string) {
	if vp.Message != "" {
		cell := vp.Cell
		if cell == (catalog.Cell{}) {
			cell.Row = vp.Row
		}
		b.WriteString(indent + withCell(cell, vp.Message) + "\n")
	}
	for _, f := range vp.Fields {
		b.WriteString(indent + fieldLine(f) + "\n")
	}
	for _, q := range vp.Quantities {
		old := "not stocked"
		if q.Old != nil {
			old = strconv.Itoa(*q.Old)
		}
		fmt.Fprintf(b, "%s%s at %s: %s → %d\n", indent, catalogsync.QuantityLabel(q.Name), q.Location, old, q.New)
	}
	if vp.Create != nil {
		writeVariantInput(b, vp.Create, indent, locs)
	}
}

// writeCreate lists what a new product will have.
func writeCreate(b *strings.Builder, in *catalogsync.ProductInput, locs map[string]string) {
	b.WriteString("New product\n")
	for _, f := range []struct {
		name string
		v    *string
	}{{"title", in.Title}, {"vendor", in.Vendor}, {"product type", in.ProductType}, {"status", in.Status}} {
		if f.v != nil && *f.v != "" {
			b.WriteString(f.name + ": " + *f.v + "\n")
		}
	}
	if in.Tags != nil && len(*in.Tags) > 0 {
		b.WriteString("tags: " + strings.Join(*in.Tags, ", ") + "\n")
	}
	for i := range in.Variants {
		b.WriteString("\nNew variant\n")
		writeVariantInput(b, &in.Variants[i], "    ", locs)
	}
}

func writeVariantInput(b *strings.Builder, in *catalogsync.VariantInput, indent string, locs map[string]string) {
	var opts []string
	for _, o := range in.OptionValues {
		opts = append(opts, o.Name+" "+o.Value)
	}
	if len(opts) > 0 {
		b.WriteString(indent + "options: " + strings.Join(opts, " / ") + "\n")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"SKU", in.SKU}, {"barcode", in.Barcode}, {"price", in.Price}, {"compare-at price", in.CompareAtPrice}} {
		if f.v != nil && *f.v != "" {
			b.WriteString(indent + f.name + ": " + *f.v + "\n")
		}
	}
	for _, mp := range in.MarketPrices {
		b.WriteString(indent + "price @ " + mp.Market + ": " + mp.Price + " " + mp.List.Currency)
		if mp.CompareAt != "" {
			b.WriteString(" (compare-at " + mp.CompareAt + ")")
		}
		b.WriteString("\n")
	}
	for _, q := range in.Quantities {
		name := locs[q.LocationID]
		if name == "" {
			name = q.LocationID
		}
		fmt.Fprintf(b, "%savailable at %s: %d\n", indent, name, q.Quantity)
	}
}

// locationNames maps the plan's location IDs to their names.
func locationNames(p *catalogsync.Plan) map[string]string {
	m := map[string]string{}
	if p != nil {
		for _, l := range p.Locations {
			m[l.ID] = l.Name
		}
	}
	return m
}

// withCell prefixes a message with the sheet cell it is about, when known.
func withCell(c catalog.Cell, msg string) string {
	if c == (catalog.Cell{}) {
		return msg
	}
	return c.String() + ": " + msg
}

func fieldLine(f catalogsync.FieldChange) string {
	show := func(s string) string {
		if s == "" {
			return "(none)"
		}
		if r := []rune(s); len(r) > 80 {
			return string(r[:77]) + "…" // whole characters: an emoji or accent is never cut in half
		}
		return s
	}
	return fieldName(f.Field) + ": " + show(f.Old) + " → " + show(f.New)
}

// fieldNames are the words a merchant knows for the engine's field keys:
// the names of the product CSV's columns, lower case.
var fieldNames = map[string]string{
	catalogsync.FieldCompareAtPrice:   "compare-at price",
	catalogsync.FieldProductType:      "product type",
	catalogsync.FieldInventoryPolicy:  "sell when out of stock",
	catalogsync.FieldSKU:              "SKU",
	catalogsync.FieldOnHand:           "on hand",
	catalogsync.FieldCategory:         "product category",
	catalogsync.FieldSEOTitle:         "SEO title",
	catalogsync.FieldSEODescription:   "SEO description",
	catalogsync.FieldGiftCard:         "gift card",
	catalogsync.FieldCost:             "cost per item",
	catalogsync.FieldRequiresShipping: "requires shipping",
	catalogsync.FieldTaxable:          "charge tax",
	catalogsync.FieldHSCode:           "HS code",
	catalogsync.FieldCountryOfOrigin:  "country of origin",
	catalogsync.FieldUnitPrice:        "unit price",
}

// fieldName turns a field key into the words a merchant knows.
func fieldName(k string) string {
	if n, ok := fieldNames[k]; ok {
		return n
	}
	if m, ok := strings.CutPrefix(k, catalogsync.FieldCompareAtPrice+" @ "); ok {
		return "compare-at price @ " + m // a market's price list
	}
	if m, ok := strings.CutPrefix(k, catalogsync.MetafieldFieldPrefix); ok {
		return "metafield " + m
	}
	return k
}
