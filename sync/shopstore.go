package sync

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/shopify"
)

// NewShopStore adapts a store's Admin API client to Store. One client per
// store: every goroutine of a run shares its rate-limit pacer.
func NewShopStore(c *shopify.Client) Store { return &shopStore{c: c} }

type shopStore struct{ c *shopify.Client }

// Notices passes on the client's API version and deprecation notices.
func (s *shopStore) Notices() []string {
	var out []string
	for _, n := range s.c.Notices() {
		out = append(out, n.Message)
	}
	return out
}

// Shopify's single "Title" option, which the catalog and the engine treat as
// no options at all.
const (
	defaultOption = "Title"
	defaultValue  = "Default Title"
)

func (s *shopStore) Locations(ctx context.Context) ([]Location, error) {
	ls, err := s.c.Locations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Location, len(ls))
	for i, l := range ls {
		out[i] = Location{ID: l.ID, Name: l.Name, IsActive: l.IsActive, FulfillmentService: l.IsFulfillmentService}
	}
	return out, nil
}

// Products resolves every key of q to product IDs — handles with the exact
// productByIdentifier lookup, SKUs and barcodes with productVariants
// searches (post-filtered to exact matches) — and reads those products by
// ID, so no product is looked for by a handle search.
func (s *shopStore) Products(ctx context.Context, q ProductQuery) ([]SnapProduct, error) {
	ids := append([]string(nil), q.IDs...)
	if len(q.Handles) > 0 {
		byHandle, err := s.c.ProductIDsByHandle(ctx, q.Handles)
		if err != nil {
			return nil, err
		}
		for _, h := range q.Handles {
			if id, ok := byHandle[h]; ok {
				ids = append(ids, id)
			}
		}
	}
	for _, look := range []struct {
		keys []string
		find func(context.Context, []string) ([]shopify.Variant, error)
	}{{q.SKUs, s.c.VariantsBySKUs}, {q.Barcodes, s.c.VariantsByBarcodes}} {
		if len(look.keys) == 0 {
			continue
		}
		vs, err := look.find(ctx, look.keys)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			ids = append(ids, v.ProductID)
		}
	}
	ps, err := s.c.ProductsByIDs(ctx, dedupe(ids))
	if err != nil {
		return nil, err
	}
	out := make([]SnapProduct, len(ps))
	for i := range ps {
		out[i] = snapOf(&ps[i])
	}
	return out, nil
}

func (s *shopStore) AllProducts(ctx context.Context) ([]SnapProduct, error) {
	var out []SnapProduct
	err := s.c.AllProductsBulk(ctx, func(p shopify.Product) error {
		out = append(out, snapOf(&p))
		return nil
	})
	return out, err
}

func (s *shopStore) ProductSet(ctx context.Context, in ProductInput) (SnapProduct, error) {
	p, err := s.c.ProductSet(ctx, productSetInput(in))
	if err != nil {
		return SnapProduct{}, itemErrs(err, "variants")
	}
	return snapOf(p), nil
}

func (s *shopStore) ProductSetBulk(ctx context.Context, in []ProductInput, fn func(int, SnapProduct, error)) error {
	ps := make([]shopify.ProductSetInput, len(in))
	for i := range in {
		ps[i] = productSetInput(in[i])
	}
	return s.c.ProductSetBulk(ctx, ps, func(r shopify.ProductSetResult) {
		if r.Err != nil {
			fn(r.Index, SnapProduct{}, itemErrs(r.Err, "variants"))
			return
		}
		fn(r.Index, snapOf(r.Product), nil)
	})
}

