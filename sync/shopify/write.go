package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// maxInputItems is Shopify's cap on input arrays
// (https://shopify.dev/docs/api/usage/limits: 250 items).
const maxInputItems = 250

// ProductSetInput describes a whole product for ProductSet. Nil or empty
// fields are left as they are, except Variants: productSet replaces the
// variant list, deleting variants that are not in it (FACTS.md §9).
type ProductSetInput struct {
	Handle          string // required: the new product's handle (refused if taken)
	Title           *string
	DescriptionHTML *string
	Vendor          *string
	ProductType     *string
	Tags            []string // nil leaves tags alone; empty clears them
	Status          string   // ACTIVE, DRAFT, ARCHIVED; "" leaves it
	SEOTitle        *string  // seo.title
	SEODescription  *string  // seo.description
	GiftCard        *bool    // giftCard; Shelfsync sends it only when creating
	Category        *string  // category: a TaxonomyCategory ID; "" clears it (null)
	Options         []OptionInput
	Variants        []VariantInput
	// Files are the product's images (a list field: productSet replaces the
	// product's media with them, so Shelfsync sends them only on create).
	Files []FileInput
	// Metafields are set on create (also a list field; updates go through
	// SetMetafields). Defined metafields need no type.
	Metafields []Metafield
}

// metafieldInputs renders MetafieldInput values (OwnerID unused).
func metafieldInputs(mfs []Metafield) []map[string]any {
	out := make([]map[string]any, len(mfs))
	for i, m := range mfs {
		out[i] = map[string]any{"namespace": m.Namespace, "key": m.Key, "value": m.Value}
	}
	return out
}

// FileInput is an image for productSet (FileSetInput): Shopify fetches it
// from OriginalSource, an external URL (schema FileSetInput.originalSource).
type FileInput struct {
	OriginalSource string
	Alt            string
}

func (f FileInput) input() map[string]any {
	m := map[string]any{"originalSource": f.OriginalSource, "contentType": "IMAGE"}
	if f.Alt != "" {
		m["alt"] = f.Alt
	}
	return m
}

// OptionInput is a product option and its values, in order. A linked
// option names its metafield ("namespace.key") and gives the values as
// metaobject entry GIDs (LinkedMetafieldCreateInput.values): Shopify names
// them by the entries' display names and refuses plain values beside them
// (CANNOT_COMBINE_LINKED_AND_NONLINKED_OPTION_VALUES).
type OptionInput struct {
	Name            string
	Values          []string
	LinkedMetafield string
	LinkedValues    []string
}

// VariantInput is a variant to create (VariantsBulkCreate) or to set
// (ProductSet). Nil pointers are left out.
type VariantInput struct {
	ID              string           // ProductSet only: keep this existing variant
	OptionValues    []SelectedOption // option name → value
	SKU             *string
	Barcode         *string
	Price           *string
	CompareAtPrice  *string // pointer to "" clears it
	InventoryPolicy string  // DENY or CONTINUE; "" = Shopify's default
	Tracked         *bool
	Available       []LocationQuantity // initial available stock (new variants only)
	// File is the variant's image (ProductSet only); it must also be one of
	// the product's Files (schema ProductVariantSetInput.file).
	File *FileInput
	// MediaID is the variant's image when it is added to an existing product
	// (VariantsBulkCreate: ProductVariantsBulkInput.mediaId), one of the
	// product's images.
	MediaID string
	// Metafields are the variant's metafields (ProductSet only, on create).
	Metafields []Metafield
	VariantExtras
}

// LocationQuantity is a quantity at one location.
type LocationQuantity struct {
	LocationID string
	Quantity   int
}

// VariantUpdate changes fields of an existing variant (VariantsBulkUpdate).
// Nil pointers are left as they are.
type VariantUpdate struct {
	ID              string
	SKU             *string // sent as inventoryItem.sku: there is no top-level sku
	Barcode         *string
	Price           *string
	CompareAtPrice  *string // pointer to "" clears it
	InventoryPolicy string
	Tracked         *bool
	OptionValues    []SelectedOption
	VariantExtras
}

