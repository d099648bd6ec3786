package source

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// exported builds products as a store export would: every field present.
func exported() []catalog.Product {
	full := func(p catalog.Product) catalog.Product {
		p.Fields = catalog.NewFieldSet(catalog.FieldTitle, catalog.FieldDescriptionHTML, catalog.FieldVendor,
			catalog.FieldProductType, catalog.FieldTags, catalog.FieldStatus, catalog.FieldOptions)
		if len(p.Images) > 0 {
			p.Fields.Add(catalog.FieldImages)
		}
		for i := range p.Variants {
			v := &p.Variants[i]
			v.Fields = catalog.NewFieldSet(catalog.FieldOptions, catalog.FieldBarcode, catalog.FieldPrice,
				catalog.FieldCompareAtPrice, catalog.FieldInventoryPolicy, catalog.FieldUnitPrice) // a blank unit price clears
			if v.SKU != "" {
				v.Fields.Add(catalog.FieldSKU)
			}
			if len(v.Quantities) > 0 {
				v.Fields.Add(catalog.FieldQuantity)
			}
		}
		return p
	}
	return []catalog.Product{
		full(catalog.Product{
			Handle: "shirt", Title: `Shirt, "Best"`, DescriptionHTML: "<p>Soft,\n\"cotton\"</p>\n<ul><li>é ü 😀</li></ul> ",
			Vendor: "Acme; Ltd", ProductType: "Shirts", Tags: []string{"summer", "sale 50%"}, Status: catalog.StatusActive,
			Options: []string{"Size", "Color"},
			Variants: []catalog.Variant{
				{SKU: "SH-S-R", Barcode: "0400638133393", OptionValues: []string{"S", "Red"}, Price: 1990, CompareAtPrice: 2500,
					UnitPrice:       &catalog.UnitPrice{QuantityValue: 0.75, QuantityUnit: catalog.ParseMeasureUnit("l"), ReferenceValue: 100, ReferenceUnit: catalog.ParseMeasureUnit("ml")},
					InventoryPolicy: catalog.PolicyDeny, Quantities: catalog.Quantities{{Location: "", Quantity: 5}, {Location: "Berlin", Quantity: 2}, {Location: "Lager (Nord)", Quantity: 0}}, ImageSrc: "https://cdn.example/r.png"},
				{SKU: "SH-M-R", OptionValues: []string{"M", "Red"}, Price: 1990, InventoryPolicy: catalog.PolicyContinue,
					Quantities: catalog.Quantities{{Location: "Berlin", Quantity: 7}}},
				{SKU: "SH-M-B", OptionValues: []string{"M", "Blue, dark"}, Price: 100000000, InventoryPolicy: catalog.PolicyDeny},
			},
			Images: []catalog.Image{{Src: "https://cdn.example/1.png", Alt: "front", Position: 1}, {Src: "https://cdn.example/2.png", Position: 2},
				{Src: "https://cdn.example/3.png", Alt: "back"}, {Src: "https://cdn.example/4.png"}},
		}),
		full(catalog.Product{
			Handle: "mug", Title: "Mug", Status: catalog.StatusDraft,
			Variants: []catalog.Variant{{Price: 0, InventoryPolicy: catalog.PolicyDeny, Quantities: catalog.Quantities{{Location: "", Quantity: 0}}}},
		}),
		full(catalog.Product{Handle: "bare", Title: "Bare product", Status: catalog.StatusArchived, Tags: []string{"x"}}),
	}
}

func TestWriteShopifyCSVRoundTrip(t *testing.T) {
	in := exported()
	var buf bytes.Buffer
	if err := WriteShopifyCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	// Blank cells clear here, so every written field reads back present.
	cat, err := ReadCSV(bytes.NewReader(buf.Bytes()), Options{BlankClears: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) > 0 || cat.Dialect != catalog.DialectShopifyCurrent {
		t.Fatalf("errors %v, dialect %q\n%s", cat.Errors, cat.Dialect, buf.String())
	}
	if len(cat.Ignored) != 0 {
		t.Errorf("written columns not read back: %q", cat.Ignored)
	}
	got := normalise(cat.Products)
	want := normalise(in)
	if !reflect.DeepEqual(got, want) {
		for i := range want {
			if i < len(got) && !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("product %d:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
		t.Fatalf("round trip differs (%d vs %d products)\n%s", len(got), len(want), buf.String())
	}
	// And once more: writing what was read gives the same bytes.
	var again bytes.Buffer
	if err := WriteShopifyCSV(&again, cat.Products); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Errorf("second write differs:\n%s\n---\n%s", buf.String(), again.String())
	}
}

// normalise drops what depends on the source layout (rows, columns).
func normalise(ps []catalog.Product) []catalog.Product {
	out := make([]catalog.Product, len(ps))
	for i, p := range ps {
		p.Row, p.Cols, p.HandleDerived = 0, nil, false
		if len(p.Tags) == 0 {
			p.Tags = nil
		}
		p.Images = append([]catalog.Image(nil), p.Images...)
		for j := range p.Images {
			p.Images[j].Cell = catalog.Cell{}
		}
		p.Variants = append([]catalog.Variant(nil), p.Variants...)
		for j := range p.Variants {
			v := &p.Variants[j]
			v.Row, v.Cols = 0, nil
			if len(v.OptionValues) == 0 {
				v.OptionValues = nil
			}
		}
		out[i] = p
	}
	return out
}
