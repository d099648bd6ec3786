package sync

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// bigProductCSV is one product with Shopify's maximum of 2,048 variants
// over 3 options (16 × 16 × 8), at price.
func bigProductCSV(price string) string {
	var b bytes.Buffer
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Price,Variant Inventory Qty\n")
	n := 0
	for c := range 16 {
		for s := range 16 {
			for m := range 8 {
				title, on1, on2, on3 := "", "", "", ""
				if n == 0 {
					title, on1, on2, on3 = "Big", "Colour", "Size", "Material"
				}
				fmt.Fprintf(&b, "big,%s,%s,C%d,%s,S%d,%s,M%d,BIG-%d,%s,%d\n", title, on1, c, on2, s, on3, m, n, price, n%7)
				n++
			}
		}
	}
	return b.String()
}

// TestProduct2048Variants (F6): Shopify charges productSet and
// productVariantsBulkUpdate 0.2 points per variant on top of what they read
// back, and refuses any request over 1,000 points (MAX_COST_EXCEEDED). A
// product with 2,048 variants over 3 options is created and then updated,
// with no request (or bulk line) over the limit.
func TestProduct2048Variants(t *testing.T) {
	for _, bulkMin := range []int{0, 1} { // by productSet, and in a bulk create
		h := newHarness(t, fakeshop.PlanPlus, 200)
		h.eng.BulkCreateMin = bulkMin
		_, res := h.sync(t, readCSV(t, bigProductCSV("10.00")), h.opts())
		if res.State != state.RunFinished || res.Counts.Created != 1 || len(res.Problems) > 0 {
			t.Fatalf("bulk %d: create: %+v", bulkMin, res)
		}
		ps := h.sh.Snapshot()
		if len(ps) != 1 || len(ps[0].Variants) != 2048 || len(ps[0].Options) != 3 {
			t.Fatalf("bulk %d: shop has %d products", bulkMin, len(ps))
		}

		_, res = h.sync(t, readCSV(t, bigProductCSV("12.50")), h.opts())
		if res.State != state.RunFinished || res.Counts.Updated != 2048 || len(res.Problems) > 0 {
			t.Fatalf("bulk %d: update: %+v", bulkMin, res.Counts)
		}
		for _, v := range h.sh.Snapshot()[0].Variants {
			if v.Price != "12.50" {
				t.Fatalf("bulk %d: variant %s costs %s", bulkMin, v.SKU, v.Price)
			}
		}
	}
}
