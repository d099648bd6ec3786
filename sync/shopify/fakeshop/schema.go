package fakeshop

import (
	"strings"
	"sync"
	"time"
)

// The simulator's schema: a subset of the 2026-04 Admin schema with the same names. Field and
// type names are checked against /work/shared/shopify/admin-2026-04.graphql by the tests.

var (
	schemaOnce sync.Once
	theSchema  *schema
)

func getSchema() *schema {
	schemaOnce.Do(func() { theSchema = buildSchema() })
	return theSchema
}

// mapType registers a map-backed type. Spec entries: "name" (scalar), "name:Type", "name:[Type]".
func (sc *schema) mapType(name string, impl []string, spec ...string) {
	t := &typeDef{name: name, impl: impl, fields: map[string]*fieldDef{}}
	for _, s := range spec {
		fname, typ, _ := strings.Cut(s, ":")
		fd := &fieldDef{}
		if strings.HasPrefix(typ, "[") {
			fd.list = true
			typ = strings.Trim(typ, "[]")
		}
		fd.typ = typ
		key := fname
		fd.resolve = func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*mobj).m[key], nil }
		t.fields[fname] = fd
	}
	sc.types[name] = t
	if name == "PageInfo" {
		t.free = true
	}
}

func (sc *schema) objType(name string, impl []string, fields map[string]*fieldDef) {
	sc.types[name] = &typeDef{name: name, impl: impl, fields: fields}
}

func scalar(f func(p any) any) *fieldDef {
	return &fieldDef{resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) { return f(p), nil }}
}

