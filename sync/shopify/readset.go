package shopify

import (
	"context"
	"strconv"
	"strings"
)

// ReadSet names the optional parts of a whole-store read (AllProductsWith,
// AllProductsBulkWith). What matching and the plan's labels need is always
// read: product ID, handle, title, status and options; variant ID, title,
// SKU, barcode, position, option values and inventory item ID. A part left
// out comes back as its zero value, so the caller must not compare it.
type ReadSet uint32

// The optional parts of a read.
const (
	ReadDescription      ReadSet = 1 << iota // descriptionHtml
	ReadVendor                               // vendor
	ReadProductType                          // productType
	ReadTags                                 // tags
	ReadPublished                            // publishedAt
	ReadSEO                                  // seo { title description }
	ReadGiftCard                             // isGiftCard
	ReadCategory                             // category { id fullName }
	ReadPrice                                // price
	ReadCompareAtPrice                       // compareAtPrice
	ReadInventoryPolicy                      // inventoryPolicy
	ReadTaxable                              // taxable
	ReadRequiresShipping                     // inventoryItem.requiresShipping
	ReadCustoms                              // inventoryItem.harmonizedSystemCode, countryCodeOfOrigin
	ReadCost                                 // inventoryItem.unitCost
	ReadWeight                               // inventoryItem.measurement.weight
	ReadUnitPrice                            // unitPriceMeasurement, showUnitPrice
	ReadStock                                // inventoryItem.tracked and its inventory levels

	// ReadAll is every part: what export and a read without a sheet need.
	ReadAll = ReadStock<<1 - 1
)

// selection pieces, in the order of the full documents.
var (
	productParts = []struct {
		part ReadSet
		sel  string
	}{
		{ReadDescription, "descriptionHtml"}, {ReadVendor, "vendor"}, {ReadProductType, "productType"},
		{ReadTags, "tags"}, {0, "status"}, {ReadPublished, "publishedAt"}, {ReadSEO, "seo { title description }"},
		{ReadGiftCard, "isGiftCard"}, {ReadCategory, "category { id fullName }"},
	}
	variantParts = []struct {
		part ReadSet
		sel  string
	}{
		{ReadPrice, "price"}, {ReadCompareAtPrice, "compareAtPrice"}, {ReadInventoryPolicy, "inventoryPolicy"},
		{0, "position"}, {ReadTaxable, "taxable"},
		{ReadUnitPrice, "unitPriceMeasurement { quantityValue quantityUnit referenceValue referenceUnit } showUnitPrice"},
	}
	itemParts = []struct {
		part ReadSet
		sel  string
	}{
		{ReadStock, "tracked"}, {ReadRequiresShipping, "requiresShipping"},
		{ReadCustoms, "harmonizedSystemCode countryCodeOfOrigin"}, {ReadCost, "unitCost { amount }"},
		{ReadWeight, "measurement { weight { value unit } }"},
	}
)

// optionsSelection is always read: matching goes by option values, and a
// linked option's metafield says where its values come from.
const optionsSelection = `options { id name position linkedMetafield { namespace key } optionValues { name linkedMetafieldValue } }`

const (
	levelsPaged = `inventoryLevels(first: $levels) { nodes { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } }`
	levelsBulk  = `inventoryLevels { edges { node { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } }`
)

func selectParts(b *strings.Builder, r ReadSet, parts []struct {
	part ReadSet
	sel  string
}) {
	for _, p := range parts {
		if p.part == 0 || r&p.part != 0 {
			b.WriteString(" " + p.sel)
		}
	}
}

// productSelection is a product's fields for r.
func productSelection(r ReadSet) string {
	var b strings.Builder
	b.WriteString("id handle title")
	selectParts(&b, r, productParts)
	b.WriteString(" " + optionsSelection)
	return b.String()
}

// variantSelection is a variant's own fields for r (its product and
// inventory item apart).
func variantSelection(r ReadSet) string {
	var b strings.Builder
	b.WriteString("id title sku barcode")
	selectParts(&b, r, variantParts)
	b.WriteString(" selectedOptions { name value }")
	return b.String()
}

