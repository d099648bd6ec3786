package sync

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// FieldsReader is a Store that can read the whole catalog carrying only
// some fields (and what matching needs: IDs, handle, title, status,
// options, SKU, barcode, option values). A field left out reads as its zero
// value, so it must not be compared: readSnapshot asks for every field any
// row of the sheet carries, and the diff compares a field only where the
// row carries it.
type FieldsReader interface {
	AllProductsFor(ctx context.Context, fields catalog.FieldSet) ([]SnapProduct, error)
}

// allFields is every field: what a read must carry when the plan may use
// more than the sheet's columns.
var allFields = catalog.NewFieldSet(catalog.AllFields()...)

// sheetFields is the union of the fields the catalog's rows carry (a blank
// cell that clears its field counts: the row carries it, empty), or every
// field when the plan deletes products the sheet leaves out.
func sheetFields(cat *catalog.Catalog, opts Options) catalog.FieldSet {
	if opts.Missing == MissingDelete {
		return allFields
	}
	var fs catalog.FieldSet
	for i := range cat.Products {
		fs = fs.Union(cat.Products[i].Fields)
		for j := range cat.Products[i].Variants {
			fs = fs.Union(cat.Products[i].Variants[j].Fields)
		}
	}
	for i := range cat.Variants {
		fs = fs.Union(cat.Variants[i].Fields)
	}
	return fs
}

// readSetOf is the part of a Shopify read each field needs. A field this
// does not know reads everything, so a new field is never left unread.
func readSetOf(fs catalog.FieldSet) shopify.ReadSet {
	var r shopify.ReadSet
	for _, f := range fs.Fields() {
		switch f {
		case catalog.FieldTitle, catalog.FieldStatus, catalog.FieldOptions, catalog.FieldSKU, catalog.FieldBarcode:
			// always read
		case catalog.FieldImages:
			// sent on create only; nothing of the store's is compared
		case catalog.FieldDescriptionHTML:
			r |= shopify.ReadDescription
		case catalog.FieldVendor:
			r |= shopify.ReadVendor
		case catalog.FieldProductType:
			r |= shopify.ReadProductType
		case catalog.FieldTags:
			r |= shopify.ReadTags
		case catalog.FieldSEOTitle, catalog.FieldSEODescription:
			r |= shopify.ReadSEO
		case catalog.FieldGiftCard:
			r |= shopify.ReadGiftCard
		case catalog.FieldCategory:
			r |= shopify.ReadCategory
		case catalog.FieldPrice:
			r |= shopify.ReadPrice
		case catalog.FieldCompareAtPrice:
			r |= shopify.ReadCompareAtPrice
		case catalog.FieldInventoryPolicy:
			r |= shopify.ReadInventoryPolicy
		case catalog.FieldQuantity:
			r |= shopify.ReadStock
		case catalog.FieldWeight:
			r |= shopify.ReadWeight
		case catalog.FieldCost:
			r |= shopify.ReadCost
		case catalog.FieldRequiresShipping:
			r |= shopify.ReadRequiresShipping
		case catalog.FieldTaxable:
			r |= shopify.ReadTaxable
		case catalog.FieldHSCode, catalog.FieldCountryOfOrigin:
			r |= shopify.ReadCustoms
		case catalog.FieldUnitPrice:
			r |= shopify.ReadUnitPrice
		default:
			return shopify.ReadAll
		}
	}
	return r
}

func (s *shopStore) AllProductsFor(ctx context.Context, fields catalog.FieldSet) ([]SnapProduct, error) {
	r := readSetOf(fields)
	if fields == allFields {
		r = shopify.ReadAll
	}
	var out []SnapProduct
	err := s.c.AllProductsBulkWith(ctx, r, func(p shopify.Product) error {
		out = append(out, snapOf(&p))
		return nil
	})
	return out, err
}

// allProductsFor reads the whole store for a plan of cat: trimmed to the
// sheet's fields when st can.
func allProductsFor(ctx context.Context, st Store, cat *catalog.Catalog, opts Options) ([]SnapProduct, error) {
	if fr, ok := st.(FieldsReader); ok {
		return fr.AllProductsFor(ctx, sheetFields(cat, opts))
	}
	return st.AllProducts(ctx)
}
