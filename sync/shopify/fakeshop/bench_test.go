package fakeshop

import (
	"fmt"
	"testing"
)

// BenchmarkProductsPage measures the simulator's own cost of answering one page of 20 products
// with variants and inventory levels (the clock runs fast so throttling never interferes).
func BenchmarkProductsPage(b *testing.B) {
	srv := NewServer(Options{TimeScale: 1e6})
	defer srv.Close()
	sh, err := srv.AddShop("bench", PlanPlus)
	if err != nil {
		b.Fatal(err)
	}
	tok := sh.Install("bench-app", allScopes)
	seedCatalog(sh, 200)
	q := `{ products(first: 20) { nodes { id handle variants(first: 5) { nodes { sku price inventoryItem { inventoryLevels(first: 2) { nodes { quantities(names: ["available"]) { quantity } } } } } } } } }`
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := post(b, sh, tok, "2026-04", q, nil); r.Status != 200 || r.Body["errors"] != nil {
			b.Fatalf("%d %s", r.Status, r.Raw)
		}
	}
	b.StopTimer()
	st := sh.Stats()
	b.ReportMetric(st.PointsSpent/float64(b.N), "points/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkInventorySet measures one inventorySetQuantities call with 50 quantities.
func BenchmarkInventorySet(b *testing.B) {
	srv := NewServer(Options{TimeScale: 1e6})
	defer srv.Close()
	sh, err := srv.AddShop("bench", PlanPlus)
	if err != nil {
		b.Fatal(err)
	}
	tok := sh.Install("bench-app", allScopes)
	seedCatalog(sh, 25)
	main := sh.Locations()[0].ID
	var qs []any
	for _, p := range sh.Snapshot() {
		for _, v := range p.Variants {
			qs = append(qs, map[string]any{"inventoryItemId": v.InventoryItemID, "locationId": main, "changeFromQuantity": nil})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			q.(map[string]any)["quantity"] = i % 7
		}
		r := post(b, sh, tok, "2026-04", setQtyDoc, map[string]any{"key": fmt.Sprint("k", i),
			"input": map[string]any{"name": "available", "reason": "correction", "quantities": qs}})
		if r.Status != 200 || len(dig(r.Body, "data", "inventorySetQuantities", "userErrors").([]any)) != 0 {
			b.Fatalf("%s", r.Raw)
		}
	}
	b.ReportMetric(float64(b.N*len(qs))/b.Elapsed().Seconds(), "quantities/s")
}