// VariantExtras are the variant's tax and its inventory item's weight, cost,
// shipping and customs fields (ProductVariantSetInput and
// ProductVariantsBulkInput share them: taxable, and inventoryItem as an
// InventoryItemInput). Nil pointers are left out.
type VariantExtras struct {
	Taxable              *bool
	Weight               *Weight // inventoryItem.measurement.weight
	Cost                 *string // inventoryItem.cost (Decimal)
	RequiresShipping     *bool
	HarmonizedSystemCode *string
	CountryCodeOfOrigin  *string // ISO 3166-1 alpha-2 (enum CountryCode)
	// UnitPrice is unitPriceMeasurement and ShowUnitPrice showUnitPrice
	// (ProductVariantSetInput and ProductVariantsBulkInput both have them).
	UnitPrice     *UnitPriceMeasurement
	ShowUnitPrice *bool
}

// put renders the extras into a variant input m and its inventoryItem input item.
func (x VariantExtras) put(m, item map[string]any) {
	if x.Taxable != nil {
		m["taxable"] = *x.Taxable
	}
	if u := x.UnitPrice; u != nil {
		m["unitPriceMeasurement"] = map[string]any{"quantityValue": u.QuantityValue, "quantityUnit": u.QuantityUnit,
			"referenceValue": u.ReferenceValue, "referenceUnit": u.ReferenceUnit}
	}
	if x.ShowUnitPrice != nil {
		m["showUnitPrice"] = *x.ShowUnitPrice
	}
	if x.Weight != nil {
		item["measurement"] = map[string]any{"weight": map[string]any{"value": x.Weight.Value, "unit": x.Weight.Unit}}
	}
	if x.Cost != nil {
		item["cost"] = nullIfEmpty(*x.Cost) // undoing a first cost clears it
	}
	if x.RequiresShipping != nil {
		item["requiresShipping"] = *x.RequiresShipping
	}
	if x.HarmonizedSystemCode != nil {
		item["harmonizedSystemCode"] = *x.HarmonizedSystemCode
	}
	if x.CountryCodeOfOrigin != nil {
		item["countryCodeOfOrigin"] = nullIfEmpty(*x.CountryCodeOfOrigin)
	}
}

// nullIfEmpty sends "" as null, for inputs where an empty string is not a value.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optionValues(sel []SelectedOption) []map[string]any {
	out := make([]map[string]any, len(sel))
	for i, s := range sel {
		if s.LinkedValue != "" {
			out[i] = map[string]any{"optionName": s.Name, "linkedMetafieldValue": s.LinkedValue}
			continue
		}
		out[i] = map[string]any{"optionName": s.Name, "name": s.Value}
	}
	return out
}

// setCommon sets the fields that ProductVariantSetInput and
// ProductVariantsBulkInput share.
func setCommon(m map[string]any, barcode, price, compareAt *string, policy string) {
	if barcode != nil {
		m["barcode"] = *barcode
	}
	setMoney(m, "price", price)
	setMoney(m, "compareAtPrice", compareAt)
	if policy != "" {
		m["inventoryPolicy"] = policy
	}
}

// setMoney sets a Money input: nil pointer → absent, "" → null.
func setMoney(m map[string]any, key string, v *string) {
	if v == nil {
		return
	}
	if *v == "" {
		m[key] = nil
		return
	}
	m[key] = *v
}

func inventoryItem(sku *string, tracked *bool) map[string]any {
	it := map[string]any{}
	if sku != nil {
		it["sku"] = *sku
	}
	if tracked != nil {
		it["tracked"] = *tracked
	}
	return it
}

// setInput renders a ProductVariantSetInput.
func (v VariantInput) setInput() map[string]any {
	m := map[string]any{"optionValues": optionValues(v.OptionValues)}
	if v.ID != "" {
		m["id"] = v.ID
	}
	if v.SKU != nil {
		m["sku"] = *v.SKU
	}
	setCommon(m, v.Barcode, v.Price, v.CompareAtPrice, v.InventoryPolicy)
	it := inventoryItem(nil, v.Tracked) // ProductVariantSetInput has a top-level sku
	v.put(m, it)
	if len(it) > 0 {
		m["inventoryItem"] = it
	}
	if len(v.Available) > 0 {
		q := make([]map[string]any, len(v.Available))
		for i, a := range v.Available {
			q[i] = map[string]any{"locationId": a.LocationID, "name": "available", "quantity": a.Quantity}
		}
		m["inventoryQuantities"] = q
	}
	if v.File != nil {
		m["file"] = v.File.input()
	}
	if len(v.Metafields) > 0 {
		m["metafields"] = metafieldInputs(v.Metafields)
	}
	return m
}

