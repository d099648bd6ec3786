package sync

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/state"
)

// verify re-reads the store for entries whose last request has an unknown
// outcome. Entries the store already shows as written are recorded done;
// the others are returned to be sent again. A create is looked up by exact
// handle (or, for a variant, by SKU or option values), so it is never made
// twice; everything else is read by product ID.
func (x *executor) verify(ctx context.Context, o *op, idx []int) ([]int, error) {
	cur, err := x.readFor(ctx, o, idx)
	if err != nil {
		return idx, err
	}
	var res []result
	var again []int
	known := map[string]bool{} // images claimed by an add found done
	for _, i := range idx {
		en := &o.entries[i]
		done, ids := false, []string(nil)
		if o.kind == opImages {
			done, ids = imageApplied(cur, o, i, known)
		} else {
			done, ids = applied(cur, o, i)
		}
		if done {
			r := result{i: i, state: state.JournalDone, ids: ids}
			if o.kind == opCreateProduct && len(ids) > 0 { // publishing and pricing again change nothing
				x.recordCreatedImages(ctx, o.product.Create, ids[0]) // found, not answered (a lost answer, a bulk line without one)
				r.msg = joinMessages(x.publishCreated(ctx, o.product.Create, ids[0]), x.priceCreatedProduct(ctx, o.product.Create, cur.byID[ids[0]]))
			}
			if o.kind == opCreateVariants && len(ids) > 1 {
				r.msg = x.priceCreated(ctx, []*VariantInput{o.variants[i].Create}, []*SnapVariant{findVariant(cur.byID[ids[0]], ids[1])})
			}
			res = append(res, r)
			continue
		}
		if en.Field == FieldCreate && o.kind == opCreateVariants && o.variants[i].Create == nil {
			res = append(res, result{i: i, state: state.JournalFailed, msg: "nothing to create"})
			continue
		}
		again = append(again, i)
	}
	return again, x.record(ctx, o, res)
}

// readFor reads the products an op's entries idx touch: by ID when the
// product exists (its handle may have been renamed in Shopify), by exact
// handle for a product the op creates.
func (x *executor) readFor(ctx context.Context, o *op, idx []int) (*snapshot, error) {
	var q ProductQuery
	seen := map[string]bool{}
	add := func(list *[]string, k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			*list = append(*list, k)
		}
	}
	byID := func(id, handle string) {
		if id != "" {
			add(&q.IDs, id)
		} else {
			add(&q.Handles, handle)
		}
	}
	switch o.kind {
	case opCreateProduct:
		add(&q.Handles, o.product.Handle)
	case opUpdateProduct, opDeleteProduct, opImages:
		byID(o.product.ProductID, o.product.Handle)
	case opUpdateVariants, opCreateVariants, opDeleteVariants:
		byID(o.productID, o.variants[0].Handle)
	case opFixedPricesAdd, opFixedPricesDelete:
		for _, i := range idx {
			byID(o.entries[i].ShopifyIDs[0], "")
		}
	default:
		for _, i := range idx {
			byID(o.qs[i].vp.ProductID, o.qs[i].vp.Handle)
		}
	}
	ps, err := x.st.Products(ctx, q)
	if err != nil {
		return nil, err
	}
	snap := newSnapshot(ps, false)
	if ms, ok := x.st.(MediaStore); ok && o.kind == opImages {
		var withVariants []string
		if slices.ContainsFunc(o.product.Images, func(c ImageChange) bool { return c.Change == VariantImage }) {
			withVariants = []string{o.product.ProductID}
		}
		if err := fillMedia(ctx, ms, snap, []string{o.product.ProductID}, withVariants, 0); err != nil {
			return nil, err
		}
	}
	fields := make([]string, 0, len(idx))
	for _, i := range idx {
		fields = append(fields, o.entries[i].Field)
	}
	if err := readMetafieldsFor(ctx, x.st, snap, fields); err != nil {
		return nil, err
	}
	entries := make([]state.JournalEntry, len(idx))
	for k, i := range idx {
		entries[k] = o.entries[i]
	}
	return snap, readFixedPricesFor(ctx, x.st, snap, entries)
}

// applied reports whether the store already shows entry i of o as written,
// with the IDs to record for a create.
func applied(cur *snapshot, o *op, i int) (bool, []string) {
	en := &o.entries[i]
	switch o.kind {
	case opCreateProduct:
		// Ours only if it has every variant we sent: a product someone else
		// made under this handle meanwhile is left to sendCreate, which
		// reports it and never writes to it.
		p := cur.byHandle[o.product.Handle]
		if p == nil || o.product.Create == nil {
			return false, nil
		}
		for k := range o.product.Create.Variants {
			if findCreated(p, &o.product.Create.Variants[k]) == nil {
				return false, nil
			}
		}
		return true, productIDs(p)
	case opDeleteProduct:
		return cur.byID[o.product.ProductID] == nil, nil
	case opUpdateProduct:
		p := cur.byID[o.product.ProductID]
		return p != nil && sameValue(en.Field, productValue(p, en.Field), en.New), nil
	case opUpdateVariants:
		v := findVariant(cur.byID[o.productID], en.ShopifyIDs[1])
		return v != nil && sameValue(en.Field, variantValue(v, en.Field), en.New), nil
	case opCreateVariants:
		p := cur.byID[o.productID]
		if p == nil {
			return false, nil
		}
		if v := findCreated(p, o.variants[i].Create); v != nil {
			return true, []string{p.ID, v.ID, v.InventoryItemID}
		}
		return false, nil
	case opDeleteVariants:
		return findVariant(cur.byID[o.productID], en.ShopifyIDs[1]) == nil, nil
	case opFixedPricesAdd, opFixedPricesDelete:
		v := findVariant(cur.byID[en.ShopifyIDs[0]], en.ShopifyIDs[1])
		return v != nil && sameMoney(marketValue(v, en.ShopifyIDs[2], en.Field), en.New), nil
	default:
		q := o.qs[i]
		now, ok := currentQuantityNamed(cur, q.vp.VariantID, q.qc.LocationID, q.qc.Name)
		return ok && now == q.qc.New, nil
	}
}

