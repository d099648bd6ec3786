package source

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"golang.org/x/text/encoding/charmap"
)

func TestDetect(t *testing.T) {
	legacy := Detect(strings.Split("Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Image Position,Image Alt Text,Variant Image,Status,Price / International", ","))
	want := Mapping{Dialect: catalog.DialectShopifyLegacy, Handle: "Handle", Title: "Title", Description: "Body (HTML)", Vendor: "Vendor",
		ProductType: "Type", Tags: "Tags", Status: "Status", Published: "Published",
		Options: []OptionColumns{{NameColumn: "Option1 Name", ValueColumn: "Option1 Value"}, {NameColumn: "Option2 Name", ValueColumn: "Option2 Value"}},
		SKU:     "Variant SKU", Barcode: "Variant Barcode", Price: "Variant Price", CompareAtPrice: "Variant Compare At Price",
		InventoryPolicy: "Variant Inventory Policy", Quantity: map[string]string{"": "Variant Inventory Qty"},
		ImageSrc: "Image Src", ImagePosition: "Image Position", ImageAlt: "Image Alt Text", VariantImage: "Variant Image",
		MarketPrices: []MarketPriceColumn{{Column: "Price / International", Market: "International"}}}
	if !reflect.DeepEqual(legacy, want) {
		t.Errorf("legacy:\n got %+v\nwant %+v", legacy, want)
	}
	current := Detect(strings.Split("Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option1 Linked To,Price,Compare-at price,Inventory quantity,Continue selling when out of stock,Product image URL,Variant image URL", ","))
	if current.Dialect != catalog.DialectShopifyCurrent || current.Handle != "URL handle" || current.SKU != "SKU" ||
		current.InventoryPolicy != "Continue selling when out of stock" || current.Quantity[""] != "Inventory quantity" ||
		current.ImageSrc != "Product image URL" || len(current.Options) != 1 || current.BlankClears || current.Published != "Published on online store" {
		t.Errorf("current: %+v", current)
	}
	supplier := Detect([]string{" Artikelnummer ", "EAN", "Brand", "Preis", "Bestand", "Stock - Berlin", "Qty (Main warehouse)", "Stock at Paris", "Colour"})
	if supplier.Dialect != catalog.DialectMapped || supplier.SKU != "Artikelnummer" || supplier.Barcode != "EAN" || supplier.Vendor != "" ||
		supplier.Price != "Preis" || supplier.BlankClears || supplier.Handle != "" {
		t.Errorf("supplier: %+v", supplier)
	}
	wantQty := map[string]string{"": "Bestand", "Berlin": "Stock - Berlin", "Main warehouse": "Qty (Main warehouse)", "Paris": "Stock at Paris"}
	if !reflect.DeepEqual(supplier.Quantity, wantQty) {
		t.Errorf("supplier quantities = %v", supplier.Quantity)
	}
	if m := Detect([]string{"sku", "QTY"}); m.SKU != "sku" || m.Quantity[""] != "QTY" {
		t.Errorf("case-insensitive: %+v", m)
	}
	// A supplier's product names don't become handles: rows are matched by SKU,
	// and the product columns are listed as ignored.
	cat, err := readString("Name,SKU,Brand,Qty\nBlue Shirt,B-1,Acme,4\n", Options{})
	if err != nil || len(cat.Products) != 0 || len(cat.Variants) != 1 || !reflect.DeepEqual(cat.Ignored, []string{"Name", "Brand"}) {
		t.Errorf("supplier names: %v %+v", err, cat)
	}
	// Unless the mapping asks for it.
	cat, _ = readString("Name,SKU,Brand,Qty\nBlue Shirt,B-1,Acme,4\n", Options{Mapping: &Mapping{Title: "Name", SKU: "SKU", Vendor: "Brand"}})
	if len(cat.Products) != 1 || cat.Products[0].Handle != "blue-shirt" || cat.Products[0].Vendor != "Acme" || !containsStr(cat.Ignored, "Qty") {
		t.Errorf("explicit title: %+v", cat)
	}
}

