package sync

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Store is what the engine needs from one shop. NewShopStore implements it
// over a *shopify.Client; tests may use any implementation. Every method may
// be called from several goroutines at once.
//
// Errors: a per-item refusal is an *ItemErrors; a request whose outcome is
// unknown (sent, answer lost) should match shopify.ErrOutcomeUnknown or
// shopify.ErrUnreachable, and the engine then re-reads the store before it
// decides to send again.
type Store interface {
	// Locations lists the shop's locations.
	Locations(ctx context.Context) ([]Location, error)
	// Products returns the products matching any of the query's IDs,
	// handles, SKUs or barcodes, each with all of its variants and inventory
	// levels. IDs and handles must be matched exactly and across every
	// status (NewShopStore uses nodes and productByIdentifier, not search):
	// whether a product exists is decided by them.
	Products(ctx context.Context, q ProductQuery) ([]SnapProduct, error)
	// AllProducts reads the whole catalog (a bulk query for large shops).
	AllProducts(ctx context.Context) ([]SnapProduct, error)

	// ProductSet creates a product and returns it as stored. It must never
	// change an existing product: when the handle is taken the store refuses
	// with an *ItemErrors of code CodeHandleTaken (productSet without an
	// identifier).
	ProductSet(ctx context.Context, in ProductInput) (SnapProduct, error)
	// ProductUpdate changes product-level fields of the product with this ID,
	// leaving its handle and variants alone (productUpdate). Addressing by ID
	// keeps a product whose handle was renamed in Shopify from being
	// duplicated under the sheet's handle.
	ProductUpdate(ctx context.Context, productID string, in ProductFields) error
	// ProductDelete deletes a product (productDelete).
	ProductDelete(ctx context.Context, id string) error
	// VariantsUpdate updates variants of one product
	// (productVariantsBulkUpdate, at most 250 variants).
	VariantsUpdate(ctx context.Context, productID string, in []VariantInput) error
	// VariantsCreate adds variants to one product (productVariantsBulkCreate)
	// and returns them as created, in input order.
	VariantsCreate(ctx context.Context, productID string, in []VariantInput) ([]SnapVariant, error)
	// VariantsDelete deletes variants of one product (productVariantsBulkDelete).
	VariantsDelete(ctx context.Context, productID string, variantIDs []string) error
	// SetQuantities sets available quantities (inventorySetQuantities with
	// changeFromQuantity, at most 250) under the idempotency key key.
	SetQuantities(ctx context.Context, key string, in []QuantityInput) error
	// Activate stocks an inventory item at a location with an available
	// quantity (inventoryActivate) under the idempotency key key.
	Activate(ctx context.Context, key, itemID, locationID string, available int) error
}

// BulkCreator is implemented by stores that can create many products in one
// bulk operation (NewShopStore's does). Like ProductSet, each line only
// creates: a taken handle is refused with CodeHandleTaken. fn gets each
// product's outcome; products without one (the operation failed part way)
// have an unknown outcome, and the engine looks them up by handle before it
// sends them again.
type BulkCreator interface {
	ProductSetBulk(ctx context.Context, in []ProductInput, fn func(i int, sp SnapProduct, err error)) error
}

// Location is one of the shop's locations.
type Location struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	IsActive bool   `json:"isActive"`
	// FulfillmentService marks a fulfillment service's (3PL's) location,
	// whose stock the service usually reports itself.
	FulfillmentService bool `json:"fulfillmentService,omitempty"`
}

// ProductQuery selects products by any of several keys (joined with OR).
type ProductQuery struct {
	IDs      []string // product IDs
	Handles  []string
	SKUs     []string // products with a variant of one of these SKUs
	Barcodes []string // products with a variant of one of these barcodes
}

// Empty reports whether the query selects nothing.
func (q ProductQuery) Empty() bool {
	return len(q.IDs)+len(q.Handles)+len(q.SKUs)+len(q.Barcodes) == 0
}

// SnapProduct is a product as the store has it now.
type SnapProduct struct {
	ID              string        `json:"id"`
	Handle          string        `json:"handle"`
	Title           string        `json:"title"`
	DescriptionHTML string        `json:"descriptionHtml,omitempty"`
	Vendor          string        `json:"vendor,omitempty"`
	ProductType     string        `json:"productType,omitempty"`
	Tags            []string      `json:"tags,omitempty"`
	Status          string        `json:"status,omitempty"`
	Options         []string      `json:"options,omitempty"` // names; none for a single "Title" option
	Variants        []SnapVariant `json:"variants"`
	SEOTitle        string        `json:"seoTitle,omitempty"`
	SEODescription  string        `json:"seoDescription,omitempty"`
	GiftCard        bool          `json:"giftCard,omitempty"`
	CategoryID      string        `json:"categoryId,omitempty"`   // gid://shopify/TaxonomyCategory/…
	CategoryName    string        `json:"categoryName,omitempty"` // its full name
	// Published says the product is on the Online Store (read for export:
	// a sheet's Published column is used only on create).
	Published bool `json:"published,omitempty"`
	// Metafields are the values of the metafields the sheet has columns
	// for ("namespace.key" → value; absent when not set).
	Metafields map[string]string `json:"metafields,omitempty"`
	// Links line up with Options when any option is linked to a metafield
	// (linked.go); nil otherwise.
	Links []SnapLink `json:"links,omitempty"`
	// Media are the product's images in order, read (MediaRead) only for
	// products the sheet gives images for, and for export.
	Media     []SnapMedia `json:"media,omitempty"`
	MediaRead bool        `json:"-"`
}

