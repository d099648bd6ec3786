package source

import (
	"slices"
	"sort"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// layout is a Mapping resolved against one header row: column indexes
// (-1 when absent) and where each field comes from.
type layout struct {
	header                                           []string
	handle, title, desc, vendor, ptype, tags, status int
	optName, optVal, optLink                         []int
	optFixed                                         []string
	sku, barcode, price, compare, policy             int
	qty                                              []locCol
	imgSrc, imgPos, imgAlt, varImg                   int
	decimal                                          byte // '.', ',' or 0 for automatic
	fileDecimal                                      byte // the automatic default for this file
	clears                                           bool
	// clearsSaved: the mapping itself has blankClears (not just this run).
	clearsSaved bool
	cols        *catalog.Columns
	used        []bool
	published   int    // Published / Published on online store; -1 when absent
	dropped     []bool // product columns of a sheet without products
	x           fieldCols
	inv         invCols // Shopify's inventory CSV (inventorycsv.go)
	tracker     int     // Variant Inventory Tracker; -1 when absent
}

// locCol is the quantity column of one location.
type locCol struct {
	loc string
	idx int
}

// resolver finds mapped columns in a header row, remembering the first error.
type resolver struct {
	l     *layout
	index map[string]int // normalised header → first index
	dups  map[string]bool
	err   error
}

func newResolver(l *layout) *resolver {
	r := &resolver{l: l, index: map[string]int{}, dups: map[string]bool{}}
	for i, h := range l.header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		if _, ok := r.index[n]; ok {
			r.dups[n] = true
			continue
		}
		r.index[n] = i
	}
	return r
}

// col finds column name (-1 when name is empty or on error), marks it used
// and, with hasField, records it as the source of field f.
func (r *resolver) col(name string, f catalog.Field, hasField bool) int {
	if name == "" || r.err != nil {
		return -1
	}
	n := normHeader(name)
	i, ok := r.index[n]
	switch {
	case !ok:
		r.err = catalog.Errorf(catalog.Cell{Row: 1, Column: name}, "the column mapping names column %q, which this sheet doesn't have", name)
		return -1
	case r.dups[n]:
		r.err = catalog.Errorf(catalog.Cell{Row: 1, Column: r.l.header[i]}, "column %q appears more than once: rename or delete the extra one", r.l.header[i])
		return -1
	}
	r.l.used[i] = true
	if _, set := r.l.cols.Fields[f]; hasField && !set {
		r.l.cols.Fields[f] = r.l.header[i]
	}
	return i
}

// field is col for a column that is the source of f.
func (r *resolver) field(name string, f catalog.Field) int { return r.col(name, f, true) }

// plain is col for a column that feeds no field of its own.
func (r *resolver) plain(name string) int { return r.col(name, 0, false) }

