package source

import (
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// inventoryExport is an "All quantity types" inventory export as Shopify's
// help page lays it out (https://help.shopify.com/en/manual/products/inventory/inventory-csv):
// one row per variant and location.
const inventoryExport = "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,SKU,HS Code,COO,Location,Incoming,Unavailable,Committed,Available,On hand\n" +
	"tee,Tee,Size,S,,,,,TEE-S,6109.10,PT,Main warehouse,0,1,2,7,10\n" +
	"tee,Tee,Size,S,,,,,TEE-S,6109.10,PT,Shop floor,0,0,0,3,3\n" +
	"tee,Tee,Size,M,,,,,TEE-M,6109.10,PT,Main warehouse,5,0,0,4,4\n" +
	"tee,Tee,Size,M,,,,,TEE-M,6109.10,PT,Shop floor,0,0,0,not stocked,not stocked\n" +
	"mug,Mug,Title,Default Title,,,,,MUG,,,Main warehouse,0,0,1,11,12\n"

// The inventory export is read per location: the repeated SKU is one
// variant, each row's Location names the location, and On hand (not
// Available) is the quantity it sets. Before, the repeated SKU was refused
// and On hand was taken as available.
func TestInventoryCSVIsReadPerLocation(t *testing.T) {
	cat, err := readString(inventoryExport, Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	if cat.Dialect != catalog.DialectShopifyInventory || cat.QuantityName != catalog.QuantityOnHand {
		t.Fatalf("dialect %q, quantity %q", cat.Dialect, cat.QuantityName)
	}
	if len(cat.Products) != 2 || len(cat.Products[0].Variants) != 2 {
		t.Fatalf("products %+v", cat.Products)
	}
	tee := cat.Products[0]
	s, m := tee.Variants[0], tee.Variants[1]
	if qtyAt(s.Quantities, "Main warehouse") != 10 || qtyAt(s.Quantities, "Shop floor") != 3 || len(s.Quantities) != 2 {
		t.Errorf("TEE-S %v", s.Quantities)
	}
	if qtyAt(m.Quantities, "Main warehouse") != 4 || len(m.Quantities) != 1 {
		t.Errorf("TEE-M %v (Not stocked must leave Shop floor alone)", m.Quantities)
	}
	if c := s.QuantityCell("Shop floor"); c != (catalog.Cell{Row: 3, Column: "On hand"}) {
		t.Errorf("Shop floor cell %v", c)
	}
	// Titles are not synced from an inventory file: it never creates products.
	if tee.Fields.Has(catalog.FieldTitle) {
		t.Error("title read from the inventory file")
	}
	if r := unsyncedReasonOf(cat, "Title"); !strings.Contains(r, "stock only") {
		t.Errorf("Title: %q", r)
	}
	for _, col := range []string{"Available", "Committed", "Unavailable", "Incoming"} {
		if !strings.Contains(unsyncedReasonOf(cat, col), "On hand") {
			t.Errorf("%s: %q", col, unsyncedReasonOf(cat, col))
		}
	}
}

// The "Only Available quantities" export sets available; a location twice
// for one variant, or a row without a location, is an error at its cell.
func TestInventoryCSVAvailableOnlyAndErrors(t *testing.T) {
	in := "Handle,Title,Option1 Name,Option1 Value,SKU,Location,Available\n" +
		"tee,Tee,Size,S,TEE-S,Main warehouse,7\n" +
		"tee,Tee,Size,S,TEE-S,Main warehouse,8\n" +
		"tee,Tee,Size,S,TEE-S,,9\n"
	cat, err := readString(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cat.QuantityName != catalog.QuantityAvailable || qtyAt(cat.Products[0].Variants[0].Quantities, "Main warehouse") != 7 {
		t.Fatalf("%q %+v", cat.QuantityName, cat.Products[0].Variants)
	}
	if len(cat.Errors) != 2 || cat.Errors[0].Row != 3 || !strings.Contains(cat.Errors[0].Message, "already on row 2") ||
		cat.Errors[1].Row != 4 || cat.Errors[1].Column != "Location" {
		t.Errorf("errors %v", cat.Errors)
	}
}

// A plain sheet says which quantity it sets by its header: On hand sets on
// hand, Stock or Available sets available.
func TestQuantityNameFromHeader(t *testing.T) {
	for header, want := range map[string]string{
		"SKU,On hand":                         catalog.QuantityOnHand,
		"SKU,Stock":                           catalog.QuantityAvailable,
		"SKU,Available":                       catalog.QuantityAvailable,
		"SKU,On hand - Main warehouse":        catalog.QuantityOnHand,
		"SKU,Available,On hand":               catalog.QuantityOnHand,
		"SKU,On hand (current),On hand (new)": catalog.QuantityOnHand,
	} {
		cat, err := readString(header+"\nA-1,5"+strings.Repeat(",5", strings.Count(header, ",")-1)+"\n", Options{})
		if err != nil {
			t.Fatal(header, err)
		}
		if cat.QuantityName != want {
			t.Errorf("%s: %q, want %q", header, cat.QuantityName, want)
		}
		if keys := quantityKeysOf(cat); len(keys) != 1 || keys[0] != catalog.DefaultLocation && !strings.HasPrefix(header, "SKU,On hand -") {
			t.Errorf("%s: locations %q", header, keys)
		}
	}
}

func quantityKeysOf(cat *catalog.Catalog) []string {
	var keys []string
	for _, v := range cat.Variants {
		for _, q := range v.Quantities {
			keys = append(keys, q.Location)
		}
	}
	return keys
}
