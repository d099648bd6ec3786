package source

import (
	"sort"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// layout is a Mapping resolved against one header row: column indexes
// (-1 when absent) and where each field comes from.
type layout struct {
	header                                           []string
	handle, title, desc, vendor, ptype, tags, status int
	optName, optVal                                  []int
	optFixed                                         []string
	sku, barcode, price, compare, policy             int
	qty                                              []locCol
	imgSrc, imgPos, imgAlt, varImg                   int
	decimal                                          byte // '.', ',' or 0 for automatic
	fileDecimal                                      byte // the automatic default for this file
	clears                                           bool
	cols                                             *catalog.Columns
	used                                             []bool
}

// locCol is the quantity column of one location.
type locCol struct {
	loc string
	idx int
}

// resolve checks m against header. A column the mapping names but the sheet
// lacks, or names twice, is an error on the header row.
func resolve(m *Mapping, header []string, delim rune) (*layout, error) {
	index := map[string]int{}
	dups := map[string]bool{}
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		if _, ok := index[n]; ok {
			dups[n] = true
			continue
		}
		index[n] = i
	}
	l := &layout{header: header, used: make([]bool, len(header)), clears: m.BlankClears,
		cols: &catalog.Columns{Fields: map[catalog.Field]string{}, Quantities: map[string]string{}}}
	var err error
	col := func(name string, f catalog.Field, hasField bool) int {
		if name == "" || err != nil {
			return -1
		}
		n := normHeader(name)
		i, ok := index[n]
		switch {
		case !ok:
			err = catalog.Errorf(catalog.Cell{Row: 1, Column: name}, "the column mapping names column %q, which this sheet doesn't have", name)
			return -1
		case dups[n]:
			err = catalog.Errorf(catalog.Cell{Row: 1, Column: header[i]}, "column %q appears more than once: rename or delete the extra one", header[i])
			return -1
		}
		l.used[i] = true
		if hasField {
			if _, set := l.cols.Fields[f]; !set {
				l.cols.Fields[f] = header[i]
			}
		}
		return i
	}
	l.handle = col(m.Handle, 0, false)
	l.title = col(m.Title, catalog.FieldTitle, true)
	l.desc = col(m.Description, catalog.FieldDescriptionHTML, true)
	l.vendor = col(m.Vendor, catalog.FieldVendor, true)
	l.ptype = col(m.ProductType, catalog.FieldProductType, true)
	l.tags = col(m.Tags, catalog.FieldTags, true)
	l.status = col(m.Status, catalog.FieldStatus, true)
	for _, o := range m.Options {
		l.optVal = append(l.optVal, col(o.ValueColumn, catalog.FieldOptions, true))
		l.optName = append(l.optName, col(o.NameColumn, 0, false))
		l.optFixed = append(l.optFixed, strings.TrimSpace(o.Name))
	}
	l.sku = col(m.SKU, catalog.FieldSKU, true)
	l.barcode = col(m.Barcode, catalog.FieldBarcode, true)
	l.price = col(m.Price, catalog.FieldPrice, true)
	l.compare = col(m.CompareAtPrice, catalog.FieldCompareAtPrice, true)
	l.policy = col(m.InventoryPolicy, catalog.FieldInventoryPolicy, true)
	locs := make([]string, 0, len(m.Quantity))
	for loc := range m.Quantity {
		locs = append(locs, loc)
	}
	sort.Strings(locs) // deterministic column order
	for _, loc := range locs {
		i := col(m.Quantity[loc], catalog.FieldQuantity, true)
		if i >= 0 {
			l.qty = append(l.qty, locCol{loc: loc, idx: i})
			l.cols.Quantities[loc] = header[i]
		}
	}
	l.imgSrc = col(m.ImageSrc, catalog.FieldImages, true)
	l.imgPos = col(m.ImagePosition, 0, false)
	l.imgAlt = col(m.ImageAlt, 0, false)
	l.varImg = col(m.VariantImage, 0, false)
	if err != nil {
		return nil, err
	}
	switch m.Decimal {
	case ".", ",":
		l.decimal = m.Decimal[0]
	case "":
	default:
		return nil, fileError("the column mapping's decimal separator must be \".\" or \",\", not %q", m.Decimal)
	}
	l.fileDecimal = '.'
	if delim == ';' {
		l.fileDecimal = ','
	}
	if l.handle < 0 && l.title < 0 && l.sku < 0 && l.barcode < 0 {
		return nil, catalog.Errorf(catalog.Cell{Row: 1}, "no column identifies a product or variant: the sheet needs a handle (Handle or URL handle), a Title, a SKU or a barcode column, or a column mapping that names one")
	}
	return l, nil
}

// productMode reports whether rows are grouped into products (by handle or
// title) rather than read as loose variants.
func (l *layout) productMode() bool { return l.handle >= 0 || l.title >= 0 }

// ignored lists the header names no field uses, and notes about them.
func (l *layout) ignored() (cols []string, notes []string) {
	var market, published []string
	for i, h := range l.header {
		if l.used[i] || h == "" {
			continue
		}
		cols = append(cols, h)
		n := normHeader(h)
		switch {
		case isMarketColumn(n):
			market = append(market, h)
		case n == "published" || n == "published on online store":
			published = append(published, h)
		}
	}
	if len(market) > 0 {
		notes = append(notes, "market columns ("+strings.Join(market, ", ")+") are not synced: market prices and inclusion stay as they are in Shopify")
	}
	if len(published) > 0 {
		notes = append(notes, "column "+published[0]+" is not synced: publishing to sales channels is left as it is; a product's status comes from the Status column")
	}
	return cols, notes
}