func TestMappingJSON(t *testing.T) {
	m := Detect([]string{"Handle", "Title", "Option1 Name", "Option1 Value", "Variant SKU", "Stock - Berlin"})
	m.Decimal = ","
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Mapping
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, m) {
		t.Errorf("JSON round trip: %s → %+v (%v)", data, back, err)
	}
	if !strings.Contains(string(data), `"sku":"Variant SKU"`) {
		t.Errorf("JSON = %s", data)
	}
}

func TestPartialSheets(t *testing.T) {
	// SKU + quantity only: loose variants carrying just those fields.
	cat, err := readString("SKU,Qty,Stock - Berlin\nA,5,\nB,,2\nC,,\n", Options{})
	if err != nil || len(cat.Errors) > 0 || len(cat.Variants) != 3 {
		t.Fatalf("%v %v", err, cat)
	}
	a, b, c := cat.Variants[0], cat.Variants[1], cat.Variants[2]
	if a.Fields != catalog.NewFieldSet(catalog.FieldSKU, catalog.FieldQuantity) || !reflect.DeepEqual(a.Quantities, catalog.Quantities{{Location: "", Quantity: 5}}) {
		t.Errorf("A = %+v", a)
	}
	if !reflect.DeepEqual(b.Quantities, catalog.Quantities{{Location: "Berlin", Quantity: 2}}) || b.QuantityCell("Berlin").String() != `row 3, column "Stock - Berlin"` {
		t.Errorf("B = %+v", b)
	}
	if c.Fields != catalog.NewFieldSet(catalog.FieldSKU) {
		t.Errorf("C = %+v", c)
	}
	// Handle + vendor only: a product-level update, empty cells absent.
	cat, err = readString("Handle,Vendor,Tags\nshirt,Acme,\nmug,,\n", Options{Mapping: &Mapping{Handle: "Handle", Vendor: "Vendor", Tags: "Tags"}})
	if err != nil || len(cat.Products) != 2 {
		t.Fatalf("%v %v", err, cat)
	}
	if cat.Products[0].Fields != catalog.NewFieldSet(catalog.FieldVendor) || !cat.Products[1].Fields.Empty() || len(cat.Products[0].Variants) != 0 {
		t.Errorf("products = %+v", cat.Products)
	}
	// The same sheet read as Shopify does: empty cells clear.
	cat, _ = readString("Handle,Vendor,Tags\nshirt,Acme,\n", Options{Mapping: &Mapping{Handle: "Handle", Vendor: "Vendor", Tags: "Tags", BlankClears: true}})
	if !cat.Products[0].Fields.Has(catalog.FieldTags) || cat.Products[0].Tags != nil {
		t.Errorf("BlankClears: %+v", cat.Products[0])
	}
	// Title only: a new product, handle derived.
	cat, _ = readString("Title,URL handle,Price\nOcean Blue Shirt!,,5\n", Options{})
	if p := cat.Products[0]; p.Handle != "ocean-blue-shirt" || !p.HandleDerived || p.Variants[0].Price != 500 {
		t.Errorf("derived: %+v", p)
	}
	// A mapping with a fixed option name over a supplier's Size column.
	m := &Mapping{Handle: "Model", SKU: "SKU", Options: []OptionColumns{{Name: "Size", ValueColumn: "Size"}}}
	cat, _ = readString("Model,Size,SKU\ntee,S,T-S\ntee,M,T-M\n", Options{Mapping: m})
	if p := cat.Products[0]; len(cat.Errors) > 0 || !reflect.DeepEqual(p.Options, []string{"Size"}) || len(p.Variants) != 2 || p.Variants[1].OptionValues[0] != "M" {
		t.Errorf("fixed option: %+v %v", cat.Products, cat.Errors)
	}
}