// findCreated finds the variant of p that a create input made: same option
// values and, when it has one, same SKU (a SKU may be on several variants).
func findCreated(p *SnapProduct, in *VariantInput) *SnapVariant {
	if in == nil {
		return nil
	}
	vals := make([]string, len(in.OptionValues))
	for k, ov := range in.OptionValues {
		vals[k] = ov.Value
	}
	for k := range p.Variants {
		v := &p.Variants[k]
		if in.SKU != nil && *in.SKU != "" && v.SKU != *in.SKU {
			continue
		}
		if equalFoldList(v.OptionValues, vals) {
			return v
		}
	}
	return nil
}

// currentQuantity is the available quantity of a variant at a location.
func currentQuantity(cur *snapshot, variantID, locationID string) (int, bool) {
	if cur == nil {
		return 0, false
	}
	for _, p := range cur.products {
		if v := findVariant(p, variantID); v != nil {
			l, ok := v.level(locationID)
			return l.Available, ok
		}
	}
	return 0, false
}

// productValue is a product field as the plan encodes it.
func productValue(p *SnapProduct, field string) string {
	switch field {
	case FieldTitle:
		return p.Title
	case FieldDescription:
		return p.DescriptionHTML
	case FieldVendor:
		return p.Vendor
	case FieldProductType:
		return p.ProductType
	case FieldTags:
		return tagsText(p.Tags)
	case FieldStatus:
		return p.Status
	}
	return productExtraValue(p, field)
}

// variantValue is a variant field as the plan encodes it.
func variantValue(v *SnapVariant, field string) string {
	switch field {
	case FieldSKU:
		return v.SKU
	case FieldBarcode:
		return v.Barcode
	case FieldPrice:
		return v.Price
	case FieldCompareAtPrice:
		return v.CompareAtPrice
	case FieldInventoryPolicy:
		return v.InventoryPolicy
	case FieldOptions:
		return optionsText(v.OptionValues)
	}
	return variantExtraValue(v, field)
}

// sameValue compares two encoded values of a field the way the store does.
func sameValue(field, a, b string) bool {
	if same, ok := sameExtraValue(field, a, b); ok {
		return same
	}
	switch field {
	case FieldPrice, FieldCompareAtPrice:
		ma, oka := storeMoney(a)
		mb, okb := storeMoney(b)
		return oka && okb && ma == mb
	case FieldTags:
		return sameTags(splitTags(a), splitTags(b))
	case FieldOptions:
		return equalFoldList(strings.Split(a, " / "), strings.Split(b, " / "))
	case FieldStatus, FieldInventoryPolicy:
		return strings.EqualFold(a, b)
	case FieldDescription:
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	case FieldAvailable, FieldOnHand:
		na, ea := strconv.Atoi(a)
		nb, eb := strconv.Atoi(b)
		return ea == nil && eb == nil && na == nb || a == b
	}
	return a == b
}

func setProductField(pf *ProductFields, field, v string) {
	switch field {
	case FieldTitle:
		pf.Title = &v
	case FieldDescription:
		pf.DescriptionHTML = &v
	case FieldVendor:
		pf.Vendor = &v
	case FieldProductType:
		pf.ProductType = &v
	case FieldTags:
		t := splitTags(v)
		pf.Tags = &t
	case FieldStatus:
		pf.Status = &v
	default:
		if pf.Extra == nil {
			pf.Extra = map[string]string{}
		}
		pf.Extra[field] = v
	}
}

func setVariantField(in *VariantInput, field, v string, optionNames []string) {
	switch field {
	case FieldSKU:
		in.SKU = &v
	case FieldBarcode:
		in.Barcode = &v
	case FieldPrice:
		in.Price = &v
	case FieldCompareAtPrice:
		in.CompareAtPrice = &v
	case FieldInventoryPolicy:
		in.InventoryPolicy = &v
	case FieldOptions:
		vals := strings.Split(v, " / ")
		for k, name := range optionNames {
			if k < len(vals) {
				in.OptionValues = append(in.OptionValues, OptionValue{Name: name, Value: vals[k]})
			}
		}
	default:
		if in.Extra == nil {
			in.Extra = map[string]string{}
		}
		in.Extra[field] = v
	}
}
