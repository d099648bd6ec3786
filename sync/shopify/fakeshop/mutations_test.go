package fakeshop

import (
	"fmt"
	"strings"
	"testing"
)

const productSetDoc = `mutation Set($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier) {
    product { id handle title variants(first: 10) { nodes { id sku price selectedOptions { name value } } } }
    userErrors { field message code }
  }
}`

func sizes(vals ...string) []any {
	var out []any
	for _, v := range vals {
		out = append(out, map[string]any{"optionValues": []any{map[string]any{"optionName": "Size", "name": v}},
			"sku": "TEE-" + v, "price": "19.5"})
	}
	return out
}

func sizeOption(vals ...string) []any {
	var vs []any
	for _, v := range vals {
		vs = append(vs, map[string]any{"name": v})
	}
	return []any{map[string]any{"name": "Size", "values": vs}}
}

func TestProductSetCreateUpsertAndVariantDeletion(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	d := gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{
		"title": "Camp Tee", "productOptions": sizeOption("S", "M", "L"), "variants": sizes("S", "M", "L")}})
	p := dig(d, "productSet", "product")
	if dig(p, "handle") != "camp-tee" || len(dig(p, "variants", "nodes").([]any)) != 3 || dig(p, "variants", "nodes", 0, "price") != "19.50" {
		t.Fatalf("create: %v", d)
	}
	mID := dig(p, "variants", "nodes", 1, "id")
	// Upsert by handle with only M, by id: S and L are deleted, M keeps its id.
	onlyM := sizes("M")
	onlyM[0].(map[string]any)["id"] = mID
	d = gql(t, sh, tok, productSetDoc, map[string]any{"identifier": map[string]any{"handle": "camp-tee"},
		"input": map[string]any{"title": "Camp Tee v2", "productOptions": sizeOption("M"), "variants": onlyM}})
	nodes := dig(d, "productSet", "product", "variants", "nodes").([]any)
	if len(nodes) != 1 || dig(nodes[0], "id") != mID || dig(d, "productSet", "product", "title") != "Camp Tee v2" {
		t.Fatalf("upsert: %v", d)
	}
	// The same upsert without the variant id deletes M and creates a new one
	// (ProductVariantSetInput.id: "create a new variant if absent").
	d = gql(t, sh, tok, productSetDoc, map[string]any{"identifier": map[string]any{"handle": "camp-tee"},
		"input": map[string]any{"title": "Camp Tee v2", "productOptions": sizeOption("M"), "variants": sizes("M")}})
	nodes = dig(d, "productSet", "product", "variants", "nodes").([]any)
	if len(nodes) != 1 || dig(nodes[0], "id") == mID || dig(nodes[0], "sku") != "TEE-M" {
		t.Fatalf("upsert without variant id must recreate the variant: %v", d)
	}
	snap := sh.Snapshot()
	if len(snap) != 1 || len(snap[0].Variants) != 1 || snap[0].Variants[0].SKU != "TEE-M" || len(snap[0].Options[0].Values) != 1 {
		t.Fatalf("snapshot %+v", snap)
	}
	// A second product titled the same gets a unique auto handle; an explicit taken handle is refused.
	d = gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{"title": "Camp Tee v2"}})
	if dig(d, "productSet", "product", "handle") != "camp-tee-v2" {
		t.Fatalf("auto handle %v", d)
	}
	d = gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{"title": "X", "handle": "camp-tee"}})
	if dig(d, "productSet", "userErrors", 0, "code") != "HANDLE_NOT_UNIQUE" || dig(d, "productSet", "product") != nil {
		t.Fatalf("taken handle %v", d)
	}
	// Over three options.
	var four []any
	for i := 0; i < 4; i++ {
		four = append(four, map[string]any{"name": fmt.Sprint("O", i), "values": []any{map[string]any{"name": "x"}}})
	}
	d = gql(t, sh, tok, productSetDoc, map[string]any{"input": map[string]any{"title": "Y", "productOptions": four, "variants": []any{}}})
	if dig(d, "productSet", "userErrors", 0, "code") != "OPTIONS_OVER_LIMIT" {
		t.Fatalf("options limit %v", d)
	}
	// Unknown id identifier.
	d = gql(t, sh, tok, productSetDoc, map[string]any{"identifier": map[string]any{"id": "gid://shopify/Product/9"}, "input": map[string]any{"title": "Z"}})
	if dig(d, "productSet", "userErrors", 0, "code") != "PRODUCT_DOES_NOT_EXIST" {
		t.Fatalf("%v", d)
	}
}

const bulkUpdateDoc = `mutation U($pid: ID!, $vs: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $pid, variants: $vs, allowPartialUpdates: $partial) {
    productVariants { id sku price barcode inventoryItem { sku } }
    userErrors { field message code }
  }
}`