func ref(typ string, f func(ec *execCtx, p any, args map[string]any) (any, error)) *fieldDef {
	return &fieldDef{typ: typ, resolve: f}
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

var nodeTypes = []string{"Product", "ProductVariant", "InventoryItem", "InventoryLevel", "Location",
	"BulkOperation", "ProductOption", "Shop", "AppInstallation", "InventoryAdjustmentGroup", "ProductSetOperation", "MediaImage"}

func buildSchema() *schema {
	sc := &schema{types: map[string]*typeDef{}}
	node := []string{"Node"}
	sc.types["Node"] = &typeDef{name: "Node", possible: nodeTypes, fields: map[string]*fieldDef{"id": {}}}
	sc.types["DisplayableError"] = &typeDef{name: "DisplayableError",
		possible: []string{"UserError", "ProductSetUserError", "ProductVariantsBulkUpdateUserError",
			"ProductVariantsBulkCreateUserError", "ProductVariantsBulkDeleteUserError",
			"InventorySetQuantitiesUserError", "BulkOperationUserError", "BulkMutationUserError"},
		fields: map[string]*fieldDef{"field": {}, "message": {}}}
	de := []string{"DisplayableError"}

	sc.mapType("PageInfo", nil, "hasNextPage", "hasPreviousPage", "startCursor", "endCursor")
	sc.mapType("Count", nil, "count", "precision")
	sc.mapType("ShopPlan", nil, "publicDisplayName", "displayName", "partnerDevelopment", "shopifyPlus")
	sc.mapType("AccessScope", nil, "handle", "description")
	sc.mapType("App", node, "id", "title", "handle", "apiKey")
	sc.mapType("AppInstallation", node, "id", "accessScopes:[AccessScope]", "app:App")
	sc.mapType("SelectedOption", nil, "name", "value")
	sc.mapType("ProductOptionValue", node, "id", "name", "hasVariants", "linkedMetafieldValue")
	sc.mapType("InventoryQuantity", node, "id", "name", "quantity", "updatedAt")
	sc.mapType("InventoryChange", nil, "name", "delta", "quantityAfterChange", "ledgerDocumentUri", "item:InventoryItem", "location:Location")
	sc.mapType("InventoryAdjustmentGroup", node, "id", "createdAt", "reason", "referenceDocumentUri", "changes:[InventoryChange]")
	sc.mapType("StagedUploadParameter", nil, "name", "value")
	sc.mapType("StagedMediaUploadTarget", nil, "url", "resourceUrl", "parameters:[StagedUploadParameter]")
	sc.mapType("ProductSetOperation", node, "id", "status", "product:Product", "userErrors:[ProductSetUserError]")
	sc.mapType("UserError", de, "field", "message")
	for _, n := range []string{"ProductSetUserError", "ProductVariantsBulkUpdateUserError", "ProductVariantsBulkCreateUserError",
		"ProductVariantsBulkDeleteUserError", "InventorySetQuantitiesUserError", "BulkOperationUserError", "BulkMutationUserError"} {
		sc.mapType(n, de, "field", "message", "code")
	}
	sc.mapType("ProductSetPayload", nil, "product:Product", "productSetOperation:ProductSetOperation", "userErrors:[ProductSetUserError]")
	sc.mapType("ProductVariantsBulkUpdatePayload", nil, "product:Product", "productVariants:[ProductVariant]", "userErrors:[ProductVariantsBulkUpdateUserError]")
	sc.mapType("ProductVariantsBulkCreatePayload", nil, "product:Product", "productVariants:[ProductVariant]", "userErrors:[ProductVariantsBulkCreateUserError]")
	sc.mapType("ProductVariantsBulkDeletePayload", nil, "product:Product", "userErrors:[ProductVariantsBulkDeleteUserError]")
	sc.mapType("InventorySetQuantitiesPayload", nil, "inventoryAdjustmentGroup:InventoryAdjustmentGroup", "userErrors:[InventorySetQuantitiesUserError]")
	sc.mapType("InventoryActivatePayload", nil, "inventoryLevel:InventoryLevel", "userErrors:[UserError]")
	sc.mapType("ProductCreatePayload", nil, "product:Product", "shop:Shop", "userErrors:[UserError]")
	sc.mapType("ProductUpdatePayload", nil, "product:Product", "userErrors:[UserError]")
	sc.mapType("ProductDeletePayload", nil, "deletedProductId", "shop:Shop", "userErrors:[UserError]")
	sc.mapType("StagedUploadsCreatePayload", nil, "stagedTargets:[StagedMediaUploadTarget]", "userErrors:[UserError]")
	sc.mapType("BulkOperationRunQueryPayload", nil, "bulkOperation:BulkOperation", "userErrors:[BulkOperationUserError]")
	sc.mapType("BulkOperationRunMutationPayload", nil, "bulkOperation:BulkOperation", "userErrors:[BulkMutationUserError]")
	sc.mapType("BulkOperationCancelPayload", nil, "bulkOperation:BulkOperation", "userErrors:[UserError]")

	addShopType(sc)
	addCatalogTypes(sc)
	addMediaTypes(sc)
	addFieldTypes(sc)
	addBulkType(sc)
	addQueryRoot(sc)
	addMutationRoot(sc)
	addPublications(sc)
	addMetafieldTypes(sc)
	addMetaobjects(sc)
	addTaxonomyTypes(sc)
	addMarketTypes(sc)
	return sc
}

func addShopType(sc *schema) {
	sc.objType("Shop", []string{"Node"}, map[string]*fieldDef{
		"id":              scalar(func(p any) any { return gid("Shop", p.(*Shop).id) }),
		"name":            scalar(func(p any) any { return p.(*Shop).displayName() }),
		"myshopifyDomain": scalar(func(p any) any { return p.(*Shop).Domain() }),
		"currencyCode":    scalar(func(any) any { return "USD" }),
		"email":           scalar(func(p any) any { return "owner@" + p.(*Shop).name + ".example" }),
		"ianaTimezone":    scalar(func(any) any { return "UTC" }),
		"plan": ref("ShopPlan", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			sh := p.(*Shop)
			plus := sh.plan == PlanPlus || sh.plan == PlanEnterprise
			return obj("ShopPlan", "publicDisplayName", string(sh.plan), "displayName", string(sh.plan),
				"partnerDevelopment", false, "shopifyPlus", plus), nil
		}),
	})
}

// displayName turns "outdoor-gear" into "Outdoor Gear".
func (sh *Shop) displayName() string {
	words := strings.Split(sh.name, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
