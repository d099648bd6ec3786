package source

import (
	"strconv"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// hasVariantData reports whether the row describes a variant rather than
// only an extra image (or only product fields).
func (r *rowCtx) hasVariantData() bool {
	l := r.b.l
	for _, i := range l.optVal {
		if r.get(i) != "" {
			return true
		}
	}
	for _, i := range []int{l.sku, l.barcode, l.price, l.compare, l.policy, l.varImg} {
		if r.get(i) != "" {
			return true
		}
	}
	for _, q := range l.qty {
		if r.get(q.idx) != "" {
			return true
		}
	}
	return r.hasVariantExtras() || r.hasMarketPrices()
}

// variant reads the variant cells of a row that belongs to product p (nil
// for a loose variant).
func (r *rowCtx) variant(p *catalog.Product) catalog.Variant {
	l := r.b.l
	v := catalog.Variant{Row: r.rec.row, Cols: l.cols}
	if p != nil {
		r.optionValues(p, &v)
	}
	r.tracked(&v)
	if s := r.get(l.sku); len(s) > 255 {
		r.badCell(l.sku, catalog.FieldSKU, &v.Bad, "a SKU can be at most 255 characters long")
	} else if s != "" {
		v.SKU = s
		v.Fields.Add(catalog.FieldSKU)
	}
	r.text(l.barcode, catalog.FieldBarcode, &v.Barcode, &v.Fields)
	r.prices(&v)
	if s := r.get(l.policy); s != "" {
		if pol, err := parsePolicy(s); err != nil {
			r.badCell(l.policy, catalog.FieldInventoryPolicy, &v.Bad, err.Error())
		} else {
			v.InventoryPolicy = pol
			v.Fields.Add(catalog.FieldInventoryPolicy)
		}
	}
	r.quantities(&v)
	r.variantExtras(&v)
	r.marketPrices(&v)
	if s := r.get(l.varImg); s != "" {
		if err := checkURL(s); err != nil {
			r.badCell(l.varImg, catalog.FieldImages, new(catalog.FieldSet), err.Error()) // created without it
		} else {
			v.ImageSrc = DirectImageURL(s)
		}
	}
	return v
}

// prices reads the price and compare-at price of a variant.
func (r *rowCtx) prices(v *catalog.Variant) {
	l := r.b.l
	if s := r.get(l.price); s != "" {
		if m, err := l.money(s); err != nil {
			r.badCell(l.price, catalog.FieldPrice, &v.Bad, "price: "+err.Error())
		} else {
			v.Price = m
			v.Fields.Add(catalog.FieldPrice)
		}
	}
	if l.compare < 0 {
		return
	}
	if s := r.get(l.compare); s != "" {
		if m, err := l.money(s); err != nil {
			r.badCell(l.compare, catalog.FieldCompareAtPrice, &v.Bad, "compare-at price: "+err.Error())
		} else {
			v.CompareAtPrice = m
			v.Fields.Add(catalog.FieldCompareAtPrice)
		}
	} else if r.clears() {
		v.Fields.Add(catalog.FieldCompareAtPrice)
	}
}

// quantities reads the quantity of each location column; an empty cell
// leaves that location absent.
func (r *rowCtx) quantities(v *catalog.Variant) {
	for _, q := range r.b.l.qty {
		s := r.get(q.idx)
		if s == "" || isNotStocked(s) {
			continue // "Not stocked" (inventory CSV): leave the location alone
		}
		loc, ok := r.qtyLoc(q)
		if !ok {
			continue
		}
		n, err := parseQuantity(s)
		if err != nil {
			r.badCell(q.idx, catalog.FieldQuantity, &v.Bad, err.Error())
			continue
		}
		if v.Quantities == nil {
			v.Quantities = make(catalog.Quantities, 0, len(r.b.l.qty))
		}
		v.Quantities.Set(loc, n)
		v.Fields.Add(catalog.FieldQuantity)
	}
}

// optionValues reads the option values of a variant of p.
func (r *rowCtx) optionValues(p *catalog.Product, v *catalog.Variant) {
	l := r.b.l
	if !p.Fields.Has(catalog.FieldOptions) {
		return
	}
	v.Fields.Add(catalog.FieldOptions)
	if len(p.Options) > 0 {
		v.OptionValues = make([]string, 0, len(p.Options))
	}
	for i, idx := range l.optVal {
		val := r.get(idx)
		switch {
		case i < len(p.Options) && val == "":
			r.fail(idx, "missing value for option "+strconv.Quote(p.Options[i]))
		case i < len(p.Options):
			v.OptionValues = append(v.OptionValues, val)
		case val != "" && !(i == 0 && val == "Default Title"):
			r.fail(idx, "this option value has no option name on the product's first row (row "+strconv.Itoa(p.Row)+")")
		}
	}
}

// image reads the product image of a row, if any.
func (r *rowCtx) image(p *catalog.Product) (catalog.Image, bool) {
	l := r.b.l
	src := r.get(l.imgSrc)
	if src == "" {
		return catalog.Image{}, false
	}
	img := catalog.Image{Src: DirectImageURL(src), Alt: r.get(l.imgAlt), Cell: catalog.Cell{Row: r.rec.row, Column: l.header[l.imgSrc]}}
	if err := checkURL(src); err != nil {
		r.badCell(l.imgSrc, catalog.FieldImages, new(catalog.FieldSet), err.Error()) // the product goes without it
		return catalog.Image{}, false
	}
	if s := r.get(l.imgPos); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			r.badCell(l.imgPos, catalog.FieldImages, new(catalog.FieldSet), "an image position must be a whole number from 1: "+strconv.Quote(s))
			n = 0
		}
		img.Position = n
	}
	return img, true
}

// addLooseRow reads a row of a sheet without products (SKU + quantity, …).
func (b *builder) addLooseRow(r *rowCtx) {
	l := b.l
	v := r.variant(nil)
	if len(r.errs) > 0 {
		return
	}
	if v.Key() == "" {
		if v.Bad.Has(catalog.FieldSKU) {
			return // the SKU cell's error says why
		}
		r.fail(firstCol(l.sku, l.barcode), "missing SKU: without a handle column every row needs a SKU (or a barcode) to find its variant")
		return
	}
	// A SKU on several rows is read: the engine leaves such rows unmatched
	// and says why, rather than guessing which variant each row means.
	b.keep.variant(&v)
	b.cat.Variants = append(b.cat.Variants, v)
}