// productSetInput is the productSet input that creates in (the default
// option when the product has none).
func productSetInput(in ProductInput) shopify.ProductSetInput {
	ps := shopify.ProductSetInput{Handle: in.Handle}
	setFields(&ps, in.ProductFields)
	for _, o := range in.Options {
		ps.Options = append(ps.Options, shopify.OptionInput{Name: o.Name, Values: o.Values, LinkedMetafield: o.Linked, LinkedValues: o.LinkedValues})
	}
	if len(ps.Options) == 0 {
		ps.Options = []shopify.OptionInput{{Name: defaultOption, Values: []string{defaultValue}}}
	}
	ps.Variants = make([]shopify.VariantInput, 0, len(in.Variants))
	for _, v := range in.Variants {
		vi := variantIn(v)
		if v.Image != "" {
			vi.File = &shopify.FileInput{OriginalSource: v.Image}
		}
		vi.Metafields = metafieldsOf("", v.Extra)
		ps.Variants = append(ps.Variants, vi)
	}
	for _, f := range in.Files {
		ps.Files = append(ps.Files, shopify.FileInput{OriginalSource: f.Source, Alt: f.Alt})
	}
	ps.Metafields = metafieldsOf("", in.Extra)
	return ps
}

func (s *shopStore) ProductUpdate(ctx context.Context, productID string, in ProductFields) error {
	var ps shopify.ProductSetInput
	setFields(&ps, in)
	if (ps.SEOTitle == nil) != (ps.SEODescription == nil) {
		cur, err := s.c.ProductsByIDs(ctx, []string{productID})
		if err != nil {
			return err
		}
		if len(cur) == 1 {
			completeSEO(&ps, &cur[0])
		}
	}
	if mfs := metafieldsOf(productID, in.Extra); len(mfs) > 0 {
		if err := s.c.SetMetafields(ctx, mfs); err != nil {
			return itemErrs(err, "")
		}
		if onlyMetafields(in) {
			return nil
		}
	}
	return itemErrs(s.c.ProductUpdate(ctx, productID, ps), "")
}

// LinkTarget reads the metaobject entries an option linked to a product
// metafield can take (linked.go).
func (s *shopStore) LinkTarget(ctx context.Context, namespace, key string) (*shopify.LinkTarget, error) {
	return s.c.LinkTarget(ctx, namespace, key)
}

func (s *shopStore) ProductDelete(ctx context.Context, id string) error {
	return itemErrs(s.c.ProductDelete(ctx, id), "")
}

func (s *shopStore) VariantsUpdate(ctx context.Context, productID string, in []VariantInput) error {
	ups := make([]shopify.VariantUpdate, len(in))
	for i, v := range in {
		ups[i] = variantUpdate(v)
	}
	_, err := s.c.VariantsBulkUpdate(ctx, productID, ups)
	if err != nil {
		return itemErrs(err, "variants")
	}
	var mfs []shopify.Metafield
	for _, v := range in {
		mfs = append(mfs, metafieldsOf(v.ID, v.Extra)...)
	}
	return itemErrs(s.c.SetMetafields(ctx, mfs), "")
}

// variantUpdate renders a variant's changes for productVariantsBulkUpdate.
func variantUpdate(v VariantInput) shopify.VariantUpdate {
	u := shopify.VariantUpdate{ID: v.ID, SKU: v.SKU, Barcode: v.Barcode, Price: v.Price, CompareAtPrice: v.CompareAtPrice,
		VariantExtras: shopVariantExtras(v.Extra)}
	if v.InventoryPolicy != nil {
		u.InventoryPolicy = *v.InventoryPolicy
	}
	for _, ov := range v.OptionValues {
		u.OptionValues = append(u.OptionValues, shopify.SelectedOption{Name: ov.Name, Value: ov.Value, LinkedValue: ov.Linked})
	}
	return u
}

func (s *shopStore) VariantsCreate(ctx context.Context, productID string, in []VariantInput) ([]SnapVariant, error) {
	vs := make([]shopify.VariantInput, len(in))
	for i, v := range in {
		vs[i] = variantIn(v)
	}
	created, err := s.c.VariantsBulkCreate(ctx, productID, vs, "")
	if err != nil {
		return nil, itemErrs(err, "variants")
	}
	out := make([]SnapVariant, len(created))
	for i := range created {
		out[i] = snapVariant(&created[i], nil)
	}
	return out, nil
}

func (s *shopStore) VariantsDelete(ctx context.Context, productID string, ids []string) error {
	return itemErrs(s.c.VariantsBulkDelete(ctx, productID, ids), "variantsIds")
}

