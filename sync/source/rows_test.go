package source

import (
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// TestDuplicateSKUsRead: Shopify allows one SKU on several variants, so a
// sheet that repeats a SKU (within a product, across products, or in a
// SKU-only sheet) is read whole, with no error.
func TestDuplicateSKUsRead(t *testing.T) {
	for name, in := range map[string]string{
		"within a product": hdr + "ship,Shipping,Coverage,$1,SHIP,1,0,continue,,,\nship,,,$2,SHIP,2,0,continue,,,\n",
		"across products":  hdr + "tee-red,Tee red,Title,Default Title,TEE,5,1,deny,,,\ntee-blue,Tee blue,Title,Default Title,TEE,5,1,deny,,,\n",
		"SKU-only sheet":   "SKU,Qty\nTEE,4\nTEE,5\n",
		"barcode-only":     "EAN,Qty\n4006381333931,4\n4006381333931,5\n",
	} {
		t.Run(name, func(t *testing.T) {
			cat, err := readString(in, Options{})
			if err != nil || len(cat.Errors) > 0 || cat.VariantCount() != 2 {
				t.Fatalf("err %v, errors %v, %d variants", err, cat.Errors, cat.VariantCount())
			}
		})
	}
}

// TestBadCellOnFirstRowKeepsProduct: a bad cell on a product's first row is
// reported and its field left out (marked Bad); the product's other fields
// and variants are still read.
func TestBadCellOnFirstRowKeepsProduct(t *testing.T) {
	in := hdr + "a,Alpha,Size,S,A1,abc,1,deny,live,,\na,,,M,A2,5,-2,deny,,,\n"
	cat, err := readString(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Products) != 1 || len(cat.Products[0].Variants) != 2 {
		t.Fatalf("products %+v, errors %v", cat.Products, cat.Errors)
	}
	p := cat.Products[0]
	if p.Title != "Alpha" || p.Fields.Has(catalog.FieldStatus) || !p.Bad.Has(catalog.FieldStatus) {
		t.Errorf("product %+v", p)
	}
	v := p.Variants[0]
	if v.Fields.Has(catalog.FieldPrice) || !v.Bad.Has(catalog.FieldPrice) || qtyAt(v.Quantities, "") != 1 || v.SKU != "A1" {
		t.Errorf("first variant %+v", v)
	}
	if qtyAt(p.Variants[1].Quantities, "") != -2 {
		t.Errorf("oversold quantity %+v", p.Variants[1])
	}
	if !findError(cat, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "not an amount") ||
		!findError(cat, nil, catalog.Cell{Row: 2, Column: "Status"}, "status") || len(cat.Errors) != 2 {
		t.Errorf("errors %v", cat.Errors)
	}
}

// qtyAt is the quantity at loc, 0 when there is none.
func qtyAt(q catalog.Quantities, loc string) int {
	n, _ := q.Get(loc)
	return n
}
