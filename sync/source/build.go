package source

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// builder turns the rows of a sheet into a catalog through a layout.
type builder struct {
	l        *layout
	cat      *catalog.Catalog
	byHandle map[string]int // handle → index in cat.Products
	broken   map[string]int // handle → row of its first row, which could not be read
	// combos indexes the option values of products with many variants
	// (handle → values → row); small products are scanned instead.
	combos   map[string]map[string]int
	suspect  bool // check cells for undecodable characters
	nonBlank int  // rows read that were not blank
	// kept counts blank cells in clearable columns that were left absent
	// because blank cells don't clear (see layout.clears).
	kept int
	inv  *invMerge // Shopify's inventory CSV: where each variant went (inventorycsv.go)
	keep keeper    // copies kept strings out of their rows
	// open is the product (index in cat.Products) whose variants are read
	// into spare, -1 when none. A sheet lists a product's rows together, so
	// each product's variants are copied once, at their final count, into
	// chunk (sealOpen) rather than grown in a slice per product, which left
	// up to half of every slice unused for the whole run.
	open  int
	spare []catalog.Variant
	chunk []catalog.Variant // free room for sealed products' variants
}

// variantChunk is how many variants a chunk holds: a few hundred kilobytes,
// so a large sheet takes few allocations and a small one wastes little.
const variantChunk = 1024

// newBuilder prepares a builder for about rows rows, so the indexes don't
// grow step by step on large sheets.
func newBuilder(l *layout, cat *catalog.Catalog, suspect bool, rows int) *builder {
	b := &builder{l: l, cat: cat, suspect: suspect, broken: map[string]int{}, combos: map[string]map[string]int{}, open: -1}
	if l.productMode() {
		b.byHandle = make(map[string]int, rows/4)
	} else {
		b.byHandle = map[string]int{}
		cat.Variants = make([]catalog.Variant, 0, rows)
	}
	return b
}

// rowCtx collects the errors of one row. errs make the whole row unreadable
// (no handle, misplaced options, broken quoting); cellErrs concern one
// value, which is left out (and marked Bad) while the rest of the row is
// synced: one bad price never costs a product its other fields.
type rowCtx struct {
	b        *builder
	rec      record
	errs     []catalog.RowError
	cellErrs []catalog.RowError
}

// get returns the trimmed cell in column i ("" when the column is absent).
func (r *rowCtx) get(i int) string {
	if i < 0 || i >= len(r.rec.cells) {
		return ""
	}
	return strings.TrimSpace(r.rec.cells[i])
}

// raw returns the cell untrimmed (for HTML descriptions).
func (r *rowCtx) raw(i int) string {
	if i < 0 || i >= len(r.rec.cells) {
		return ""
	}
	return r.rec.cells[i]
}

func (r *rowCtx) fail(i int, msg string) {
	col := ""
	if i >= 0 && i < len(r.b.l.header) {
		col = r.b.l.header[i]
	}
	r.errs = append(r.errs, catalog.RowError{Cell: catalog.Cell{Row: r.rec.row, Column: col}, Message: msg})
}

// badCell reports a bad value in column i: field f is left out of the row
// and marked in bad, so it is never written and the item it belongs to is
// not created without it.
func (r *rowCtx) badCell(i int, f catalog.Field, bad *catalog.FieldSet, msg string) {
	col := ""
	if i >= 0 && i < len(r.b.l.header) {
		col = r.b.l.header[i]
	}
	r.cellErrs = append(r.cellErrs, catalog.RowError{Cell: catalog.Cell{Row: r.rec.row, Column: col}, Message: msg})
	bad.Add(f)
}

