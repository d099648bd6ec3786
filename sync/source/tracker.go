package source

import (
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// tracked reads the Variant Inventory Tracker (legacy) or Inventory tracker
// (current) cell. In Shopify's product CSV it names who tracks the
// variant's inventory: "shopify" when Shopify does, blank when inventory is
// not tracked (the legacy column description of
// https://help.shopify.com/en/manual/products/import-export/using-csv; its
// other values named fulfillment services such as shipwire, which track
// stock too). TRUE/FALSE and yes/no are accepted as well.
func (r *rowCtx) tracked(v *catalog.Variant) {
	i := r.b.l.tracker
	if i < 0 {
		return
	}
	s := strings.ToLower(r.get(i))
	var t bool
	switch s {
	case "", "false", "no", "n", "0", "f", "not tracked", "not_managed":
	case "shopify", "true", "yes", "y", "1", "t", "tracked", "shipwire", "amazon_marketplace_web", "fulfillment_service":
		t = true
	default:
		r.cellErrs = append(r.cellErrs, catalog.RowError{Cell: catalog.Cell{Row: r.rec.row, Column: r.b.l.header[i]},
			Message: "not an inventory tracker: " + strconv.Quote(r.get(i)) + " (use shopify to track inventory, or leave it blank); a new variant is tracked"})
		return
	}
	v.Tracked = &t
}
