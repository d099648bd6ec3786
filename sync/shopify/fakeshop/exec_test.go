package fakeshop

import (
	"fmt"
	"strings"
	"testing"
)

func seedCatalog(sh *Shop, n int) {
	var ps []Product
	for i := 0; i < n; i++ {
		ps = append(ps, Product{Title: fmt.Sprintf("Product %02d", i), Vendor: "Acme",
			Options: []Option{{Name: "Size", Values: []string{"S", "M"}}},
			Variants: []Variant{
				{SKU: fmt.Sprintf("P%02d-S", i), Price: "10.00", SelectedOptions: []SelectedOption{{Name: "Size", Value: "S"}},
					Levels: []InventoryLevel{{LocationID: "Main warehouse", Available: 5, OnHand: 5}}},
				{SKU: fmt.Sprintf("P%02d-M", i), Price: "11.00", SelectedOptions: []SelectedOption{{Name: "Size", Value: "M"}}},
			}})
	}
	sh.Seed(ps)
}

func TestExecutorFragmentsAliasesVariables(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 3)
	q := `query Find($q: String!, $n: Int = 2) {
  found: products(first: $n, query: $q) { nodes { ...P } }
  all: products(first: 1) { edges { cursor node { __typename ... on Product { handle } } } pageInfo { hasNextPage endCursor } }
}
fragment P on Product { id title v: variants(first: 5) { nodes { sku selectedOptions { name value } } } }`
	d := gql(t, sh, tok, q, map[string]any{"q": "sku:P01-M OR handle:product-02"})
	found := dig(d, "found", "nodes").([]any)
	if len(found) != 2 || dig(found[0], "title") != "Product 01" || dig(found[1], "title") != "Product 02" {
		t.Fatalf("found %v", found)
	}
	if dig(found[0], "v", "nodes", 1, "sku") != "P01-M" || dig(found[0], "v", "nodes", 1, "selectedOptions", 0, "value") != "M" {
		t.Fatalf("alias/fragment %v", found[0])
	}
	if dig(d, "all", "edges", 0, "node", "__typename") != "Product" || dig(d, "all", "pageInfo", "hasNextPage") != true {
		t.Fatalf("all %v", d["all"])
	}
	// Pagination: walk every product one page at a time.
	var handles []string
	after := any(nil)
	for i := 0; i < 5; i++ {
		d := gql(t, sh, tok, `query($after: String) { products(first: 1, after: $after) { nodes { handle } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after})
		handles = append(handles, dig(d, "products", "nodes", 0, "handle").(string))
		if dig(d, "products", "pageInfo", "hasNextPage") != true {
			break
		}
		after = dig(d, "products", "pageInfo", "endCursor")
	}
	if strings.Join(handles, ",") != "product-00,product-01,product-02" {
		t.Fatalf("pages %v", handles)
	}
	// node / nodes with inline fragments.
	id := dig(found[0], "id").(string)
	d = gql(t, sh, tok, `query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Product { handle } } nodes(ids: $ids) { __typename } }`,
		map[string]any{"id": id, "ids": []any{id, "gid://shopify/Product/1"}})
	if dig(d, "node", "handle") != "product-01" || dig(d, "nodes", 0, "__typename") != "Product" || dig(d, "nodes", 1) != nil {
		t.Fatalf("node %v", d)
	}
	// productByIdentifier and variant search.
	d = gql(t, sh, tok, `{ productByIdentifier(identifier: {handle: "product-00"}) { variantsCount { count } } productVariants(first: 5, query: "sku:P02-S") { nodes { sku product { handle } } } }`, nil)
	if dig(d, "productByIdentifier", "variantsCount", "count") != 2.0 || dig(d, "productVariants", "nodes", 0, "product", "handle") != "product-02" {
		t.Fatalf("%v", d)
	}
}

func TestValidationAndParseErrors(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	r := postRaw(t, sh, tok, "2026-04", `{ shop { nope } }`, nil)
	if r.Body["data"] != nil || !strings.Contains(r.Raw, "Field 'nope' doesn't exist on type 'Shop'") {
		t.Fatalf("%s", r.Raw)
	}
	r = postRaw(t, sh, tok, "2026-04", `{ shop { name }`, nil)
	if r.Body["errors"] == nil || r.Body["data"] != nil {
		t.Fatalf("parse error: %s", r.Raw)
	}
	r = postRaw(t, sh, tok, "2026-04", `{ products { nodes { id } } }`, nil)
	if !strings.Contains(r.Raw, "you must provide one of first or last") {
		t.Fatalf("%s", r.Raw)
	}
}

func TestVersions(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	for _, v := range SupportedVersions {
		if r := post(t, sh, tok, v, `{ shop { id } }`, nil); r.Status != 200 || r.Header.Get("X-Shopify-API-Version") != v {
			t.Fatalf("%s: %d %q", v, r.Status, r.Header.Get("X-Shopify-API-Version"))
		}
	}
	if r := post(t, sh, tok, "2024-01", `{ shop { id } }`, nil); r.Header.Get("X-Shopify-API-Version") != "2025-10" {
		t.Fatalf("old version should fall forward, got %q", r.Header.Get("X-Shopify-API-Version"))
	}
	if r := post(t, sh, tok, "banana", `{ shop { id } }`, nil); r.Status != 404 {
		t.Fatalf("unknown version: %d", r.Status)
	}
}

func TestAccessDenied(t *testing.T) {
	_, sh, _ := newTestShop(t, PlanGrow)
	tok := sh.Install("reader", []string{"read_products"})
	r := post(t, sh, tok, "2026-04", `mutation { productDelete(input: {id: "gid://shopify/Product/1"}) { deletedProductId } }`, nil)
	errs, _ := r.Body["errors"].([]any)
	if len(errs) != 1 || dig(errs[0], "extensions", "code") != "ACCESS_DENIED" ||
		dig(errs[0], "message") != "Access denied for productDelete field. Required access: `write_products` access scope." {
		t.Fatalf("%s", r.Raw)
	}
	if dig(r.Body, "data", "productDelete") != nil {
		t.Fatal("denied field must be null")
	}
	// read_products is enough for products; write implies read.
	gql(t, sh, tok, `{ products(first: 1) { nodes { id } } }`, nil)
}