// itemSelection is the inventory item's fields for r, levels written as given.
func itemSelection(r ReadSet, levels string) string {
	var b strings.Builder
	b.WriteString("inventoryItem { id")
	selectParts(&b, r, itemParts)
	if r&ReadStock != 0 {
		b.WriteString(" " + levels)
	}
	b.WriteString(" }")
	return b.String()
}

// BulkProductsQueryFor is BulkProductsQuery reading only r's optional parts.
func BulkProductsQueryFor(r ReadSet) string {
	return "{\n  productVariants {\n    edges { node {\n      " + variantSelection(r) +
		"\n      product { " + productSelection(r) + " }\n      " + itemSelection(r, levelsBulk) + "\n    } }\n  }\n}"
}

// productFragment and variantFragment are the ProductFields and
// VariantFields fragments for r.
func productFragment(r ReadSet) string {
	return "\nfragment ProductFields on Product {\n  " + productSelection(r) + "\n}\n"
}

func variantFragment(r ReadSet) string {
	return "\nfragment VariantFields on ProductVariant {\n  " + variantSelection(r) + "\n  " + itemSelection(r, levelsPaged) + "\n}\n"
}

// levelsDecl declares $levels where r reads inventory levels (a declared
// variable no field uses is invalid GraphQL).
func levelsDecl(r ReadSet) string {
	if r&ReadStock != 0 {
		return ", $levels: Int!"
	}
	return ""
}

// productsDocFor is docProducts reading only r's optional parts.
func productsDocFor(r ReadSet) string {
	return `query Products($first: Int!, $after: String, $query: String, $variants: Int!` + levelsDecl(r) + `) {
  products(first: $first, after: $after, query: $query) {
    nodes {
      ...ProductFields
      variants(first: $variants) { nodes { ...VariantFields } pageInfo { hasNextPage endCursor } }
    }
    pageInfo { hasNextPage endCursor }
  }
}` + productFragment(r) + variantFragment(r)
}

// productVariantsDocFor is docProductVariants reading only r's optional parts.
func productVariantsDocFor(r ReadSet) string {
	return `query ProductVariants($id: ID!, $first: Int!, $after: String` + levelsDecl(r) + `) {
  product(id: $id) {
    variants(first: $first, after: $after) { nodes { ...VariantFields } pageInfo { hasNextPage endCursor } }
  }
}` + variantFragment(r)
}

// readDocuments are the trimmed reads' documents for the contract test:
// the least and the most they can read, and each part alone.
func readDocuments() map[string]string {
	docs := map[string]string{}
	add := func(name string, r ReadSet) {
		docs["BulkProductsQuery/"+name] = BulkProductsQueryFor(r)
		docs["Products/"+name] = productsDocFor(r)
		docs["ProductVariants/"+name] = productVariantsDocFor(r)
	}
	add("minimal", 0)
	add("all", ReadAll)
	for i, r := 0, ReadSet(1); r < ReadAll; i, r = i+1, r<<1 {
		add("part"+strconv.Itoa(i), r)
	}
	return docs
}

// AllProductsWith is AllProducts reading only r's optional parts.
func (c *Client) AllProductsWith(ctx context.Context, r ReadSet, fn func(Product) error) error {
	l := 0
	if r&ReadStock != 0 {
		var err error
		if l, err = c.levels(ctx); err != nil {
			return err
		}
	}
	return c.products(ctx, allStatuses, productsPerPage(variantsWithProduct(l), l), l, r, fn)
}

// productsDoc and productVariantsDoc are the paged reads for r (the
// constants for a full read).
func productsDoc(r ReadSet) string {
	if r == ReadAll {
		return docProducts
	}
	return productsDocFor(r)
}

func productVariantsDoc(r ReadSet) string {
	if r == ReadAll {
		return docProductVariants
	}
	return productVariantsDocFor(r)
}

// withLevels adds $levels to vars when r reads inventory levels.
func withLevels(vars map[string]any, r ReadSet, levels int) map[string]any {
	if r&ReadStock != 0 {
		vars["levels"] = levels
	}
	return vars
}
