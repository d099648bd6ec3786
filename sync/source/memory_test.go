package source

import "testing"

// TestCatalogMemoryPerVariant holds the memory a read catalog keeps per
// variant, with every column of Shopify's product CSV filled in: the
// catalog stays in memory for the whole sync beside the store's snapshot
// and the plan. 400 bytes is the Variant struct (about 260) plus its kept
// strings, option values, quantity and metafield, and its product's share;
// a map per variant's quantities (about 250 bytes) or a kept cell holding
// its whole CSV line (150–400 bytes) goes over.
func TestCatalogMemoryPerVariant(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 50,000 rows")
	}
	const n = 50_000
	perVariant := liveMB(allColumnsCSV(n)) * (1 << 20) / n
	t.Logf("%.0f bytes per variant", perVariant)
	if perVariant > 400 {
		t.Errorf("a catalog keeps %.0f bytes per variant, want at most 400", perVariant)
	}
}
