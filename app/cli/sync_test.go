package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// TestSupplierSheetWithMapping: a supplier's own sheet (semicolons, its own
// column names, SKU and stock only) goes through a saved column mapping;
// the dry run shows the stock change and writes nothing; --yes applies it.
func TestSupplierSheetWithMapping(t *testing.T) {
	sh, c := connectedShop(t, mugInStock())
	dir := t.TempDir()
	sheet := filepath.Join(dir, "supplier.csv")
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(sheet, []byte("Item No;Stock\nMUG-1;42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mapping, []byte(`{"sku":"Item No","quantity":{"Main warehouse":"Stock"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := c.run("sync", "--store", "acme", "--source", sheet, "--mapping", mapping, "--dry-run")
	if code != ExitOK || !strings.Contains(out, "5 → 42") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 5 {
		t.Fatalf("a dry run wrote to the store: available = %d", got)
	}
	// The mapping was saved with the source: no --mapping needed now.
	code, out, errOut = c.run("sync", "--store", "acme", "--source", sheet, "--yes")
	if code != ExitOK {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 42 {
		t.Fatalf("available = %d after the sync, want 42", got)
	}
	if code, out, _ := c.run("history", "acme"); code != ExitOK || !strings.Contains(out, "finished") {
		t.Fatalf("history: exit %d\n%s", code, out)
	}
}

// TestResumeHeldRun: a run held by a guard (the sheet zeroes all stock) is
// listed as held, `resume` without --yes asks and writes nothing, and with
// --yes applies the kept plan as that same run.
func TestResumeHeldRun(t *testing.T) {
	sh, c := connectedShop(t, mugInStock())
	sheet := filepath.Join(t.TempDir(), "supplier.csv")
	if err := os.WriteFile(sheet, []byte("Item No;Stock\nMUG-1;0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(t.TempDir(), "mapping.json")
	if err := os.WriteFile(mapping, []byte(`{"sku":"Item No","quantity":{"Main warehouse":"Stock"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// Hold a run the way the scheduler does: Apply without confirming.
	ctx := context.Background()
	w, err := workspace.Open(workspace.Options{Dir: c.dir, Secrets: c.secrets})
	if err != nil {
		t.Fatal(err)
	}
	stores, err := w.Stores(ctx)
	if err != nil || len(stores) != 1 {
		t.Fatalf("stores %+v, %v", stores, err)
	}
	m, err := readMapping(mapping)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.PlanSync(ctx, workspace.SyncRequest{StoreID: stores[0].ID, Source: sheet, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	held, err := w.Apply(ctx, stores[0].ID, plan, false, nil)
	if !errors.Is(err, catalogsync.ErrGuardsTripped) || held.State != "held" {
		t.Fatalf("held run: %+v, %v", held, err)
	}
	w.Close()

	if code, out, _ := c.run("history", "acme"); code != ExitOK || !strings.Contains(out, "held") {
		t.Fatalf("history: exit %d\n%s", code, out)
	}
	code, out, errOut := c.run("resume", held.ID[:8])
	if code != ExitAttention || !strings.Contains(out, "5 → 0") || !strings.Contains(out+errOut, "nothing was written") {
		t.Fatalf("resume without --yes: exit %d\n%s%s", code, out, errOut)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 5 {
		t.Fatalf("an unconfirmed resume wrote to the store: available = %d", got)
	}
	code, out, errOut = c.run("resume", held.ID[:8], "--yes")
	if code != ExitOK || !strings.Contains(out, "finished") {
		t.Fatalf("resume --yes: exit %d\n%s%s", code, out, errOut)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 0 {
		t.Fatalf("available = %d after the resume, want 0", got)
	}
	if code, _, errOut := c.run("resume", held.ID[:8], "--yes"); code == ExitOK || !strings.Contains(errOut, "nothing to resume") {
		t.Fatalf("second resume: exit %d\n%s", code, errOut)
	}
}

// TestRunNowByGroup: run-now runs the schedules of the agency client named,
// and only those.
func TestRunNowByGroup(t *testing.T) {
	var products []fakeshop.Product
	for _, h := range []string{"cup", "jug", "mug"} {
		products = append(products, fakeshop.Product{Handle: h, Title: h, Variants: []fakeshop.Variant{{SKU: h + "-1", Price: "12.00"}}})
	}
	sh, c := connectedShop(t, products, "--group", "Acme Ltd")
	sheet := filepath.Join(t.TempDir(), "prices.csv")
	// One price of three changes: under the guard's "more than half".
	if err := os.WriteFile(sheet, []byte("Handle,Title,Variant SKU,Variant Price\ncup,cup,cup-1,12.00\njug,jug,jug-1,12.00\nmug,mug,mug-1,13.50\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := c.run("schedule", "set", "--store", "acme", "--source", sheet, "--every", "daily 06:30"); code != ExitOK {
		t.Fatalf("schedule set: %s%s", out, errOut)
	}
	if code, out, _ := c.run("run-now", "--group", "Bolt & Co"); code != ExitOK || !strings.Contains(out, "No enabled schedules") {
		t.Fatalf("run-now for another client: exit %d\n%s", code, out)
	}
	if got := mugPrice(sh); got != "12.00" {
		t.Fatalf("another client's run changed the price to %s", got)
	}
	code, out, errOut := c.run("run-now", "--group", "Acme Ltd")
	if code != ExitOK || !strings.Contains(out, "finished") {
		t.Fatalf("run-now: exit %d\n%s%s", code, out, errOut)
	}
	if got := mugPrice(sh); got != "13.50" {
		t.Fatalf("price %s after run-now, want 13.50", got)
	}
}

func mugPrice(sh *fakeshop.Shop) string {
	for _, p := range sh.Snapshot() {
		if p.Handle == "mug" {
			return p.Variants[0].Price
		}
	}
	return "(no mug)"
}

// mugInStock is one tracked mug with 5 available at the Main warehouse.
func mugInStock() []fakeshop.Product {
	return []fakeshop.Product{{Handle: "mug", Title: "Mug", Variants: []fakeshop.Variant{{
		SKU: "MUG-1", Price: "12.00", Tracked: true,
		Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 5, OnHand: 5}},
	}}}}
}
