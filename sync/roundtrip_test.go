package sync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// TestRoundTripGenerated: create into an empty shop, resync (zero writes),
// edit (exactly the edits), undo (the shop as before the edit), undo the
// create (empty shop).
func TestRoundTripGenerated(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	price := func(i, j int) string { return "10.00" }
	qty := func(i, j int) int { return i + j }
	csv := genCSV(12, 3, price, qty)

	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 12 || res.State != state.RunFinished || res.Counts.Created != 12 {
		t.Fatalf("create: counts %+v, run %+v", p.Counts, res)
	}
	if d := duplicates(h.sh); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	created := shopState(h.sh)
	if !strings.Contains(created, "V prod-3|SKU-3-1||10.00||DENY|Size=S1|Main warehouse=4") {
		t.Fatalf("shop after create:\n%s", created)
	}

	// The same file again: nothing to write.
	before := h.mutations()
	p2, _ := h.sync(t, readCSV(t, csv), h.opts())
	if p2.HasChanges() || h.mutations() != before {
		var b strings.Builder
		_ = p2.WriteText(&b, TextOptions{})
		t.Fatalf("resync wrote %d mutations; plan:\n%s", h.mutations()-before, b.String())
	}

	// Edit two prices, one quantity and a title.
	edited := strings.Replace(csv, "SKU-2-1,10.00,3", "SKU-2-1,12.50,3", 1)
	edited = strings.Replace(edited, "SKU-5-0,10.00,5", "SKU-5-0,9.99,7", 1)
	edited = strings.Replace(edited, "prod-7,Product 7,", "prod-7,Product Seven,", 1)
	before = h.mutations()
	p3, res3 := h.sync(t, readCSV(t, edited), h.opts())
	if p3.Counts.Changes != 4 {
		var b strings.Builder
		_ = p3.WriteText(&b, TextOptions{})
		t.Fatalf("edit plan has %d changes:\n%s", p3.Counts.Changes, b.String())
	}
	st := h.sh.Stats().Mutations
	if got := h.mutations() - before; got != 4 { // 2 variant updates, 1 product, 1 inventory batch
		t.Fatalf("edit sent %d mutations (%v)", got, st)
	}
	after := shopState(h.sh)
	for _, want := range []string{"SKU-2-1||12.50", "SKU-5-0||9.99||DENY|Size=S0|Main warehouse=7", "P prod-7|Product Seven|"} {
		if !strings.Contains(after, want) {
			t.Errorf("after edit, missing %q", want)
		}
	}

	// Undo the edit: back to the state after the create.
	up, err := h.eng.PlanUndo(ctx, h.st, res3.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if up.Counts.Changes != 4 {
		var b strings.Builder
		_ = up.WriteText(&b, TextOptions{})
		t.Fatalf("undo plan:\n%s", b.String())
	}
	if _, err := h.eng.Apply(ctx, h.st, up, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := shopState(h.sh); got != created {
		t.Fatalf("after undo:\n%s\nwant:\n%s", got, created)
	}
	if r, _ := h.db.GetRun(ctx, res3.RunID); r.State != state.RunUndone {
		t.Errorf("edited run state = %s", r.State)
	}

	// Undo the create: the shop is empty again.
	up, err = h.eng.PlanUndo(ctx, h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Apply(ctx, h.st, up, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sh.Snapshot()); n != 0 {
		t.Fatalf("after undoing the create, %d products left", n)
	}
	if res.ReportPath == "" {
		t.Fatal("no report")
	}
	if b, err := os.ReadFile(res.ReportPath); err != nil || !strings.Contains(string(b), "Row,Handle,Item,Action,Outcome") {
		t.Fatalf("report: %v %q", err, b)
	}
}

// TestRoundTripSamples syncs each sample CSV into an empty shop, then again
// (zero writes).
func TestRoundTripSamples(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no samples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			h := newHarness(t, fakeshop.PlanPlus, 50)
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			cat := readCSV(t, string(raw))
			p, res := h.sync(t, cat, h.opts())
			if res.Counts.Errors > 0 || p.Counts.Products.Create == 0 {
				var b strings.Builder
				_ = p.WriteText(&b, TextOptions{})
				t.Fatalf("first sync: %+v\n%s\n%+v", res.Counts, b.String(), res.Problems)
			}
			if d := duplicates(h.sh); len(d) > 0 {
				t.Fatalf("duplicates: %v", d)
			}
			before := h.mutations()
			p2, _ := h.sync(t, readCSV(t, string(raw)), h.opts())
			if p2.HasChanges() || h.mutations() != before {
				var b strings.Builder
				_ = p2.WriteText(&b, TextOptions{})
				t.Fatalf("resync not empty:\n%s", b.String())
			}
		})
	}
}
