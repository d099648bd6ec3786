package sync

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// memStore serves a fixed snapshot (for planning benchmarks); it refuses writes.
type memStore struct {
	locs []Location
	ps   []SnapProduct
}

func (m *memStore) Locations(context.Context) ([]Location, error)      { return m.locs, nil }
func (m *memStore) AllProducts(context.Context) ([]SnapProduct, error) { return m.ps, nil }
func (m *memStore) Products(_ context.Context, q ProductQuery) ([]SnapProduct, error) {
	want := map[string]bool{}
	for _, h := range q.Handles {
		want[h] = true
	}
	var out []SnapProduct
	for _, p := range m.ps {
		if want[p.Handle] {
			out = append(out, p)
		}
	}
	return out, nil
}

var errReadOnly = fmt.Errorf("memStore is read-only")

func (m *memStore) ProductSet(context.Context, ProductInput) (SnapProduct, error) {
	return SnapProduct{}, errReadOnly
}
func (m *memStore) ProductUpdate(context.Context, string, ProductFields) error { return errReadOnly }
func (m *memStore) ProductDelete(context.Context, string) error                { return errReadOnly }
func (m *memStore) VariantsUpdate(context.Context, string, []VariantInput) error {
	return errReadOnly
}
func (m *memStore) VariantsCreate(context.Context, string, []VariantInput) ([]SnapVariant, error) {
	return nil, errReadOnly
}
func (m *memStore) VariantsDelete(context.Context, string, []string) error       { return errReadOnly }
func (m *memStore) SetQuantities(context.Context, string, []QuantityInput) error { return errReadOnly }
func (m *memStore) Activate(context.Context, string, string, string, int) error  { return errReadOnly }

// genSnapshot is the store side of genCSV(n, k, 10.00, i+j): the same
// catalog with every tenth product's prices at 9.00.
func genSnapshot(n, k int, loc string) []SnapProduct {
	ps := make([]SnapProduct, n)
	for i := range ps {
		p := SnapProduct{ID: "gid://shopify/Product/" + strconv.Itoa(i+1), Handle: "prod-" + strconv.Itoa(i),
			Title: "Product " + strconv.Itoa(i), Vendor: "Acme", Tags: []string{"a", "b"}, Status: "ACTIVE", Options: []string{"Size"}}
		price := "10.00"
		if i%10 == 0 {
			price = "9.00"
		}
		for j := range k {
			id := strconv.Itoa(i*k + j + 1)
			p.Variants = append(p.Variants, SnapVariant{ID: "gid://shopify/ProductVariant/" + id,
				SKU: "SKU-" + strconv.Itoa(i) + "-" + strconv.Itoa(j), Price: price, InventoryPolicy: "DENY",
				OptionValues: []string{"S" + strconv.Itoa(j)}, InventoryItemID: "gid://shopify/InventoryItem/" + id,
				Levels: []StockLevel{{LocationID: loc, Available: i + j, OnHand: i + j}}})
		}
		ps[i] = p
	}
	return ps
}

// peakHeap samples the heap while fn runs and returns the highest HeapAlloc.
func peakHeap(fn func()) uint64 {
	var peak uint64
	var mu gosync.Mutex
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mu.Lock()
	defer mu.Unlock()
	return max(peak, ms.HeapAlloc)
}

// BenchmarkPlan100k parses a 100,000-variant Shopify CSV (10,000 products
// of 10 sizes) and plans it against a snapshot in memory (10% of prices
// differ). Goal: ≤ 1 s and ≤ 300 MB peak heap on 2 cores.
func BenchmarkPlan100k(b *testing.B) {
	const n, k = 10000, 10
	loc := Location{ID: "gid://shopify/Location/1", Name: "Main warehouse", IsActive: true}
	st := &memStore{locs: []Location{loc}, ps: genSnapshot(n, k, loc.ID)}
	csv := genCSV(n, k, func(i, j int) string { return "10.00" }, func(i, j int) int { return i + j })
	benchPlan(b, st, csv, func(p *Plan) bool {
		return p.Counts.Variants.Update == n*k/10 && p.Counts.Variants.Unchanged == n*k*9/10
	})
}

// benchPlan reads csv and plans it against st (one location) in a loop,
// reporting the peak heap and the allocations per plan; ok checks each plan.
// peak-MB is the highest heap seen over the loop: it includes the fixture
// and whatever an earlier plan left for the collector, so it moves with
// when the GC runs (at worst, everything a plan keeps plus all a plan
// allocates). Two steadier figures come from one more plan after the loop:
// peak1-MB, its peak heap starting from a collected heap (the fixture
// included), and live-MB, what the catalog and plan keep once it is done
// (the fixture excluded).
func benchPlan(b *testing.B, st *memStore, csv string, ok func(*Plan) bool) {
	eng := &Engine{}
	opts := Options{DefaultLocationID: st.locs[0].ID}
	run := func() (*catalog.Catalog, *Plan) {
		cat, err := source.ReadCSV(strings.NewReader(csv), source.Options{})
		if err != nil || len(cat.Errors) > 0 {
			b.Fatal(err, cat.Errors[:min(3, len(cat.Errors))])
		}
		p, err := eng.Plan(context.Background(), st, cat, opts)
		if err != nil {
			b.Fatal(err)
		}
		if !ok(p) {
			b.Fatalf("counts %+v", p.Counts)
		}
		return cat, p
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		peak = max(peak, peakHeap(func() { run() }))
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")

	runtime.GC()
	var kept struct {
		cat *catalog.Catalog
		p   *Plan
	}
	peak1 := peakHeap(func() { kept.cat, kept.p = run() })
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	runtime.KeepAlive(st) // before counts the fixture
	runtime.KeepAlive(csv)
	b.ReportMetric(float64(peak1)/(1<<20), "peak1-MB")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "live-MB")
}

