package sync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestSamplesResyncToNothing: each real Shopify export in the shared samples
// (legacy headers, markets, weights in ounces, image-only rows) is created
// in an empty shop; the same file and then the shop's export each sync back
// with zero writes.
func TestSamplesResyncToNothing(t *testing.T) {
	dir := samplesDir(t)
	for _, f := range []string{"product_template_legacy_with_markets.csv", "apparel.csv", "home-and-garden.csv", "jewelery.csv"} {
		h := newHarness(t, fakeshop.PlanAdvanced, 50)
		raw, _ := os.ReadFile(filepath.Join(dir, f))
		cat := readCSV(t, string(raw))
		if p, _ := h.sync(t, cat, h.opts()); p.Counts.Products.Create == 0 {
			t.Fatalf("%s: nothing created: %s", f, p.Summary())
		}
		assertNoWrites(t, h, string(raw), h.opts())
		var buf strings.Builder
		if err := h.eng.Export(t.Context(), h.st, &buf); err != nil {
			t.Fatal(err)
		}
		assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})
	}
}