// add reads one record into the catalog, or records why it can't.
func (b *builder) add(rec record) {
	r := &rowCtx{b: b, rec: rec, errs: rec.errs}
	for _, ce := range rec.cellErrs {
		if ce.col < len(b.l.used) && b.l.used[ce.col] {
			r.errs = append(r.errs, ce.err)
		}
	}
	if len(r.errs) == 0 && r.blank() {
		return
	}
	b.nonBlank++
	if len(r.errs) == 0 {
		r.checkCells()
	}
	if len(r.errs) > 0 {
		if b.l.productMode() {
			if h, _ := r.handle(); h != "" {
				if _, seen := b.byHandle[h]; !seen {
					if _, already := b.broken[h]; !already {
						b.broken[h] = rec.row
					}
				}
			}
		}
		b.cat.Errors = append(b.cat.Errors, r.errs...)
		return
	}
	if b.l.inv.loc >= 0 && b.mergeLocationRow(r) {
		return // another location of a variant read before
	}
	if b.l.productMode() {
		b.addProductRow(r)
	} else {
		b.addLooseRow(r)
	}
	b.cat.Errors = append(b.cat.Errors, r.errs...)
	b.cat.Errors = append(b.cat.Errors, r.cellErrs...)
}

// blank reports an empty row (skipped silently, as spreadsheets leave them).
func (r *rowCtx) blank() bool {
	for _, c := range r.rec.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// checkCells flags cells that are not text: characters lost in decoding,
// and extra cells beyond the header.
func (r *rowCtx) checkCells() {
	for i, c := range r.rec.cells {
		if i >= len(r.b.l.header) {
			if strings.TrimSpace(c) != "" {
				r.errs = append(r.errs, catalog.Errorf(catalog.Cell{Row: r.rec.row},
					"the row has %d cells but the header only %d: a delimiter or quote is probably out of place", len(r.rec.cells), len(r.b.l.header)))
				return
			}
			continue
		}
		if r.b.suspect && r.b.l.used[i] && strings.ContainsRune(c, '\ufffd') {
			r.fail(i, "unreadable characters: the file's encoding is neither UTF-8 nor Windows-1252; save it as CSV UTF-8")
		}
	}
}

// handle returns the row's handle, derived from the title when the row has
// none, or "" (with an error) when it has neither.
func (r *rowCtx) handle() (h string, derived bool) {
	l := r.b.l
	if h = r.get(l.handle); h != "" {
		return strings.ToLower(h), false // Shopify handles are lower case
	}
	if t := r.get(l.title); t != "" {
		return catalog.HandleFromTitle(t), true
	}
	return "", false
}

func (b *builder) addProductRow(r *rowCtx) {
	h, derived, ok := b.rowHandle(r)
	if !ok {
		return
	}
	pi, exists := b.byHandle[h]
	var p *catalog.Product
	var fresh catalog.Product
	if exists {
		p = &b.cat.Products[pi]
		if t := r.get(b.l.title); t != "" && p.Fields.Has(catalog.FieldTitle) && t != p.Title {
			r.fail(b.l.title, "handle "+strconv.Quote(h)+" is already used by product "+strconv.Quote(p.Title)+" on row "+strconv.Itoa(p.Row))
			return
		}
	} else {
		fresh = catalog.Product{Handle: h, HandleDerived: derived, Row: r.rec.row, Cols: b.l.cols}
		p = &fresh
		r.productFields(p)
	}
	img, hasImg := r.image(p)
	var v catalog.Variant
	hasVariant := r.hasVariantData()
	if hasVariant {
		v = r.variant(p)
		b.checkVariant(r, p, &v)
	}
	if len(r.errs) > 0 {
		if !exists {
			b.broken[h] = r.rec.row
		}
		return
	}
	if !exists {
		b.keep.product(&fresh)
		p, pi = b.appendProduct(fresh), len(b.cat.Products)-1
	}
	if hasImg {
		b.keep.image(&img)
		p.Images = append(p.Images, img)
		p.Fields.Add(catalog.FieldImages)
	}
	if hasVariant {
		b.keep.variant(&v)
		b.addVariant(pi, v)
	}
}

// appendProduct adds p to the catalog and indexes it. The slice doubles
// when full: append's 1.25× growth for large slices would copy the
// products over and over on big sheets.
func (b *builder) appendProduct(p catalog.Product) *catalog.Product {
	ps := b.cat.Products
	if len(ps) == cap(ps) {
		grown := make([]catalog.Product, len(ps), max(64, 2*cap(ps)))
		copy(grown, ps)
		ps = grown
	}
	b.byHandle[p.Handle] = len(ps)
	b.cat.Products = append(ps, p)
	return &b.cat.Products[len(ps)]
}

// rowHandle finds and checks the handle of a product row.
func (b *builder) rowHandle(r *rowCtx) (h string, derived, ok bool) {
	l := b.l
	h, derived = r.handle()
	switch {
	case h == "" && r.get(l.title) != "":
		r.fail(l.title, "a handle can't be derived from this title: add a URL handle")
		return "", false, false
	case h == "":
		r.fail(firstCol(l.handle, l.title), "missing handle: every row needs a URL handle (or, for a new product, a title)")
		return "", false, false
	}
	if err := checkHandle(h); err != nil {
		r.fail(l.handle, err.Error())
		return "", false, false
	}
	if row, bad := b.broken[h]; bad {
		r.fail(-1, "skipped: the first row of product "+strconv.Quote(h)+" (row "+strconv.Itoa(row)+") can't be read, and it names the product's options")
		return "", false, false
	}
	return h, derived, true
}

// checkVariant refuses a variant that repeats another's option values, or
// goes past Shopify's variant limit. A SKU may repeat: Shopify allows one
// SKU on many variants, and the engine matches such rows by handle and
// option values instead.
func (b *builder) checkVariant(r *rowCtx, p *catalog.Product, v *catalog.Variant) {
	if len(r.errs) > 0 {
		return
	}
	l := b.l
	if row, dup := b.sameOptions(p, v.OptionValues); dup {
		if len(p.Options) == 0 {
			r.fail(firstCol(optCol(l, 0), l.sku), "product "+strconv.Quote(p.Handle)+" has no options, so it can have only one variant (already on row "+strconv.Itoa(row)+"): add Option1 Name and Option1 Value columns")
		} else {
			r.fail(optCol(l, 0), "the option values "+strconv.Quote(strings.Join(v.OptionValues, " / "))+" are already used by row "+strconv.Itoa(row))
		}
	} else if len(p.Variants) >= catalog.MaxVariants {
		r.fail(-1, "product "+strconv.Quote(p.Handle)+" has more than 2048 variants, Shopify's limit")
	}
}

// addVariant appends a checked variant to product pi and indexes it.
func (b *builder) addVariant(pi int, v catalog.Variant) {
	p := &b.cat.Products[pi]
	if pi != b.open {
		b.sealOpen()
		if len(p.Variants) == 0 {
			b.open, p.Variants = pi, b.spare[:0]
		} // else its rows are apart in the sheet: it grows by append (sealed slices have no spare capacity)
	}
	p.Variants = append(p.Variants, v)
	if pi == b.open {
		b.spare = p.Variants
	}
	if idx := b.combos[p.Handle]; idx != nil {
		idx[comboKey(v.OptionValues)] = v.Row
	}
}

// sealOpen moves the open product's variants from spare into chunk, at
// their exact count. build calls it once more when the last row is read.
func (b *builder) sealOpen() {
	if b.open < 0 {
		return
	}
	p := &b.cat.Products[b.open]
	b.open = -1
	n := len(p.Variants)
	if cap(b.chunk)-len(b.chunk) < n {
		b.chunk = make([]catalog.Variant, 0, max(n, variantChunk))
	}
	at := len(b.chunk)
	b.chunk = append(b.chunk, p.Variants...)
	p.Variants = b.chunk[at:len(b.chunk):len(b.chunk)]
	clear(b.spare[:n]) // spare must not keep the strings of a product alive
}

// comboIndexFrom is the variant count from which a product's option values
// are indexed in a map rather than scanned.
const comboIndexFrom = 32

// sameOptions finds a variant of p with the option values vals.
func (b *builder) sameOptions(p *catalog.Product, vals []string) (row int, dup bool) {
	if len(p.Variants) < comboIndexFrom {
		for i := range p.Variants {
			if equalStrings(p.Variants[i].OptionValues, vals) {
				return p.Variants[i].Row, true
			}
		}
		return 0, false
	}
	idx := b.combos[p.Handle]
	if idx == nil {
		idx = make(map[string]int, 2*comboIndexFrom)
		for i := range p.Variants {
			idx[comboKey(p.Variants[i].OptionValues)] = p.Variants[i].Row
		}
		b.combos[p.Handle] = idx
	}
	row, dup = idx[comboKey(vals)]
	return row, dup
}

func comboKey(vals []string) string { return strings.Join(vals, "\x1f") }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// firstCol returns the first present column index.
func firstCol(idx ...int) int {
	for _, i := range idx {
		if i >= 0 {
			return i
		}
	}
	return -1
}

func optCol(l *layout, i int) int {
	if i < len(l.optVal) {
		return l.optVal[i]
	}
	return -1
}

// productFields reads the product-level cells of a product's first row.
func (r *rowCtx) productFields(p *catalog.Product) {
	l := r.b.l
	if t := r.get(l.title); len(t) > 255 {
		r.badCell(l.title, catalog.FieldTitle, &p.Bad, "a title can be at most 255 characters long")
	} else if t != "" {
		p.Title = t
		p.Fields.Add(catalog.FieldTitle)
	}
	if l.desc >= 0 {
		if d := r.raw(l.desc); strings.TrimSpace(d) != "" || r.clears() {
			p.DescriptionHTML = d
			p.Fields.Add(catalog.FieldDescriptionHTML)
		}
	}
	r.text(l.vendor, catalog.FieldVendor, &p.Vendor, &p.Fields)
	r.text(l.ptype, catalog.FieldProductType, &p.ProductType, &p.Fields)
	if l.tags >= 0 {
		if t := r.get(l.tags); t != "" || r.clears() {
			p.Tags = parseTags(t)
			p.Fields.Add(catalog.FieldTags)
		}
	}
	if s := r.get(l.status); s != "" {
		if st, err := parseStatus(s); err != nil {
			r.badCell(l.status, catalog.FieldStatus, &p.Bad, err.Error())
		} else {
			p.Status = st
			p.Fields.Add(catalog.FieldStatus)
		}
	}
	r.published(p)
	r.optionNames(p)
	r.productExtras(p)
}

// text sets a plain product or variant field: present when non-empty, or
// when blank cells clear fields.
func (r *rowCtx) text(i int, f catalog.Field, dst *string, fields *catalog.FieldSet) {
	if i < 0 {
		return
	}
	if s := r.get(i); s != "" || r.clears() {
		*dst = s
		fields.Add(f)
	}
}

// blankNote tells the preview what blank cells do: with "blank means
// clear" on, which columns empty their fields; off, how many blank cells
// were left as they are in the store.
func (b *builder) blankNote() string {
	l := b.l
	if !l.clears {
		if b.kept == 0 {
			return ""
		}
		return strconv.Itoa(b.kept) + " blank cells leave their fields as they are in the store: a blank cell never deletes a value unless \"Blank cells clear their field\" is ticked (--blank-clears on the command line)"
	}
	var cols []string
	for _, i := range []int{l.desc, l.vendor, l.ptype, l.tags, l.barcode, l.compare} {
		if i >= 0 {
			cols = append(cols, l.header[i])
		}
	}
	for _, mc := range l.x.markets { // a blank market price deletes the fixed price
		for _, i := range []int{mc.price, mc.compare} {
			if i >= 0 {
				cols = append(cols, l.header[i])
			}
		}
	}
	up := ""
	if i := l.x.unitPrice[0]; i >= 0 {
		// No documented input removes a measurement (2026-04 schema:
		// UnitPriceMeasurementInput has no "remove"; what a null does is not
		// documented), so a blank unit price only turns showUnitPrice off.
		up = "four blank unit price cells hide the store's unit price (Shopify keeps its measurement: its Admin API documents no way to remove one)"
	}
	why := "for this run" // ticked in the Sync tab, or --blank-clears
	if l.clearsSaved {
		why = "in the column mapping saved with this sheet's columns"
	}
	on := "\"blank means clear\" is on (" + why + "): "
	switch {
	case len(cols) == 0 && up == "":
		return ""
	case len(cols) == 0:
		return on + up
	case up != "":
		up = "; " + up
	}
	return on + "a blank cell in " + strings.Join(cols, ", ") + " empties that field in the store" + up
}

// clears reports whether a blank cell clears its field. When it doesn't,
// the blank cell is counted, so the preview can say blanks were kept.
func (r *rowCtx) clears() bool {
	if !r.b.l.clears {
		r.b.kept++
	}
	return r.b.l.clears
}

// optionNames reads the option names of a product's first row. The single
// option "Title" with value "Default Title" means "no options".
func (r *rowCtx) optionNames(p *catalog.Product) {
	l := r.b.l
	if len(l.optVal) == 0 {
		return
	}
	p.Fields.Add(catalog.FieldOptions)
	var names []string
	gap := -1
	for i := range l.optVal {
		name, ok := r.optionName(i)
		if !ok {
			return
		}
		if name == "" {
			if gap < 0 {
				gap = i
			}
			continue
		}
		if !r.checkOptionName(i, gap, name, names) {
			return
		}
		names = append(names, name)
	}
	if len(names) == 1 && names[0] == "Title" && r.get(l.optVal[0]) == "Default Title" {
		names = nil // Shopify's marker for a product without options
	}
	p.Options = names
	r.optionLinks(p)
}

// optionLinks reads the "OptionN Linked To" cells of a product's first row.
func (r *rowCtx) optionLinks(p *catalog.Product) {
	l := r.b.l
	if len(p.Options) == 0 || !slices.ContainsFunc(l.optLink, func(i int) bool { return i >= 0 }) {
		return
	}
	var links []string // allocated for the first linked option: most rows link none
	for i := range p.Options {
		if i >= len(l.optLink) || l.optLink[i] < 0 {
			continue
		}
		mf, err := parseOptionLink(r.get(l.optLink[i]))
		if err != "" {
			r.badCell(l.optLink[i], catalog.FieldOptions, &p.Bad, err)
			return
		}
		if mf != "" && links == nil {
			links = make([]string, len(p.Options))
		}
		if mf != "" {
			links[i] = mf
		}
	}
	p.OptionLinks = links
}

// parseOptionLink reads a Linked To cell as Shopify's export writes it,
// "product.metafields.shopify.color-pattern" (or just "shopify.color-pattern"),
// into "namespace.key"; blank is "not linked".
func parseOptionLink(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "variant.metafields.") {
		return "", "an option can only be linked to a product metafield, not " + strconv.Quote(s)
	}
	if strings.HasPrefix(lower, "product.metafields.") {
		s = s[len("product.metafields."):]
	}
	ns, key, ok := strings.Cut(s, ".")
	if !ok || !metafieldPart.MatchString(ns) || !metafieldPart.MatchString(key) {
		return "", "not a metafield to link the option to: " + strconv.Quote(s) +
			" (write it as Shopify's export does, e.g. product.metafields.shopify.color-pattern)"
	}
	return ns + "." + key, ""
}

