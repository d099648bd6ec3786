package sync

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// variantsOf is the realistic catalog shape of issue 13: 60 % of products
// have one variant, 30 % two to five, 10 % ten to fifty.
func variantsOf(i int) int {
	switch r := i % 10; {
	case r < 6:
		return 1
	case r < 9:
		return 2 + (i/10)%4
	default:
		return 10 + (i*7)%41
	}
}

// seedRealistic puts n products shaped by variantsOf in a shop, at price 10.00.
func seedRealistic(sh *fakeshop.Shop, n int) (variants int) {
	ps := make([]fakeshop.Product, n)
	for i := range ps {
		p := fakeshop.Product{Handle: "prod-" + strconv.Itoa(i), Title: "Product " + strconv.Itoa(i), Vendor: "Acme",
			Tags: []string{"a", "b"}, Status: "ACTIVE"}
		var vals []string
		for j := range variantsOf(i) {
			vals = append(vals, "S"+strconv.Itoa(j))
			p.Variants = append(p.Variants, fakeshop.Variant{SKU: "SKU-" + strconv.Itoa(i) + "-" + strconv.Itoa(j), Price: "10.00",
				InventoryPolicy: "DENY", Tracked: true, SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S" + strconv.Itoa(j)}},
				Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: i + j}}})
			variants++
		}
		p.Options = []fakeshop.Option{{Name: "Size", Values: vals}}
		ps[i] = p
	}
	sh.Seed(ps)
	return variants
}

// realisticCSV is the sheet for seedRealistic's catalog with every price
// and every stock level changed.
func realisticCSV(n int) string {
	var b bytes.Buffer
	b.WriteString("Handle,Title,Vendor,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy,Status\n")
	for i := range n {
		for j := range variantsOf(i) {
			if j == 0 {
				fmt.Fprintf(&b, "prod-%d,Product %d,Acme,\"a, b\",Size,S%d,SKU-%d-%d,12.00,%d,deny,active\n", i, i, j, i, j, i+j+7)
			} else {
				fmt.Fprintf(&b, "prod-%d,,,,,S%d,SKU-%d-%d,12.00,%d,deny,\n", i, j, i, j, i+j+7)
			}
		}
	}
	return b.String()
}

// BenchmarkRealistic20k applies issue 13's realistic catalog (20,000
// products, 60 % one variant, 30 % 2–5, 10 % 10–50) with every price and
// stock level changed, on Standard (100 points/s) and Plus (1,000), paced
// and with bulk updates allowed (the planner then picks). It reports the
// simulated time, variant updates per hour, and for the paced path the share
// of the rate limit used while sending. The bulk rate is fakeshop's assumed
// DefaultBulkMutationRate (100 lines/s per operation), not a Shopify figure.
// Run: go test ./sync/ -run X -bench Realistic20k -benchtime 1x
func BenchmarkRealistic20k(b *testing.B) {
	for _, plan := range []fakeshop.Plan{fakeshop.PlanBasic, fakeshop.PlanPlus} {
		for _, bulk := range []bool{false, true} {
			name := string(plan) + "/paced"
			if bulk {
				name = string(plan) + "/planner"
			}
			scale := pacedRealPoints / plan.RestoreRate() // the harness can feed it (see assumedLatency)
			if bulk {
				scale = 50 // mostly bulk operations: few paced requests
			}
			b.Run(name, func(b *testing.B) { benchRealistic(b, plan, bulk, scale) })
		}
	}
}

// BenchmarkRealistic20kBulkWall is BenchmarkRealistic20k's planner-picked
// bulk runs at TimeScale 1: the simulated clock is the real one, so
// sim-seconds is what a user waits at the assumed bulk rate (100 lines/s per
// operation) plus the real time of both sides on this machine — at scale 50
// every real millisecond of the client, the journal and the simulator
// counts fifty times.
// Run: go test ./sync/ -run X -bench Realistic20kBulkWall -benchtime 1x
func BenchmarkRealistic20kBulkWall(b *testing.B) {
	for _, plan := range []fakeshop.Plan{fakeshop.PlanBasic, fakeshop.PlanPlus} {
		b.Run(string(plan), func(b *testing.B) { benchRealistic(b, plan, true, 1) })
	}
}

