package fakeshop

import (
	"fmt"
	"testing"
)

const searchDoc = `query S($q: String, $v: String) {
  products(first: 50, query: $q) { nodes { handle } }
  productVariants(first: 50, query: $v) { nodes { sku } }
}`

const byHandleDoc = `query H($h: String!) { productByIdentifier(identifier: {handle: $h}) { handle status } }`

func handles(d map[string]any) string {
	var out []string
	for _, n := range dig(d, "products", "nodes").([]any) {
		out = append(out, dig(n, "handle").(string))
	}
	return fmt.Sprint(out)
}

// TestSearchStatusDefaultAndLists: the products query filters on status
// "active" unless told otherwise (schema QueryRoot.products, filter status,
// default_value active), and handle and status take comma-separated lists.
func TestSearchStatusDefaultAndLists(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Seed([]Product{{Handle: "a", Title: "A"}, {Handle: "d", Title: "D", Status: "DRAFT"},
		{Handle: "r", Title: "R", Status: "ARCHIVED"}, {Handle: "u", Title: "U", Status: "UNLISTED"}})
	for _, c := range []struct{ q, want string }{
		{"", "[a]"},
		{"handle:a,d,r", "[a]"},
		{"handle:a,d,r status:active,draft,archived,unlisted", "[a d r]"},
		{"status:active,draft,archived,unlisted", "[a d r u]"},
		{"status:draft", "[d]"},
	} {
		if got := handles(gql(t, sh, tok, searchDoc, map[string]any{"q": c.q})); got != c.want {
			t.Errorf("products(query:%q) = %s, want %s", c.q, got, c.want)
		}
	}
	if d := gql(t, sh, tok, byHandleDoc, map[string]any{"h": "r"}); dig(d, "productByIdentifier", "status") != "ARCHIVED" {
		t.Errorf("productByIdentifier must find every status: %v", d)
	}
}

// TestSearchIsEventuallyConsistent: a product created a moment ago is not
// found by search until the lag has passed, while the exact
// lookup finds it at once.
func TestSearchIsEventuallyConsistent(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	d := gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{
		"title": "Camp Tee", "productOptions": sizeOption("S"), "variants": sizes("S")}})
	if dig(d, "productSet", "product", "handle") != "camp-tee" {
		t.Fatalf("create %v", d)
	}
	vars := map[string]any{"q": "handle:camp-tee status:active", "v": "sku:TEE-S"}
	if d := gql(t, sh, tok, searchDoc, vars); handles(d) != "[]" || len(dig(d, "productVariants", "nodes").([]any)) != 0 {
		t.Fatalf("search found a product created a moment ago: %v", d)
	}
	if d := gql(t, sh, tok, byHandleDoc, map[string]any{"h": "camp-tee"}); dig(d, "productByIdentifier", "handle") != "camp-tee" {
		t.Fatalf("exact lookup: %v", d)
	}
	srv.Advance(DefaultSearchLag)
	if d := gql(t, sh, tok, searchDoc, vars); handles(d) != "[camp-tee]" || len(dig(d, "productVariants", "nodes").([]any)) != 1 {
		t.Fatalf("search after the lag: %v", d)
	}
}

// TestProductSetRefusesTakenHandle: without an identifier productSet
// creates, and a handle another product has (of any status) is refused
// with HANDLE_NOT_UNIQUE, leaving that product alone.
func TestProductSetRefusesTakenHandle(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Seed([]Product{{Handle: "tee", Title: "Tee", Status: "ARCHIVED", Variants: []Variant{{SKU: "OLD"}}}})
	before := sh.Snapshot()[0].Variants[0].ID
	d := gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{
		"title": "Tee", "handle": "tee", "productOptions": sizeOption("S"), "variants": sizes("S")}})
	if dig(d, "productSet", "userErrors", 0, "code") != "HANDLE_NOT_UNIQUE" {
		t.Fatalf("taken handle: %v", d)
	}
	if snap := sh.Snapshot(); len(snap) != 1 || snap[0].Variants[0].ID != before {
		t.Fatalf("existing product touched: %+v", snap)
	}
}

// TestProductCreate: productCreate makes the product with its initial
// variant only, and refuses a taken handle (no code: UserError).
func TestProductCreate(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	const doc = `mutation C($p: ProductCreateInput) {
  productCreate(product: $p) { product { handle variants(first: 5) { nodes { title } } } userErrors { field message } }
}`
	d := gql(t, sh, tok, doc, map[string]any{"p": map[string]any{"title": "Cap", "productOptions": sizeOption("S", "M")}})
	if dig(d, "productCreate", "product", "handle") != "cap" || fmt.Sprint(dig(d, "productCreate", "product", "variants", "nodes")) != "[map[title:S]]" {
		t.Fatalf("create: %v", d)
	}
	d = gql(t, sh, tok, doc, map[string]any{"p": map[string]any{"title": "Other", "handle": "cap"}})
	if dig(d, "productCreate", "product") != nil || dig(d, "productCreate", "userErrors", 0, "field", 0) != "handle" || len(sh.Snapshot()) != 1 {
		t.Fatalf("taken handle: %v", d)
	}
}