// resolve checks m against header. A column the mapping names but the sheet
// lacks, or names twice, is an error on the header row.
func resolve(m *Mapping, header []string, delim rune) (*layout, error) {
	l := &layout{header: header, used: make([]bool, len(header)), clears: m.BlankClears,
		cols: &catalog.Columns{Fields: map[catalog.Field]string{}, Quantities: map[string]string{}}}
	r := newResolver(l)
	l.handle = r.plain(m.Handle)
	l.title = r.field(m.Title, catalog.FieldTitle)
	l.desc = r.field(m.Description, catalog.FieldDescriptionHTML)
	l.vendor = r.field(m.Vendor, catalog.FieldVendor)
	l.ptype = r.field(m.ProductType, catalog.FieldProductType)
	l.tags = r.field(m.Tags, catalog.FieldTags)
	l.status = r.field(m.Status, catalog.FieldStatus)
	l.published = r.plain(m.Published)
	for _, o := range m.Options {
		l.optVal = append(l.optVal, r.field(o.ValueColumn, catalog.FieldOptions))
		l.optName = append(l.optName, r.plain(o.NameColumn))
		l.optLink = append(l.optLink, r.plain(o.LinkedToColumn))
		l.optFixed = append(l.optFixed, strings.TrimSpace(o.Name))
		l.cols.OptionValues = append(l.cols.OptionValues, l.headerAt(l.optVal[len(l.optVal)-1]))
		l.cols.OptionLinks = append(l.cols.OptionLinks, l.headerAt(l.optLink[len(l.optLink)-1]))
	}
	l.sku = r.field(m.SKU, catalog.FieldSKU)
	l.barcode = r.field(m.Barcode, catalog.FieldBarcode)
	l.price = r.field(m.Price, catalog.FieldPrice)
	l.compare = r.field(m.CompareAtPrice, catalog.FieldCompareAtPrice)
	l.policy = r.field(m.InventoryPolicy, catalog.FieldInventoryPolicy)
	r.quantities(m.Quantity)
	r.resolveInventory(m)
	l.tracker = r.plain(m.InventoryTracker)
	l.imgSrc = r.field(m.ImageSrc, catalog.FieldImages)
	l.imgPos = r.plain(m.ImagePosition)
	l.imgAlt = r.plain(m.ImageAlt)
	l.varImg = r.plain(m.VariantImage)
	r.fields(m)
	if r.err != nil {
		return nil, r.err
	}
	if l.handle < 0 && l.title < 0 && l.sku < 0 && l.barcode < 0 {
		return nil, catalog.Errorf(catalog.Cell{Row: 1}, "no column identifies a product or variant: the sheet needs a handle (Handle or URL handle), a Title, a SKU or a barcode column, or a column mapping that names one")
	}
	if !l.productMode() {
		l.unuseProductColumns()
	}
	return l, l.setDecimal(m.Decimal, delim)
}

// quantities resolves the per-location quantity columns in a stable order.
func (r *resolver) quantities(q map[string]string) {
	locs := make([]string, 0, len(q))
	for loc := range q {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	for _, loc := range locs {
		if i := r.field(q[loc], catalog.FieldQuantity); i >= 0 {
			r.l.qty = append(r.l.qty, locCol{loc: loc, idx: i})
			r.l.cols.Quantities[loc] = r.l.header[i]
		}
	}
}

// headerAt is column i's header, "" when i is -1.
func (l *layout) headerAt(i int) string {
	if i < 0 || i >= len(l.header) {
		return ""
	}
	return l.header[i]
}

// unuseProductColumns lists product columns as ignored: loose variants
// carry no product fields.
func (l *layout) unuseProductColumns() {
	l.dropped = make([]bool, len(l.header))
	for _, i := range append([]int{l.desc, l.vendor, l.ptype, l.tags, l.status, l.published, l.imgSrc, l.imgPos, l.imgAlt, l.varImg,
		l.x.seoTitle, l.x.seoDesc, l.x.giftCard, l.x.category}, slices.Concat(l.optName, l.optVal, l.optLink)...) {
		if i >= 0 {
			l.used[i] = false
			l.dropped[i] = true
		}
	}
	l.desc, l.vendor, l.ptype, l.tags, l.status, l.published, l.imgSrc, l.imgPos, l.imgAlt, l.varImg = -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
	l.optName, l.optVal, l.optLink, l.optFixed = nil, nil, nil, nil
	l.x.seoTitle, l.x.seoDesc, l.x.giftCard, l.x.category = -1, -1, -1, -1
	for _, c := range l.x.productMF {
		l.used[c.idx], l.dropped[c.idx] = false, true
	}
	l.x.productMF = nil
}

// setDecimal sets the decimal separator of prices.
func (l *layout) setDecimal(dec string, delim rune) error {
	switch dec {
	case ".", ",":
		l.decimal = dec[0]
	case "":
	default:
		return fileError("the column mapping's decimal separator must be \".\" or \",\", not %q", dec)
	}
	l.fileDecimal = '.'
	if delim == ';' {
		l.fileDecimal = ','
	}
	return nil
}

// productMode reports whether rows are grouped into products (by handle or
// title) rather than read as loose variants.
func (l *layout) productMode() bool { return l.handle >= 0 || l.title >= 0 }

// ignored lists the header names no field uses (unsynced says why).
func (l *layout) ignored() []string {
	var cols []string
	for i, h := range l.header {
		if !l.used[i] && h != "" {
			cols = append(cols, h)
		}
	}
	return cols
}
