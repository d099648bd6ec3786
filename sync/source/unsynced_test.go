package source

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// currentHeader is every column of Shopify's current product CSV template
// (FACTS §10, https://help.shopify.com/en/manual/products/import-export/using-csv),
// with a metafield column and two markets, as a real export has them.
var currentHeader = []string{
	"Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags", "Published on online store", "Status",
	"SKU", "Barcode", "Option1 name", "Option1 value", "Option1 Linked To", "Option2 name", "Option2 value", "Option2 Linked To",
	"Option3 name", "Option3 value", "Option3 Linked To", "Price", "Compare-at price", "Cost per item", "Charge tax", "Tax code",
	"Unit price total measure", "Unit price total measure unit", "Unit price base measure", "Unit price base measure unit",
	"Inventory tracker", "Inventory quantity", "Continue selling when out of stock", "Weight value (grams)", "Weight unit for display",
	"Requires shipping", "Fulfillment service", "Product image URL", "Image position", "Image alt text", "Variant image URL", "Gift card",
	"SEO title", "SEO description", "Color (product.metafields.shopify.color-pattern)", "Fabric (variant.metafields.custom.fabric)",
	"Google Shopping / Google product category", "Google Shopping / Gender", "Google Shopping / MPN", "Google Shopping / Custom label 0",
	"Included / United States", "Price / International", "Compare-at price / International", "Included / International",
}

func unsyncedReasonOf(cat *catalog.Catalog, col string) string {
	for _, u := range cat.Unsynced {
		if u.Column == col {
			return u.Reason
		}
	}
	return ""
}

// Every column of a sheet is either used by a field or listed as not
// synced with a reason: nothing is dropped silently.
func TestUnsyncedColumnsAreListedWithReasons(t *testing.T) {
	header := append(append([]string(nil), currentHeader...), "Mystery notes")
	row := make([]string, len(header))
	row[0], row[1], row[9], row[20] = "Tee", "tee", "T-1", "10.00"
	in := strings.Join(header, ",") + "\n" + strings.Join(row, ",") + "\n"
	cat, err := readString(in, Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	for _, h := range header {
		r, used := unsyncedReasonOf(cat, h), !containsStr(cat.Ignored, h)
		if r == "" && !used {
			t.Errorf("column %q is neither synced nor listed as not synced", h)
		}
		if r != "" && used && !strings.Contains(r, "images") && !strings.Contains(r, "new products") && !strings.Contains(r, "new variants") {
			t.Errorf("column %q is synced and also listed as not synced (%s)", h, r)
		}
	}
	for col, want := range map[string]string{
		"Mystery notes":             "column mapping",
		"Published on online store": "existing product's sales channels",
		"Tax code":                  "deprecates",
		"Included / United States":  "catalogs",
		"Google Shopping / Gender":  "metafield",
		"Fulfillment service":       "fulfillment",
		"Inventory tracker":         "tracking",
	} {
		if r := unsyncedReasonOf(cat, col); !strings.Contains(r, want) {
			t.Errorf("%s: reason %q, want one about %q", col, r, want)
		}
	}
	// Metafield, market price and Linked To columns are read; the plan lists those without
	// a definition or a market price list.
	for _, col := range []string{"Product image URL", "Image position", "Image alt text", "Variant image URL",
		"Fabric (variant.metafields.custom.fabric)", "Color (product.metafields.shopify.color-pattern)",
		"Price / International", "Compare-at price / International", "Option1 Linked To", "Option3 Linked To",
		"Unit price total measure", "Unit price total measure unit", "Unit price base measure", "Unit price base measure unit"} {
		if r := unsyncedReasonOf(cat, col); r != "" {
			t.Errorf("%s listed as not synced: %s", col, r)
		}
	}
}

// TestCurrentTemplateStillNotSynced lists which columns of Shopify's
// current template are still not synced, and why (issue 14): a column that
// becomes synced, or stops being, must change this list.
func TestCurrentTemplateStillNotSynced(t *testing.T) {
	row := make([]string, len(currentHeader))
	row[0], row[1], row[9], row[20] = "Tee", "tee", "T-1", "10.00"
	cat, err := readString(strings.Join(currentHeader, ",")+"\n"+strings.Join(row, ",")+"\n", Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	want := map[string]string{
		"Published on online store":                 "new products",
		"Tax code":                                  "deprecates",
		"Inventory tracker":                         "new variants",
		"Fulfillment service":                       "fulfillment services",
		"Google Shopping / Google product category": "Google Shopping",
		"Google Shopping / Gender":                  "Google Shopping",
		"Google Shopping / MPN":                     "Google Shopping",
		"Google Shopping / Custom label 0":          "Google Shopping",
		"Included / United States":                  "catalogs",
		"Included / International":                  "catalogs",
	}
	got := map[string]string{}
	for _, u := range cat.Unsynced {
		got[u.Column] = u.Reason
	}
	for col, r := range got {
		if w, ok := want[col]; !ok || !strings.Contains(r, w) {
			t.Errorf("%s: not synced because %q; want it synced, or listed here with a reason about %q", col, r, w)
		}
	}
	for col := range want {
		if _, ok := got[col]; !ok {
			t.Errorf("%s is no longer listed as not synced: update this list", col)
		}
	}
}

// The legacy sample with market columns lists them (skipped when the shared
// samples are not beside the repository).
func TestUnsyncedLegacySample(t *testing.T) {
	mk, err := ReadFile(filepath.Join(samplesDir(t), "product_template_legacy_with_markets.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"Published", "Variant Inventory Tracker", "Variant Fulfillment Service", "Variant Tax Code",
		"Google Shopping / MPN", "Included / International"} {
		if unsyncedReasonOf(mk, col) == "" {
			t.Errorf("legacy column %q not listed as not synced: %v", col, mk.Unsynced)
		}
	}
}

// The loose-variant sheet says why its product columns are not synced.
func TestUnsyncedLoose(t *testing.T) {
	cat, err := readString("SKU,Vendor,Qty,Notes,Notes\nA-1,Acme,3,x,y\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := unsyncedReasonOf(cat, "Vendor"); r != looseReason {
		t.Errorf("vendor of a loose sheet: %q", r)
	}
	if len(cat.Unsynced) != 3 || cat.Unsynced[2].Reason != dupReason {
		t.Errorf("unsynced = %v", cat.Unsynced)
	}
}