// bulkInput renders a ProductVariantsBulkInput for creation.
func (v VariantInput) bulkInput() map[string]any {
	m := map[string]any{"optionValues": optionValues(v.OptionValues)}
	setCommon(m, v.Barcode, v.Price, v.CompareAtPrice, v.InventoryPolicy)
	it := inventoryItem(v.SKU, v.Tracked)
	v.put(m, it)
	if len(it) > 0 {
		m["inventoryItem"] = it
	}
	if v.MediaID != "" {
		m["mediaId"] = v.MediaID
	}
	if len(v.Available) > 0 {
		q := make([]map[string]any, len(v.Available))
		for i, a := range v.Available {
			q[i] = map[string]any{"locationId": a.LocationID, "availableQuantity": a.Quantity}
		}
		m["inventoryQuantities"] = q
	}
	return m
}

// Input renders the update as a ProductVariantsBulkInput (also useful for
// the JSONL lines of BulkMutation with BulkVariantsUpdateMutation).
func (u VariantUpdate) Input() map[string]any {
	m := map[string]any{"id": u.ID}
	setCommon(m, u.Barcode, u.Price, u.CompareAtPrice, u.InventoryPolicy)
	it := inventoryItem(u.SKU, u.Tracked)
	u.put(m, it)
	if len(it) > 0 {
		m["inventoryItem"] = it
	}
	if len(u.OptionValues) > 0 {
		m["optionValues"] = optionValues(u.OptionValues)
	}
	return m
}

func (in ProductSetInput) input() map[string]any {
	m := map[string]any{"handle": in.Handle}
	for k, v := range map[string]*string{"title": in.Title, "descriptionHtml": in.DescriptionHTML, "vendor": in.Vendor, "productType": in.ProductType} {
		if v != nil {
			m[k] = *v
		}
	}
	if in.Tags != nil {
		m["tags"] = in.Tags
	}
	if in.Status != "" {
		m["status"] = in.Status
	}
	if in.SEOTitle != nil || in.SEODescription != nil {
		seo := map[string]any{}
		if in.SEOTitle != nil {
			seo["title"] = *in.SEOTitle
		}
		if in.SEODescription != nil {
			seo["description"] = *in.SEODescription
		}
		m["seo"] = seo
	}
	if in.GiftCard != nil {
		m["giftCard"] = *in.GiftCard
	}
	if in.Category != nil {
		m["category"] = nullIfEmpty(*in.Category)
	}
	if len(in.Metafields) > 0 {
		m["metafields"] = metafieldInputs(in.Metafields)
	}
	if len(in.Files) > 0 {
		fs := make([]map[string]any, len(in.Files))
		for i, f := range in.Files {
			fs[i] = f.input()
		}
		m["files"] = fs
	}
	if len(in.Options) > 0 {
		opts := make([]map[string]any, len(in.Options))
		for i, o := range in.Options {
			vals := make([]map[string]any, len(o.Values))
			for j, v := range o.Values {
				vals[j] = map[string]any{"name": v}
			}
			opts[i] = map[string]any{"name": o.Name, "position": i + 1, "values": vals}
			if ns, key, ok := strings.Cut(o.LinkedMetafield, "."); ok {
				opts[i] = map[string]any{"name": o.Name, "position": i + 1,
					"linkedMetafield": map[string]any{"namespace": ns, "key": key, "values": o.LinkedValues}}
			}
		}
		m["productOptions"] = opts
	}
	if in.Variants != nil {
		vs := make([]map[string]any, len(in.Variants))
		for i, v := range in.Variants {
			vs[i] = v.setInput()
		}
		m["variants"] = vs
	}
	return m
}

// productSetVariants is how many variants ProductSet reads back at most in
// its own answer; fewer when the input's complexity leaves less room
// (readBackPage), the rest are paged afterwards.
const productSetVariants = 250

