package sync

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// bulkHarness is a Basic shop (100 points/s) of n one-variant products at
// 10.00 with stock i at product i, and a plan that sets every price to 12.00
// (and, with stock, every level to i+7), with bulk updates on. stockBatch
// is how many quantities go in one stock line (0: 250).
func bulkHarness(t *testing.T, n int, stock bool, stockBatch int) (*harness, *Plan) {
	t.Helper()
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	h.eng.BulkUpdates = true
	h.eng.stockBatch = stockBatch
	seedShop(h.sh, n, 1, "10.00")
	cat := readCSV(t, genCSV(n, 1, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j + stockDelta(stock) }))
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

func stockDelta(stock bool) int {
	if stock {
		return 7
	}
	return 0
}

// levels counts the store's variants whose available stock is the seeded
// level (product i: i) plus delta.
func levels(sh *fakeshop.Shop, delta int) int {
	n := 0
	for _, p := range sh.Snapshot() {
		i, _ := strconv.Atoi(strings.TrimPrefix(p.Handle, "prod-"))
		for _, v := range p.Variants {
			if len(v.Levels) == 1 && v.Levels[0].Available == i+delta {
				n++
			}
		}
	}
	return n
}

// applyFailingLine4 applies p with the fourth line of the first bulk
// operation failing on Shopify's side: that line alone is reported, with
// its row.
func applyFailingLine4(t *testing.T, h *harness, p *Plan) {
	t.Helper()
	h.sh.Faults().FailBulkLines(3)
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row == 0 || !strings.Contains(res.Problems[0].Message, "bulk operation line 4") {
		t.Fatalf("problems %+v", res.Problems)
	}
}

// prices counts the store's variants per price.
func prices(sh *fakeshop.Shop) map[string]int {
	out := map[string]int{}
	for _, p := range sh.Snapshot() {
		for _, v := range p.Variants {
			out[v.Price]++
		}
	}
	return out
}

// Many updates go through bulk operations (five at once), stock too, the
// plan says so and why, every line is recorded, and undo reverts them line
// by line.
func TestBulkUpdatePath(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n, true, 0)
	// 300 variant lines and 2 stock lines (250 + 50 quantities): five
	// operations of at most 61 lines, the stock one started when a slot frees.
	if up := p.UpdatePath; up == nil || up.Path != PathBulk || up.Operations != 6 || up.Lines != n || up.StockLines != 2 || up.Quantities != n {
		t.Fatalf("300 one-variant updates and stock levels on a 100 points/s shop: %+v", p.UpdatePath)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "and stock of 300 levels (2 requests of up to 250) go to Shopify as 6 bulk operations") {
		t.Fatalf("the preview does not say which path stock takes: %v", p.Notes)
	}
	var phases []string
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true, Progress: func(pr Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != pr.Phase {
			phases = append(phases, pr.Phase)
		}
	}})
	if err != nil || len(res.Problems) > 0 || res.Counts.Updated == 0 {
		t.Fatalf("%v %+v", err, res)
	}
	if got := prices(h.sh); got["12.00"] != n {
		t.Fatalf("prices %v", got)
	}
	if got := levels(h.sh, 7); got != n {
		t.Fatalf("%d of %d levels set", got, n)
	}
	st := h.sh.Stats()
	if st.BulkStarted != 6 || st.BulkLines["productVariantsBulkUpdate"] != n || st.Mutations["productVariantsBulkUpdate"] != n {
		t.Fatalf("bulk operations %d, productVariantsBulkUpdate %d (in bulk %d)", st.BulkStarted, st.Mutations["productVariantsBulkUpdate"], st.BulkLines["productVariantsBulkUpdate"])
	}
	if st.BulkLines["inventorySetQuantities"] != 2 || st.Mutations["inventorySetQuantities"] != 2 {
		t.Fatalf("inventorySetQuantities %d, in bulk %d", st.Mutations["inventorySetQuantities"], st.BulkLines["inventorySetQuantities"])
	}
	if !slices.Contains(phases, PhaseBulkBoth) || slices.Contains(phases, PhaseInventory) {
		t.Fatalf("progress phases %v", phases)
	}
	undo, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if up := undo.UpdatePath; up == nil || up.Path != PathBulk || up.Lines != n || up.Quantities != n {
		t.Fatalf("the undo of a bulk run is not sent as bulk operations: %+v", undo.UpdatePath)
	}
	if ures, err := h.eng.Apply(context.Background(), h.st, undo, ApplyOptions{Confirm: true}); err != nil || len(ures.Problems) > 0 {
		t.Fatalf("undo: %v %+v", err, ures)
	}
	if st := h.sh.Stats(); st.BulkStarted != 12 || st.BulkLines["productVariantsBulkUpdate"] != 2*n || st.Mutations["productVariantsBulkUpdate"] != 2*n {
		t.Fatalf("undo: bulk operations %d, productVariantsBulkUpdate %d (in bulk %d)", st.BulkStarted, st.Mutations["productVariantsBulkUpdate"], st.BulkLines["productVariantsBulkUpdate"])
	}
	if got := prices(h.sh); got["10.00"] != n {
		t.Fatalf("after undo %v", got)
	}
	if got := levels(h.sh, 0); got != n {
		t.Fatalf("after undo %d of %d levels back", got, n)
	}
}

