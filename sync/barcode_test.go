package sync

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestBarcodeMatchSearchesVariants (F13): rows matched by barcode are looked
// up with productVariants(query:"barcode:…"), not by paging the whole
// store: the plan's reads cost a small fraction of one full read, and the
// matched variants are the exact ones.
func TestBarcodeMatchSearchesVariants(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 100)
	var ps []fakeshop.Product
	for i := range 300 {
		ps = append(ps, fakeshop.Product{Handle: fmt.Sprintf("p-%d", i), Title: fmt.Sprintf("P %d", i),
			Variants: []fakeshop.Variant{{Barcode: fmt.Sprintf("400%04d", i), Price: "5.00"}}})
	}
	// A barcode that contains another: the lookup keeps only exact matches.
	ps = append(ps, fakeshop.Product{Handle: "long", Title: "Long", Variants: []fakeshop.Variant{{Barcode: "40000070", Price: "5.00"}}})
	h.sh.Seed(ps)
	h.sh.ResetStats()
	p := h.plan(t, "Barcode,Price\n4000007,6.00\n4000123,7.00\n", h.opts())
	if p.Counts.Variants.Update != 2 || p.Counts.Variants.Error+p.Counts.Variants.Skipped != 0 {
		t.Fatalf("plan:\n%s", planText(p))
	}
	for _, vp := range p.Loose {
		if vp.Handle != "p-7" && vp.Handle != "p-123" {
			t.Fatalf("matched %s:\n%s", vp.Handle, planText(p))
		}
	}
	st := h.sh.Stats()
	h.sh.ResetStats()
	if err := h.client.AllProducts(t.Context(), func(shopify.Product) error { return nil }); err != nil {
		t.Fatal(err)
	}
	full := h.sh.Stats().PointsSpent
	t.Logf("barcode plan: %d requests, %.0f points; one paged read of the store: %.0f points", st.Requests, st.PointsSpent, full)
	if st.PointsSpent*5 > full || strings.Contains(planText(p), "error") {
		t.Fatalf("the barcode lookup spent %.0f points, a whole-store read %.0f", st.PointsSpent, full)
	}
}