// ProductSet creates a product with in.Handle (productSet, synchronous,
// without an identifier) and returns it with its variants' IDs and
// inventory item IDs (without inventory levels). It never touches an
// existing product: when the handle is taken, Shopify refuses with
// HANDLE_NOT_UNIQUE (handles in ProductSetInput are validated for
// uniqueness since 2025-01:
// https://shopify.dev/changelog/new-validation-against-duplicate-handles-in-productcreate-productupdate-and-productset-mutation-inputs).
func (c *Client) ProductSet(ctx context.Context, in ProductSetInput) (*Product, error) {
	if in.Handle == "" {
		return nil, fmt.Errorf("shopify: productSet needs a handle")
	}
	var d struct {
		ProductSet struct {
			Product    *wireProduct
			UserErrors []UserError
		}
	}
	vars := map[string]any{"input": in.input()}
	vars["variants"] = min(productSetVariants, readBackPage(docProductSet, vars, "variants"))
	if err := c.Do(ctx, docProductSet, vars, &d); err != nil {
		return nil, err
	}
	if err := userErrs("productSet", d.ProductSet.UserErrors); err != nil {
		return nil, err
	}
	if d.ProductSet.Product == nil {
		return nil, &UserErrors{Op: "productSet", Errors: []UserError{{Message: "no product returned"}}}
	}
	p := d.ProductSet.Product.product()
	if v := d.ProductSet.Product.Variants; v != nil && v.PageInfo.HasNextPage {
		l, err := c.levels(ctx)
		if err != nil {
			return &p, err
		}
		more, err := c.productVariants(ctx, p.ID, v.PageInfo.EndCursor, l, ReadAll)
		for _, mv := range more {
			mv.ProductID, mv.ProductHandle = p.ID, p.Handle
			p.Variants = append(p.Variants, mv)
		}
		if err != nil {
			return &p, err
		}
	}
	return &p, nil
}

// ProductSetResult is the outcome of one input of ProductSetBulk.
type ProductSetResult struct {
	Index   int      // position of the input
	Product *Product // as stored (IDs, handle, variants' IDs); nil when Err is set
	Err     error    // the line's user errors or GraphQL errors
}

// ProductSetBulk creates many products in one bulk mutation (a staged JSONL
// upload, FACTS §4): Shopify runs the lines on its side, so they do not
// spend the rate limit one mutation at a time. Like ProductSet, each line
// creates and a taken handle is refused (HANDLE_NOT_UNIQUE). fn gets each
// answered line. When the operation fails part way, the inputs without an
// answer get none; their outcome is unknown and the caller must look them up
// by handle before it sends one again.
func (c *Client) ProductSetBulk(ctx context.Context, in []ProductSetInput, fn func(ProductSetResult)) error {
	lines := make([]any, len(in))
	for i, p := range in {
		if p.Handle == "" {
			return fmt.Errorf("shopify: productSet needs a handle (input %d)", i)
		}
		line := map[string]any{"input": p.input(), "media": min(max(len(p.Files), 1), 250)}
		// Each line is priced like a request (dynamic input complexity
		// included); whether Shopify holds bulk lines to the 1,000-point
		// limit is not documented, so they are sized as if it did.
		line["variants"] = min(productSetVariants, readBackPage(docProductSetInBulk, line, "variants"))
		lines[i] = line
	}
	_, err := c.BulkMutation(ctx, docProductSetInBulk, lines, func(r BulkResult) error {
		res := ProductSetResult{Index: r.Line}
		if r.Line < 0 || r.Line >= len(in) {
			return fmt.Errorf("shopify: bulk result for line %d of %d", r.Line, len(in))
		}
		if len(r.Errors) > 0 && string(r.Errors) != "null" {
			res.Err = lineErr("productSet", r.Errors)
			fn(res)
			return nil
		}
		var d struct {
			ProductSet struct {
				Product    *wireProduct
				UserErrors []UserError
			}
		}
		if err := json.Unmarshal(r.Data, &d); err != nil {
			return fmt.Errorf("shopify: bad productSet line in bulk result: %w", err)
		}
		switch err := userErrs("productSet", d.ProductSet.UserErrors); {
		case err != nil:
			res.Err = err
		case d.ProductSet.Product == nil:
			res.Err = &UserErrors{Op: "productSet", Errors: []UserError{{Message: "no product returned"}}}
		default:
			p := d.ProductSet.Product.product()
			res.Product = &p
		}
		fn(res)
		return nil
	})
	return err
}

type variantsPayload struct {
	ProductVariants []wireVariant
	UserErrors      []UserError
}

// VariantsBulkUpdate changes existing variants of one product
// (productVariantsBulkUpdate, all or nothing per call of up to 250
// variants). It returns the updated variants.
func (c *Client) VariantsBulkUpdate(ctx context.Context, productID string, updates []VariantUpdate) ([]Variant, error) {
	var out []Variant
	for chunk := range slices.Chunk(updates, maxInputItems) {
		in := make([]map[string]any, len(chunk))
		for i, u := range chunk {
			in[i] = u.Input()
		}
		var d struct{ ProductVariantsBulkUpdate variantsPayload }
		vars := map[string]any{"productId": productID, "variants": in, "allowPartialUpdates": false}
		if err := c.Do(ctx, docVariantsBulkUpdate, vars, &d); err != nil {
			return out, err
		}
		out = appendVariants(out, productID, d.ProductVariantsBulkUpdate.ProductVariants)
		if err := userErrs("productVariantsBulkUpdate", d.ProductVariantsBulkUpdate.UserErrors); err != nil {
			return out, err
		}
	}
	return out, nil
}

