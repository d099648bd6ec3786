package workspace

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// appID is the client ID every simulated store installs its custom app as:
// the rate-limit bucket is per app and store.
const appID = "custom-app"

// seedCatalog puts n products of k sizes in a shop: price 10.00+store cents,
// stock i+j+5 in the Main warehouse.
func seedCatalog(sh *fakeshop.Shop, store, n, k int) {
	ps := make([]fakeshop.Product, n)
	for i := range ps {
		p := fakeshop.Product{Handle: fmt.Sprintf("prod-%d", i), Title: fmt.Sprintf("Product %d", i), Vendor: "Acme", Status: "ACTIVE"}
		var vals []string
		for j := range k {
			vals = append(vals, fmt.Sprintf("S%d", j))
			p.Variants = append(p.Variants, fakeshop.Variant{SKU: fmt.Sprintf("SKU-%d-%d", i, j), Price: fmt.Sprintf("10.%02d", store),
				InventoryPolicy: "DENY", Tracked: true, SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: vals[j]}},
				Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: i + j + 5, OnHand: i + j + 5}}})
		}
		p.Options = []fakeshop.Option{{Name: "Size", Values: vals}}
		ps[i] = p
	}
	sh.Seed(ps)
}

// writeSheet writes the merchant's edited sheet for seedCatalog's shop:
// the first size of every product repriced to 11.xx (a third of the prices,
// under the price guard) and every stock level up by one, or, with zero,
// every stock level at 0 (which trips the zero-stock guard).
func writeSheet(t testing.TB, dir string, store, n, k int, zero bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy,Status\n")
	for i := range n {
		for j := range k {
			price := fmt.Sprintf("10.%02d", store)
			if j == 0 && !zero {
				price = fmt.Sprintf("11.%02d", store)
			}
			qty := i + j + 6
			if zero {
				qty = 0
			}
			if j == 0 {
				fmt.Fprintf(&b, "prod-%d,Product %d,Acme,Size,S%d,SKU-%d-%d,%s,%d,deny,active\n", i, i, j, i, j, price, qty)
			} else {
				fmt.Fprintf(&b, "prod-%d,,,,S%d,SKU-%d-%d,%s,%d,deny,\n", i, j, i, j, price, qty)
			}
		}
	}
	p := filepath.Join(dir, fmt.Sprintf("sheet-%d-%v.csv", store, zero))
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// connectSim adds a shop on plan to srv, seeds it, connects it to w with a
// pasted token and saves sheet as its source for the Main warehouse.
func connectSim(t testing.TB, w *Workspace, srv *fakeshop.Server, name string, plan fakeshop.Plan, store, n, k int, sheet string) (StoreSummary, *fakeshop.Shop) {
	t.Helper()
	ctx := context.Background()
	sh, err := srv.AddShop(name, plan)
	if err != nil {
		t.Fatal(err)
	}
	seedCatalog(sh, store, n, k)
	s, err := w.ConnectToken(ctx, TokenRequest{Shop: name, Token: sh.Install(appID, oauth.NeededScopes()), BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	var loc string
	for _, l := range sh.Locations() {
		if l.Name == "Main warehouse" {
			loc = l.ID
		}
	}
	if _, err := w.ReadSource(ctx, SyncRequest{StoreID: s.ID, Source: sheet, LocationID: loc}); err != nil {
		t.Fatal(err)
	}
	return s, sh
}

// spanRecorder is an HTTP transport that notes, per host, when the first
// request went out and the last answer came in: one simulated store per
// host, so that is how long the store's run talked to its store.
type spanRecorder struct {
	next http.RoundTripper
	mu   gosync.Mutex
	span map[string][2]time.Time
}

func (r *spanRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := r.next.RoundTrip(req)
	end := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.span[req.URL.Host]
	if !ok || start.Before(s[0]) {
		s[0] = start
	}
	if end.After(s[1]) {
		s[1] = end
	}
	r.span[req.URL.Host] = s
	return resp, err
}

func (r *spanRecorder) of(rawURL string) time.Duration {
	host := strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://")
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.span[strings.TrimSuffix(host, "/")]
	return s[1].Sub(s[0])
}

func (r *spanRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.span = map[string][2]time.Time{}
}

// storeResult is what one store's run measured.
type storeResult struct {
	name      string
	plan      fakeshop.Plan
	wall      time.Duration // first request to last answer of its run
	util      float64       // points spent / (bucket at the start + refill during wall)
	throttled int
	updated   int
}

// parallelResult is one run of ten stores.
type parallelResult struct {
	stores  []storeResult
	total   time.Duration
	slowest time.Duration
	sum     time.Duration
}

func (p parallelResult) minUtil(limited bool) float64 {
	m := 2.0
	for _, s := range p.stores {
		if !limited || s.plan == fakeshop.PlanBasic || s.plan == fakeshop.PlanGrow {
			m = min(m, s.util)
		}
	}
	return m
}

func (p parallelResult) throttled() int {
	n := 0
	for _, s := range p.stores {
		n += s.throttled
	}
	return n
}

var tenPlans = []fakeshop.Plan{
	fakeshop.PlanBasic, fakeshop.PlanGrow, fakeshop.PlanAdvanced, fakeshop.PlanPlus, fakeshop.PlanBasic,
	fakeshop.PlanGrow, fakeshop.PlanAdvanced, fakeshop.PlanPlus, fakeshop.PlanBasic, fakeshop.PlanGrow,
}

// runTenStores connects ten simulated stores (tenPlans) with n×k variants
// each, gives each a schedule, and runs them all at once with "Run all now"
// at a concurrency of ten.
func runTenStores(t testing.TB, n, k int, scale float64) parallelResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rec := &spanRecorder{next: http.DefaultTransport, span: map[string][2]time.Time{}}
	w, err := Open(Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets(), TimeScale: scale, Concurrency: len(tenPlans),
		HTTPClient: &http.Client{Transport: rec, Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	srv := fakeshop.NewServer(fakeshop.Options{TimeScale: scale})
	defer srv.Close()
	sheets := t.TempDir()
	shops := map[string]*fakeshop.Shop{}
	for i, plan := range tenPlans {
		sheet := writeSheet(t, sheets, i, n, k, false)
		s, sh := connectSim(t, w, srv, fmt.Sprintf("store-%d", i), plan, i, n, k, sheet)
		if _, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: sheet, Spec: "every 1h", TimeZone: "UTC", Enabled: true}); err != nil {
			t.Fatal(err)
		}
		shops[s.ID] = sh
	}
	initial := map[string]float64{}
	for id, sh := range shops {
		sh.ResetStats()
		initial[id] = sh.Available(appID)
	}
	rec.reset()
	start := time.Now()
	events := w.RunAllNow(ctx, "")
	res := parallelResult{total: time.Since(start)}
	if len(events) != len(tenPlans) {
		t.Fatalf("%d events for %d stores", len(events), len(tenPlans))
	}
	for _, ev := range events {
		if ev.Err != nil || ev.Held || ev.Run.Errors > 0 {
			t.Fatalf("%s: err %v, held %v, run %+v", ev.StoreName, ev.Err, ev.Held, ev.Run)
		}
		sh := shops[ev.StoreID]
		st := sh.Stats()
		wall := rec.of(sh.URL())
		capacity := initial[ev.StoreID] + st.RestoreRate*wall.Seconds()*scale
		res.stores = append(res.stores, storeResult{name: ev.StoreName, plan: sh.Plan(), wall: wall,
			util: st.PointsSpent / capacity, throttled: st.Throttled, updated: ev.Run.Updated})
		res.slowest = max(res.slowest, wall)
		res.sum += wall
	}
	return res
}

func (p parallelResult) log(t testing.TB) {
	for _, s := range p.stores {
		t.Logf("%-8s %-8s wall %6.2fs  utilization %.2f  throttled %d  updated %d", s.name, s.plan, s.wall.Seconds(), s.util, s.throttled, s.updated)
	}
	t.Logf("total %.2fs, slowest store %.2fs (ratio %.2f), sum of stores %.2fs", p.total.Seconds(), p.slowest.Seconds(),
		p.total.Seconds()/p.slowest.Seconds(), p.sum.Seconds())
}

// raceEnabled tells whether the race detector is on: it slows the CPU side
// so much that utilization measures the CPU, not the pacer.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestTenStoresParallel: ten stores on four plans synced at once through
// "Run all now" each stay inside their own rate limit (no THROTTLED
// answers), and the whole takes about as long as the slowest store, not the
// sum. Bounds are loose for -race on two busy cores; the benchmark measures.
func TestTenStoresParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("syncs ten simulated stores")
	}
	n, k, scale := 200, 3, 25.0
	if raceEnabled() {
		n = 50 // the race detector makes the run CPU-bound: keep it short
	}
	p := runTenStores(t, n, k, scale)
	p.log(t)
	for _, s := range p.stores {
		if s.throttled > 1 {
			t.Errorf("%s (%s) was throttled %d times: it did not stay inside its own limit", s.name, s.plan, s.throttled)
		}
		if s.updated < n*k/3 {
			t.Errorf("%s updated %d items, want at least %d", s.name, s.updated, n*k/3)
		}
	}
	if ratio := p.total.Seconds() / p.slowest.Seconds(); ratio > 2.5 {
		t.Errorf("total %.2fs is %.1f× the slowest store (%.2fs): the stores did not run side by side", p.total.Seconds(), ratio, p.slowest.Seconds())
	}
	if p.total > p.sum/2 {
		t.Errorf("total %.2fs against %.2fs for the stores one after another: not parallel", p.total.Seconds(), p.sum.Seconds())
	}
	// Utilization depends on how busy the machine's two cores are (the
	// simulated shops run 20× faster than real time and share the CPU with
	// the other test packages), so the test reports it and the benchmark
	// (BenchmarkTenStoresParallel, run alone) is where it is measured.
	t.Logf("lowest utilization of a Basic/Grow store: %.2f", p.minUtil(true))
}

// BenchmarkTenStoresParallel syncs ten simulated stores (3 Basic, 3 Grow,
// 2 Advanced, 2 Plus) of 300 products × 3 sizes each at once, time scale 25.
// It reports the lowest utilization among the rate-limited (Basic/Grow)
// stores and among all, the total over the slowest store's wall time, and
// THROTTLED answers summed over all stores.
func BenchmarkTenStoresParallel(b *testing.B) {
	const n, k, scale = 300, 3, 25
	var last parallelResult
	for range b.N {
		last = runTenStores(b, n, k, scale)
	}
	last.log(b)
	b.ReportMetric(last.minUtil(true), "min-util-basic/grow")
	b.ReportMetric(last.minUtil(false), "min-util-all")
	b.ReportMetric(last.total.Seconds()/last.slowest.Seconds(), "total/slowest")
	b.ReportMetric(last.sum.Seconds()/last.total.Seconds(), "sum/total")
	b.ReportMetric(float64(last.throttled()), "throttled")
	b.ReportMetric(last.slowest.Seconds(), "slowest-s")
}
