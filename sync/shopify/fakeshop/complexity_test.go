package fakeshop

import (
	"fmt"
	"testing"
)

// TestInputComplexityCharged (F6): productSet and productVariantsBulkUpdate
// cost 10 plus 0.2 per variant sent, and a connection read back in the
// payload costs as in a query, so a big productSet with a full read-back
// exceeds the single-query limit.
func TestInputComplexityCharged(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanPlus)
	var vs []any
	for i := range 2048 { // 16 × 16 × 8 over 3 options
		vs = append(vs, map[string]any{"price": "1.00", "optionValues": []any{
			map[string]any{"optionName": "A", "name": fmt.Sprint(i / 128)},
			map[string]any{"optionName": "B", "name": fmt.Sprint(i / 8 % 16)},
			map[string]any{"optionName": "C", "name": fmt.Sprint(i % 8)}}})
	}
	opt := func(name string, n int) any {
		var vals []any
		for i := range n {
			vals = append(vals, map[string]any{"name": fmt.Sprint(i)})
		}
		return map[string]any{"name": name, "values": vals}
	}
	in := map[string]any{"title": "Big", "handle": "big", "productOptions": []any{opt("A", 16), opt("B", 16), opt("C", 8)}, "variants": vs}
	const set = `mutation($in: ProductSetInput!, $n: Int!) { productSet(input: $in, synchronous: true) {
  product { id variants(first: $n) { nodes { id selectedOptions { name value } inventoryItem { id } } } }
  userErrors { field message } } }`
	r := post(t, sh, tok, "2026-04", set, map[string]any{"in": in, "n": 250})
	if code := dig(r.Body, "errors", 0, "extensions", "code"); code != "MAX_COST_EXCEEDED" {
		t.Fatalf("2,048 variants with 250 read back: %v", r.Raw[:min(len(r.Raw), 300)])
	}
	r = post(t, sh, tok, "2026-04", set, map[string]any{"in": in, "n": 100})
	// 10 + 2048 × 0.2 + 2 + 100 × 3 = 721.6, reported as a whole number.
	if req, _, _ := cost(r); req != 721.0 || r.Body["errors"] != nil {
		t.Fatalf("requested %v: %.300s", req, r.Raw)
	}
	p := sh.Snapshot()[0]
	var ups []any
	for _, v := range p.Variants[:250] {
		ups = append(ups, map[string]any{"id": v.ID, "price": "2.00"})
	}
	const upd = `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { field message } } }`
	r = post(t, sh, tok, "2026-04", upd, map[string]any{"p": p.ID, "v": ups})
	if req, _, _ := cost(r); req != 60.0 || r.Body["errors"] != nil { // 10 + 250 × 0.2
		t.Fatalf("productVariantsBulkUpdate of 250: requested %v %.300s", req, r.Raw)
	}
}

// TestMetafieldsSetCharged (F6): from 2026-09-15 metafieldsSet costs 10 plus,
// per distinct owner, its type's weight (Product 4, ProductVariant 2), however
// many metafields each owner gets.
func TestMetafieldsSetCharged(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanPlus)
	seedCatalog(sh, 2)
	ps := sh.Snapshot()
	mf := func(owner, key string) any {
		return map[string]any{"ownerId": owner, "namespace": "custom", "key": key, "type": "single_line_text_field", "value": "x"}
	}
	const set = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field message } } }`
	r := post(t, sh, tok, "2026-04", set, map[string]any{"m": []any{
		mf(ps[0].ID, "a"), mf(ps[0].ID, "b"), mf(ps[1].ID, "a"), mf(ps[0].Variants[0].ID, "a")}})
	if req, _, _ := cost(r); req != 10.0+2*4+2 || r.Body["errors"] != nil {
		t.Fatalf("requested %v: %.300s", req, r.Raw)
	}
}