// VariantsBulkCreate adds variants to one product. strategy is "" (Shopify's
// default), "DEFAULT", "REMOVE_STANDALONE_VARIANT" or
// "PRESERVE_STANDALONE_VARIANT". It returns the new variants.
func (c *Client) VariantsBulkCreate(ctx context.Context, productID string, variants []VariantInput, strategy string) ([]Variant, error) {
	var out []Variant
	for chunk := range slices.Chunk(variants, maxInputItems) {
		in := make([]map[string]any, len(chunk))
		for i, v := range chunk {
			in[i] = v.bulkInput()
		}
		vars := map[string]any{"productId": productID, "variants": in}
		if strategy != "" {
			vars["strategy"] = strategy
		}
		var d struct{ ProductVariantsBulkCreate variantsPayload }
		if err := c.Do(ctx, docVariantsBulkCreate, vars, &d); err != nil {
			return out, err
		}
		out = appendVariants(out, productID, d.ProductVariantsBulkCreate.ProductVariants)
		if err := userErrs("productVariantsBulkCreate", d.ProductVariantsBulkCreate.UserErrors); err != nil {
			return out, err
		}
	}
	return out, nil
}

func appendVariants(out []Variant, productID string, ws []wireVariant) []Variant {
	for _, w := range ws {
		v := w.variant()
		v.ProductID = productID
		out = append(out, v)
	}
	return out
}

// VariantsBulkDelete deletes variants of one product.
func (c *Client) VariantsBulkDelete(ctx context.Context, productID string, variantIDs []string) error {
	for chunk := range slices.Chunk(variantIDs, maxInputItems) {
		if err := c.mutate(ctx, docVariantsBulkDelete, "productVariantsBulkDelete", map[string]any{"productId": productID, "variantsIds": chunk}); err != nil {
			return err
		}
	}
	return nil
}

// InventoryQuantity is one absolute "available" quantity to set.
type InventoryQuantity struct {
	InventoryItemID string
	LocationID      string
	Quantity        int
	// ChangeFrom is the quantity the caller believes is there now; Shopify
	// refuses the change (CHANGE_FROM_QUANTITY_STALE) when it differs. nil
	// sends an explicit null, which skips the check (required field as of
	// 2026-04, FACTS.md §9).
	ChangeFrom *int
}

// Quantity names inventorySetQuantities accepts: "The only accepted values
// are: available or on_hand" (InventorySetQuantitiesInput.name, 2026-04).
const (
	QuantityAvailable = "available"
	QuantityOnHand    = "on_hand"
)

// SetInventoryInput is the input of SetInventory.
type SetInventoryInput struct {
	// Name is the quantity set: QuantityAvailable (default) or QuantityOnHand.
	Name                 string
	Quantities           []InventoryQuantity
	Reason               string // default "correction"
	ReferenceDocumentURI string // optional, e.g. "shelfsync://run/42"
	// IdempotencyKey makes a resumed run safe: the same key with the same
	// request is applied once. Calls of more than 250 quantities are split,
	// and chunk i uses IdempotencyKey + "/" + i. Empty: a fresh random key.
	IdempotencyKey string
}

// SetInventory sets absolute available quantities (inventorySetQuantities
// with name "available" and an @idempotent key), at most 250 per call,
// splitting larger inputs; when one call fails, the calls before it have
// been applied. Because of the key, it is retried after network faults like
// a query.
func (c *Client) SetInventory(ctx context.Context, in SetInventoryInput) error {
	reason := in.Reason
	if reason == "" {
		reason = "correction"
	}
	base := in.IdempotencyKey
	if base == "" {
		base = uuid.NewString()
	}
	i := 0
	for chunk := range slices.Chunk(in.Quantities, maxInputItems) {
		key := base
		if len(in.Quantities) > maxInputItems {
			key = fmt.Sprintf("%s/%d", base, i)
		}
		i++
		if err := c.mutate(ctx, docSetInventory, "inventorySetQuantities", setInventoryVars(in.Name, reason, in.ReferenceDocumentURI, chunk, key)); err != nil {
			return err
		}
	}
	return nil
}