// A stock-only sheet big enough for bulk sends its levels as bulk lines;
// a failed line is reported with its row, the others are applied.
func TestBulkStockOnlyFailedLine(t *testing.T) {
	const n = 300
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	h.eng.BulkUpdates = true
	h.eng.stockBatch = 1 // 300 lines: 30 s paced on 100 points/s, sooner in bulk
	seedShop(h.sh, n, 1, "10.00")
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, genCSV(n, 1, func(i, j int) string { return "10.00" }, func(i, j int) int { return i + 7 })), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if up := p.UpdatePath; up == nil || up.Path != PathBulk || up.Lines != 0 || up.StockLines != n {
		t.Fatalf("%+v", p.UpdatePath)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "Stock of 300 levels (300 requests of up to 250) go to Shopify as 5 bulk operations") {
		t.Fatalf("notes %v", p.Notes)
	}
	applyFailingLine4(t, h, p)
	if got := levels(h.sh, 7); got != n-1 {
		t.Fatalf("%d of %d levels set", got, n-1)
	}
	if st := h.sh.Stats(); st.BulkLines["inventorySetQuantities"] != n || st.Mutations["inventorySetQuantities"] != n-1 {
		t.Fatalf("inventorySetQuantities %d, in bulk %d", st.Mutations["inventorySetQuantities"], st.BulkLines["inventorySetQuantities"])
	}
}

// A level someone else changed after the preview makes its whole stock
// line stale: that level is left alone and reported as a conflict with its
// row, the line's other levels are re-read and set, none twice.
func TestBulkStockStaleLevelLeftAlone(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n, true, 10)
	var victim *VariantPlan
	for i := range p.Products {
		if p.Products[i].Handle == "prod-5" {
			victim = &p.Products[i].Variants[0]
		}
	}
	// another app counts the shelf: prod-5 now has 40
	if err := h.client.SetInventory(context.Background(), shopify.SetInventoryInput{Quantities: []shopify.InventoryQuantity{
		{InventoryItemID: victim.InventoryItemID, LocationID: h.locs[0].ID, Quantity: 40}}}); err != nil {
		t.Fatal(err)
	}
	h.sh.ResetStats()
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].State != string(state.JournalConflict) || res.Problems[0].Row == 0 ||
		!strings.Contains(res.Problems[0].Message, "was 5, now 40") {
		t.Fatalf("problems %+v", res.Problems)
	}
	if got := levels(h.sh, 7); got != n-1 {
		t.Fatalf("%d of %d levels set", got, n-1)
	}
	// 30 lines in bulk, one refused; its 9 other levels go again in one paced call
	if st := h.sh.Stats(); st.BulkLines["inventorySetQuantities"] != 30 || st.Mutations["inventorySetQuantities"] != 31 || st.Replayed["inventorySetQuantities"] != 0 {
		t.Fatalf("inventorySetQuantities %d (in bulk %d, replayed %d)", st.Mutations["inventorySetQuantities"], st.BulkLines["inventorySetQuantities"], st.Replayed["inventorySetQuantities"])
	}
}

// A small run stays paced, and says why.
func TestBulkUpdateSmallRunPaced(t *testing.T) {
	h, p := bulkHarness(t, 20, false, 0)
	if p.UpdatePath == nil || p.UpdatePath.Path != PathPaced || p.UpdatePath.Reason == "" {
		t.Fatalf("%+v", p.UpdatePath)
	}
	// Twenty updates take seconds: the preview keeps its notes for the
	// sheet's own problems.
	for _, n := range p.Notes {
		if strings.Contains(n, "one request at a time") {
			t.Fatalf("a small run's preview names its path: %q", n)
		}
	}
	h.sync(t, readCSV(t, genCSV(20, 1, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j })), h.opts())
	if h.sh.Stats().BulkStarted != 0 || prices(h.sh)["12.00"] != 20 {
		t.Fatalf("bulk %d, prices %v", h.sh.Stats().BulkStarted, prices(h.sh))
	}
}