func TestVariantsBulkUpdate(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 1)
	p := sh.Snapshot()[0]
	vs := []any{
		map[string]any{"id": p.Variants[0].ID, "price": "12.00", "inventoryItem": map[string]any{"sku": "NEW-S"}, "barcode": "123"},
		map[string]any{"id": "gid://shopify/ProductVariant/1", "price": "1.00"},
	}
	d := gql(t, sh, tok, bulkUpdateDoc, map[string]any{"pid": p.ID, "vs": vs})
	if dig(d, "productVariantsBulkUpdate", "userErrors", 0, "code") != "PRODUCT_VARIANT_DOES_NOT_EXIST" ||
		dig(d, "productVariantsBulkUpdate", "userErrors", 0, "field", 1) != "1" || sh.Snapshot()[0].Variants[0].Price != "10.00" {
		t.Fatalf("all-or-nothing: %v", d)
	}
	d = gql(t, sh, tok, bulkUpdateDoc, map[string]any{"pid": p.ID, "vs": vs, "partial": true})
	got := sh.Snapshot()[0].Variants[0]
	if got.Price != "12.00" || got.SKU != "NEW-S" || got.Barcode != "123" || dig(d, "productVariantsBulkUpdate", "productVariants", 0, "sku") != "NEW-S" {
		t.Fatalf("partial: %v %+v", d, got)
	}
	// No top-level sku on ProductVariantsBulkInput: the executor ignores unknown input keys, so
	// the SKU must not change.
	gql(t, sh, tok, bulkUpdateDoc, map[string]any{"pid": p.ID, "vs": []any{map[string]any{"id": got.ID, "inventoryQuantities": []any{}}}})
	if sh.Snapshot()[0].Variants[0].SKU != "NEW-S" {
		t.Fatal("sku changed")
	}
}

func TestVariantsBulkCreateAndDelete(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Seed([]Product{{Title: "Stove"}})
	p := sh.Snapshot()[0]
	loc := sh.Locations()[1].ID
	d := gql(t, sh, tok, `mutation($pid: ID!, $vs: [ProductVariantsBulkInput!]!) { productVariantsBulkCreate(productId: $pid, variants: $vs) { productVariants { id title } userErrors { field message code } } }`,
		map[string]any{"pid": p.ID, "vs": []any{
			map[string]any{"optionValues": []any{map[string]any{"optionName": "Fuel", "name": "Gas"}}, "price": "50", "inventoryItem": map[string]any{"sku": "ST-G"},
				"inventoryQuantities": []any{map[string]any{"locationId": loc, "availableQuantity": 4}}},
			map[string]any{"optionValues": []any{map[string]any{"optionName": "Fuel", "name": "Wood"}}, "price": "40"},
		}})
	if n := len(dig(d, "productVariantsBulkCreate", "productVariants").([]any)); n != 2 {
		t.Fatalf("%v", d)
	}
	s := sh.Snapshot()[0]
	if len(s.Variants) != 2 || s.Options[0].Name != "Fuel" || s.Variants[0].Levels[0].Available != 4 || s.Variants[0].SKU != "ST-G" {
		t.Fatalf("standalone variant should be replaced: %+v", s)
	}
	del := `mutation($pid: ID!, $ids: [ID!]!) { productVariantsBulkDelete(productId: $pid, variantsIds: $ids) { product { id } userErrors { field message code } } }`
	d = gql(t, sh, tok, del, map[string]any{"pid": p.ID, "ids": []any{s.Variants[0].ID, s.Variants[1].ID}})
	if dig(d, "productVariantsBulkDelete", "userErrors", 0, "code") != "CANNOT_DELETE_LAST_VARIANT" {
		t.Fatalf("%v", d)
	}
	gql(t, sh, tok, del, map[string]any{"pid": p.ID, "ids": []any{s.Variants[1].ID}})
	if s = sh.Snapshot()[0]; len(s.Variants) != 1 || strings.Join(s.Options[0].Values, ",") != "Gas" {
		t.Fatalf("%+v", s)
	}
}

const setQtyDoc = `mutation S($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`

func qtyInput(item, loc string, qty int, change any, omit bool) map[string]any {
	q := map[string]any{"inventoryItemId": item, "locationId": loc, "quantity": qty}
	if !omit {
		q["changeFromQuantity"] = change
	}
	return map[string]any{"name": "available", "reason": "correction", "quantities": []any{q}}
}

