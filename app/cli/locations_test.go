package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// TestLocations: `locations STORE` prints the store's locations; sync's
// --location takes a name (any case) or an ID; an unknown one, or none when
// the store has several, is an error that lists them.
func TestLocations(t *testing.T) {
	sh, c := connectedShop(t, mugInStock())
	locs := sh.Locations()
	code, out, errOut := c.run("locations", "acme")
	if code != ExitOK || !strings.Contains(out, "Main warehouse") || !strings.Contains(out, "Shop floor") || !strings.Contains(out, locs[1].ID) {
		t.Fatalf("locations: exit %d\n%s%s", code, out, errOut)
	}
	sheet := filepath.Join(t.TempDir(), "stock.csv")
	if err := os.WriteFile(sheet, []byte("SKU,Qty\nMUG-1,9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"shop floor", locs[1].ID, strings.TrimPrefix(locs[1].ID, "gid://shopify/Location/")} {
		code, out, errOut = c.run("sync", "--store", "acme", "--source", sheet, "--location", ref, "--dry-run")
		if code != ExitOK || !strings.Contains(out, "available @ Shop floor: not stocked → 9") {
			t.Fatalf("--location %q: exit %d\n%s%s", ref, code, out, errOut)
		}
	}
	code, out, errOut = c.run("sync", "--store", "acme", "--source", sheet, "--location", "Backroom", "--dry-run")
	if code != ExitUsage || !strings.Contains(errOut, `no location "Backroom"`) || !strings.Contains(errOut, "Shop floor") {
		t.Fatalf("unknown location: exit %d\n%s%s", code, out, errOut)
	}
	// A new sheet (no location saved with it) and no --location.
	other := filepath.Join(t.TempDir(), "other.csv")
	if err := os.WriteFile(other, []byte("SKU,Qty\nMUG-1,9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = c.run("sync", "--store", "acme", "--source", other, "--dry-run")
	if code != ExitError || !strings.Contains(errOut, "--location") || !strings.Contains(errOut, "Main warehouse") {
		t.Fatalf("no location: exit %d\n%s%s", code, out, errOut)
	}
	// A schedule of that sheet takes the location by name too.
	code, out, errOut = c.run("schedule", "set", "--store", "acme", "--source", other, "--every", "hourly", "--location", "SHOP FLOOR")
	if code != ExitOK {
		t.Fatalf("schedule set: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = c.run("schedule", "list", "--json")
	if code != ExitOK || !strings.Contains(out, locs[1].ID) {
		t.Fatalf("the schedule lost its location: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = c.run("schedule", "set", "--store", "acme", "--source", other, "--every", "hourly", "--location", "Nowhere")
	if code != ExitUsage || !strings.Contains(errOut, "Main warehouse") {
		t.Fatalf("schedule set, unknown location: exit %d\n%s%s", code, out, errOut)
	}
}

// TestBlankClearsFlag: a blank vendor cell changes nothing unless
// --blank-clears is given, and the dry run says which it is.
func TestBlankClearsFlag(t *testing.T) {
	products := mugInStock()
	products[0].Vendor = "Acme"
	_, c := connectedShop(t, products)
	sheet := filepath.Join(t.TempDir(), "mugs.csv")
	if err := os.WriteFile(sheet, []byte("Handle,Title,Vendor,Variant SKU\nmug,Mug,,MUG-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := c.run("sync", "--store", "acme", "--source", sheet, "--dry-run")
	if code != ExitOK || strings.Contains(out, "vendor") || !strings.Contains(out, "blank cells leave their fields as they are") {
		t.Fatalf("default: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = c.run("sync", "--store", "acme", "--source", sheet, "--blank-clears", "--dry-run")
	if code != ExitOK || !strings.Contains(out, "vendor: Acme → (none)") || !strings.Contains(out, `"blank means clear" is on`) {
		t.Fatalf("--blank-clears: exit %d\n%s%s", code, out, errOut)
	}
}

// inventoryCSVShop is a connected shop with two locations and Shopify's
// inventory CSV for it (a Location column: one row per variant and location).
func inventoryCSVShop(t *testing.T) (*cliEnv, string) {
	t.Helper()
	sh, c := connectedShop(t, mugInStock())
	if len(sh.Locations()) < 2 {
		t.Fatalf("the shop has %d locations: the test needs several", len(sh.Locations()))
	}
	sheet := filepath.Join(t.TempDir(), "inventory_export.csv")
	if err := os.WriteFile(sheet, []byte("SKU,Location,Available\nMUG-1,Main warehouse,5\nMUG-1,Shop floor,9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return c, sheet
}

// TestInventoryCSVNeedsNoLocation: Shopify's inventory CSV names each row's
// location, so a store with several previews it without --location (the
// notes say where the quantities go), and a --location given anyway is said
// not to be used rather than taken for a single quantity column.
func TestInventoryCSVNeedsNoLocation(t *testing.T) {
	c, sheet := inventoryCSVShop(t)
	code, out, errOut := c.run("sync", "--store", "acme", "--source", sheet, "--dry-run")
	if code != ExitOK || !strings.Contains(out, "available @ Shop floor: not stocked → 9") ||
		!strings.Contains(out, "locations the sheet names (Main warehouse, Shop floor)") {
		t.Fatalf("no --location: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = c.run("sync", "--store", "acme", "--source", sheet, "--location", "Backroom", "--dry-run")
	if code != ExitOK || !strings.Contains(errOut, "--location is not used. Quantities go to the location named on each row.") {
		t.Fatalf("--location with an inventory CSV: exit %d\n%s%s", code, out, errOut)
	}
}

// TestScheduleOfInventoryCSVNeedsNoLocation: as with sync, a schedule of
// Shopify's inventory CSV takes no --location: one given anyway, known to
// the store or not, is said not to be used and is not saved with the sheet;
// the flag's help says when it is needed.
func TestScheduleOfInventoryCSVNeedsNoLocation(t *testing.T) {
	c, sheet := inventoryCSVShop(t)
	for _, ref := range []string{"Shop floor", "Backroom"} {
		code, out, errOut := c.run("schedule", "set", "--store", "acme", "--source", sheet, "--every", "hourly", "--location", ref)
		if code != ExitOK || !strings.Contains(errOut, "note: --location is not used. Quantities go to the location named on each row.") {
			t.Fatalf("schedule set --location %q with an inventory CSV: exit %d\n%s%s", ref, code, out, errOut)
		}
	}
	code, out, errOut := c.run("schedule", "list", "--json")
	var list []workspace.ScheduleView
	if code != ExitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) != 2 {
		t.Fatalf("schedule list: exit %d\n%s%s", code, out, errOut)
	}
	for _, s := range list {
		if s.LocationID != "" {
			t.Errorf("a location was saved with the inventory CSV: %q", s.LocationID)
		}
	}
	code, out, errOut = c.run("schedule", "--help")
	if code != ExitOK || !strings.Contains(out+errOut, "needed only when that column names no location") {
		t.Fatalf("schedule --help: exit %d\n%s%s", code, out, errOut)
	}
}