// Failed lines are reported with their row; the other lines are applied.
func TestBulkUpdateFailedLines(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n, false, 0)
	applyFailingLine4(t, h, p)
	if got := prices(h.sh); got["12.00"] != n-1 || got["10.00"] != 1 {
		t.Fatalf("prices %v", got)
	}
}

// A partner app not allowed bulk mutations: the run falls back to the paced
// path and says so.
func TestBulkUpdateRefusedFallsBack(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n, true, 0)
	h.srv.RegisterApp(fakeshop.App{ClientID: testApp, ClientSecret: "shpss_x", OwnOrganization: true, Partner: true, BulkQueries: true,
		Scopes: []string{"write_products", "write_inventory", "read_locations"}})
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("%v %+v", err, res.Problems)
	}
	if got := prices(h.sh); got["12.00"] != n || levels(h.sh, 7) != n {
		t.Fatalf("prices %v, %d levels set", got, levels(h.sh, 7))
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "variant updates and stock were sent paced: the store refused a bulk operation") {
		t.Fatalf("warnings %v", res.Warnings)
	}
}

// A shop that runs fewer bulk operations at once than the five of API
// 2026-01 (the 2026-04 schema still says one): the run starts the next
// operation when one of its own ends, and everything still goes in bulk.
func TestBulkUpdateFewerSlots(t *testing.T) {
	for _, limit := range []int{1, 2} {
		const n = 300
		h, p := bulkHarness(t, n, true, 0)
		h.sh.SetBulkLimit(limit)
		res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
		if err != nil || len(res.Problems) > 0 || len(res.Warnings) > 0 {
			t.Fatalf("limit %d: %v %+v %v", limit, err, res.Problems, res.Warnings)
		}
		st := h.sh.Stats()
		if st.BulkStarted != 6 || st.BulkLines["productVariantsBulkUpdate"] != n || st.BulkLines["inventorySetQuantities"] != 2 ||
			st.Mutations["productVariantsBulkUpdate"] != n || st.Mutations["inventorySetQuantities"] != 2 {
			t.Fatalf("limit %d: %d operations, lines %v, mutations %v", limit, st.BulkStarted, st.BulkLines, st.Mutations)
		}
		if prices(h.sh)["12.00"] != n || levels(h.sh, 7) != n {
			t.Fatalf("limit %d: prices %v, %d levels", limit, prices(h.sh), levels(h.sh, 7))
		}
	}
}

// killedStore is a store whose run ends as a killed process's does: with
// no chance to stop the bulk operations it started (no BulkStopper).
type killedStore struct {
	Store
	BulkUpdater
}

