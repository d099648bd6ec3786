package shopify

import "testing"

// TestInputComplexityEstimate (F6): the estimate adds Shopify's dynamic
// input complexity to the flat 10 points of a mutation.
func TestInputComplexityEstimate(t *testing.T) {
	variants := make([]map[string]any, 250)
	for i := range variants {
		variants[i] = map[string]any{"id": "gid://shopify/ProductVariant/1", "price": "1.00"}
	}
	plainDoc := `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { field message } } }`
	// 10 + 250 × 0.2, plus 1 for the userErrors list the estimate counts.
	if got := EstimateCost(plainDoc, map[string]any{"p": "x", "v": variants}); got != 10+50+1 {
		t.Fatalf("productVariantsBulkUpdate of 250 variants: %d", got)
	}

	set := map[string]any{"handle": "big", "files": []any{map[string]any{"originalSource": "https://x/a.png"}},
		"metafields": []any{map[string]any{"key": "a"}, map[string]any{"key": "b"}},
		"variants":   []map[string]any{{"file": map[string]any{}}, {"metafields": []any{map[string]any{"key": "c"}}}}}
	setDoc := `mutation($i: ProductSetInput!) { productSet(input: $i) { userErrors { field message } } }`
	// 10 + 2 × 0.2 + 0.6 (variant file) + 3 × 0.4 (metafields) + 1.9 (product file) = 14.1 → 15, + 1.
	if got := EstimateCost(setDoc, map[string]any{"i": set}); got != 16 {
		t.Fatalf("productSet: %d", got)
	}

	mfs := []map[string]any{{"ownerId": "gid://shopify/Product/1"}, {"ownerId": "gid://shopify/Product/1"},
		{"ownerId": "gid://shopify/Product/2"}, {"ownerId": "gid://shopify/Order/9"}, {"ownerId": "gid://shopify/Shop/3"}}
	mfDoc := `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field message } } }`
	// 10 + 2 products × 4 + 1 order × 10 + 1 shop × 1, + 1.
	if got := EstimateCost(mfDoc, map[string]any{"m": mfs}); got != 10+8+10+1+1 {
		t.Fatalf("metafieldsSet: %d", got)
	}
}

// TestReadBackPageLeavesRoomForInput: productSet reads back fewer variants
// the more it sends, so the request stays under 1,000 points.
func TestReadBackPageLeavesRoomForInput(t *testing.T) {
	for _, n := range []int{1, 100, 1000, 2048} {
		vs := make([]map[string]any, n)
		for i := range vs {
			vs[i] = map[string]any{"price": "1.00"}
		}
		vars := map[string]any{"input": map[string]any{"handle": "h", "variants": vs}}
		page := readBackPage(docProductSet, vars, "variants")
		vars["variants"] = page
		if est := EstimateCost(docProductSet, vars); est > MaxQueryCost || page < 1 || page > 250 {
			t.Fatalf("%d variants: page %d costs %d", n, page, est)
		}
		if n == 1 && page != 250 {
			t.Fatalf("a small product reads back %d variants", page)
		}
	}
}
