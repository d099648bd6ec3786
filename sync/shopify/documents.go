package shopify

import (
	"strconv"
	"strings"
)

// Every GraphQL document Shelfsync sends. The contract test validates each
// one against the Admin API schema (admin-2026-04.graphql).

const productFields = `
fragment ProductFields on Product {
  id handle title descriptionHtml vendor productType tags status publishedAt seo { title description } isGiftCard category { id fullName }
  options { id name position linkedMetafield { namespace key } optionValues { name linkedMetafieldValue } }
}
`

// variantFields needs the operation to declare $levels: Int!.
const variantFields = `
fragment VariantFields on ProductVariant {
  id title sku barcode price compareAtPrice inventoryPolicy position taxable
  unitPriceMeasurement { quantityValue quantityUnit referenceValue referenceUnit } showUnitPrice
  selectedOptions { name value }
  inventoryItem {
    id tracked requiresShipping harmonizedSystemCode countryCodeOfOrigin unitCost { amount } measurement { weight { value unit } }
    inventoryLevels(first: $levels) { nodes { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } }
  }
}
`

const docShopInfo = `query ShopInfo {
  shop { id name myshopifyDomain currencyCode plan { publicDisplayName partnerDevelopment shopifyPlus } }
  currentAppInstallation { accessScopes { handle } }
}`

// docLocations includes fulfillment services' legacy locations: "locations"
// leaves them out by default (includeLegacy: Boolean = false, 2026-04
// schema), but an item's inventoryLevels still has its level there, so
// the level count per item must count them.
const docLocations = `query Locations($first: Int!, $after: String) {
  locations(first: $first, after: $after, includeLegacy: true) { nodes { id name isActive isFulfillmentService } pageInfo { hasNextPage endCursor } }
}`

const docProducts = `query Products($first: Int!, $after: String, $query: String, $variants: Int!, $levels: Int!) {
  products(first: $first, after: $after, query: $query) {
    nodes {
      ...ProductFields
      variants(first: $variants) { nodes { ...VariantFields } pageInfo { hasNextPage endCursor } }
    }
    pageInfo { hasNextPage endCursor }
  }
}` + productFields + variantFields

const docProductVariants = `query ProductVariants($id: ID!, $first: Int!, $after: String, $levels: Int!) {
  product(id: $id) {
    variants(first: $first, after: $after) { nodes { ...VariantFields } pageInfo { hasNextPage endCursor } }
  }
}` + variantFields

// productsByIDDoc reads n products by ID, one aliased product(id:) per ID
// ($id0… → p0…): an exact lookup, not a search, so it sees every status and
// products created a moment ago. Aliases rather than nodes(ids:) keep the
// cost estimate exact (each field is priced like any object field).
func productsByIDDoc(n int) string {
	var vars, fields strings.Builder
	for i := range n {
		k := strconv.Itoa(i)
		vars.WriteString(", $id" + k + ": ID!")
		fields.WriteString("  p" + k + ": product(id: $id" + k + ") { ...ProductFields variants(first: $variants) { nodes { ...VariantFields } pageInfo { hasNextPage endCursor } } }\n")
	}
	return "query ProductsByID($variants: Int!, $levels: Int!" + vars.String() + ") {\n" + fields.String() + "}" +
		productFields + variantFields
}

// productIDsByHandleDoc looks n handles up exactly, one aliased
// productByIdentifier per handle ($h0… → p0…). There is no list form of the
// lookup (schema QueryRoot.productByIdentifier takes one identifier).
func productIDsByHandleDoc(n int) string {
	var vars, fields strings.Builder
	for i := range n {
		k := strconv.Itoa(i)
		if i > 0 {
			vars.WriteString(", ")
		}
		vars.WriteString("$h" + k + ": String!")
		fields.WriteString("  p" + k + ": productByIdentifier(identifier: {handle: $h" + k + "}) { id handle }\n")
	}
	return "query ProductIDsByHandle(" + vars.String() + ") {\n" + fields.String() + "}"
}

// docVariantsBySKU searches variants by SKU or by barcode (the query
// variable holds sku:… or barcode:… terms).
const docVariantsBySKU = `query VariantsBySKU($first: Int!, $after: String, $query: String!, $levels: Int!) {
  productVariants(first: $first, after: $after, query: $query) {
    nodes { ...VariantFields product { id handle } }
    pageInfo { hasNextPage endCursor }
  }
}` + variantFields