func (s *shopStore) SetQuantities(ctx context.Context, key string, in []QuantityInput) error {
	err := s.c.SetInventory(ctx, setInventoryInput(key, in))
	return itemErrs(err, "quantities")
}

// setInventoryInput is one batch of quantities, each with its
// changeFromQuantity, under the idempotency key key (which also names the
// batch in the store's inventory history).
func setInventoryInput(key string, in []QuantityInput) shopify.SetInventoryInput {
	qs := make([]shopify.InventoryQuantity, len(in))
	for i, q := range in {
		from := q.ChangeFromQuantity
		qs[i] = shopify.InventoryQuantity{InventoryItemID: q.InventoryItemID, LocationID: q.LocationID, Quantity: q.Quantity, ChangeFrom: &from}
	}
	name := shopify.QuantityAvailable
	if len(in) > 0 && in[0].Name == shopify.QuantityOnHand {
		name = shopify.QuantityOnHand // buildOps never mixes names in one batch
	}
	return shopify.SetInventoryInput{Name: name, Quantities: qs, IdempotencyKey: key,
		ReferenceDocumentURI: "gid://shelfsync/SyncBatch/" + key}
}

func (s *shopStore) Activate(ctx context.Context, key, itemID, locationID string, available int) error {
	_, err := s.c.InventoryActivate(ctx, itemID, locationID, &available, key)
	return itemErrs(err, "")
}

func setFields(ps *shopify.ProductSetInput, f ProductFields) {
	ps.Title, ps.DescriptionHTML, ps.Vendor, ps.ProductType = f.Title, f.DescriptionHTML, f.Vendor, f.ProductType
	if f.Tags != nil {
		ps.Tags = *f.Tags
		if ps.Tags == nil {
			ps.Tags = []string{}
		}
	}
	if f.Status != nil {
		ps.Status = *f.Status
	}
	setProductExtras(ps, f.Extra)
}

func variantIn(v VariantInput) shopify.VariantInput {
	out := shopify.VariantInput{SKU: v.SKU, Barcode: v.Barcode, Price: v.Price, CompareAtPrice: v.CompareAtPrice,
		VariantExtras: shopVariantExtras(v.Extra)}
	if v.InventoryPolicy != nil {
		out.InventoryPolicy = *v.InventoryPolicy
	}
	out.Tracked = v.Tracked
	out.MediaID = v.MediaID
	for _, ov := range v.OptionValues {
		out.OptionValues = append(out.OptionValues, shopify.SelectedOption{Name: ov.Name, Value: ov.Value, LinkedValue: ov.Linked})
	}
	if len(out.OptionValues) == 0 {
		out.OptionValues = []shopify.SelectedOption{{Name: defaultOption, Value: defaultValue}}
	}
	for _, q := range v.Quantities {
		out.Available = append(out.Available, shopify.LocationQuantity{LocationID: q.LocationID, Quantity: q.Quantity})
	}
	return out
}

// snapOf converts a client product, treating the lone "Title" option as none.
func snapOf(p *shopify.Product) SnapProduct {
	sp := SnapProduct{ID: p.ID, Handle: p.Handle, Title: p.Title, DescriptionHTML: p.DescriptionHTML,
		Vendor: p.Vendor, ProductType: p.ProductType, Tags: p.Tags, Status: p.Status,
		SEOTitle: p.SEOTitle, SEODescription: p.SEODescription, GiftCard: p.GiftCard,
		CategoryID: p.CategoryID, CategoryName: p.CategoryName, Published: p.Published}
	names := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		names = append(names, o.Name)
	}
	if len(names) == 1 && names[0] == defaultOption && len(p.Variants) <= 1 && onlyDefaultValue(p) {
		names = nil
	}
	sp.Options = names
	sp.Links = snapLinks(p, names)
	for _, id := range p.MediaIDs { // IDs only (a bulk create's answer): MediaRead stays false
		sp.Media = append(sp.Media, SnapMedia{ID: id})
	}
	sp.Variants = make([]SnapVariant, len(p.Variants))
	for i := range p.Variants {
		sp.Variants[i] = snapVariant(&p.Variants[i], names)
	}
	return sp
}

