package sync

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// TestOneWriterPerProduct (F5): Shopify applies the writes of one product
// one after the other (concurrent productVariantsBulkCreate calls on one
// product fail, Shopify/shopify-api-js#1256). A run whose products each get
// several mutations (a title, two chunks of price changes, a new variant)
// never has two of them in flight on one product, yet different products
// are still written in parallel.
func TestOneWriterPerProduct(t *testing.T) {
	const n, k = 6, 300 // two chunks of variant updates per product
	h := newHarness(t, fakeshop.PlanPlus, 50)
	seedShop(h.sh, n, k, "10.00")
	csv := genCSV(n, k, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j })
	for i := range n {
		csv = strings.Replace(csv, "prod-"+strconv.Itoa(i)+",Product "+strconv.Itoa(i)+",", "prod-"+strconv.Itoa(i)+",Product No. "+strconv.Itoa(i)+",", 1)
		csv += "prod-" + strconv.Itoa(i) + ",,,,,S999,SKU-" + strconv.Itoa(i) + "-999,15.00,4,deny,\n"
	}
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, csv), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	const hold = 2 * time.Second // simulated time each product write takes
	h.sh.SetProductWriteTime(hold, false)
	h.sh.ResetStats()
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil || res.State != state.RunFinished || len(res.Problems) > 0 {
		t.Fatalf("%v %+v", err, res)
	}
	st := h.sh.Stats()
	if st.WriteOverlaps != 0 {
		t.Fatalf("%d product mutations arrived while another of the same product was in flight", st.WriteOverlaps)
	}
	writes := 0
	for name, c := range st.Mutations {
		if strings.HasPrefix(name, "product") {
			writes += c
		}
	}
	if writes != 4*n {
		t.Fatalf("%d product mutations, want %d: %v", writes, 4*n, st.Mutations)
	}
	if at := h.sh.ProductsWrittenAtOnce(); at < n/2 {
		t.Fatalf("at most %d of %d products were written at once: products are not written in parallel", at, n)
	}
}

// TestConcurrentProductWritesRefused: where Shopify refuses the second of
// two concurrent writes to one product (INTERNAL_SERVER_ERROR), the run
// still finishes with nothing failed.
func TestConcurrentProductWritesRefused(t *testing.T) {
	const n, k = 3, 300
	h := newHarness(t, fakeshop.PlanPlus, 50)
	seedShop(h.sh, n, k, "10.00")
	h.sh.SetProductWriteTime(time.Second, true)
	csv := genCSV(n, k, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j })
	_, res := h.sync(t, readCSV(t, csv), h.opts())
	if res.State != state.RunFinished || len(res.Problems) > 0 || h.sh.Stats().WriteOverlaps != 0 {
		t.Fatalf("%+v, overlaps %d", res, h.sh.Stats().WriteOverlaps)
	}
}