// BulkProductsQuery is the bulk-operation query behind AllProductsBulk: every
// variant with its product inline and its inventory levels as child lines.
// Bulk queries allow connections nested two deep, so products are reached
// through their variants.
const BulkProductsQuery = `{
  productVariants {
    edges { node {
      id title sku barcode price compareAtPrice inventoryPolicy position taxable
      unitPriceMeasurement { quantityValue quantityUnit referenceValue referenceUnit } showUnitPrice
      selectedOptions { name value }
      product { id handle title descriptionHtml vendor productType tags status publishedAt seo { title description } isGiftCard category { id fullName } options { id name position linkedMetafield { namespace key } optionValues { name linkedMetafieldValue } } }
      inventoryItem { id tracked requiresShipping harmonizedSystemCode countryCodeOfOrigin unitCost { amount } measurement { weight { value unit } } inventoryLevels { edges { node { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } } }
    } }
  }
}`

const docBulkRunQuery = `mutation BulkRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) { bulkOperation { id status } userErrors { field message code } }
}`

const docBulkOperation = `query BulkOperation($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount fileSize url partialDataUrl createdAt completedAt type query }
}`

const docBulkCancel = `mutation BulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }
}`

const docStagedUploads = `mutation StagedUploads($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`

const docBulkRunMutation = `mutation BulkRunMutation($mutation: String!, $path: String!, $clientIdentifier: String) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path, clientIdentifier: $clientIdentifier) {
    bulkOperation { id status } userErrors { field message code }
  }
}`

// BulkVariantsUpdateMutation is a mutation for BulkMutation: each JSONL line
// holds {"productId": …, "variants": [ProductVariantsBulkInput…]}.
const BulkVariantsUpdateMutation = `mutation VariantsBulkUpdateInBulk($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
    productVariants { id price compareAtPrice } userErrors { field message code }
  }
}`

// BulkSetInventoryMutation is inventorySetQuantities for BulkMutation: each
// JSONL line holds {"input": InventorySetQuantitiesInput (at most 250
// quantities, each with changeFromQuantity), "key": its idempotency key}.
// Bulk mutations run any mutation since API 2026-01 ("Support for all
// mutations: Previously bulk mutations only supported a limited set of
// actions. Now, you can execute any mutation using bulk operations across all
// API versions", https://shopify.dev/changelog/faster-bulk-operations); the
// earlier list did not include inventorySetQuantities
// (https://community.shopify.com/t/bulk-update-inventory-quantities-using-inventorysetquantities/334081).
// The key is required for this mutation from 2026-04 (schema description);
// whether Shopify honours @idempotent inside a bulk operation is not
// documented (UNCONFIRMED), so the engine never relies on it: it journals
// each line before the start and resends nothing a bulk operation may have
// run without re-reading the store first. One line costs 10 points (every
// mutation; the dynamic input complexity Shopify added in 2025-10 prices
// product, variant, metafield and media inputs, not inventory quantities:
// see fakeshop's inputComplexity), far under the 1,000 a line may cost.
const BulkSetInventoryMutation = `mutation SetInventoryInBulk($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    userErrors { field message code }
  }
}`

// docProductSetInBulk is productSet for bulkOperationRunMutation: each JSONL
// line holds {"input": ProductSetInput}, without an identifier, so every
// line creates and a handle the store already has is refused
// (HANDLE_NOT_UNIQUE) rather than overwritten. It
// reads back only what a run records: the product's and variants' IDs, and
// its images' IDs ($media: as many as the input's files, which productSet
// creates in input order), so the run knows each image by the address it
// was fetched from without reading the products again.
// Whether Shopify prefers synchronous: false inside a bulk operation is
// UNCONFIRMED; synchronous answers carry the product, which the journal needs
// (productSet reference: "When run in synchronous mode, you will get the
// product back in the response").
const docProductSetInBulk = `mutation ProductSetInBulk($input: ProductSetInput!, $variants: Int!, $media: Int!) {
  productSet(input: $input, synchronous: true) {
    product { id handle variants(first: $variants) { nodes { id sku selectedOptions { name value } inventoryItem { id } } } media(first: $media) { nodes { id } } }
    userErrors { field message code }
  }
}`

// docProductSet creates a product: no identifier, so a taken handle is
// refused with HANDLE_NOT_UNIQUE instead of replacing that product's
// variants (productSet with identifier {handle} is an upsert, and its list
// fields are full-replace: schema productSet description).
const docProductSet = `mutation ProductSet($input: ProductSetInput!, $variants: Int!) {
  productSet(input: $input, synchronous: true) {
    product {
      ...ProductFields
      variants(first: $variants) {
        nodes { id title sku barcode price compareAtPrice inventoryPolicy position selectedOptions { name value } inventoryItem { id tracked } }
        pageInfo { hasNextPage endCursor }
      }
    }
    userErrors { field message code }
  }
}` + productFields

