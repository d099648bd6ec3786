package source

import (
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
