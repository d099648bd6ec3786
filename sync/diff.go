package sync

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// differ compares a catalog with a snapshot and fills a Plan.
type differ struct {
	qtyName string // the quantity the sheet sets: "" (available) or on_hand
	opts    *Options
	snap    *snapshot
	locs    *locationResolver
	claimed map[string]int // store product ID → sheet row that matched it
	// sheetSKUs and sheetBarcodes count the sheet's rows per SKU and barcode:
	// a key on more than one row never matches (Shopify allows one SKU on
	// many variants, so only a unique one says which variant a row means).
	sheetSKUs     map[string]int
	sheetShared   map[string]int // the SKUs of sheetSKUs on more than one row (a small map)
	sheetBarcodes map[string]int // built on first use, by barcodeRows
	cat           *catalog.Catalog
	shared        sharedSKUs
	mfDefs        metafieldDefs           // the definitions of the sheet's metafield columns
	mfErrs        []catalog.RowError      // metafield cells that don't fit their type
	cats          map[string]string       // the sheet's category names → "Full name [ID]"
	elsewhere     int                     // new or changed SKUs already on another product
	markets       map[string]PriceListRef // the sheet's market names → their price lists
	mkErrs        []catalog.RowError      // market price cells that can't be written
	links         *linkResolver           // entries of linked options' values (linked.go)
	linkDiffs     []string                // handles whose options the sheet links differently (linked.go)
	// mediaRec is Shelfsync's record of the images it uploaded (images.go).
	mediaRec     mediaRecords
	imageNotes   int // products whose sheet images match none of the store's
	imagesByName int // images recognised by file name only
	filesHeld    int // image changes left out for want of write_files
}

// sharedSKUs collects the SKUs found on several variants or rows, for the
// plan's note.
type sharedSKUs struct {
	n       int
	example string
	most    int
	seen    map[string]bool
}

func (s *sharedSKUs) add(sku string, n int) {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[sku] {
		return
	}
	s.seen[sku] = true
	s.n++
	if n > s.most {
		s.example, s.most = sku, n
	}
}

func (s *sharedSKUs) note() string {
	if s.n == 0 {
		return ""
	}
	are := " SKUs are"
	if s.n == 1 {
		are = " SKU is"
	}
	return strconv.Itoa(s.n) + are + " on more than one variant or row (" + strconv.Quote(s.example) + " on " +
		strconv.Itoa(s.most) + "), which Shopify allows: their rows are matched by handle and option values, never by SKU alone"
}

func (d *differ) diff(cat *catalog.Catalog, p *Plan) {
	d.claimed = make(map[string]int, len(cat.Products))
	d.countKeys(cat)
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
	if n := d.shared.note(); n != "" {
		p.Notes = append(p.Notes, n)
	}
	if n := linkDiffNote(d.linkDiffs); n != "" {
		p.Notes = append(p.Notes, n)
	}
	if d.elsewhere > 0 {
		are := " SKUs to be written are"
		if d.elsewhere == 1 {
			are = " SKU to be written is"
		}
		p.Notes = append(p.Notes, "warning: "+strconv.Itoa(d.elsewhere)+are+" already on other products in the store (see the rows marked warning)")
	}
}

// countKeys counts the sheet rows of every SKU. Barcodes are counted only
// when one is needed (barcodeRows): most rows match before barcodes are
// tried, and a 100,000-row sheet would pay for a map it never reads.
func (d *differ) countKeys(cat *catalog.Catalog) {
	d.cat = cat
	d.sheetSKUs = make(map[string]int, cat.VariantCount())
	d.eachVariant(func(v *catalog.Variant) {
		if v.SKU != "" {
			d.sheetSKUs[v.SKU]++
		}
	})
	d.sheetShared = map[string]int{}
	for sku, n := range d.sheetSKUs {
		if n > 1 {
			d.sheetShared[sku] = n
		}
	}
}

