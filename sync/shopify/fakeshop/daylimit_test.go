package fakeshop

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// seedVariants gives the shop n one-variant products.
func seedVariants(sh *Shop, n int) {
	ps := make([]Product, n)
	for i := range ps {
		ps[i] = Product{Title: fmt.Sprintf("Seeded %d", i), Variants: []Variant{{SKU: fmt.Sprintf("S-%d", i), Price: "1.00"}}}
	}
	sh.Seed(ps)
}

// threeSizes is a productSet input that creates a product of three variants.
func threeSizes(handle string) map[string]any {
	return map[string]any{"title": handle, "handle": handle, "productOptions": sizeOption("S", "M", "L"),
		"variants": sizes("S", "M", "L")}
}

// limited asserts that a GraphQL answer is the daily variant-creation refusal.
func limited(t *testing.T, r gqlResp, field string) {
	t.Helper()
	if r.Status != 200 || dig(r.Body, "errors", 0, "extensions", "code") != codeVariantThrottle ||
		!strings.Contains(fmt.Sprint(dig(r.Body, "errors", 0, "message")), "Daily variant creation limit reached") ||
		dig(r.Body, "data", field) != nil {
		t.Fatalf("want the daily variant limit on %s, got %d %s", field, r.Status, r.Raw)
	}
}

// A non-Plus store past the threshold creates no more than the daily allowance through
// productSet, productCreate and productVariantsBulkCreate; a refused request creates nothing;
// the next (simulated) day has a new allowance. Thresholds are lowered so the test stays small.
func TestDailyVariantLimit(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	sh.SetVariantLimit(10, 5)
	seedVariants(sh, 8)
	// 8 + 3 = 11 > 10 but today's 0 + 3 ≤ 5: allowed.
	d := gql(t, sh, tok, productSetDoc, map[string]any{"input": threeSizes("first")})
	if dig(d, "productSet", "product", "handle") != "first" {
		t.Fatalf("first create: %v", d)
	}
	// 3 + 3 = 6 > 5: refused as a whole.
	limited(t, post(t, sh, tok, "2026-04", productSetDoc, map[string]any{"input": threeSizes("second")}), "productSet")
	if len(sh.Snapshot()) != 9 || sh.VariantsCreatedToday() != 3 {
		t.Fatalf("a refused productSet created something: %d products, %d created today", len(sh.Snapshot()), sh.VariantsCreatedToday())
	}
	// Two single variants still fit (3 + 1 + 1 = 5); the third does not.
	const create = `mutation C($p: ProductCreateInput) { productCreate(product: $p) { product { id } userErrors { field message } } }`
	d = gql(t, sh, tok, create, map[string]any{"p": map[string]any{"title": "Cap"}})
	pid := dig(d, "productCreate", "product", "id").(string)
	const add = `mutation($pid: ID!, $vs: [ProductVariantsBulkInput!]!) { productVariantsBulkCreate(productId: $pid, variants: $vs) { productVariants { id } userErrors { field message code } } }`
	limited(t, post(t, sh, tok, "2026-04", add, map[string]any{"pid": pid, "vs": sizes("S", "M")}), "productVariantsBulkCreate")
	gql(t, sh, tok, create, map[string]any{"p": map[string]any{"title": "Hat"}})
	limited(t, post(t, sh, tok, "2026-04", create, map[string]any{"p": map[string]any{"title": "Scarf"}}), "productCreate")
	// Updates are never limited.
	upd := gql(t, sh, tok, `mutation($id: ID!) { productUpdate(product: {id: $id, title: "Cap 2"}) { product { title } userErrors { message } } }`,
		map[string]any{"id": pid})
	if dig(upd, "productUpdate", "product", "title") != "Cap 2" {
		t.Fatalf("update: %v", upd)
	}
	// The next UTC day: a new allowance.
	now := srv.Now().UTC()
	srv.Advance(now.Truncate(24*time.Hour).Add(24*time.Hour).Sub(now) + time.Second)
	d = gql(t, sh, tok, productSetDoc, map[string]any{"input": threeSizes("second")})
	if dig(d, "productSet", "product", "handle") != "second" || sh.VariantsCreatedToday() != 3 {
		t.Fatalf("next day: %v, %d created today", d, sh.VariantsCreatedToday())
	}
}

// Below the threshold, and on Plus, nothing is limited.
func TestDailyVariantLimitSparesSmallAndPlusStores(t *testing.T) {
	for _, tc := range []struct {
		plan   Plan
		seeded int
	}{{PlanGrow, 0}, {PlanPlus, 20}} {
		_, sh, tok := newTestShop(t, tc.plan)
		sh.SetVariantLimit(10, 2)
		seedVariants(sh, tc.seeded)
		for i := range 3 {
			d := gql(t, sh, tok, productSetDoc, map[string]any{"input": threeSizes(fmt.Sprintf("p%d", i))})
			if dig(d, "productSet", "product") == nil {
				t.Fatalf("%s with %d variants, create %d: %v", tc.plan, tc.seeded, i, d)
			}
		}
	}
}

// Inside a bulk mutation the limit refuses line by line: a refused line carries the error
// and creates nothing, the other lines go on (a smaller product after a refused one fits).
func TestDailyVariantLimitInBulk(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanBasic)
	sh.SetBulkRate(0, -1)
	sh.SetVariantLimit(5, 4)
	seedVariants(sh, 5)
	lines := []map[string]any{threeSizes("a"), threeSizes("b"), {"title": "c", "handle": "c"}, threeSizes("d")}
	var jsonl strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&jsonl, "%s\n", mustJSON(map[string]any{"input": l}))
	}
	op := waitBulk(t, sh, tok, startBulkMutation(t, sh, tok, productSetLine, jsonl.String()))
	got := fetchLines(t, op["url"].(string))
	if op["status"] != "COMPLETED" || len(got) != 4 {
		t.Fatalf("%v: %d lines", op, len(got))
	}
	for i, want := range []bool{false, true, false, true} { // a: 3 of 4; b: 6 > 4; c: 4; d: 7 > 4
		l := got[i]
		refused := dig(l, "errors", 0, "extensions", "code") == codeVariantThrottle
		if refused != want || refused && dig(l, "data", "productSet") != nil {
			t.Fatalf("line %d: %v", i, l)
		}
	}
	if n := len(sh.Snapshot()); n != 7 || sh.VariantsCreatedToday() != 4 {
		t.Fatalf("%d products, %d variants created today; want 7 and 4", n, sh.VariantsCreatedToday())
	}
}

// productVariantsCount and productsCount count up to their limit (null:
// no limit; none: 10,000).
func TestProductVariantsCount(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedVariants(sh, 10001)
	d := gql(t, sh, tok, `query { all: productVariantsCount(limit: null) { count precision } capped: productVariantsCount(limit: 10) { count precision } dflt: productVariantsCount { count precision }
		products: productsCount(limit: null) { count precision } productsDflt: productsCount { count precision } }`, nil)
	if got := fmt.Sprint(d["all"], d["capped"], d["dflt"], d["products"], d["productsDflt"]); got != "map[count:10001 precision:EXACT] map[count:10 precision:AT_LEAST] map[count:10000 precision:AT_LEAST] "+
		"map[count:10001 precision:EXACT] map[count:10000 precision:AT_LEAST]" {
		t.Fatalf("%v", got)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