// SnapLink is how one option is linked: the product metafield
// ("namespace.key", "" when the option is not linked) and the metaobject
// entry GID of each value, by the value's name.
type SnapLink struct {
	Metafield string            `json:"metafield,omitempty"`
	Values    map[string]string `json:"values,omitempty"`
}

// SnapVariant is a variant with its inventory as the store has it now.
type SnapVariant struct {
	ID              string   `json:"id"`
	SKU             string   `json:"sku,omitempty"`
	Barcode         string   `json:"barcode,omitempty"`
	Price           string   `json:"price"`                    // decimal, "19.90"
	CompareAtPrice  string   `json:"compareAtPrice,omitempty"` // "" for none
	InventoryPolicy string   `json:"inventoryPolicy,omitempty"`
	OptionValues    []string `json:"optionValues,omitempty"` // lined up with the product's Options
	InventoryItemID string   `json:"inventoryItemId,omitempty"`
	// Tracked says Shopify tracks the variant's inventory (read for export:
	// a sheet's tracker column is used only on create).
	Tracked bool `json:"tracked,omitempty"`
	// Levels are the item's quantities at each location that stocks it; a
	// location that does not stock the item is absent. A slice, not maps by
	// location: two maps per variant cost a 100,000-variant store ~50 MB.
	Levels []StockLevel `json:"levels,omitempty"`
	// Weight is the inventory item's weight in WeightUnit (the API's
	// WeightUnit enum; "" when the store has none).
	Weight           float64 `json:"weight,omitempty"`
	WeightUnit       string  `json:"weightUnit,omitempty"`
	Cost             string  `json:"cost,omitempty"` // decimal; "" when none
	RequiresShipping bool    `json:"requiresShipping,omitempty"`
	Taxable          bool    `json:"taxable,omitempty"`
	HSCode           string  `json:"hsCode,omitempty"`
	CountryOfOrigin  string  `json:"countryOfOrigin,omitempty"`
	// UnitPrice is the unit price measurement the storefront shows: nil
	// when the variant has none, or has one with showUnitPrice off (see
	// FieldUnitPrice). A pointer: most stores have none.
	UnitPrice *catalog.UnitPrice `json:"unitPrice,omitempty"`
	// Metafields are as in SnapProduct.
	Metafields map[string]string `json:"metafields,omitempty"`
	// FixedPrices are the variant's fixed prices on the price lists of the
	// sheet's markets, by price list ID (absent: none; markets.go).
	FixedPrices map[string]FixedPrice `json:"fixedPrices,omitempty"`
	// MediaID is the variant's image (one of its product's Media), read with them.
	MediaID string `json:"mediaId,omitempty"`
}

// StockLevel is an inventory item's quantities at one location.
type StockLevel struct {
	LocationID string `json:"locationId"`
	Available  int    `json:"available"`
	// OnHand is available + committed + unavailable, for sheets that set on hand.
	OnHand int `json:"onHand"`
}

// level is the variant's stock at a location, and whether the item is stocked there.
func (v *SnapVariant) level(loc string) (StockLevel, bool) {
	for _, l := range v.Levels {
		if l.LocationID == loc {
			return l, true
		}
	}
	return StockLevel{}, false
}

// ProductFields are the product-level fields to write; nil means "leave it".
type ProductFields struct {
	Title           *string   `json:"title,omitempty"`
	DescriptionHTML *string   `json:"descriptionHtml,omitempty"`
	Vendor          *string   `json:"vendor,omitempty"`
	ProductType     *string   `json:"productType,omitempty"`
	Tags            *[]string `json:"tags,omitempty"`
	Status          *string   `json:"status,omitempty"`
	// Extra holds the other fields to write (SEO, gift card), keyed by
	// their FieldChange key and encoded as in a FieldChange (fields.go).
	Extra map[string]string `json:"extra,omitempty"`
}

// ProductInput is a whole product to create.
type ProductInput struct {
	Handle string `json:"handle"`
	ProductFields
	Options  []OptionInput  `json:"options,omitempty"` // none: a single "Title" option
	Variants []VariantInput `json:"variants"`
	// Files are the product's images in order, fetched by Shopify from their URLs.
	Files []FileInput `json:"files,omitempty"`
	// PublishTo are the publications the product is published to once it
	// is created (publish.go). When empty it stays unpublished, and
	// Unpublished says why.
	PublishTo   []Publication `json:"publishTo,omitempty"`
	Unpublished string        `json:"unpublished,omitempty"`
}

