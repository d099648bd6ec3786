package sync

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// productChanges diffs the product-level fields the sheet carries.
func productChanges(sp *catalog.Product, cur *SnapProduct) []FieldChange {
	var out []FieldChange
	f := sp.Fields
	add := func(field string, cf catalog.Field, old, new string) {
		out = append(out, FieldChange{Field: field, Old: old, New: new, Cell: sp.Cell(cf)})
	}
	if f.Has(catalog.FieldTitle) && sp.Title != "" && sp.Title != cur.Title {
		add(FieldTitle, catalog.FieldTitle, cur.Title, sp.Title)
	}
	if f.Has(catalog.FieldDescriptionHTML) && !sameText(sp.DescriptionHTML, cur.DescriptionHTML) {
		add(FieldDescription, catalog.FieldDescriptionHTML, cur.DescriptionHTML, sp.DescriptionHTML)
	}
	if f.Has(catalog.FieldVendor) && sp.Vendor != cur.Vendor {
		add(FieldVendor, catalog.FieldVendor, cur.Vendor, sp.Vendor)
	}
	if f.Has(catalog.FieldProductType) && sp.ProductType != cur.ProductType {
		add(FieldProductType, catalog.FieldProductType, cur.ProductType, sp.ProductType)
	}
	if f.Has(catalog.FieldTags) && !sameTags(sp.Tags, cur.Tags) {
		add(FieldTags, catalog.FieldTags, tagsText(cur.Tags), tagsText(sp.Tags))
	}
	if f.Has(catalog.FieldStatus) && sp.Status != "" && !strings.EqualFold(sp.Status, cur.Status) {
		add(FieldStatus, catalog.FieldStatus, cur.Status, strings.ToUpper(sp.Status))
	}
	return out
}

// create plans a product the store does not have (productSet). Rows that
// can't be created (a bad cell, the wrong number of option values) are
// reported and the product is created with the others.
func (d *differ) create(sp *catalog.Product, pp *ProductPlan) {
	switch {
	case !sp.Bad.Empty():
		pp.Action, pp.Message = ActError, "not created: its "+sp.Bad.String()+" on row "+strconv.Itoa(sp.Row)+" can't be read"
		d.skipVariants(sp, pp, "its product can't be created")
		return
	case !sp.Fields.Has(catalog.FieldTitle):
		pp.Action, pp.Message = ActSkipped, "not in the store (the sheet has no title to create it with)"
		d.skipVariants(sp, pp, "its product is not in the store")
		return
	case sp.Title == "":
		pp.Action, pp.Message = ActError, "a new product needs a title"
		d.skipVariants(sp, pp, "its product can't be created")
		return
	case len(sp.Options) == 0 && len(sp.Variants) > 1:
		pp.Action, pp.Message = ActError, "the product has several variants but no option names"
		d.skipVariants(sp, pp, "its product can't be created")
		return
	}
	if !d.linkCreate(sp, pp) {
		return
	}
	sheetLink := func(i int) (string, map[string]string) { return linkOf(sp, i), nil }
	in := ProductInput{Handle: sp.Handle, ProductFields: productFields(sp)}
	d.createMetafields(source.OwnerProduct, sp.Metafields, sp.Row, &in.Extra)
	if v, ok := d.cats[sp.Category]; ok && sp.Fields.Has(catalog.FieldCategory) {
		if in.Extra == nil {
			in.Extra = map[string]string{}
		}
		in.Extra[FieldCategory] = v
	}
	seen := map[string]int{}
	optVals := make([][]string, len(sp.Options))
	for i := range sp.Variants {
		sv := &sp.Variants[i]
		n := d.counts(sv)
		vp := VariantPlan{Key: planKey(sv, n), Row: sv.Row, Action: ActCreate}
		if row, dup := seen[optionKey(sv.OptionValues)]; dup {
			vp = vp.fail(catalog.Cell{Row: sv.Row}, "same option values as row "+strconv.Itoa(row))
		} else if !sv.Bad.Empty() {
			vp = vp.fail(catalog.Cell{Row: sv.Row}, "not created: the row's "+sv.Bad.String()+" can't be read")
		} else if vin, msg := d.variantInput(sv, sp.Options); msg != "" {
			vp = vp.fail(catalog.Cell{Row: sv.Row}, msg)
		} else if cell, msg := d.linkVariant(sv, &vin, sheetLink); msg != "" {
			vp = vp.fail(cell, msg)
		} else if row, dup := sameEntries(seen, vin.OptionValues); dup {
			vp = vp.fail(catalog.Cell{Row: sv.Row}, "same option values as row "+strconv.Itoa(row)+" (they name the same metaobject entries)")
		} else {
			seen[optionKey(sv.OptionValues)] = sv.Row
			if k := entryKey(vin.OptionValues); k != "" {
				seen[k] = sv.Row
			}
			vin.Image = sv.ImageSrc
			in.Variants = append(in.Variants, vin)
			for j, v := range sv.OptionValues {
				if !slices.Contains(optVals[j], v) {
					optVals[j] = append(optVals[j], v)
				}
			}
			vp.Message = joinMessages(joinMessages(d.sharedSKU(sv, n), d.skuElsewhere(sv.SKU, nil)), untrackedNote(&vin))
		}
		pp.Variants = append(pp.Variants, vp)
	}
	if len(in.Variants) == 0 {
		pp.Action, pp.Message = ActError, "not created: fix the rows in error first"
		if len(sp.Variants) == 0 {
			pp.Message = "a new product needs at least one variant row"
		}
		return
	}
	for j, name := range sp.Options {
		in.Options = append(in.Options, OptionInput{Name: name, Values: optVals[j]})
	}
	linkedOptionInputs(sp, &in)
	in.Files = productFiles(sp)
	pp.Action, pp.Create = ActCreate, &in
}