func TestInventorySetQuantities(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 1)
	v := sh.Snapshot()[0].Variants[0] // 5 available at Main warehouse only
	main, floor := sh.Locations()[0].ID, sh.Locations()[1].ID
	run := func(input map[string]any, key string) map[string]any {
		return gql(t, sh, tok, setQtyDoc, map[string]any{"input": input, "key": key})["inventorySetQuantities"].(map[string]any)
	}
	if r := run(qtyInput(v.InventoryItemID, main, 9, nil, true), "k1"); dig(r, "userErrors", 0, "code") != "COMPARE_QUANTITY_REQUIRED" {
		t.Fatalf("omitted changeFromQuantity: %v", r)
	}
	if r := run(qtyInput(v.InventoryItemID, main, 9, 3, false), "k2"); dig(r, "userErrors", 0, "code") != "CHANGE_FROM_QUANTITY_STALE" ||
		dig(r, "userErrors", 0, "field", 3) != "changeFromQuantity" {
		t.Fatalf("stale: %v", r)
	}
	if r := run(qtyInput(v.InventoryItemID, floor, 9, nil, false), "k3"); dig(r, "userErrors", 0, "code") != "ITEM_NOT_STOCKED_AT_LOCATION" {
		t.Fatalf("not stocked: %v", r)
	}
	r := run(qtyInput(v.InventoryItemID, main, 9, 5, false), "k4")
	if dig(r, "inventoryAdjustmentGroup", "changes", 0, "delta") != 4.0 || dig(r, "inventoryAdjustmentGroup", "changes", 0, "quantityAfterChange") != 9.0 {
		t.Fatalf("set: %v", r)
	}
	// Same key, same request: same answer and no second write.
	again := run(qtyInput(v.InventoryItemID, main, 9, 5, false), "k4")
	if dig(again, "inventoryAdjustmentGroup", "id") != dig(r, "inventoryAdjustmentGroup", "id") || len(dig(again, "userErrors").([]any)) != 0 {
		t.Fatalf("idempotent replay: %v", again)
	}
	if st := sh.Stats(); st.Mutations["inventorySetQuantities"] != 4 {
		t.Fatalf("replay must not execute again: %v", st.Mutations)
	}
	if r := run(qtyInput(v.InventoryItemID, main, 10, nil, false), "k4"); dig(r, "userErrors", 0, "code") != "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" {
		t.Fatalf("key reuse: %v", r)
	}
	// Explicit null opts out of the check.
	run(qtyInput(v.InventoryItemID, main, 2, nil, false), "k5")
	if got := sh.Snapshot()[0].Variants[0].Levels[0]; got.Available != 2 || got.OnHand != 2 {
		t.Fatalf("level %+v", got)
	}
	// 2026-01 still accepts the old compare fields.
	in := qtyInput(v.InventoryItemID, main, 3, nil, true)
	in["ignoreCompareQuantity"] = true
	res := post(t, sh, tok, "2026-01", `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`, map[string]any{"input": in})
	if res.Status != 200 || len(dig(res.Body, "data", "inventorySetQuantities", "userErrors").([]any)) != 0 {
		t.Fatalf("2026-01: %s", res.Raw)
	}
	// inventoryActivate stocks the floor location, then the set works.
	gql(t, sh, tok, `mutation($i: ID!, $l: ID!) { inventoryActivate(inventoryItemId: $i, locationId: $l, available: 1) { inventoryLevel { id } userErrors { field message } } }`,
		map[string]any{"i": v.InventoryItemID, "l": floor})
	if r := run(qtyInput(v.InventoryItemID, floor, 7, 1, false), "k6"); len(dig(r, "userErrors").([]any)) != 0 {
		t.Fatalf("after activate: %v", r)
	}
}

func TestInputArrayLimit(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	var qs []any
	for i := 0; i < 251; i++ {
		qs = append(qs, map[string]any{"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": "gid://shopify/Location/1", "quantity": 1, "changeFromQuantity": nil})
	}
	r := post(t, sh, tok, "2026-04", setQtyDoc, map[string]any{"key": "x", "input": map[string]any{"name": "available", "reason": "correction", "quantities": qs}})
	if r.Body["data"] != nil || !strings.Contains(r.Raw, "The input array size of 251 is greater than the maximum allowed of 250.") ||
		!strings.Contains(r.Raw, "MAX_INPUT_SIZE_EXCEEDED") || sh.Stats().Mutations["inventorySetQuantities"] != 0 {
		t.Fatalf("%s", r.Raw)
	}
}

func TestProductUpdateAndDelete(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 2)
	ps := sh.Snapshot()
	d := gql(t, sh, tok, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { status handle } userErrors { field message } } }`,
		map[string]any{"p": map[string]any{"id": ps[0].ID, "status": "DRAFT", "tags": []any{"a", "b"}}})
	if dig(d, "productUpdate", "product", "status") != "DRAFT" || strings.Join(sh.Snapshot()[0].Tags, ",") != "a,b" {
		t.Fatalf("%v", d)
	}
	d = gql(t, sh, tok, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id } userErrors { field message } } }`,
		map[string]any{"p": map[string]any{"id": ps[0].ID, "handle": ps[1].Handle}})
	if dig(d, "productUpdate", "userErrors", 0, "field", 0) != "handle" {
		t.Fatalf("%v", d)
	}
	d = gql(t, sh, tok, `mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId userErrors { field message } } }`, map[string]any{"id": ps[0].ID})
	if dig(d, "productDelete", "deletedProductId") != ps[0].ID || len(sh.Snapshot()) != 1 {
		t.Fatalf("%v", d)
	}
}
