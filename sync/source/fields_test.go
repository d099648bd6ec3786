package source

import (
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// The extra fields: legacy and current headers, values, blank cells that
// stay absent even where Shopify's dialect clears other blank fields, and
// cell errors.
func TestExtraFields(t *testing.T) {
	current := "Title,URL handle,Option1 name,Option1 value,SKU,Price,SEO title,SEO description,Gift card,Weight value (grams),Weight unit for display," +
		"Cost per item,Requires shipping,Charge tax\n" +
		"Tee,tee,Size,S,T-1,10,Tee | Shop,Soft,TRUE,\"1200,5\",lb,\"4,20\",yes,0\n" +
		",tee,,M,T-2,10,,,,,,,,\n"
	cat, err := readString(current, Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	p := cat.Products[0]
	if p.SEOTitle != "Tee | Shop" || p.SEODescription != "Soft" || !p.GiftCard || !p.Fields.Has(catalog.FieldGiftCard) {
		t.Errorf("product %+v", p)
	}
	v := p.Variants[0]
	if v.WeightGrams != 1200.5 || v.WeightUnit != "POUNDS" || v.Cost != 420 || !v.RequiresShipping || v.Taxable ||
		!v.Fields.Has(catalog.FieldTaxable) || !v.Fields.Has(catalog.FieldCost) {
		t.Errorf("variant %+v", v)
	}
	blank := p.Variants[1].Fields
	for _, f := range []catalog.Field{catalog.FieldWeight, catalog.FieldCost, catalog.FieldRequiresShipping, catalog.FieldTaxable} {
		if blank.Has(f) {
			t.Errorf("a blank %s cell must leave the store alone (BlankClears %v)", f, cat.Dialect)
		}
	}

	bad := "Handle,Title,Variant SKU,Variant Grams,Variant Weight Unit,Variant Taxable,Country of origin,HS code\n" +
		"a,A,A-1,heavy,,,,\n" +
		"b,B,B-1,10,stone,,,\n" +
		"c,C,C-1,,,maybe,,\n" +
		"d,D,D-1,,,,Germany,\n" +
		"e,E,E-1,-3,,,,\n"
	cat, _ = readString(bad, Options{})
	for _, c := range []struct {
		row       int
		col, want string
	}{{2, "Variant Grams", "not a weight"}, {3, "Variant Weight Unit", "not a weight unit"}, {4, "Variant Taxable", "not TRUE or FALSE"},
		{5, "Country of origin", "two-letter ISO code"}, {6, "Variant Grams", "can't be negative"}} {
		if !findError(cat, nil, catalog.Cell{Row: c.row, Column: c.col}, c.want) {
			t.Errorf("row %d: no %q error in %v", c.row, c.want, cat.Errors)
		}
	}
}

// TestOptionLinkedTo: "OptionN Linked To" on a product's first row names the
// product metafield its option is linked to, as Shopify's export writes it
// (or as namespace.key); blank is not linked; a variant metafield or
// anything else is a cell error that keeps the product from being created.
func TestOptionLinkedTo(t *testing.T) {
	in := "Handle,Title,Option1 Name,Option1 Value,Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,Variant SKU\n" +
		"tee,Tee,Color,Red,product.metafields.shopify.color-pattern,Size,S,,T-1\n" +
		"tee,,,Blue,,,S,,T-2\n" +
		"cap,Cap,Color,Red,custom.fabric,Size,S,,C-1\n" +
		"hat,Hat,Color,Red,variant.metafields.custom.color,Size,S,,H-1\n" +
		"mug,Mug,Color,Red,not a metafield,Size,S,,M-1\n"
	cat, err := readString(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	links := map[string][]string{}
	bad := map[string]bool{}
	for _, p := range cat.Products {
		links[p.Handle] = p.OptionLinks
		bad[p.Handle] = p.Bad.Has(catalog.FieldOptions)
	}
	if got := links["tee"]; len(got) != 2 || got[0] != "shopify.color-pattern" || got[1] != "" || bad["tee"] {
		t.Errorf("tee: %q", got)
	}
	if got := links["cap"]; len(got) != 2 || got[0] != "custom.fabric" {
		t.Errorf("cap: %q", got)
	}
	if !bad["hat"] || !bad["mug"] || len(cat.Errors) != 2 || cat.Errors[0].Column != "Option1 Linked To" ||
		!strings.Contains(cat.Errors[0].Message, "product metafield") || !strings.Contains(cat.Errors[1].Message, "product.metafields.shopify.color-pattern") {
		t.Errorf("errors %v", cat.Errors)
	}
	if c := cat.Products[0].LinkCell(0); c.Row != 2 || c.Column != "Option1 Linked To" {
		t.Errorf("link cell %v", c)
	}
	if c := cat.Products[0].Variants[1].OptionCell(0); c.Row != 3 || c.Column != "Option1 Value" {
		t.Errorf("value cell %v", c)
	}
}

// TestUnitPrice: the four unit price cells are one measurement. Good rows
// read in either dialect and any unit case; all blank is absent (present
// and nil with blank means clear); a partial row, an unknown unit, units
// of two kinds, a non-number or a base measure that is not a whole number
// above 0 is a cell error on that cell, and the rest of the row still syncs.
func TestUnitPrice(t *testing.T) {
	in := "Title,URL handle,Option1 name,Option1 value,SKU,Price,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit\n" +
		"Oil,oil,Size,S,O-1,10,750,ml,1,l\n" + // row 2: good
		",oil,,M,O-2,11,\"0,5\",KG,100,G\n" + // 3: good, decimal comma, upper case
		",oil,,L,O-3,12,,,,\n" + // 4: all blank
		",oil,,XL,O-4,13,250,ml,,l\n" + // 5: partial
		",oil,,XXL,O-5,14,250,litres,1,l\n" + // 6: unknown unit
		",oil,,3XL,O-6,15,250,ml,1,kg\n" + // 7: mixed kinds
		",oil,,4XL,O-7,16,lots,ml,1,l\n" + // 8: not a number
		",oil,,5XL,O-8,17,250,ml,2.5,l\n" + // 9: base not whole
		",oil,,6XL,O-9,18,250,ml,0,l\n" // 10: base not above 0
	cat, err := readString(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	vs := cat.Products[0].Variants
	if len(vs) != 9 {
		t.Fatalf("%d variants, want 9 (a bad unit price cell must not drop the row): %v", len(vs), cat.Errors)
	}
	want := []catalog.UnitPrice{
		{QuantityValue: 750, QuantityUnit: catalog.ParseMeasureUnit("ml"), ReferenceValue: 1, ReferenceUnit: catalog.ParseMeasureUnit("l")},
		{QuantityValue: 0.5, QuantityUnit: catalog.ParseMeasureUnit("kg"), ReferenceValue: 100, ReferenceUnit: catalog.ParseMeasureUnit("g")},
	}
	for i, w := range want {
		if v := vs[i]; v.UnitPrice == nil || *v.UnitPrice != w || !v.Fields.Has(catalog.FieldUnitPrice) {
			t.Errorf("row %d: unit price %+v (fields %s), want %+v", v.Row, v.UnitPrice, v.Fields, w)
		}
	}
	if got := vs[0].UnitPrice.String(); got != "750 ml per 1 l" {
		t.Errorf("short form %q", got)
	}
	if v := vs[2]; v.UnitPrice != nil || v.Fields.Has(catalog.FieldUnitPrice) {
		t.Errorf("blank unit price cells must leave the store alone: %+v %s", v.UnitPrice, v.Fields)
	}
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{5, "Unit price base measure", "blank"},
		{6, "Unit price total measure unit", "not a unit"},
		{7, "Unit price base measure unit", "not the same kind"},
		{8, "Unit price total measure", "not a measure"},
		{9, "Unit price base measure", "whole number"},
		{10, "Unit price base measure", "whole number"},
	} {
		if !findError(cat, nil, catalog.Cell{Row: c.row, Column: c.col}, c.want) {
			t.Errorf("row %d: no %q error on %s in %v", c.row, c.want, c.col, cat.Errors)
		}
		v := vs[c.row-2]
		if v.UnitPrice != nil || v.Fields.Has(catalog.FieldUnitPrice) || !v.Bad.Has(catalog.FieldUnitPrice) || !v.Fields.Has(catalog.FieldPrice) {
			t.Errorf("row %d: a bad unit price must be left out (and marked bad) while the price still syncs: %s / bad %s", c.row, v.Fields, v.Bad)
		}
	}

	// Legacy headers, and blank means clear: four blank cells are a unit price of none.
	legacy := "Handle,Title,Variant SKU,Unit Price Total Measure,Unit Price Total Measure Unit,Unit Price Base Measure,Unit Price Base Measure Unit\n" +
		"a,A,A-1,1,item,1,item\n" +
		"b,B,B-1,,,,\n"
	cat, err = readString(legacy, Options{BlankClears: true})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatal(err, cat.Errors)
	}
	if v := cat.Products[0].Variants[0]; v.UnitPrice == nil || v.UnitPrice.String() != "1 item per 1 item" {
		t.Errorf("legacy: %+v", v.UnitPrice)
	}
	if v := cat.Products[1].Variants[0]; v.UnitPrice != nil || !v.Fields.Has(catalog.FieldUnitPrice) {
		t.Errorf("blank means clear: %+v %s", v.UnitPrice, v.Fields)
	}
	if !strings.Contains(strings.Join(cat.Notes, "\n"), "hide the store's unit price") {
		t.Errorf("the preview must say what a blank unit price does: %q", cat.Notes)
	}
}

func TestUnitPriceText(t *testing.T) {
	for _, s := range []string{"750 ml per 1 l", "0.5 kg per 100 g", "12 item per 1 item", "2.5 ft2 per 1 m2"} {
		p, ok := catalog.ParseUnitPrice(s)
		if !ok || p.String() != s {
			t.Errorf("%q read back as %q (%v)", s, p.String(), ok)
		}
	}
	for _, s := range []string{"", "750 ml", "750 ml per l", "x ml per 1 l", "750 litre per 1 l"} {
		if _, ok := catalog.ParseUnitPrice(s); ok {
			t.Errorf("%q read as a unit price", s)
		}
	}
	a, _ := catalog.ParseUnitPrice("750 ML per 1 L")
	b, _ := catalog.ParseUnitPrice("750.0000001 ml per 1 l")
	if !a.Same(b) {
		t.Errorf("%v and %v should be the same measurement", a, b)
	}
}
