package sync

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// fullReader hides a store's FieldsReader: it reads every field.
type fullReader struct{ Store }

// countingReader records the fields each trimmed read asked for.
type countingReader struct {
	*shopStore
	asked []catalog.FieldSet
}

func (c *countingReader) AllProductsFor(ctx context.Context, fs catalog.FieldSet) ([]SnapProduct, error) {
	c.asked = append(c.asked, fs)
	return c.shopStore.AllProductsFor(ctx, fs)
}

// TestTrimmedReadPlansAsAFullRead: a whole-store read trimmed to the
// sheet's columns plans exactly what a full read plans, for sheets of a
// few columns (nothing else may look blank and be cleared), of every
// column, with blank cells that clear, and of loose SKU rows.
func TestTrimmedReadPlansAsAFullRead(t *testing.T) {
	h := newHarness(t, fakeshop.PlanBasic, 1)
	loc := h.locs[0].ID
	yes := true
	h.sh.Seed([]fakeshop.Product{{Handle: "mug", Title: "Mug", DescriptionHTML: "<p>Big mug</p>", Vendor: "Acme", ProductType: "Kitchen",
		Tags: []string{"a"}, SEOTitle: "Mug!", Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "L"}}},
		Variants: []fakeshop.Variant{
			{SKU: "MUG-S", Barcode: "111", Price: "5.00", CompareAtPrice: "6.00", InventoryPolicy: "DENY", Taxable: &yes, Weight: &fakeshop.Weight{Value: 300, Unit: "GRAMS"},
				Cost: "2.00", HSCode: "6912", CountryOfOrigin: "PT", ShowUnitPrice: true,
				UnitPrice: &fakeshop.UnitPrice{QuantityValue: 350, QuantityUnit: "ML", ReferenceValue: 100, ReferenceUnit: "ML"}, SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}},
				Levels: []fakeshop.InventoryLevel{{LocationID: loc, Available: 4}}},
			{SKU: "MUG-L", Price: "7.00", InventoryPolicy: "DENY", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "L"}},
				Levels: []fakeshop.InventoryLevel{{LocationID: loc, Available: 9}}},
		}}, {Handle: "plate", Title: "Plate", Vendor: "Acme", DescriptionHTML: "<p>Plate</p>",
		Variants: []fakeshop.Variant{{SKU: "PLATE", Price: "3.00", Levels: []fakeshop.InventoryLevel{{LocationID: loc, Available: 1}}}}}})
	sheets := map[string]string{
		"price only":          "Handle,Option1 Name,Option1 Value,Variant SKU,Variant Price\nmug,Size,S,MUG-S,5.50\nmug,,L,MUG-L,7.00\nplate,,,PLATE,3.00\n",
		"stock of loose SKUs": "Variant SKU,Variant Inventory Qty\nMUG-S,8\nMUG-L,9\n",
		"every column": "Handle,Title,Body (HTML),Vendor,Type,Tags,SEO Title,Option1 Name,Option1 Value,Variant SKU,Variant Barcode,Variant Price,Variant Compare At Price," +
			"Variant Inventory Policy,Variant Grams,Cost per item,Variant Taxable,Variant HS Code,Variant Inventory Qty," +
			"Unit Price Total Measure,Unit Price Total Measure Unit,Unit Price Base Measure,Unit Price Base Measure Unit\n" +
			"mug,Mug,<p>Bigger mug</p>,Acme Co,Kitchen,\"a, b\",Mug!,Size,S,MUG-S,111,5.00,6.50,continue,350,2.50,false,6912,4,400,ml,100,ml\n" +
			"mug,,,,,,,,L,MUG-L,,7.00,,deny,,,,,10,0.3,l,1,l\n" +
			"plate,Plate,<p>Plate</p>,Acme,,,,,,PLATE,,3.00,,deny,,,,,1,,,,\n",
		"vendor blank clears": "Handle,Vendor,Body (HTML)\nmug,,\nplate,Acme,\n",
	}
	for name, csv := range sheets {
		cat := readCSV(t, csv)
		if name == "vendor blank clears" {
			var err error
			if cat, err = source.ReadCSV(strings.NewReader(csv), source.Options{BlankClears: true}); err != nil {
				t.Fatal(err)
			}
		}
		o := h.opts()
		o.BulkThreshold = 1 // one product is a large catalog: the whole-store read
		trimmed := &countingReader{shopStore: h.st.(*shopStore)}
		pt, err := h.eng.Plan(context.Background(), trimmed, cat, o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pf, err := h.eng.Plan(context.Background(), fullReader{h.st}, cat, o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(trimmed.asked) != 1 || trimmed.asked[0] == allFields {
			t.Fatalf("%s: trimmed reads asked for %v", name, trimmed.asked)
		}
		if trimmed.asked[0].Has(catalog.FieldUnitPrice) != (name == "every column") {
			t.Errorf("%s: the read asks for unit prices: %v", name, trimmed.asked[0].Has(catalog.FieldUnitPrice))
		}
		gt, _ := json.Marshal([]any{pt.Products, pt.Loose, pt.Counts})
		gf, _ := json.Marshal([]any{pf.Products, pf.Loose, pf.Counts})
		if string(gt) != string(gf) {
			t.Errorf("%s (read %v): trimmed read plans\n%s\nfull read plans\n%s", name, trimmed.asked[0], gt, gf)
		}
	}
}

// TestEveryFieldIsRead: each field a sheet can carry makes the read carry
// something (or is one of those always read), and the read of every field
// is Shopify's full read.
func TestEveryFieldIsRead(t *testing.T) {
	always := catalog.NewFieldSet(catalog.FieldTitle, catalog.FieldStatus, catalog.FieldOptions, catalog.FieldSKU, catalog.FieldBarcode, catalog.FieldImages)
	for _, f := range catalog.AllFields() {
		if r := readSetOf(catalog.NewFieldSet(f)); r == 0 && !always.Has(f) {
			t.Errorf("%s reads nothing of the store", f)
		}
	}
	if r := readSetOf(allFields); r|shopify.ReadPublished != shopify.ReadAll {
		t.Errorf("every field reads %b, want %b", r, shopify.ReadAll)
	}
}
