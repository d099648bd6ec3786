package sync

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/state"
)

// TestCancelStopsBulkOperations: cancelling a run while its bulk
// operations run stops them on Shopify (none is left running), and the
// journal says exactly which lines landed — nothing stays pending — so an
// undo reverts exactly those, and a resume sends exactly the rest.
func TestCancelStopsBulkOperations(t *testing.T) {
	const n = 300
	for _, then := range []string{"undo", "resume"} {
		h, p := bulkHarness(t, n, false, 0)
		h.sh.SetBulkRate(0, 0.005) // 60 lines per operation: 12,000 simulated seconds, 12 s real
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			deadline := time.Now().Add(30 * time.Second)
			for (h.sh.RunningBulk("MUTATION") < MaxBulkOperations || prices(h.sh)["12.00"] < 5) && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
		if err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		if running := h.sh.RunningBulk("MUTATION"); running != 0 {
			t.Fatalf("%s: %d bulk operations still run on Shopify after Cancel", then, running)
		}
		landed := prices(h.sh)["12.00"]
		if landed == 0 || landed == n {
			t.Fatalf("%s: the cancel came at the wrong time: %d of %d landed", then, landed, n)
		}
		c, err := h.db.JournalCounts(context.Background(), res.RunID)
		if err != nil {
			t.Fatal(err)
		}
		// The sheet changes prices only: one entry per product.
		if c[state.JournalPending] != 0 || c[state.JournalDone] != landed {
			t.Fatalf("%s: journal %v, store has %d new prices", then, c, landed)
		}
		if !strings.Contains(strings.Join(res.Warnings, "\n"), "asked to stop its bulk operation") {
			t.Errorf("%s: warnings %v", then, res.Warnings)
		}
		switch then {
		case "undo":
			u, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if ures, err := h.eng.Apply(context.Background(), h.st, u, ApplyOptions{Confirm: true}); err != nil || len(ures.Problems) > 0 {
				t.Fatalf("undo: %v %+v", err, ures)
			}
			if got := prices(h.sh); got["10.00"] != n {
				t.Fatalf("after undo: %v", got)
			}
		case "resume":
			h.sh.SetBulkRate(0, 0)
			if rres, err := h.eng.Resume(context.Background(), h.st, res.RunID, ApplyOptions{Confirm: true}); err != nil || len(rres.Problems) > 0 {
				t.Fatalf("resume: %v %+v", err, rres)
			}
			if got := prices(h.sh); got["12.00"] != n {
				t.Fatalf("after resume: %v", got)
			}
			if sent := h.sh.Stats().Mutations["productVariantsBulkUpdate"]; sent != n {
				t.Fatalf("%d productVariantsBulkUpdate for %d products: a line was sent twice or lost", sent, n)
			}
		}
	}
}