// snapLinks reads how p's options are linked to metafields, lined up with
// names; nil when none is (most products: no map per product).
func snapLinks(p *shopify.Product, names []string) []SnapLink {
	var out []SnapLink
	for i, o := range p.Options {
		if o.LinkedMetafield == "" || i >= len(names) {
			continue
		}
		if out == nil {
			out = make([]SnapLink, len(names))
		}
		l := SnapLink{Metafield: o.LinkedMetafield, Values: make(map[string]string, len(o.Values))}
		for j, v := range o.Values {
			if j < len(o.LinkedValues) && o.LinkedValues[j] != "" {
				l.Values[v] = o.LinkedValues[j]
			}
		}
		out[i] = l
	}
	return out
}

// onlyDefaultValue reports whether p's variants carry just "Default Title":
// an option named "Title" with real values ("Small") is a real option.
func onlyDefaultValue(p *shopify.Product) bool {
	for _, v := range p.Variants {
		for _, so := range v.SelectedOptions {
			if so.Value != defaultValue {
				return false
			}
		}
	}
	return true
}

func snapVariant(v *shopify.Variant, names []string) SnapVariant {
	sv := SnapVariant{ID: v.ID, SKU: v.SKU, Barcode: v.Barcode, Price: v.Price, CompareAtPrice: v.CompareAtPrice,
		InventoryPolicy: v.InventoryPolicy, InventoryItemID: v.InventoryItem.ID, Tracked: v.InventoryItem.Tracked,
		Cost: v.InventoryItem.UnitCost, RequiresShipping: v.InventoryItem.RequiresShipping, Taxable: v.Taxable,
		HSCode: v.InventoryItem.HarmonizedSystemCode, CountryOfOrigin: v.InventoryItem.CountryCodeOfOrigin}
	if w := v.InventoryItem.Weight; w != nil {
		sv.Weight, sv.WeightUnit = w.Value, w.Unit
	}
	sv.UnitPrice = storeUnitPrice(v)
	if len(names) > 0 {
		sv.OptionValues = make([]string, len(names))
		for _, so := range v.SelectedOptions {
			for k, n := range names {
				if n == so.Name {
					sv.OptionValues[k] = so.Value
				}
			}
		}
	}
	if len(v.InventoryItem.Levels) > 0 {
		sv.Levels = make([]StockLevel, len(v.InventoryItem.Levels))
		for k, l := range v.InventoryItem.Levels {
			sv.Levels[k] = StockLevel{LocationID: l.LocationID, Available: l.Available, OnHand: l.OnHand}
		}
	}
	return sv
}

// itemErrs turns the client's *UserErrors into *ItemErrors, reading the
// input index from each error's field path after list (e.g. ["input",
// "quantities", "3", "changeFromQuantity"]). The client's mutations are all
// or nothing, so Applied is false.
func itemErrs(err error, list string) error {
	var ue *shopify.UserErrors
	if !errors.As(err, &ue) {
		return err
	}
	ie := &ItemErrors{Op: ue.Op}
	for _, u := range ue.Errors {
		it := ItemError{Index: -1, Code: u.Code, Message: u.Message}
		for k := 0; list != "" && k+1 < len(u.Field); k++ {
			if u.Field[k] == list {
				if n, err := strconv.Atoi(u.Field[k+1]); err == nil {
					it.Index = n
				}
			}
		}
		if len(u.Field) > 0 {
			it.Message = strings.Join(u.Field, ".") + ": " + u.Message
		}
		ie.Items = append(ie.Items, it)
	}
	return ie
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// StoreVariants implements VariantLimitReader: the plan from the shop's details, and the
// variant count (productVariantsCount) only when the store is not on Plus.
func (s *shopStore) StoreVariants(ctx context.Context) (bool, int, error) {
	info, err := s.c.ShopInfo(ctx)
	if err != nil {
		return false, 0, err
	}
	if info.ShopifyPlus {
		return true, 0, nil
	}
	n, err := s.c.VariantCount(ctx)
	return false, n, err
}
