package sync

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// crashCSVs are a create and an edit (prices, quantities, a title, a new
// variant) of the same generated catalog.
func crashCSVs() (string, string) {
	create := genCSV(15, 3, func(i, j int) string { return "10.00" }, func(i, j int) int { return i + j })
	edit := genCSV(15, 3, func(i, j int) string {
		if i%3 == 0 {
			return "11.00"
		}
		return "10.00"
	}, func(i, j int) int {
		if i%2 == 0 {
			return i + j + 5
		}
		return i + j
	})
	edit = strings.Replace(edit, "prod-4,Product 4,", "prod-4,Product Four,", 1)
	edit += "prod-6,,,,,S9,SKU-6-9,15.00,4,deny,\n"
	return create, edit
}

// referenceStates syncs the create and the edit into a fault-free shop.
func referenceStates(t *testing.T, create, edit string) (string, string) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sync(t, readCSV(t, create), h.opts())
	afterCreate := shopState(h.sh)
	h.sync(t, readCSV(t, edit), h.opts())
	return afterCreate, shopState(h.sh)
}

// killedRun applies cat, cancelling after `after` finished changes while
// "applied but answer lost" faults hit some requests, then resumes the run
// with a fresh engine (a new process) until it finishes.
func killedRun(t *testing.T, h *harness, cat *catalog.Catalog, after int, seed uint64) (resumed, inFlight bool) {
	t.Helper()
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.sh.Faults().SetProbability(0.15, fakeshop.Fault{Kind: fakeshop.FaultDrop, After: true}, seed)
	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true, Progress: func(pr Progress) {
		if pr.Done >= after {
			cancel()
		}
	}})
	h.sh.Faults().Clear()
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("apply: %v", err)
	}
	if res == nil {
		t.Fatal("no result")
	}
	if res.State == state.RunFinished {
		return false, false
	}
	if rs, err := h.db.ResumeRun(context.Background(), res.RunID); err == nil {
		inFlight = len(rs.InFlight) > 0
	}
	fresh := &Engine{DB: h.db, ReportsDir: h.eng.ReportsDir}
	rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer rcancel()
	res, err = fresh.Resume(rctx, h.st, res.RunID, ApplyOptions{Confirm: true})
	if err != nil || res.State != state.RunFinished {
		t.Fatalf("resume: %v, %+v", err, res)
	}
	return true, inFlight
}

// TestKillAndResume kills the create and the edit at random points (30
// fixed seeds) with answers lost on the way; after resuming, the shop is
// exactly what a clean run gives and nothing exists twice.
func TestKillAndResume(t *testing.T) {
	create, edit := crashCSVs()
	wantCreate, wantEdit := referenceStates(t, create, edit)
	trials := 30
	if testing.Short() {
		trials = 5
	}
	resumed, inFlight := 0, 0
	count := func(r, f bool) {
		if r {
			resumed++
		}
		if f {
			inFlight++
		}
	}
	defer func() {
		t.Logf("%d of %d runs were killed and resumed, %d with changes in flight", resumed, 2*trials, inFlight)
		if resumed < trials || inFlight == 0 {
			t.Errorf("too few runs were interrupted: %d resumed, %d with changes in flight", resumed, inFlight)
		}
	}()
	for seed := range uint64(trials) {
		r := rand.New(rand.NewPCG(seed, 42))
		h := newHarness(t, fakeshop.PlanPlus, 100)
		count(killedRun(t, h, readCSV(t, create), r.IntN(15), seed))
		if got := shopState(h.sh); got != wantCreate {
			t.Fatalf("seed %d: after the create:\n%s\nwant:\n%s", seed, got, wantCreate)
		}
		if d := duplicates(h.sh); len(d) > 0 {
			t.Fatalf("seed %d: duplicates %v", seed, d)
		}
		count(killedRun(t, h, readCSV(t, edit), r.IntN(40), seed+1000))
		if got := shopState(h.sh); got != wantEdit {
			t.Fatalf("seed %d: after the edit:\n%s\nwant:\n%s", seed, got, wantEdit)
		}
		if d := duplicates(h.sh); len(d) > 0 {
			t.Fatalf("seed %d: duplicates %v", seed, d)
		}
	}
}

// TestFaultsTenPercent: with a fault on 10% of requests, of each kind, the
// run finishes by itself with the right final state.
func TestFaultsTenPercent(t *testing.T) {
	create, edit := crashCSVs()
	wantCreate, wantEdit := referenceStates(t, create, edit)
	kinds := []fakeshop.Fault{
		{Kind: fakeshop.FaultDrop, After: true}, {Kind: fakeshop.FaultDrop}, {Kind: fakeshop.Fault500},
		{Kind: fakeshop.Fault503}, {Kind: fakeshop.Fault429}, {Kind: fakeshop.FaultThrottled},
	}
	for i, f := range kinds {
		h := newHarness(t, fakeshop.PlanPlus, 100)
		h.sh.Faults().SetProbability(0.10, f, uint64(i+7))
		for _, step := range []struct{ csv, want string }{{create, wantCreate}, {edit, wantEdit}} {
			p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, step.csv), h.opts())
			if err != nil {
				t.Fatalf("%s: plan: %v", f.Kind, err)
			}
			res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
			if err != nil || res.State != state.RunFinished || len(res.Problems) > 0 {
				t.Fatalf("%s after=%v: %v %+v", f.Kind, f.After, err, res)
			}
			if got := shopState(h.sh); got != step.want {
				t.Fatalf("%s after=%v:\n%s\nwant:\n%s", f.Kind, f.After, got, step.want)
			}
		}
		if h.sh.Stats().Faults == 0 {
			t.Fatalf("%s: no fault was injected", f.Kind)
		}
	}
}
