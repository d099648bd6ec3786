package fakeshop

import (
	"testing"
)

// TestUnitPriceMeasurement: productVariantsBulkUpdate and productSet store a
// complete measurement of one measured type and read it back with its
// measuredType and showUnitPrice; a partial one, units of two types, an
// unknown unit or a value not above 0 is a userError on the variant's
// unitPriceMeasurement, and nothing is stored.
func TestUnitPriceMeasurement(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 1)
	p := sh.Snapshot()[0]
	vid := p.Variants[0].ID
	measure := func(q any, qu string, r any, ru string) map[string]any {
		m := map[string]any{"quantityValue": q, "quantityUnit": qu, "referenceValue": r, "referenceUnit": ru}
		for k, v := range m {
			if v == "" || v == nil {
				delete(m, k)
			}
		}
		return m
	}
	const doc = `mutation U($pid: ID!, $vs: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $pid, variants: $vs) {
    productVariants { id showUnitPrice unitPriceMeasurement { measuredType quantityValue quantityUnit referenceValue referenceUnit } }
    userErrors { field message code }
  }
}`
	for name, m := range map[string]map[string]any{
		"partial":       measure(250.0, "ML", nil, "L"),
		"mixed types":   measure(250.0, "ML", 1, "KG"),
		"unknown unit":  measure(250.0, "LITRE", 1, "L"),
		"zero quantity": measure(0.0, "ML", 1, "L"),
		"zero base":     measure(250.0, "ML", 0, "L"),
	} {
		d := gql(t, sh, tok, doc, map[string]any{"pid": p.ID, "vs": []any{map[string]any{"id": vid, "unitPriceMeasurement": m, "showUnitPrice": true}}})
		if dig(d, "productVariantsBulkUpdate", "userErrors", 0, "field", 2) != "unitPriceMeasurement" {
			t.Errorf("%s: accepted: %v", name, d)
		}
		if v := sh.Snapshot()[0].Variants[0]; v.UnitPrice != nil || v.ShowUnitPrice {
			t.Errorf("%s: stored %+v", name, v.UnitPrice)
		}
	}
	d := gql(t, sh, tok, doc, map[string]any{"pid": p.ID, "vs": []any{map[string]any{"id": vid, "unitPriceMeasurement": measure(250.0, "ML", 1, "L"), "showUnitPrice": true}}})
	if dig(d, "productVariantsBulkUpdate", "productVariants", 0, "unitPriceMeasurement", "measuredType") != "VOLUME" ||
		dig(d, "productVariantsBulkUpdate", "productVariants", 0, "showUnitPrice") != true {
		t.Fatalf("%v", d)
	}
	if v := sh.Snapshot()[0].Variants[0]; v.UnitPrice == nil || *v.UnitPrice != (UnitPrice{250, "ML", 1, "L"}) {
		t.Fatalf("stored %+v", v.UnitPrice)
	}

	// productSet (a create) checks the same.
	set := `mutation S($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { field message code } } }`
	in := func(m map[string]any) map[string]any {
		return map[string]any{"title": "Oil", "productOptions": sizeOption("S"), "variants": []any{map[string]any{
			"optionValues": []any{map[string]any{"optionName": "Size", "name": "S"}}, "price": "5.00", "unitPriceMeasurement": m, "showUnitPrice": true}}}
	}
	d = gql(t, sh, tok, set, map[string]any{"input": in(measure(250.0, "ML", 1, "KG"))})
	if dig(d, "productSet", "userErrors", 0, "field", 3) != "unitPriceMeasurement" || len(sh.Snapshot()) != 1 {
		t.Fatalf("productSet took mixed types: %v", d)
	}
	gql(t, sh, tok, set, map[string]any{"input": in(measure(0.5, "KG", 100, "G"))})
	if s := sh.Snapshot(); len(s) != 2 || s[1].Variants[0].UnitPrice == nil || !s[1].Variants[0].ShowUnitPrice {
		t.Fatalf("productSet: %+v", s)
	}
}