// FileInput is an image Shopify fetches from Source.
type FileInput struct {
	Source string `json:"source"`
	Alt    string `json:"alt,omitempty"`
}

// OptionInput is one product option with its values in order.
type OptionInput struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
	// Linked is the product metafield ("namespace.key") the option is linked
	// to, and LinkedValues the metaobject entry GID of each of Values.
	Linked       string   `json:"linked,omitempty"`
	LinkedValues []string `json:"linkedValues,omitempty"`
}

// VariantInput is a variant to create or the fields of one to update; nil
// pointers are left alone.
type VariantInput struct {
	ID              string  `json:"id,omitempty"`
	SKU             *string `json:"sku,omitempty"`
	Barcode         *string `json:"barcode,omitempty"`
	Price           *string `json:"price,omitempty"`
	CompareAtPrice  *string `json:"compareAtPrice,omitempty"` // "" clears it (null)
	InventoryPolicy *string `json:"inventoryPolicy,omitempty"`
	// OptionValues pair the product's option names with this variant's values.
	OptionValues []OptionValue `json:"optionValues,omitempty"`
	// Quantities are initial available quantities (create only).
	Quantities []LocationQuantity `json:"quantities,omitempty"`
	// Tracked says whether a created variant's inventory is tracked
	// (inventoryItem.tracked, always sent on create: Shopify documents no
	// default). nil on updates leaves tracking alone.
	Tracked *bool `json:"tracked,omitempty"`
	// Image is the URL of the variant's image: with the product's create,
	// one of its Files; for a variant added to an existing product, an image
	// the same run adds to the product, whose media ID the run puts in
	// MediaID once Shopify has processed it (images_apply.go).
	Image string `json:"image,omitempty"`
	// MediaID is the image of a variant added to an existing product: one of
	// the product's images (images.go).
	MediaID string `json:"mediaId,omitempty"`
	// Extra holds the other fields to write (weight, cost, shipping, tax,
	// customs), keyed and encoded as in a FieldChange (fields.go).
	Extra map[string]string `json:"extra,omitempty"`
	// MarketPrices are a new variant's fixed prices in markets, written
	// once it exists (markets.go).
	MarketPrices []MarketPriceInput `json:"marketPrices,omitempty"`
}

// OptionValue is one option value of a variant.
type OptionValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Linked is the metaobject entry GID of a linked option's value.
	Linked string `json:"linked,omitempty"`
}

// LocationQuantity is an available quantity at a location.
type LocationQuantity struct {
	LocationID string `json:"locationId"`
	Quantity   int    `json:"quantity"`
}

// QuantityInput sets one available quantity, compare-and-swap style.
type QuantityInput struct {
	InventoryItemID    string `json:"inventoryItemId"`
	LocationID         string `json:"locationId"`
	Quantity           int    `json:"quantity"`
	ChangeFromQuantity int    `json:"changeFromQuantity"`
	// Name is the quantity set: "" (available) or catalog.QuantityOnHand.
	Name string `json:"name,omitempty"`
}

// CodeStale is the user error code of inventorySetQuantities when
// changeFromQuantity no longer matches the store
// (https://shopify.dev/changelog/finalizing-compare-and-swap-redesign-for-inventory-set-quantities).
const CodeStale = "CHANGE_FROM_QUANTITY_STALE"

// CodeHandleTaken is the user error code of productSet when the input's
// handle belongs to another product (validated since 2025-01:
// https://shopify.dev/changelog/new-validation-against-duplicate-handles-in-productcreate-productupdate-and-productset-mutation-inputs).
const CodeHandleTaken = "HANDLE_NOT_UNIQUE"

// ItemErrors is returned by a Store mutation that the shop refused for some
// of its input items. Applied says whether the items without an error were
// applied anyway (productVariantsBulkUpdate with allowPartialUpdates) or the
// whole request was rejected (inventorySetQuantities).
type ItemErrors struct {
	Op      string
	Applied bool
	Items   []ItemError
}

// ItemError is one refused input item. Index is its position in the input
// list, or -1 when the shop did not say which item it was.
type ItemError struct {
	Index   int
	Code    string
	Message string
}

// Error implements error.
func (e *ItemErrors) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	for i, it := range e.Items {
		if i > 0 {
			b.WriteString("; ")
		}
		if it.Index >= 0 {
			b.WriteString("item " + strconv.Itoa(it.Index) + ": ")
		}
		b.WriteString(it.Message)
	}
	return b.String()
}

// itemErrors unwraps an *ItemErrors.
func itemErrors(err error) (*ItemErrors, bool) {
	var ie *ItemErrors
	ok := errors.As(err, &ie)
	return ie, ok
}

// errFor returns the error for input item i (or one for every item when the
// shop gave no index), and "" when item i is fine.
func (e *ItemErrors) errFor(i int) (ItemError, bool) {
	for _, it := range e.Items {
		if it.Index == i {
			return it, true
		}
	}
	for _, it := range e.Items {
		if it.Index < 0 {
			return it, true
		}
	}
	return ItemError{}, false
}
