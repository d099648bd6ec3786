package shopify_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// BenchmarkPacedMutations drives b.N price changes (productVariantsBulkUpdate
// of one variant, 10.2 points each with the input complexity) from several
// goroutines sharing one client, against a simulated Grow shop (100
// points/s, bucket 2000) running 50× faster than real time. It reports:
//   - utilization: points spent beyond the initial bucket, per simulated
//     second, divided by the restore rate (1.0 = every restored point used);
//   - throttled/op: THROTTLED answers per mutation (goal ≈ 0).
//
// Use a long run so the initial bucket does not dominate:
//
//	go test ./sync/shopify -run '^$' -bench PacedMutations -benchtime 4000x
func BenchmarkPacedMutations(b *testing.B) {
	const (
		scale   = 50
		workers = 4
	)
	srv, sh, c, _ := simShop(b, fakeshop.Plan("Grow"), scale)
	seedProducts(sh, 50, 1)
	type target struct{ product, variant string }
	var targets []target
	for _, p := range sh.Snapshot() {
		targets = append(targets, target{p.ID, p.Variants[0].ID})
	}
	ctx := context.Background()
	sh.ResetStats()
	initial := sh.Available(appID)
	start := srv.Now()
	b.ResetTimer()

	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				tg := targets[i%int64(len(targets))]
				price := fmt.Sprintf("%d.%02d", 10+i%90, i%100)
				if _, err := c.VariantsBulkUpdate(ctx, tg.product, []shopify.VariantUpdate{{ID: tg.variant, Price: &price}}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	elapsed := srv.Now().Sub(start).Seconds()
	st := sh.Stats()
	if elapsed > 0 {
		b.ReportMetric((st.PointsSpent-initial)/elapsed/st.RestoreRate, "utilization")
	}
	b.ReportMetric(float64(st.Throttled)/float64(b.N), "throttled/op")
	b.ReportMetric(elapsed/float64(b.N)*1000, "sim-ms/op")
}