// metafieldPart is a metafield namespace or key: letters, digits, "-" and "_"
// (Shopify's limits; app namespaces such as "$app:x" are not linked options).
var metafieldPart = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// optionName is the name of option i: its name cell, or the mapping's fixed name.
func (r *rowCtx) optionName(i int) (string, bool) {
	l := r.b.l
	if l.optName[i] >= 0 {
		return r.get(l.optName[i]), true
	}
	if l.optFixed[i] == "" && r.get(l.optVal[i]) != "" {
		r.fail(l.optVal[i], "this option has no name: the column mapping must give one")
		return "", false
	}
	return l.optFixed[i], true
}

// checkOptionName refuses option i named name after a gap (the first
// unnamed option), past the third, or repeating an earlier name.
func (r *rowCtx) checkOptionName(i, gap int, name string, earlier []string) bool {
	l := r.b.l
	at := firstCol(l.optName[i], l.optVal[i])
	switch {
	case gap >= 0:
		r.fail(at, "option "+strconv.Itoa(i+1)+" has a name but option "+strconv.Itoa(gap+1)+" has none: fill the options in order")
		return false
	case i >= catalog.MaxOptions:
		r.fail(at, "a product can have at most 3 options")
		return false
	}
	for _, n := range earlier {
		if strings.EqualFold(n, name) {
			r.fail(at, "option name "+strconv.Quote(name)+" is used twice")
			return false
		}
	}
	return true
}