// seedShop puts n products of k variants (genSnapshot's shape) in a shop.
func seedShop(sh *fakeshop.Shop, n, k int, price string) {
	ps := make([]fakeshop.Product, n)
	for i := range ps {
		p := fakeshop.Product{Handle: "prod-" + strconv.Itoa(i), Title: "Product " + strconv.Itoa(i), Vendor: "Acme",
			Tags: []string{"a", "b"}, Status: "ACTIVE"}
		var vals []string
		for j := range k {
			vals = append(vals, "S"+strconv.Itoa(j))
			p.Variants = append(p.Variants, fakeshop.Variant{SKU: "SKU-" + strconv.Itoa(i) + "-" + strconv.Itoa(j), Price: price,
				InventoryPolicy: "DENY", Tracked: true, SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S" + strconv.Itoa(j)}},
				Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: i + j}}})
		}
		p.Options = []fakeshop.Option{{Name: "Size", Values: vals}}
		ps[i] = p
	}
	sh.Seed(ps)
}

// BenchmarkApply10k applies 10,000 price changes and 10,000 stock changes
// (1,000 products of 10 variants) on the Standard plan (100 points/s)
// through the time-scaled simulator. It reports how much of the rate limit
// the run used while sending (goal ≥ 0.95: the shop's counters restart when
// the engine starts sending and are read when the last answer is in; the
// bucket available at the start is not counted) and variant updates per hour at real Shopify
// speed (goal ≥ 100,000): simulated sending time plus the real time spent
// before sending (recording the run and its journal), which does not scale.
func BenchmarkApply10k(b *testing.B) {
	const n, k, scale = 1000, 10, 20
	for range b.N {
		b.StopTimer()
		h := newHarness(b, fakeshop.PlanBasic, scale)
		seedShop(h.sh, n, k, "10.00")
		cat := readCSV(b, genCSV(n, k, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j + 1 }))
		p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
		if err != nil {
			b.Fatal(err)
		}
		if p.Counts.Variants.Update != n*k {
			b.Fatalf("counts %+v", p.Counts)
		}
		var setup time.Duration
		var initial float64
		var st fakeshop.Stats
		start := time.Now()
		progress := func(pr Progress) {
			if pr.Phase == PhaseFinishing && st.Requests == 0 { // the last answer is in
				st = h.sh.Stats()
			}
			if setup == 0 { // the first event comes just before the first request
				setup = time.Since(start)
				h.sh.ResetStats()
				initial = max(0, h.client.Pacer().Status().Available)
			}
		}
		b.StartTimer()
		res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true, Progress: progress})
		b.StopTimer()
		if err != nil || len(res.Problems) > 0 {
			b.Fatalf("apply: %v %+v", err, res.Problems)
		}
		// As BenchmarkPacedMutations in sync/shopify: points spent beyond the
		// bucket that was full at the start, per simulated second, over the restore rate.
		b.ReportMetric((st.PointsSpent-initial)/(st.RestoreRate*st.Elapsed.Seconds()), "utilization")
		b.ReportMetric(float64(n*k)/(st.Elapsed+setup).Hours(), "variant-updates/hour")
		b.ReportMetric(st.Elapsed.Seconds(), "sim-seconds")
		b.ReportMetric(float64(setup.Milliseconds()), "setup-ms")
		b.ReportMetric(float64(st.Throttled), "throttled")
		b.StartTimer()
	}
}

// BenchmarkResyncUnchanged10k plans and applies a sheet identical to a
// 10,000-product shop: it must write nothing.
func BenchmarkResyncUnchanged10k(b *testing.B) {
	const n, k, scale = 10000, 1, 1000
	for range b.N {
		b.StopTimer()
		h := newHarness(b, fakeshop.PlanBasic, scale)
		seedShop(h.sh, n, k, "10.00")
		cat := readCSV(b, genCSV(n, k, func(i, j int) string { return "10.00" }, func(i, j int) int { return i + j }))
		h.sh.ResetStats()
		b.StartTimer()
		p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if p.Counts.Variants.Unchanged != n*k {
			b.Fatalf("counts %+v", p.Counts)
		}
		writes := 0
		for name, c := range h.sh.Stats().Mutations {
			if !strings.HasPrefix(name, "bulkOperation") && name != "stagedUploadsCreate" {
				writes += c
			}
		}
		b.ReportMetric(float64(writes), "writes")
		b.ReportMetric(h.sh.Stats().Elapsed.Seconds(), "sim-seconds")
		b.StartTimer()
	}
}
