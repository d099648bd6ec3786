package sync

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// bulkHarness is a Basic shop (100 points/s) of n one-variant products at
// 10.00 and a plan that sets every price to 12.00, with bulk updates on.
func bulkHarness(t *testing.T, n int) (*harness, *Plan) {
	t.Helper()
	h := newHarness(t, fakeshop.PlanBasic, 1000)
	h.eng.BulkUpdates = true
	seedShop(h.sh, n, 1, "10.00")
	cat := readCSV(t, genCSV(n, 1, func(i, j int) string { return "12.00" }, func(i, j int) int { return i + j }))
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	return h, p
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

// Many updates go through bulk operations (five at once), the plan says so
// and why, every line is recorded, and undo reverts them line by line.
func TestBulkUpdatePath(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n)
	if p.UpdatePath == nil || p.UpdatePath.Path != PathBulk || p.UpdatePath.Operations != MaxBulkOperations {
		t.Fatalf("300 one-variant updates on a 100 points/s shop: %+v", p.UpdatePath)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "bulk operations") {
		t.Fatalf("the preview does not say which path: %v", p.Notes)
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
	st := h.sh.Stats()
	if st.BulkStarted != MaxBulkOperations || st.Mutations["productVariantsBulkUpdate"] != n {
		t.Fatalf("bulk operations %d, productVariantsBulkUpdate %d", st.BulkStarted, st.Mutations["productVariantsBulkUpdate"])
	}
	if !strings.Contains(strings.Join(phases, "|"), PhaseBulkUpdates) {
		t.Fatalf("progress phases %v", phases)
	}
	undo, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if ures, err := h.eng.Apply(context.Background(), h.st, undo, ApplyOptions{Confirm: true}); err != nil || len(ures.Problems) > 0 {
		t.Fatalf("undo: %v %+v", err, ures)
	}
	if got := prices(h.sh); got["10.00"] != n {
		t.Fatalf("after undo %v", got)
	}
}

// A small run stays paced, and says why.
func TestBulkUpdateSmallRunPaced(t *testing.T) {
	h, p := bulkHarness(t, 20)
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
	h, p := bulkHarness(t, n)
	h.sh.Faults().FailBulkLines(3)
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row == 0 || !strings.Contains(res.Problems[0].Message, "bulk operation line 4") {
		t.Fatalf("problems %+v", res.Problems)
	}
	if got := prices(h.sh); got["12.00"] != n-1 || got["10.00"] != 1 {
		t.Fatalf("prices %v", got)
	}
}

// A partner app not allowed bulk mutations: the run falls back to the paced
// path and says so.
func TestBulkUpdateRefusedFallsBack(t *testing.T) {
	const n = 300
	h, p := bulkHarness(t, n)
	h.srv.RegisterApp(fakeshop.App{ClientID: testApp, ClientSecret: "shpss_x", OwnOrganization: true, Partner: true, BulkQueries: true,
		Scopes: []string{"write_products", "write_inventory", "read_locations"}})
	res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("%v %+v", err, res.Problems)
	}
	if got := prices(h.sh); got["12.00"] != n {
		t.Fatalf("prices %v", got)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "sent paced: the store refused a bulk operation") {
		t.Fatalf("warnings %v", res.Warnings)
	}
}

// A run killed while its bulk operations run resumes by waiting for them and
// reading their results: no line is sent twice and the store ends as after
// a clean run. Each of the 30 trials (6 with -short) puts the kill elsewhere.
func TestBulkUpdateKillAndResume(t *testing.T) {
	const n = 300
	trials := 30
	if testing.Short() {
		trials = 6
	}
	for trial := range trials {
		h, p := bulkHarness(t, n)
		h.sh.SetBulkRate(0, 0.5) // 60 lines per operation: 120 simulated seconds, 0.12 s real
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		var once bool
		go func() {
			<-started
			// even trials: once an operation runs, after some of its lines;
			// odd: as the bulk phase starts (before, between or after the starts)
			deadline := time.Now().Add(10 * time.Second)
			for trial%2 == 0 && h.sh.RunningBulk("MUTATION") == 0 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(time.Duration(trial%15) * 7 * time.Millisecond)
			cancel()
		}()
		first, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true, Progress: func(pr Progress) {
			if pr.Phase == PhaseBulkUpdates && !once {
				once = true
				close(started)
			}
		}})
		if err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		if first == nil || first.State != state.RunCancelled {
			t.Fatalf("trial %d: the kill came too late: %+v", trial, first)
		}
		h.sh.SetBulkRate(0, 0) // the operations left running speed up to the default
		res, err := h.eng.Resume(context.Background(), h.st, p.RunID, ApplyOptions{Confirm: true})
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("trial %d: resume: %v %+v", trial, err, res)
		}
		if got := prices(h.sh); got["12.00"] != n {
			t.Fatalf("trial %d: prices %v", trial, got)
		}
		if sent := h.sh.Stats().Mutations["productVariantsBulkUpdate"]; sent != n {
			t.Fatalf("trial %d: %d productVariantsBulkUpdate for %d products", trial, sent, n)
		}
	}
}
