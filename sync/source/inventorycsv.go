package source

import (
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Shopify's inventory CSV
// (https://help.shopify.com/en/manual/products/inventory/inventory-csv) has
// one row per variant and location: Handle, Title, Option1 Name, Option1
// Value … Option3 Value, SKU, HS Code, COO, Location, Incoming,
// Unavailable, Committed, Available, On hand. Of its two exports, "All
// quantity types" says "edit only the On hand values. Available inventory is
// calculated based on your imported On hand values", and "Only Available
// quantities" edits Available. So a sheet with an On hand column sets on
// hand (inventorySetQuantities name "on_hand"), never available, and one
// with only Available sets available. A cell "Not stocked" means the item is
// never stocked there: Shelfsync leaves that location alone. The same SKU on
// one row per location is one variant, not a duplicate.

// invCols are the inventory-CSV columns of a layout.
type invCols struct {
	loc  int    // the Location column; -1 when quantities are per column
	name string // catalog.QuantityAvailable or catalog.QuantityOnHand
}

// onHandHeaders are the headers of an on-hand quantity column, best first.
// "On hand (new)" is how some exports are reported to name the editable
// column (UNCONFIRMED); "(current)" and "(not editable)" columns are never read.
var onHandHeaders = []string{"on hand (new)", "on hand", "on_hand", "onhand"}

// qualifierHeader matches the columns an export marks as current, new or
// not for editing: they never name a location.
func qualifierHeader(n string) bool {
	return strings.HasSuffix(n, "(current)") || strings.HasSuffix(n, "(not editable)") || strings.HasSuffix(n, "(new)")
}

// detectInventory recognises the inventory CSV (a Location column and an On
// hand or Available column) and sets which quantity the sheet sets.
func detectInventory(m *Mapping, seen map[string]string) {
	onHand := firstSeen(seen, onHandHeaders...)
	if loc, ok := seen["location"]; ok && (onHand != "" || seen["available"] != "") {
		m.Location, m.Dialect, m.BlankClears = loc, catalog.DialectShopifyInventory, false
		// An inventory file updates stock; it never creates a product.
		m.Title = ""
		m.Quantity = map[string]string{catalog.DefaultLocation: seen["available"]}
		m.QuantityName = catalog.QuantityAvailable
		if onHand != "" {
			m.Quantity[catalog.DefaultLocation], m.QuantityName = onHand, catalog.QuantityOnHand
		}
		return
	}
	if _, ok := m.Quantity[catalog.DefaultLocation]; !ok && onHand != "" {
		if m.Quantity == nil {
			m.Quantity = map[string]string{}
		}
		m.Quantity[catalog.DefaultLocation] = onHand // "On hand (new)" is no alias
	}
	if q := m.Quantity[catalog.DefaultLocation]; q != "" && isOnHandHeader(normHeader(q)) {
		m.QuantityName = catalog.QuantityOnHand
		return
	}
	if _, ok := m.Quantity[catalog.DefaultLocation]; ok || len(m.Quantity) == 0 {
		return
	}
	onHandCols := 0 // per-location columns only: "On hand - Berlin"
	for _, col := range m.Quantity {
		if isOnHandHeader(normHeader(col)) {
			onHandCols++
		}
	}
	if onHandCols == len(m.Quantity) {
		m.QuantityName = catalog.QuantityOnHand
	}
}

func isOnHandHeader(n string) bool {
	for _, h := range onHandHeaders {
		if strings.HasPrefix(n, h) {
			return true
		}
	}
	return false
}

func firstSeen(seen map[string]string, names ...string) string {
	for _, n := range names {
		if c, ok := seen[n]; ok {
			return c
		}
	}
	return ""
}

// resolveInventory resolves the Location column and checks the quantity name.
func (r *resolver) resolveInventory(m *Mapping) {
	r.l.inv.loc = r.plain(m.Location)
	switch m.QuantityName {
	case "", catalog.QuantityAvailable:
		r.l.inv.name = catalog.QuantityAvailable
	case catalog.QuantityOnHand:
		r.l.inv.name = catalog.QuantityOnHand
	default:
		if r.err == nil {
			r.err = fileError("the column mapping's quantityName must be %q or %q, not %q", catalog.QuantityAvailable, catalog.QuantityOnHand, m.QuantityName)
		}
	}
	if r.l.inv.loc >= 0 && len(r.l.qty) != 1 && r.err == nil {
		r.err = fileError("a sheet with a Location column needs exactly one quantity column (On hand or Available)")
	}
}

// isNotStocked reports Shopify's "Not stocked" cell.
func isNotStocked(s string) bool {
	if len(s) < len("not stocked") || s[0]|0x20 != 'n' {
		return false // a number, the usual cell: answered without allocating
	}
	return strings.EqualFold(strings.Join(strings.Fields(s), " "), "not stocked")
}

// qtyLoc is the location key of quantity column q on this row: the column's
// own, or the row's Location cell in an inventory CSV ("" with an error
// when that cell is blank).
func (r *rowCtx) qtyLoc(q locCol) (string, bool) {
	l := r.b.l
	if l.inv.loc < 0 {
		return q.loc, true
	}
	loc := r.rowLoc()
	if loc == "" {
		r.fail(l.inv.loc, "missing location: every row of an inventory file names the location its quantity is for")
		return "", false
	}
	if _, ok := l.cols.Quantities[loc]; !ok {
		l.cols.Quantities[loc] = l.header[q.idx]
	}
	return loc, true
}

// invMerge remembers where each variant of an inventory CSV went, so its
// rows for other locations add their quantity to it.
type invMerge struct {
	first map[string]*invRef // variant key → where its first row went
}

type invRef struct {
	handle string // "" for a loose variant
	index  int    // in the product's Variants, or in the catalog's loose Variants
	row    int
	locs   map[string]int // location → the row that gave its quantity
}

// invKey identifies the variant a row describes: handle and option values,
// or the SKU (else barcode) of a loose row.
func (r *rowCtx) invKey() string {
	l := r.b.l
	var b strings.Builder
	if l.productMode() {
		h, _ := r.handle()
		b.WriteString(h)
		for _, i := range l.optVal {
			b.WriteByte('\x1f')
			b.WriteString(r.get(i))
		}
		return b.String()
	}
	if s := r.get(l.sku); s != "" {
		return "sku\x1f" + s
	}
	if s := r.get(l.barcode); s != "" {
		return "barcode\x1f" + s
	}
	return ""
}

// rowLoc is the row's Location cell, spaces collapsed, copied out of its row (keeper).
func (r *rowCtx) rowLoc() string {
	return r.b.keep.str(strings.Join(strings.Fields(r.get(r.b.l.inv.loc)), " "))
}

// mergeLocationRow adds an inventory-CSV row to the variant an earlier row
// of the same variant created, and reports whether it did. The first row of
// a variant is read the usual way (mergeLocationRow notes where it goes).
func (b *builder) mergeLocationRow(r *rowCtx) bool {
	if b.inv == nil {
		b.inv = &invMerge{first: map[string]*invRef{}}
	}
	key := r.invKey()
	if key == "" {
		return false
	}
	ref := b.inv.first[key]
	v := b.invVariant(ref)
	if v == nil {
		ref = b.nextRef(r)
		ref.locs[r.rowLoc()] = r.rec.row
		b.inv.first[key] = ref
		return false
	}
	q := b.l.qty[0]
	loc, ok := r.qtyLoc(q)
	s := r.get(q.idx)
	switch {
	case !ok:
	case ref.locs[loc] != 0:
		r.fail(b.l.inv.loc, "location "+strconv.Quote(loc)+" is already on row "+strconv.Itoa(ref.locs[loc])+" for this variant")
	case s == "" || isNotStocked(s):
		ref.locs[loc] = r.rec.row
	default:
		ref.locs[loc] = r.rec.row
		n, err := parseQuantity(s)
		if err != nil {
			r.fail(q.idx, err.Error())
			break
		}
		if v.QuantityRows == nil {
			v.QuantityRows = map[string]int{}
		}
		v.Quantities.Set(loc, n)
		v.QuantityRows[loc] = r.rec.row
		v.Fields.Add(catalog.FieldQuantity)
	}
	b.cat.Errors = append(b.cat.Errors, r.errs...)
	b.cat.Errors = append(b.cat.Errors, r.cellErrs...)
	return true
}

// nextRef is where the variant of row r will go if the row is read without errors.
func (b *builder) nextRef(r *rowCtx) *invRef {
	ref := &invRef{row: r.rec.row, locs: map[string]int{}}
	if !b.l.productMode() {
		ref.index = len(b.cat.Variants)
		return ref
	}
	ref.handle, _ = r.handle()
	if pi, ok := b.byHandle[ref.handle]; ok {
		ref.index = len(b.cat.Products[pi].Variants)
	}
	return ref
}

// invVariant finds the variant a ref points at, or nil when there is none
// yet or its row was not read (it had errors).
func (b *builder) invVariant(ref *invRef) *catalog.Variant {
	if ref == nil {
		return nil
	}
	var vs []catalog.Variant
	if !b.l.productMode() {
		vs = b.cat.Variants
	} else if pi, ok := b.byHandle[ref.handle]; ok {
		vs = b.cat.Products[pi].Variants
	}
	if ref.index < len(vs) && vs[ref.index].Row == ref.row {
		return &vs[ref.index]
	}
	return nil
}

// inventoryReason is unsyncedReason, except that an inventory file's Title
// column says why it is not read.
func (l *layout) inventoryReason(n string) string {
	if l.inv.loc >= 0 && n == "title" {
		return "an inventory file updates stock only: product titles, and new products, come from the product CSV"
	}
	return unsyncedReason(n)
}