// BenchmarkUndoRealistic20k undoes BenchmarkRealistic20k's bulk run on a
// Basic shop at TimeScale 1: the undo plan (which reads the 20,000 products
// back) and its apply, which go the bulk path as the run did.
// Run: go test ./sync/ -run X -bench UndoRealistic20k -benchtime 1x
func BenchmarkUndoRealistic20k(b *testing.B) {
	const n = 20000
	for range b.N {
		b.StopTimer()
		h := newHarness(b, fakeshop.PlanBasic, 1)
		h.sh.SetLatency(assumedLatency)
		h.eng.BulkUpdates = true
		variants := seedRealistic(h.sh, n)
		before := prices(h.sh)
		p, err := h.eng.Plan(context.Background(), h.st, readCSV(b, realisticCSV(n)), h.opts())
		if err != nil {
			b.Fatal(err)
		}
		res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
		if err != nil || len(res.Problems) > 0 {
			b.Fatalf("apply: %v %+v", err, res)
		}
		t0 := h.srv.Now()
		b.StartTimer()
		undo, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
		if err != nil {
			b.Fatal(err)
		}
		planned := h.srv.Now().Sub(t0)
		ures, err := h.eng.Apply(context.Background(), h.st, undo, ApplyOptions{Confirm: true})
		b.StopTimer()
		took := h.srv.Now().Sub(t0)
		if err != nil || len(ures.Problems) > 0 {
			b.Fatalf("undo: %v %+v", err, ures.Problems[:min(3, len(ures.Problems))])
		}
		if got := prices(h.sh); !maps.Equal(got, before) {
			b.Fatalf("prices after undo %v, before the run %v", got, before)
		}
		if undo.UpdatePath == nil || undo.UpdatePath.Path != PathBulk {
			b.Fatalf("the undo went paced: %+v", undo.UpdatePath)
		}
		b.ReportMetric(took.Seconds(), "sim-seconds")
		b.ReportMetric(planned.Seconds(), "plan-sim-seconds")
		b.ReportMetric(undo.UpdatePath.PacedSeconds, "est-paced-s")
		b.ReportMetric(float64(variants)/took.Hours(), "variant-undos/hour")
		b.Logf("undo of %d variants: %s", variants, undo.UpdatePath.Reason)
		b.StartTimer()
	}
}

