package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestSupplierSheetWithMapping: a supplier's own sheet (semicolons, its own
// column names, SKU and stock only) goes through a saved column mapping;
// the dry run shows the stock change and writes nothing; --yes applies it.
func TestSupplierSheetWithMapping(t *testing.T) {
	srv := fakeshop.NewServer(fakeshop.Options{})
	defer srv.Close()
	sh, err := srv.AddShop("acme", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	sh.Seed([]fakeshop.Product{{Handle: "mug", Title: "Mug", Variants: []fakeshop.Variant{{
		SKU: "MUG-1", Price: "12.00", Tracked: true,
		Levels: []fakeshop.InventoryLevel{{LocationID: "Main warehouse", Available: 5, OnHand: 5}},
	}}}})
	c := newCLIEnv(t)
	c.vars["SHELFSYNC_ACCESS_TOKEN"] = sh.Install("app", oauth.NeededScopes())
	if code, out, errOut := c.run("connect", "--shop", "acme", "--shop-url", sh.URL()); code != ExitOK {
		t.Fatalf("connect: %s%s", out, errOut)
	}
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
