package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// TestTransientShopifyErrors (F4, F12): with Shopify's INTERNAL_SERVER_ERROR
// in a 200 answer on 10% of requests, or IDEMPOTENCY_CONCURRENT_REQUEST on
// the writes with an idempotency key — before or after the write was applied —
// and a bulk read that fails once, runs finish by themselves with the right
// store state: nothing is recorded failed or called a Shelfsync bug.
func TestTransientShopifyErrors(t *testing.T) {
	create, edit := crashCSVs()
	wantCreate, wantEdit := referenceStates(t, create, edit)
	kinds := []fakeshop.Fault{
		{Kind: fakeshop.FaultInternal}, {Kind: fakeshop.FaultInternal, After: true},
		{Kind: fakeshop.FaultInternal, Code: "INTERNAL_ERROR", After: true},
		{Kind: fakeshop.FaultIdempotencyBusy}, {Kind: fakeshop.FaultIdempotencyBusy, After: true},
	}
	for i, f := range kinds {
		h := newHarness(t, fakeshop.PlanPlus, 100)
		o := h.opts()
		o.BulkThreshold = 1 // the snapshot reads by bulk query
		h.sh.Faults().FailBulk(1, "QUERY", "")
		if f.Kind == fakeshop.FaultIdempotencyBusy {
			h.sh.Faults().Next(2, f) // hits the first two requests with a key: the run's few inventory writes
		} else {
			h.sh.Faults().SetProbability(0.10, f, uint64(i+11))
		}
		for _, step := range []struct{ csv, want string }{{create, wantCreate}, {edit, wantEdit}} {
			p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, step.csv), o)
			if err != nil {
				t.Fatalf("%s after=%v: plan: %v", f.Kind, f.After, err)
			}
			res, err := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
			if err != nil || res.State != state.RunFinished || len(res.Problems) > 0 {
				t.Fatalf("%s after=%v: %v %+v", f.Kind, f.After, err, res)
			}
			if got := shopState(h.sh); got != step.want {
				t.Fatalf("%s after=%v:\n%s\nwant:\n%s", f.Kind, f.After, got, step.want)
			}
		}
		if h.sh.Stats().Faults < 2 { // the failed bulk read, and at least one of f
			t.Fatalf("%s after=%v: no fault was injected (%+v)", f.Kind, f.After, h.sh.Stats())
		}
	}
}

// TestInternalErrorNeverABug: a write answered with INTERNAL_SERVER_ERROR
// every time is left for Resume (outcome unknown), never recorded failed.
func TestInternalErrorNeverABug(t *testing.T) {
	create, _ := crashCSVs()
	h := newHarness(t, fakeshop.PlanPlus, 100)
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, create), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	h.sh.Faults().SetProbability(1, fakeshop.Fault{Kind: fakeshop.FaultInternal}, 3)
	res, _ := h.eng.Apply(context.Background(), h.st, p, ApplyOptions{Confirm: true})
	h.sh.Faults().Clear()
	if res == nil || res.State == state.RunFinished {
		t.Fatalf("run %+v", res)
	}
	for _, pr := range res.Problems {
		if pr.State == string(state.JournalFailed) || strings.Contains(pr.Message, "bug") {
			t.Fatalf("recorded as %s: %s", pr.State, pr.Message)
		}
	}
	res, err = h.eng.Resume(context.Background(), h.st, res.RunID, ApplyOptions{Confirm: true})
	if err != nil || res.State != state.RunFinished || len(res.Problems) > 0 {
		t.Fatalf("resume: %v %+v", err, res)
	}
}