func (d *differ) skipVariants(sp *catalog.Product, pp *ProductPlan, why string) {
	for i := range sp.Variants {
		sv := &sp.Variants[i]
		pp.Variants = append(pp.Variants, VariantPlan{Key: planKey(sv, d.counts(sv)), Row: sv.Row, Action: ActSkipped, Message: why})
	}
}

// productFields are the product-level fields of a product to create.
func productFields(sp *catalog.Product) ProductFields {
	var pf ProductFields
	f := sp.Fields
	str := func(s string) *string { return &s }
	pf.Title = str(sp.Title)
	if f.Has(catalog.FieldDescriptionHTML) {
		pf.DescriptionHTML = str(sp.DescriptionHTML)
	}
	if f.Has(catalog.FieldVendor) {
		pf.Vendor = str(sp.Vendor)
	}
	if f.Has(catalog.FieldProductType) {
		pf.ProductType = str(sp.ProductType)
	}
	if f.Has(catalog.FieldTags) {
		t := slices.Clone(sp.Tags)
		pf.Tags = &t
	}
	if f.Has(catalog.FieldStatus) && sp.Status != "" {
		pf.Status = str(strings.ToUpper(sp.Status))
	}
	pf.Extra = extraProductFields(sp)
	return pf
}

// variantInput is a sheet variant as a variant to create; the message says
// why it can't be when not "".
func (d *differ) variantInput(sv *catalog.Variant, options []string) (VariantInput, string) {
	var in VariantInput
	f := sv.Fields
	str := func(s string) *string { return &s }
	if len(sv.OptionValues) != len(options) {
		return in, "the row has " + strconv.Itoa(len(sv.OptionValues)) + " option values for " + strconv.Itoa(len(options)) + " options"
	}
	for j, name := range options {
		in.OptionValues = append(in.OptionValues, OptionValue{Name: name, Value: sv.OptionValues[j]})
	}
	if f.Has(catalog.FieldSKU) && sv.SKU != "" {
		in.SKU = str(sv.SKU)
	}
	in.Tracked = trackedOnCreate(sv)
	if f.Has(catalog.FieldBarcode) && sv.Barcode != "" {
		in.Barcode = str(sv.Barcode)
	}
	if f.Has(catalog.FieldPrice) {
		in.Price = str(sv.Price.String())
	}
	if f.Has(catalog.FieldCompareAtPrice) && sv.CompareAtPrice > 0 {
		in.CompareAtPrice = str(sv.CompareAtPrice.String())
	}
	if f.Has(catalog.FieldInventoryPolicy) && sv.InventoryPolicy != "" {
		in.InventoryPolicy = str(strings.ToUpper(sv.InventoryPolicy))
	}
	if f.Has(catalog.FieldQuantity) {
		for _, e := range sv.Quantities { // sorted by location key
			in.Quantities = append(in.Quantities, LocationQuantity{LocationID: d.locs.ids[e.Location], Quantity: e.Quantity})
		}
	}
	in.Extra = extraVariantInput(sv)
	d.createMetafields(source.OwnerVariant, sv.Metafields, sv.Row, &in.Extra)
	if d.markets != nil && len(sv.MarketPrices()) > 0 {
		in.MarketPrices = d.createMarketPrices(sv)
	}
	return in, ""
}

// sameText compares a sheet's text with the store's, ignoring what neither
// side controls: surrounding space and line endings. A spreadsheet's CSV
// reader turns the CR LF inside a quoted cell into LF (encoding/csv does),
// while stores keep the CR LF their descriptions were saved with; both
// mean the same text, and rewriting it would change nothing a buyer sees.
func sameText(sheet, store string) bool {
	sheet, store = strings.TrimSpace(sheet), strings.TrimSpace(store)
	if sheet == store {
		return true
	}
	return normalizeNewlines(sheet) == normalizeNewlines(store)
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// storeMoney reads a store amount ("19.90"; "" is none, i.e. zero).
func storeMoney(s string) (catalog.Money, bool) {
	if s == "" {
		return 0, true
	}
	m, err := catalog.ParseMoney(s)
	return m, err == nil
}

func moneyOrNone(m catalog.Money) string {
	if m == 0 {
		return ""
	}
	return m.String()
}

func equalFoldList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), strings.TrimSpace(b[i])) {
			return false
		}
	}
	return true
}

func optionsText(vals []string) string { return strings.Join(vals, " / ") }

func tagsText(tags []string) string { return strings.Join(tags, ", ") }

// splitTags reads tagsText back.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// sameTags compares tag sets, ignoring order, case and duplicates, as
// Shopify treats tags.
func sameTags(a, b []string) bool {
	norm := func(ts []string) []string {
		out := make([]string, 0, len(ts))
		for _, t := range ts {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				out = append(out, t)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}