// setInventoryVars are the variables of one inventorySetQuantities call
// (docSetInventory, BulkSetInventoryMutation).
func setInventoryVars(name, reason, refURI string, qs []InventoryQuantity, key string) map[string]any {
	list := make([]map[string]any, len(qs))
	for j, q := range qs {
		m := map[string]any{"inventoryItemId": q.InventoryItemID, "locationId": q.LocationID,
			"quantity": q.Quantity, "changeFromQuantity": nil}
		if q.ChangeFrom != nil {
			m["changeFromQuantity"] = *q.ChangeFrom
		}
		list[j] = m
	}
	if name == "" {
		name = QuantityAvailable
	}
	input := map[string]any{"name": name, "reason": reason, "quantities": list}
	if refURI != "" {
		input["referenceDocumentUri"] = refURI
	}
	return map[string]any{"input": input, "key": key}
}

// SetInventoryLine is one JSONL line of BulkSetInventoryMutation: the
// variables of one inventorySetQuantities call. in must hold at most 250
// quantities (one call's input limit) and an IdempotencyKey.
func SetInventoryLine(in SetInventoryInput) (map[string]any, error) {
	if len(in.Quantities) > maxInputItems || len(in.Quantities) == 0 || in.IdempotencyKey == "" {
		return nil, fmt.Errorf("shopify: a bulk inventory line takes 1 to %d quantities and an idempotency key (got %d quantities)", maxInputItems, len(in.Quantities))
	}
	reason := in.Reason
	if reason == "" {
		reason = "correction"
	}
	return setInventoryVars(in.Name, reason, in.ReferenceDocumentURI, in.Quantities, in.IdempotencyKey), nil
}

// InventoryActivate stocks an inventory item at a location, optionally with
// an initial available quantity. key is the idempotency key ("" = random).
func (c *Client) InventoryActivate(ctx context.Context, inventoryItemID, locationID string, available *int, key string) (*InventoryLevel, error) {
	return c.InventoryActivateQuantity(ctx, inventoryItemID, locationID, QuantityAvailable, available, key)
}

// InventoryActivateQuantity is InventoryActivate with the initial quantity
// given as name: QuantityAvailable or QuantityOnHand (inventoryActivate's
// available and onHand arguments).
func (c *Client) InventoryActivateQuantity(ctx context.Context, inventoryItemID, locationID, name string, qty *int, key string) (*InventoryLevel, error) {
	if key == "" {
		key = uuid.NewString()
	}
	vars := map[string]any{"inventoryItemId": inventoryItemID, "locationId": locationID, "key": key}
	if qty != nil && name == QuantityOnHand {
		vars["onHand"] = *qty
	} else if qty != nil {
		vars["available"] = *qty
	}
	var d struct {
		InventoryActivate struct {
			InventoryLevel *wireLevel
			UserErrors     []UserError
		}
	}
	if err := c.Do(ctx, docInventoryActivate, vars, &d); err != nil {
		return nil, err
	}
	if err := userErrs("inventoryActivate", d.InventoryActivate.UserErrors); err != nil {
		return nil, err
	}
	if d.InventoryActivate.InventoryLevel == nil {
		return nil, nil
	}
	l := d.InventoryActivate.InventoryLevel.level()
	return &l, nil
}

// ProductUpdate changes product-level fields (title, description, vendor,
// type, tags, status) of the product with this ID (productUpdate). in's
// Handle, Options and Variants must be empty: the handle is the store's to
// keep, and variants are changed with the variant mutations.
func (c *Client) ProductUpdate(ctx context.Context, productID string, in ProductSetInput) error {
	if productID == "" {
		return fmt.Errorf("shopify: productUpdate needs a product ID")
	}
	if in.Handle != "" || in.Options != nil || in.Variants != nil || in.GiftCard != nil {
		return fmt.Errorf("shopify: productUpdate changes product fields only (no handle, gift card, options or variants)")
	}
	m := in.input()
	delete(m, "handle")
	m["id"] = productID
	return c.mutate(ctx, docProductUpdate, "productUpdate", map[string]any{"product": m})
}

// ProductUpdateStatus sets a product's status: ACTIVE, DRAFT or ARCHIVED.
func (c *Client) ProductUpdateStatus(ctx context.Context, productID, status string) error {
	return c.mutate(ctx, docProductUpdateStatus, "productUpdate", map[string]any{"id": productID, "status": status})
}

// ProductDelete deletes a product and its variants.
func (c *Client) ProductDelete(ctx context.Context, productID string) error {
	return c.mutate(ctx, docProductDelete, "productDelete", map[string]any{"id": productID})
}
