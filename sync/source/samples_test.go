package source

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// samplesDir finds shared/samples/shopify-product-csvs, a sibling of the
// repository root, by walking up from the package directory.
func samplesDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skip("no working directory")
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "samples", "shopify-product-csvs")
			if _, err := os.Stat(p); err == nil {
				return p
			}
			t.Skip("shared/samples not found next to the repository")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
}

func TestSampleFiles(t *testing.T) {
	dir := samplesDir(t)
	cases := []struct {
		file               string
		products, variants int
		images             int
		dialect            string
	}{
		{"apparel.csv", 20, 22, 20, catalog.DialectShopifyLegacy},
		{"home-and-garden.csv", 20, 21, 21, catalog.DialectShopifyLegacy},
		{"jewelery.csv", 20, 23, 41, catalog.DialectShopifyLegacy},
		{"product_template_legacy_with_markets.csv", 3, 16, 11, catalog.DialectShopifyLegacy},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			cat, err := ReadFile(filepath.Join(dir, c.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			imgs := 0
			for _, p := range cat.Products {
				imgs += len(p.Images)
			}
			t.Logf("%s: %d products, %d variants, %d images, errors %v, ignored %d, notes %q", c.file, len(cat.Products), cat.VariantCount(), imgs, cat.Errors, len(cat.Ignored), cat.Notes)
			if len(cat.Errors) > 0 {
				t.Errorf("errors: %v", cat.Errors)
			}
			if cat.Dialect != c.dialect {
				t.Errorf("dialect %q", cat.Dialect)
			}
			if len(cat.Products) != c.products || cat.VariantCount() != c.variants || imgs != c.images {
				t.Errorf("got %d products, %d variants, %d images; want %d, %d, %d", len(cat.Products), cat.VariantCount(), imgs, c.products, c.variants, c.images)
			}
		})
	}
}

// The counts above were checked against Python's csv module; these check
// what the rows mean.
func TestSampleContents(t *testing.T) {
	dir := samplesDir(t)
	cat, err := ReadFile(filepath.Join(dir, "home-and-garden.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pot := findProduct(t, cat, "clay-plant-pot")
	if pot.Title != "Clay Plant Pot" || pot.Vendor != "Company 123" || len(pot.Options) != 1 || pot.Options[0] != "Size" {
		t.Errorf("clay-plant-pot = %+v", pot)
	}
	if len(pot.Variants) != 2 || pot.Variants[1].OptionValues[0] != "Large" || pot.Variants[1].Price != 1599 ||
		qtyAt(pot.Variants[1].Quantities, catalog.DefaultLocation) != 3 || pot.Variants[1].InventoryPolicy != catalog.PolicyDeny {
		t.Errorf("clay-plant-pot variants = %+v", pot.Variants)
	}
	if got := pot.Variants[1].Cell(catalog.FieldPrice).String(); got != `row 3, column "Variant Price"` {
		t.Errorf("price cell = %s", got)
	}
	if len(pot.Tags) != 2 || pot.Tags[1] != "Plants" {
		t.Errorf("tags = %q", pot.Tags)
	}
	light := findProduct(t, cat, "copper-light")
	if len(light.Options) != 0 || len(light.Variants) != 1 || light.Variants[0].CompareAtPrice != 7500 {
		t.Errorf("Default Title product = %+v", light)
	}
	if light.Variants[0].Fields.Has(catalog.FieldSKU) || light.Variants[0].Fields.Has(catalog.FieldBarcode) {
		t.Errorf("empty SKU and barcode must be absent (blank never clears by default): %v", light.Variants[0].Fields)
	}

	mk, err := ReadFile(filepath.Join(dir, "product_template_legacy_with_markets.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	shirt := findProduct(t, mk, "example-shirt")
	if shirt.Status != catalog.StatusActive || len(shirt.Options) != 2 || shirt.Variants[0].SKU != "SRT_COT_111" {
		t.Errorf("example-shirt = %+v", shirt)
	}
	if !containsStr(mk.Ignored, "Included / International") || containsStr(mk.Ignored, "Price / International") {
		t.Errorf("Included / is listed as ignored, Price / is read: %q", mk.Ignored)
	}
}

func findProduct(t *testing.T, cat *catalog.Catalog, handle string) *catalog.Product {
	t.Helper()
	for i := range cat.Products {
		if cat.Products[i].Handle == handle {
			return &cat.Products[i]
		}
	}
	t.Fatalf("product %q not found", handle)
	return nil
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Every sample survives a write in the current dialect and a read back.
func TestSampleRoundTrip(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no sample files")
	}
	for _, f := range files {
		cat, err := ReadFile(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteShopifyCSV(&buf, cat.Products); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&buf, Options{})
		if err != nil || len(back.Errors) > 0 {
			t.Fatalf("%s: %v %v", filepath.Base(f), err, back.Errors)
		}
		if got, want := normalise(back.Products), normalise(cat.Products); !reflect.DeepEqual(got, want) {
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s: product %d differs:\n got %+v\nwant %+v", filepath.Base(f), i, got[i], want[i])
				}
			}
		}
	}
}