func TestEncodingsAndDelimiters(t *testing.T) {
	const body = "Handle;Title;Variant Price;Variant Compare At Price;Variant Inventory Qty\r\nbrot;\"Brötchen \"\"Spezial\"\"\";1,5;1.234,50;3\r\nkaese;\"Käse;\r\nalt\";2.25;;4\r\n"
	check := func(name string, data []byte, note string) {
		t.Helper()
		cat, err := ReadCSV(strings.NewReader(string(data)), Options{})
		if err != nil || len(cat.Errors) > 0 || len(cat.Products) != 2 {
			t.Fatalf("%s: %v %v", name, err, cat)
		}
		p, q := cat.Products[0], cat.Products[1]
		if p.Title != `Brötchen "Spezial"` || p.Variants[0].Price != 150 || p.Variants[0].CompareAtPrice != 123450 || q.Title != "Käse;\nalt" || q.Variants[0].Price != 225 {
			t.Errorf("%s: %+v / %+v", name, p, q)
		}
		if note != "" && (len(cat.Notes) == 0 || !strings.Contains(cat.Notes[0], note)) {
			t.Errorf("%s: notes %q", name, cat.Notes)
		}
	}
	check("utf-8", []byte(body), "")
	check("utf-8 BOM", append([]byte("\ufeff"), body...), "")
	w1252, err := charmap.Windows1252.NewEncoder().String(body)
	if err != nil {
		t.Fatal(err)
	}
	check("windows-1252", []byte(w1252), "Windows-1252")
	u16 := []byte{0xFF, 0xFE}
	for _, r := range body {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	check("utf-16", u16, "UTF-16")
	// Excel's "sep=" line names the delimiter and is not a row.
	cat, err := readString("sep=;\r\nSKU;Price;Qty\r\nA;1,5;x\r\n", Options{})
	if err != nil || !findError(cat, nil, catalog.Cell{Row: 2, Column: "Qty"}, "whole number") {
		t.Errorf("sep line: %v %+v", err, cat)
	}
	// Handles are case-insensitive, as in Shopify.
	cat, _ = readString("Handle,Title,Option1 Name,Option1 Value\nTee,Tee,Size,S\ntee,,,M\n", Options{})
	if len(cat.Products) != 1 || cat.Products[0].Handle != "tee" || len(cat.Products[0].Variants) != 2 {
		t.Errorf("handle case: %+v %v", cat.Products, cat.Errors)
	}
	// Tab-delimited with a decimal point.
	cat, err = readString("SKU\tPrice\nA\t1,234.5\n", Options{})
	if err != nil || cat.Variants[0].Price != 123450 {
		t.Errorf("tabs: %v %+v", err, cat)
	}
	// An explicit decimal separator overrides the guess.
	cat, _ = readString("SKU,Price\nA,\"1,234\"\n", Options{Mapping: &Mapping{SKU: "SKU", Price: "Price", Decimal: ","}})
	if len(cat.Errors) == 0 {
		t.Errorf("decimal comma with 3 decimals accepted: %+v", cat.Variants)
	}
}

func TestCurrentDialectValues(t *testing.T) {
	in := "Title,URL handle,Option1 name,Option1 value,SKU,Price,Continue selling when out of stock,Status,Product image URL,Published on online store\n" +
		"Tee,tee,Size,S,T-S,10,TRUE,Draft,https://x/1.png,TRUE\n" +
		",tee,,M,T-M,10,false,,https://x/2.png,\n" +
		",tee,,,,,,,https://x/3.png,\n"
	cat, err := readString(in, Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	p := cat.Products[0]
	if p.Status != catalog.StatusDraft || len(p.Images) != 3 || len(p.Variants) != 2 ||
		p.Variants[0].InventoryPolicy != catalog.PolicyContinue || p.Variants[1].InventoryPolicy != catalog.PolicyDeny {
		t.Errorf("%+v", p)
	}
	if p.Images[2].Cell != (catalog.Cell{Row: 4, Column: "Product image URL"}) {
		t.Errorf("image cell %v", p.Images[2].Cell)
	}
	if unsyncedReasonOf(cat, "Published on online store") == "" || p.Published == nil || !*p.Published {
		t.Errorf("published %v, unsynced %q", p.Published, cat.Unsynced)
	}
}

func TestMappingCheck(t *testing.T) {
	m := Mapping{SKU: "Article", Quantity: map[string]string{"Berlin": "Stock Berlin"}}
	if err := m.Check([]string{"article", " Stock  Berlin "}); err != nil {
		t.Errorf("fitting mapping: %v", err)
	}
	err := m.Check([]string{"SKU", "Stock Berlin"})
	if !findError(nil, err, catalog.Cell{Row: 1, Column: "Article"}, "doesn't have") {
		t.Errorf("missing column: %v", err)
	}
	if err := (Mapping{Vendor: "Brand"}).Check([]string{"Brand"}); err == nil {
		t.Error("a mapping that identifies nothing passed")
	}
}
