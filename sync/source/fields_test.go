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
