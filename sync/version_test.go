package sync

import (
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestRunWarnsOfServedVersion (F15): when Shopify serves another API
// version than the one asked for, the run says so in its result and its
// summary (what history shows).
func TestRunWarnsOfServedVersion(t *testing.T) {
	create, _ := crashCSVs()
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.ServeVersion("2026-07")
	_, res := h.sync(t, readCSV(t, create), h.opts())
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "2026-07") {
		t.Fatalf("warnings %v", res.Warnings)
	}
	runs, err := h.db.ListRuns(t.Context(), h.storeID, 1)
	if err != nil || len(runs) != 1 || !strings.Contains(runs[0].Summary, "warning: Shopify served API version 2026-07") {
		t.Fatalf("summary: %+v %v", runs, err)
	}
}