// benchRealistic applies the realistic catalog at the given time scale,
// paced or with the planner choosing.
func benchRealistic(b *testing.B, plan fakeshop.Plan, bulk bool, scale float64) {
	const n = 20000
	name := string(plan)
	for range b.N {
		b.StopTimer()
		h := newHarness(b, plan, scale)
		h.sh.SetLatency(assumedLatency)
		h.eng.BulkUpdates = bulk
		variants := seedRealistic(h.sh, n)
		cat := readCSV(b, realisticCSV(n))
		p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
		if err != nil {
			b.Fatal(err)
		}
		var initial float64
		var st fakeshop.Stats
		started := false
		var t0 time.Time
		var phases []string // each phase with the simulated second it began
		progress := func(pr Progress) {
			if !started {
				started = true
				h.sh.ResetStats()
				initial = max(0, h.client.Pacer().Status().Available)
				t0 = h.srv.Now()
			}
			if ph := fmt.Sprintf("%s@%.0fs", pr.Phase, h.srv.Now().Sub(t0).Seconds()); len(phases) == 0 || !strings.HasPrefix(phases[len(phases)-1], pr.Phase+"@") {
				phases = append(phases, ph)
			}
			if pr.Phase == PhaseFinishing && st.Requests == 0 {
				st = h.sh.Stats()
			}
		}
		b.StartTimer()
		res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true, Progress: progress})
		b.StopTimer()
		if err != nil || len(res.Problems) > 0 {
			b.Fatalf("apply: %v %+v", err, res.Problems[:min(3, len(res.Problems))])
		}
		path := PathPaced
		if p.UpdatePath != nil {
			path = p.UpdatePath.Path
		}
		b.ReportMetric(st.Elapsed.Seconds(), "sim-seconds")
		b.ReportMetric(float64(variants)/st.Elapsed.Hours(), "variant-updates/hour")
		if path == PathPaced {
			b.ReportMetric((st.PointsSpent-initial)/(st.RestoreRate*st.Elapsed.Seconds()), "utilization")
		} else {
			b.ReportMetric(float64(st.BulkStarted), "bulk-operations")
			b.ReportMetric(float64(st.BulkLines["inventorySetQuantities"]), "stock-bulk-lines")
			b.ReportMetric(p.UpdatePath.PacedSeconds, "est-paced-s")
			b.ReportMetric(p.UpdatePath.BulkSeconds, "est-bulk-s")
		}
		b.Logf("%s: %d products, %d variants, path %s: %v", name, n, variants, path, p.UpdatePath)
		b.Logf("%s: phases (simulated second each began): %s; finished @%.0fs", name, strings.Join(phases, ", "), st.Elapsed.Seconds())
		b.StartTimer()
	}
}

// BenchmarkResyncUnchanged20k plans a sheet identical to a 20,000-product
// shop (one variant each) and applies the empty plan, at TimeScale 1: the
// simulated clock is the real one, so sim-seconds is what a user waits
// (the bulk query at fakeshop's assumed DefaultBulkQueryRate, 2,000 lines/s,
// plus the real time of both sides), with nothing inflated by the scale.
// Run: go test ./sync/ -run X -bench ResyncUnchanged20k -benchtime 1x
func BenchmarkResyncUnchanged20k(b *testing.B) {
	const n = 20000
	for range b.N {
		b.StopTimer()
		h := newHarness(b, fakeshop.PlanBasic, 1)
		seedShop(h.sh, n, 1, "10.00")
		cat := readCSV(b, genCSV(n, 1, func(i, j int) string { return "10.00" }, func(i, j int) int { return i + j }))
		h.sh.ResetStats()
		b.StartTimer()
		var p *Plan
		var planTime time.Duration
		peak := peakHeap(func() {
			start := time.Now()
			var err error
			if p, err = h.eng.Plan(context.Background(), h.st, cat, h.opts()); err != nil {
				b.Fatal(err)
			}
			planTime = time.Since(start)
		})
		if _, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st := h.sh.Stats()
		if p.Counts.Variants.Unchanged != n || st.BulkStarted != 1 {
			b.Fatalf("counts %+v, bulk operations %d", p.Counts, st.BulkStarted)
		}
		b.ReportMetric(st.Elapsed.Seconds(), "sim-seconds")
		b.ReportMetric(planTime.Seconds(), "plan-seconds")
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		b.ReportMetric(float64(st.Requests), "requests")
		b.StartTimer()
	}
}

// assumedLatency is the simulated network time of one answer in the
// benchmarks: an assumption (answers of a few hundred ms), not a Shopify
// figure. With it the number of requests in flight matters as it does
// against Shopify.
const assumedLatency = 250 * time.Millisecond

// pacedRealPoints is the restore rate, in points per real second, at which
// a paced benchmark simulates a store (time scale = this / the plan's rate:
// Standard 10, Plus 1). Client, simulator and journal share this process at
// about a millisecond of CPU per request; at scale 50 Plus would need ~4,600
// requests per real second, more than two CPUs make, and the benchmark
// would measure the machine (0.12–0.30 before).
const pacedRealPoints = 1000
