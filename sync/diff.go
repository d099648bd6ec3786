package sync

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// differ compares a catalog with a snapshot and fills a Plan.
type differ struct {
	opts    *Options
	snap    *snapshot
	locs    *locationResolver
	claimed map[string]int // store product ID → sheet row that matched it
	skus    map[string]int // sheet SKU → first row, to catch duplicates
}

func (d *differ) diff(cat *catalog.Catalog, p *Plan) {
	d.claimed = make(map[string]int, len(cat.Products))
	d.skus = make(map[string]int, cat.VariantCount())
	p.Products = make([]ProductPlan, 0, len(cat.Products))
	for i := range cat.Products {
		p.Products = append(p.Products, d.product(&cat.Products[i]))
	}
	for i := range cat.Variants {
		p.Loose = append(p.Loose, d.loose(&cat.Variants[i]))
	}
	if d.opts.Missing != MissingKeep && d.snap.full {
		for _, sp := range d.snap.products {
			if _, ok := d.claimed[sp.ID]; !ok {
				if pp, ok := d.missing(sp); ok {
					p.Products = append(p.Products, pp)
				}
			}
		}
	}
}

func (d *differ) skuList() []string {
	out := make([]string, 0, len(d.skus))
	for s := range d.skus {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// claimSKU records a sheet SKU and reports the row that already had it.
func (d *differ) claimSKU(v *catalog.Variant) (int, bool) {
	if v.SKU == "" {
		return 0, false
	}
	if row, dup := d.skus[v.SKU]; dup {
		return row, true
	}
	d.skus[v.SKU] = v.Row
	return 0, false
}

func (d *differ) product(sp *catalog.Product) ProductPlan {
	pp := ProductPlan{Handle: sp.Handle, Title: sp.Title, Row: sp.Row}
	cur := d.snap.byHandle[sp.Handle]
	if cur == nil {
		cur = d.bySKUs(sp)
	}
	if cur != nil {
		if row, dup := d.claimed[cur.ID]; dup {
			pp.Action, pp.Message = ActError, "the same store product as row "+strconv.Itoa(row)
			return pp
		}
		d.claimed[cur.ID] = sp.Row
		pp.ProductID = cur.ID
		if pp.Title == "" {
			pp.Title = cur.Title
		}
		d.update(sp, cur, &pp)
		return pp
	}
	d.create(sp, &pp)
	return pp
}

// bySKUs finds the store product that has this product's SKUs when the
// handle is unknown to the store (a handle renamed in Shopify).
func (d *differ) bySKUs(sp *catalog.Product) *SnapProduct {
	var found *SnapProduct
	for i := range sp.Variants {
		for _, r := range d.snap.bySKU[sp.Variants[i].SKU] {
			if found != nil && found != r.p {
				return nil // spread over several products: do not guess
			}
			found = r.p
		}
	}
	return found
}

func (d *differ) update(sp *catalog.Product, cur *SnapProduct, pp *ProductPlan) {
	pp.Fields = productChanges(sp, cur)
	if sp.Fields.Has(catalog.FieldOptions) && len(sp.Variants) > 0 && !equalFoldList(sp.Options, cur.Options) {
		pp.Action = ActError
		pp.Message = "option names differ: the store has " + optionsText(cur.Options) + ", the sheet " +
			optionsText(sp.Options) + "; rename them in Shopify first"
		pp.Fields = nil
		return
	}
	used := make([]bool, len(cur.Variants))
	changed := len(pp.Fields) > 0
	pp.Variants = make([]VariantPlan, 0, len(sp.Variants))
	for i := range sp.Variants {
		vp := d.variantIn(sp, &sp.Variants[i], cur, used)
		if vp.Action == ActUpdate || vp.Action == ActCreate {
			changed = true
		}
		pp.Variants = append(pp.Variants, vp)
	}
	switch {
	case changed:
		pp.Action = ActUpdate
	default:
		pp.Action = ActUnchanged
	}
}

// variantIn matches one sheet variant to a variant of the store product cur
// and diffs it, or plans to add it.
func (d *differ) variantIn(sp *catalog.Product, sv *catalog.Variant, cur *SnapProduct, used []bool) VariantPlan {
	vp := VariantPlan{Key: variantKey(sv), Handle: cur.Handle, ProductID: cur.ID, Row: sv.Row}
	if row, dup := d.claimSKU(sv); dup {
		return vp.fail(sv.Cell(catalog.FieldSKU), "SKU "+strconv.Quote(sv.SKU)+" is also on row "+strconv.Itoa(row))
	}
	idx, by := -1, MatchKey("")
	for _, m := range d.opts.match() {
		if idx = matchIn(m, sv, cur, used, d.snap); idx >= 0 {
			by = m
			break
		}
	}
	if idx < 0 {
		if refs := d.snap.bySKU[sv.SKU]; sv.SKU != "" && len(refs) > 0 {
			return vp.fail(sv.Cell(catalog.FieldSKU), "SKU "+strconv.Quote(sv.SKU)+" belongs to another product in the store ("+refs[0].p.Handle+")")
		}
		return d.addVariant(sp, sv, cur, vp)
	}
	used[idx] = true
	cv := &cur.Variants[idx]
	vp.VariantID, vp.InventoryItemID = cv.ID, cv.InventoryItemID
	d.variantChanges(sv, cv, cur.Options, by, &vp)
	return vp
}

func (vp VariantPlan) fail(c catalog.Cell, msg string) VariantPlan {
	vp.Action, vp.Cell, vp.Message = ActError, c, msg
	return vp
}

// matchIn finds the unused variant of cur that sv matches by m, or -1.
func matchIn(m MatchKey, sv *catalog.Variant, cur *SnapProduct, used []bool, snap *snapshot) int {
	var refs []varRef
	switch m {
	case MatchSKU:
		if sv.SKU == "" {
			return -1
		}
		refs = snap.bySKU[sv.SKU]
	case MatchBarcode:
		if sv.Barcode == "" {
			return -1
		}
		refs = snap.byBarcode[sv.Barcode]
	case MatchOptions:
		if len(sv.OptionValues) == 0 && len(cur.Variants) != 1 {
			return -1
		}
		for i := range cur.Variants {
			if !used[i] && equalFoldList(cur.Variants[i].OptionValues, sv.OptionValues) {
				return i
			}
		}
		return -1
	}
	for _, r := range refs {
		if r.p == cur && !used[r.i] {
			return r.i
		}
	}
	return -1
}

// addVariant plans a sheet variant that matched nothing as a new variant of
// an existing product (productVariantsBulkCreate).
func (d *differ) addVariant(sp *catalog.Product, sv *catalog.Variant, cur *SnapProduct, vp VariantPlan) VariantPlan {
	if len(cur.Options) == 0 || len(sv.OptionValues) != len(cur.Options) {
		return vp.fail(catalog.Cell{Row: sv.Row}, "no variant of "+cur.Handle+" matches this row, and a variant can only be added to a product with options")
	}
	in, err := d.variantInput(sv, cur.Options)
	if err != "" {
		return vp.fail(catalog.Cell{Row: sv.Row}, err)
	}
	vp.Action, vp.Create = ActCreate, &in
	return vp
}

// variantChanges fills vp with the fields and quantities that differ.
func (d *differ) variantChanges(sv *catalog.Variant, cv *SnapVariant, optionNames []string, by MatchKey, vp *VariantPlan) {
	f := sv.Fields
	add := func(field string, cf catalog.Field, old, new string) {
		vp.Fields = append(vp.Fields, FieldChange{Field: field, Old: old, New: new, Cell: sv.Cell(cf)})
	}
	if f.Has(catalog.FieldSKU) && sv.SKU != "" && sv.SKU != cv.SKU {
		add(FieldSKU, catalog.FieldSKU, cv.SKU, sv.SKU)
	}
	if f.Has(catalog.FieldBarcode) && sv.Barcode != cv.Barcode {
		add(FieldBarcode, catalog.FieldBarcode, cv.Barcode, sv.Barcode)
	}
	if f.Has(catalog.FieldPrice) {
		if old, ok := storeMoney(cv.Price); !ok || old != sv.Price {
			add(FieldPrice, catalog.FieldPrice, cv.Price, sv.Price.String())
		}
	}
	if f.Has(catalog.FieldCompareAtPrice) {
		if old, ok := storeMoney(cv.CompareAtPrice); !ok || old != sv.CompareAtPrice {
			add(FieldCompareAtPrice, catalog.FieldCompareAtPrice, cv.CompareAtPrice, moneyOrNone(sv.CompareAtPrice))
		}
	}
	if f.Has(catalog.FieldInventoryPolicy) && sv.InventoryPolicy != "" && !strings.EqualFold(sv.InventoryPolicy, cv.InventoryPolicy) {
		add(FieldInventoryPolicy, catalog.FieldInventoryPolicy, cv.InventoryPolicy, strings.ToUpper(sv.InventoryPolicy))
	}
	if f.Has(catalog.FieldOptions) && by != MatchOptions && len(sv.OptionValues) > 0 &&
		len(sv.OptionValues) == len(cv.OptionValues) && !equalFoldList(sv.OptionValues, cv.OptionValues) {
		add(FieldOptions, catalog.FieldOptions, optionsText(cv.OptionValues), optionsText(sv.OptionValues))
		vp.OptionNames = optionNames
	}
	if f.Has(catalog.FieldQuantity) {
		for _, k := range sortedKeys(sv.Quantities) {
			q := sv.Quantities[k]
			loc := d.locs.ids[k]
			old, stocked := cv.Levels[loc]
			if stocked && old == q || !stocked && q == 0 {
				continue // not stocking an item there is as good as zero
			}
			qc := QuantityChange{LocationID: loc, Location: d.locs.names[loc], New: q, Cell: sv.QuantityCell(k)}
			if stocked {
				qc.Old = &old
			}
			vp.Quantities = append(vp.Quantities, qc)
		}
	}
	if len(vp.Fields)+len(vp.Quantities) > 0 {
		vp.Action = ActUpdate
	} else {
		vp.Action = ActUnchanged
	}
}

// loose matches a variant of a partial sheet across the whole store.
func (d *differ) loose(sv *catalog.Variant) VariantPlan {
	vp := VariantPlan{Key: variantKey(sv), Row: sv.Row}
	if row, dup := d.claimSKU(sv); dup {
		return vp.fail(sv.Cell(catalog.FieldSKU), "SKU "+strconv.Quote(sv.SKU)+" is also on row "+strconv.Itoa(row))
	}
	refs, what, by := d.snap.bySKU[sv.SKU], "SKU "+strconv.Quote(sv.SKU), MatchSKU
	if sv.SKU == "" {
		refs, what, by = d.snap.byBarcode[sv.Barcode], "barcode "+strconv.Quote(sv.Barcode), MatchBarcode
	}
	switch {
	case sv.SKU == "" && sv.Barcode == "":
		return vp.fail(catalog.Cell{Row: sv.Row}, "the row has neither a SKU nor a barcode to find the variant by")
	case len(refs) == 0:
		vp.Action, vp.Message = ActSkipped, "no variant with "+what+" in the store"
		return vp
	case len(refs) > 1:
		return vp.fail(catalog.Cell{Row: sv.Row}, what+" is on "+strconv.Itoa(len(refs))+" variants in the store; fix them in Shopify first")
	}
	r := refs[0]
	d.claimed[r.p.ID] = sv.Row
	cv := r.v()
	vp.Handle, vp.ProductID, vp.VariantID, vp.InventoryItemID = r.p.Handle, r.p.ID, cv.ID, cv.InventoryItemID
	d.variantChanges(sv, cv, r.p.Options, by, &vp)
	return vp
}

// missing plans what to do with a store product the sheet leaves out.
func (d *differ) missing(sp *SnapProduct) (ProductPlan, bool) {
	pp := ProductPlan{Handle: sp.Handle, ProductID: sp.ID, Title: sp.Title, Message: "not in the sheet"}
	switch d.opts.Missing {
	case MissingArchive:
		if strings.EqualFold(sp.Status, catalog.StatusArchived) {
			return pp, false
		}
		pp.Action = ActArchive
		pp.Fields = []FieldChange{{Field: FieldStatus, Old: sp.Status, New: catalog.StatusArchived}}
	case MissingDelete:
		pp.Action = ActDelete
	default:
		return pp, false
	}
	return pp, true
}

// variantKey names a sheet variant for people and the journal.
func variantKey(v *catalog.Variant) string {
	switch {
	case v.SKU != "":
		return v.SKU
	case v.Barcode != "":
		return "barcode:" + v.Barcode
	default:
		return optionsText(v.OptionValues)
	}
}

func sortedKeys(m map[string]int) []string {
	if len(m) == 1 {
		for k := range m {
			return []string{k}
		}
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