const docVariantsBulkUpdate = `mutation VariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $allowPartialUpdates: Boolean) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: $allowPartialUpdates) {
    productVariants { id title sku barcode price compareAtPrice inventoryPolicy position selectedOptions { name value } inventoryItem { id tracked } }
    userErrors { field message code }
  }
}`

const docVariantsBulkCreate = `mutation VariantsBulkCreate($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $strategy: ProductVariantsBulkCreateStrategy) {
  productVariantsBulkCreate(productId: $productId, variants: $variants, strategy: $strategy) {
    productVariants { id title sku barcode price compareAtPrice inventoryPolicy position selectedOptions { name value } inventoryItem { id tracked } }
    userErrors { field message code }
  }
}`

const docVariantsBulkDelete = `mutation VariantsBulkDelete($productId: ID!, $variantsIds: [ID!]!) {
  productVariantsBulkDelete(productId: $productId, variantsIds: $variantsIds) { product { id } userErrors { field message code } }
}`

// docSetInventory: as of 2026-04 the idempotency key is required (schema
// description of inventorySetQuantities; FACTS.md §9).
const docSetInventory = `mutation SetInventory($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}`

// docInventoryActivate: idempotency key required as of 2026-04 (schema description).
const docInventoryActivate = `mutation InventoryActivate($inventoryItemId: ID!, $locationId: ID!, $available: Int, $onHand: Int, $key: String!) {
  inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId, available: $available, onHand: $onHand) @idempotent(key: $key) {
    inventoryLevel { id location { id } quantities(names: ["available", "on_hand"]) { name quantity } }
    userErrors { field message }
  }
}`

// docProductUpdate changes product-level fields of the product with this
// ID: addressing by ID, never by the sheet's handle, so a product whose
// handle was renamed in Shopify is updated rather than duplicated.
const docProductUpdate = `mutation ProductUpdate($product: ProductUpdateInput!) {
  productUpdate(product: $product) { product { id handle } userErrors { field message } }
}`

const docProductUpdateStatus = `mutation ProductUpdateStatus($id: ID!, $status: ProductStatus!) {
  productUpdate(product: {id: $id, status: $status}) { product { id status } userErrors { field message } }
}`

const docProductDelete = `mutation ProductDelete($id: ID!) {
  productDelete(input: {id: $id}) { deletedProductId userErrors { field message } }
}`

// Documents returns every GraphQL document the package sends, by name.
func Documents() map[string]string {
	docs := map[string]string{
		"ShopInfo":                   docShopInfo,
		"Locations":                  docLocations,
		"Products":                   docProducts,
		"ProductVariants":            docProductVariants,
		"VariantsBySKU":              docVariantsBySKU,
		"ProductsByID":               productsByIDDoc(2),
		"ProductIDsByHandle":         productIDsByHandleDoc(3),
		"ProductUpdate":              docProductUpdate,
		"BulkProductsQuery":          BulkProductsQuery,
		"BulkRunQuery":               docBulkRunQuery,
		"BulkOperation":              docBulkOperation,
		"BulkCancel":                 docBulkCancel,
		"StagedUploads":              docStagedUploads,
		"BulkRunMutation":            docBulkRunMutation,
		"BulkVariantsUpdateMutation": BulkVariantsUpdateMutation,
		"BulkSetInventoryMutation":   BulkSetInventoryMutation,
		"CurrentBulkMutation":        docCurrentBulkMutation,
		"ProductSet":                 docProductSet,
		"ProductSetInBulk":           docProductSetInBulk,
		"VariantsBulkUpdate":         docVariantsBulkUpdate,
		"VariantsBulkCreate":         docVariantsBulkCreate,
		"VariantsBulkDelete":         docVariantsBulkDelete,
		"SetInventory":               docSetInventory,
		"InventoryActivate":          docInventoryActivate,
		"ProductUpdateStatus":        docProductUpdateStatus,
		"ProductDelete":              docProductDelete,
		"Publications":               docPublications,
		"Publish":                    docPublish,
		"VariantsCount":              docVariantsCount,
	}
	for name, doc := range metafieldDocuments() {
		docs[name] = doc
	}
	for name, doc := range linkedDocuments() {
		docs[name] = doc
	}
	for name, doc := range marketDocuments() {
		docs[name] = doc
	}
	for name, doc := range mediaDocuments() {
		docs[name] = doc
	}
	for name, doc := range readDocuments() {
		docs[name] = doc
	}
	return docs
}
