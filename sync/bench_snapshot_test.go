package sync

import (
	"context"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// BenchmarkPlanSnapshot1k plans a 1,000-product, 10-variant sheet against
// the same shop (below the bulk threshold, so products are read by handle)
// and reports what reading the snapshot cost on a Basic plan: requests,
// points spent and simulated seconds at the plan's restore rate.
func BenchmarkPlanSnapshot1k(b *testing.B) { benchPlanSnapshot(b, true) }

// BenchmarkPlanNew1k is BenchmarkPlanSnapshot1k against an empty shop: every
// product is new, so each handle and SKU is looked up and found absent.
func BenchmarkPlanNew1k(b *testing.B) { benchPlanSnapshot(b, false) }

func benchPlanSnapshot(b *testing.B, seeded bool) {
	const n, k, scale = 1000, 10, 50
	for range b.N {
		b.StopTimer()
		h := newHarness(b, fakeshop.PlanBasic, scale)
		if seeded {
			seedShop(h.sh, n, k, "10.00")
		}
		cat := readCSV(b, genCSV(n, k, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j + 1 }))
		if _, err := h.st.Locations(context.Background()); err != nil {
			b.Fatal(err)
		}
		h.sh.ResetStats()
		b.StartTimer()
		p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
		b.StopTimer()
		if err != nil || p.Counts.Variants.Update+p.Counts.Variants.Create != n*k {
			b.Fatalf("plan %v %+v", err, p.Counts)
		}
		st := h.sh.Stats()
		b.ReportMetric(float64(st.Requests), "requests")
		b.ReportMetric(st.PointsSpent, "points")
		b.ReportMetric(st.Elapsed.Seconds(), "sim-seconds")
		b.StartTimer()
	}
}