// barcodeRows counts the sheet rows with barcode b.
func (d *differ) barcodeRows(b string) int {
	if d.sheetBarcodes == nil {
		d.sheetBarcodes = map[string]int{}
		d.eachVariant(func(v *catalog.Variant) {
			if v.Barcode != "" {
				d.sheetBarcodes[v.Barcode]++
			}
		})
	}
	return d.sheetBarcodes[b]
}

func (d *differ) eachVariant(f func(v *catalog.Variant)) {
	for i := range d.cat.Products {
		for j := range d.cat.Products[i].Variants {
			f(&d.cat.Products[i].Variants[j])
		}
	}
	for i := range d.cat.Variants {
		f(&d.cat.Variants[i])
	}
}

func (d *differ) skuList() []string {
	out := make([]string, 0, len(d.sheetSKUs))
	for s := range d.sheetSKUs {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// uniqueSKU reports whether sv's SKU is on one row of the sheet and at most
// one variant of the store (as read), so it can say which variant a row
// means.
func (d *differ) uniqueSKU(sv *catalog.Variant) bool {
	return sv.SKU != "" && d.sheetSKUs[sv.SKU] == 1 && len(d.snap.bySKU[sv.SKU]) <= 1
}

func (d *differ) uniqueBarcode(sv *catalog.Variant) bool {
	return sv.Barcode != "" && len(d.snap.byBarcode[sv.Barcode]) <= 1 && d.barcodeRows(sv.Barcode) == 1
}

// skuCounts are how many rows of the sheet and variants of the store (as
// read) carry a sheet variant's SKU; looked up once per variant. inStore is
// exact only above 1 (0 stands for "at most one"): only sharing matters.
type skuCounts struct{ inSheet, inStore int }

// counts looks in the small maps of shared SKUs: most SKUs are on one row
// and one variant, and two lookups per variant in maps of every SKU were a
// tenth of planning a large sheet.
func (d *differ) counts(sv *catalog.Variant) skuCounts {
	if sv.SKU == "" {
		return skuCounts{}
	}
	return skuCounts{max(1, d.sheetShared[sv.SKU]), d.snap.sharedSKUs[sv.SKU]}
}

// sharedSKU describes sv's SKU when it is on several variants of the store
// or rows of the sheet ("SKU "X" is on 60 variants in the store"), or "".
func (d *differ) sharedSKU(sv *catalog.Variant, n skuCounts) string {
	switch {
	case n.inStore > 1:
		d.shared.add(sv.SKU, n.inStore)
		return "SKU " + strconv.Quote(sv.SKU) + " is on " + strconv.Itoa(n.inStore) + " variants in the store"
	case n.inSheet > 1:
		d.shared.add(sv.SKU, n.inSheet)
		return "SKU " + strconv.Quote(sv.SKU) + " is on " + strconv.Itoa(n.inSheet) + " rows of the sheet"
	}
	return ""
}

// planKey names a sheet variant for people and the journal: its SKU, with its
// option values when the SKU is on several rows, so every key of a product
// stays distinct.
func planKey(sv *catalog.Variant, n skuCounts) string {
	if n.inSheet > 1 && len(sv.OptionValues) > 0 {
		return sv.SKU + " (" + optionsText(sv.OptionValues) + ")"
	}
	return variantKey(sv)
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
// handle is unknown to the store (a handle renamed in Shopify): every SKU of
// the sheet's product must be unique in the store and the sheet, and on that
// one product. One SKU in common is not enough: Shopify allows a SKU on
// several products, and guessing would overwrite another product.
func (d *differ) bySKUs(sp *catalog.Product) *SnapProduct {
	var found *SnapProduct
	for i := range sp.Variants {
		sv := &sp.Variants[i]
		if sv.SKU == "" {
			continue
		}
		refs := d.snap.bySKU[sv.SKU]
		if !d.uniqueSKU(sv) || len(refs) == 0 || found != nil && found != refs[0].p {
			return nil
		}
		found = refs[0].p
	}
	return found
}

func (d *differ) update(sp *catalog.Product, cur *SnapProduct, pp *ProductPlan) {
	pp.Fields = append(productChanges(sp, cur), extraProductChanges(sp, cur, pp)...)
	pp.Fields = append(pp.Fields, d.metafieldChanges(source.OwnerProduct, sp.Metafields, cur.Metafields, sp.Row)...)
	pp.Fields = append(pp.Fields, d.categoryChange(sp, cur)...)
	if sp.Fields.Has(catalog.FieldOptions) && len(sp.Variants) > 0 && !equalFoldList(sp.Options, cur.Options) {
		pp.Action = ActError
		pp.Message = "option names differ: the store has " + optionsText(cur.Options) + ", the sheet " +
			optionsText(sp.Options) + "; rename them in Shopify first"
		pp.Fields = nil
		return
	}
	if note := linkNote(sp, cur); note != "" {
		pp.Message = joinMessages(pp.Message, note)
		d.linkDiffs = append(d.linkDiffs, sp.Handle)
	}
	used := make([]bool, len(cur.Variants))
	pp.Variants = make([]VariantPlan, 0, len(sp.Variants))
	for i := range sp.Variants {
		pp.Variants = append(pp.Variants, d.variantIn(sp, &sp.Variants[i], cur, used))
	}
	d.imageChanges(sp, cur, pp)
	changed := len(pp.Fields) > 0 || len(pp.Images) > 0
	for i := range pp.Variants {
		if a := pp.Variants[i].Action; a == ActUpdate || a == ActCreate {
			changed = true
		}
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
	n := d.counts(sv)
	vp := VariantPlan{Key: planKey(sv, n), Handle: cur.Handle, ProductID: cur.ID, Row: sv.Row}
	idx, by := -1, MatchKey("")
	for _, m := range d.opts.match() {
		if idx = d.matchIn(m, sv, cur, used); idx >= 0 {
			by = m
			break
		}
	}
	if idx < 0 && cur.Links != nil && slices.Contains(d.opts.match(), MatchOptions) {
		if named := d.entryNames(sv, cur); named != nil {
			if idx = d.matchIn(MatchOptions, named, cur, used); idx >= 0 {
				sv, by = named, MatchOptions // the sheet named an entry by its handle
			}
		}
	}
	shared := d.sharedSKU(sv, n)
	if idx < 0 {
		vp = d.addVariant(sp, sv, cur, vp)
		if shared != "" {
			vp.Message = joinMessages(shared+": not matched by it", vp.Message)
		}
		return vp
	}
	used[idx] = true
	cv := &cur.Variants[idx]
	vp.VariantID, vp.InventoryItemID = cv.ID, cv.InventoryItemID
	d.variantChanges(sv, cv, cur.Options, by, &vp)
	keepLinkedValues(&vp, cur, sv, cv)
	if shared != "" {
		how := ": matched by handle and option values"
		if by == MatchBarcode {
			how = ": matched by barcode"
		}
		vp.Message = joinMessages(shared+how, vp.Message)
	}
	if slices.ContainsFunc(vp.Fields, func(f FieldChange) bool { return f.Field == FieldSKU }) {
		vp.Message = joinMessages(vp.Message, d.skuElsewhere(sv.SKU, cur))
	}
	return vp
}

// skuElsewhere warns when sku, about to be written to a variant of cur, is
// already on a variant of another product. Shopify allows it, but a later
// sheet with SKUs only can no longer tell the two apart.
func (d *differ) skuElsewhere(sku string, cur *SnapProduct) string {
	if sku == "" {
		return ""
	}
	for _, r := range d.snap.bySKU[sku] {
		if r.p != cur {
			d.elsewhere++
			return "warning: SKU " + strconv.Quote(sku) + " is already on " + r.p.Handle +
				" in the store (Shopify allows it, but a sheet of SKUs alone can't tell the two apart)"
		}
	}
	return ""
}

func joinMessages(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func (vp VariantPlan) fail(c catalog.Cell, msg string) VariantPlan {
	vp.Action, vp.Cell, vp.Message = ActError, c, msg
	return vp
}

// matchIn finds the unused variant of cur that sv matches by m, or -1. A
// SKU or barcode matches only when it is unique in the sheet and the store.
func (d *differ) matchIn(m MatchKey, sv *catalog.Variant, cur *SnapProduct, used []bool) int {
	var refs []varRef
	switch m {
	case MatchSKU:
		if !d.uniqueSKU(sv) {
			return -1
		}
		refs = d.snap.bySKU[sv.SKU]
	case MatchBarcode:
		if !d.uniqueBarcode(sv) {
			return -1
		}
		refs = d.snap.byBarcode[sv.Barcode]
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
	if !sv.Bad.Empty() {
		return vp.fail(catalog.Cell{Row: sv.Row}, "not added: the row's "+sv.Bad.String()+" can't be read")
	}
	in, err := d.variantInput(sv, cur.Options)
	if err != "" {
		return vp.fail(catalog.Cell{Row: sv.Row}, err)
	}
	if cell, msg := d.linkVariant(sv, &in, func(i int) (string, map[string]string) {
		l := storeLink(cur, i)
		return l.Metafield, l.Values
	}); msg != "" {
		return vp.fail(cell, msg)
	}
	vp.Action, vp.Create = ActCreate, &in
	vp.Message = joinMessages(d.skuElsewhere(sv.SKU, cur), untrackedNote(&in))
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
		for _, e := range sv.Quantities { // sorted by location key
			k, q := e.Location, e.Quantity
			loc := d.locs.ids[k]
			old, stocked := cv.quantity(d.qtyName, loc)
			if stocked && old == q || !stocked && q == 0 {
				continue // not stocking an item there is as good as zero
			}
			qc := QuantityChange{LocationID: loc, Location: d.locs.names[loc], Name: d.qtyName, New: q, Cell: sv.QuantityCell(k)}
			if stocked {
				qc.Old = &old
			}
			vp.Quantities = append(vp.Quantities, qc)
		}
	}
	extraVariantChanges(sv, cv, vp)
	vp.Fields = append(vp.Fields, d.metafieldChanges(source.OwnerVariant, sv.Metafields, cv.Metafields, sv.Row)...)
	if d.markets != nil && len(sv.MarketPrices()) > 0 {
		d.marketChanges(sv, cv, vp)
	}
	if len(vp.Fields)+len(vp.Quantities) > 0 {
		vp.Action = ActUpdate
	} else {
		vp.Action = ActUnchanged
	}
}

// loose matches a variant of a partial sheet across the whole store, by a
// SKU (or barcode) that is on one row of the sheet and one variant of the
// store. Any other row is left alone, saying why: Shopify allows a SKU on
// several variants, and a sheet without handles can't say which it means.
func (d *differ) loose(sv *catalog.Variant) VariantPlan {
	vp := VariantPlan{Key: variantKey(sv), Row: sv.Row}
	refs, what, by, inSheet := d.snap.bySKU[sv.SKU], "SKU "+strconv.Quote(sv.SKU), MatchSKU, d.sheetSKUs[sv.SKU]
	if sv.SKU == "" {
		refs, what, by, inSheet = d.snap.byBarcode[sv.Barcode], "barcode "+strconv.Quote(sv.Barcode), MatchBarcode, d.barcodeRows(sv.Barcode)
	}
	switch {
	case sv.SKU == "" && sv.Barcode == "":
		return vp.fail(catalog.Cell{Row: sv.Row}, "the row has neither a SKU nor a barcode to find the variant by")
	case len(refs) == 0:
		vp.Action, vp.Message = ActSkipped, "no variant with "+what+" in the store"
		return vp
	case len(refs) > 1:
		if by == MatchSKU {
			d.shared.add(sv.SKU, len(refs))
		}
		vp.Action, vp.Message = ActSkipped, what+" is on "+strconv.Itoa(len(refs))+" variants in the store: not matched (add Handle and option columns to say which)"
		return vp
	case inSheet > 1:
		if by == MatchSKU {
			d.shared.add(sv.SKU, inSheet)
		}
		vp.Action, vp.Message = ActSkipped, what+" is on "+strconv.Itoa(inSheet)+" rows of the sheet: not matched (keep one row per variant)"
		return vp
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
