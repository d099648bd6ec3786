package source

import (
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// published reads the Published (legacy) or Published on online store
// (current) cell of a product's first row. Shopify's importer publishes a
// product whose cell is blank ("Leaving this field blank publishes the
// product", the legacy column description of
// https://help.shopify.com/en/manual/products/import-export/using-csv), so a
// blank cell reads as TRUE. A value that is neither leaves the choice to the
// store's default and is reported at its cell.
func (r *rowCtx) published(p *catalog.Product) {
	i := r.b.l.published
	if i < 0 {
		return
	}
	s := r.get(i)
	var v bool
	switch strings.ToLower(s) {
	case "", "true", "yes", "y", "1", "t":
		v = true
	case "false", "no", "n", "0", "f":
	default:
		r.cellErrs = append(r.cellErrs, catalog.RowError{Cell: catalog.Cell{Row: r.rec.row, Column: r.b.l.header[i]},
			Message: "not TRUE or FALSE: " + strconv.Quote(s) + " (the store's default decides whether the new product is published)"})
		return
	}
	p.Published = &v
}