// A run killed while its bulk operations run resumes by waiting for them and
// reading their results: no line is sent twice and the store ends as after
// a clean run. 300 variant lines and 60 stock lines of 5 levels make four
// variant operations of 72 lines and a stock one of 60 at once, and a
// variant one of 12 that starts when the stock one ends. Each of the 30
// trials (6 with -short) puts the kill elsewhere:
// while a variant operation runs, as the bulk phase starts (before, between
// or after the starts), or while the stock operation runs.
func TestBulkUpdateKillAndResume(t *testing.T) {
	const n = 300
	trials := 30
	if testing.Short() {
		trials = 6
	}
	where := map[string]int{}
	for trial := range trials {
		h, p := bulkHarness(t, n, true, 5)
		h.sh.SetBulkRate(0, 0.5) // 72 lines per operation: 144 simulated seconds, 0.14 s real
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		var once bool
		var during string
		go func() {
			<-started
			deadline := time.Now().Add(10 * time.Second)
			switch trial % 3 {
			case 0: // once an operation runs, after some of its lines
				for h.sh.RunningBulk("MUTATION") == 0 && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				time.Sleep(time.Duration(trial%15) * 7 * time.Millisecond)
			case 1: // as the bulk phase starts
				time.Sleep(time.Duration(trial%15) * 3 * time.Millisecond)
			case 2: // once the stock operation has run some of its lines
				for h.sh.Stats().BulkLines["inventorySetQuantities"] == 0 && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				time.Sleep(time.Duration(trial%10) * 4 * time.Millisecond)
			}
			st := h.sh.Stats()
			during = fmt.Sprintf("%d variant lines, %d stock lines run", st.BulkLines["productVariantsBulkUpdate"], st.BulkLines["inventorySetQuantities"])
			if k := st.BulkLines["inventorySetQuantities"]; k > 0 && k < 60 {
				where["during the stock operation"]++
			}
			cancel()
		}()
		first, err := h.eng.Apply(ctx, killedStore{h.st, h.st.(BulkUpdater)}, p, ApplyOptions{Confirm: true, Progress: func(pr Progress) {
			if pr.Phase == PhaseBulkBoth && !once {
				once = true
				close(started)
			}
		}})
		if err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		if first == nil || first.State != state.RunCancelled {
			t.Fatalf("trial %d: the kill came too late (%s): %+v", trial, during, first)
		}
		h.sh.SetBulkRate(0, 0) // the operations left running speed up to the default
		res, err := h.eng.Resume(context.Background(), h.st, p.RunID, ApplyOptions{Confirm: true})
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("trial %d: resume: %v %+v", trial, err, res)
		}
		if got := prices(h.sh); got["12.00"] != n {
			t.Fatalf("trial %d: prices %v", trial, got)
		}
		if got := levels(h.sh, 7); got != n {
			t.Fatalf("trial %d: %d of %d levels set", trial, got, n)
		}
		st := h.sh.Stats()
		if sent := st.Mutations["productVariantsBulkUpdate"] + st.Replayed["productVariantsBulkUpdate"]; sent != n {
			t.Fatalf("trial %d (killed with %s): %d productVariantsBulkUpdate for %d products", trial, during, sent, n)
		}
		// every stock line reaches Shopify once: not run again, not even
		// answered from its idempotency key
		if sent := st.Mutations["inventorySetQuantities"] + st.Replayed["inventorySetQuantities"]; sent != 60 {
			t.Fatalf("trial %d (killed with %s): %d inventorySetQuantities for 60 lines", trial, during, sent)
		}
		t.Logf("trial %d: killed with %s", trial, during)
	}
	if !testing.Short() && where["during the stock operation"] < 5 {
		t.Fatalf("only %d of %d kills landed during the stock operation", where["during the stock operation"], trials)
	}
}

// The undo of a run over more products than the bulk threshold reads them
// back through one bulk query, not page by page by ID (20,000 products by
// ID take over 20 minutes on a Standard store), and still finds a product
// the full read lacks (created after the listing) by exact lookup.
func TestUndoOfALargeRunReadsInBulk(t *testing.T) {
	const n = 300
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	seedShop(h.sh, n, 1, "10.00")
	o := h.opts()
	o.BulkThreshold = 100
	cat := readCSV(t, genCSV(n, 1, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j }))
	_, res := h.sync(t, cat, o)
	before := h.sh.Stats()
	undo, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	after := h.sh.Stats()
	if bulk, reqs := after.BulkStarted-before.BulkStarted, after.Requests-before.Requests; bulk != 1 || reqs > 10 {
		t.Fatalf("the undo plan read %d products with %d bulk operations and %d requests, want 1 bulk query", n, bulk, reqs)
	}
	if undo.Counts.Products.Update != n {
		t.Fatalf("undo plans %+v", undo.Counts)
	}
	if ures, err := h.eng.Apply(context.Background(), h.st, undo, ApplyOptions{Confirm: true}); err != nil || len(ures.Problems) > 0 {
		t.Fatalf("undo: %v %+v", err, ures)
	}
	if got := prices(h.sh); got["10.00"] != n {
		t.Fatalf("after undo %v", got)
	}
}

// readProducts over the threshold keeps only the products the query names,
// by ID or handle, and asks for a handle the full read lacks by exact
// lookup (which finds nothing for one that does not exist).
func TestReadProductsKeepsWhatTheQueryNames(t *testing.T) {
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	seedShop(h.sh, 5, 1, "10.00")
	var q ProductQuery
	var want []string
	for _, p := range h.sh.Snapshot()[:3] {
		q.IDs = append(q.IDs, p.ID)
		want = append(want, p.Handle)
	}
	last := h.sh.Snapshot()[4].Handle
	q.Handles = []string{last, "no-such-product"}
	want = append(want, last)
	got, err := readProducts(context.Background(), h.st, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var handles []string
	for _, p := range got {
		handles = append(handles, p.Handle)
	}
	slices.Sort(handles)
	slices.Sort(want)
	if !slices.Equal(handles, want) {
		t.Fatalf("read %v, want %v", handles, want)
	}
}
