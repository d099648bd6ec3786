package sync

import (
	"context"
	"io"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// Export writes the store's whole catalog as a Shopify product CSV
// (source.WriteShopifyCSV), with one "Inventory quantity / <location>"
// column per location that stocks anything. Syncing the file straight back
// plans no change.
func (e *Engine) Export(ctx context.Context, st Store, w io.Writer) error {
	locs, err := st.Locations(ctx)
	if err != nil {
		return err
	}
	ps, err := st.AllProducts(ctx)
	if err != nil {
		return err
	}
	names, err := exportMetafields(ctx, st, ps)
	if err != nil {
		return err
	}
	if err := exportMedia(ctx, st, ps); err != nil {
		return err
	}
	products := ExportCatalog(ps, locs)
	nameMetafieldColumns(products, names)
	if err := exportMarketPrices(ctx, st, ps, products); err != nil {
		return err
	}
	return source.WriteShopifyCSV(w, products)
}

// ExportCatalog turns store products into catalog products, with quantities
// keyed by location name. Like Shopify's own export it says whether each
// product is on the Online Store (Published on online store) and whether
// each variant's inventory is tracked (Inventory tracker "shopify" or
// blank); both are used only when a product or variant is created, so a
// resync leaves existing ones alone while a new store gets the same.
func ExportCatalog(ps []SnapProduct, locs []Location) []catalog.Product {
	names := make(map[string]string, len(locs))
	for _, l := range locs {
		names[l.ID] = l.Name
	}
	pf := catalog.NewFieldSet(catalog.FieldTitle, catalog.FieldDescriptionHTML, catalog.FieldVendor,
		catalog.FieldProductType, catalog.FieldTags, catalog.FieldStatus, catalog.FieldOptions,
		catalog.FieldSEOTitle, catalog.FieldSEODescription, catalog.FieldGiftCard)
	vf := catalog.NewFieldSet(catalog.FieldSKU, catalog.FieldBarcode, catalog.FieldPrice, catalog.FieldCompareAtPrice,
		catalog.FieldInventoryPolicy, catalog.FieldOptions, catalog.FieldQuantity,
		catalog.FieldRequiresShipping, catalog.FieldTaxable, catalog.FieldHSCode, catalog.FieldCountryOfOrigin)
	out := make([]catalog.Product, 0, len(ps))
	for i := range ps {
		sp := &ps[i]
		p := catalog.Product{Handle: sp.Handle, Title: sp.Title, DescriptionHTML: sp.DescriptionHTML, Vendor: sp.Vendor,
			ProductType: sp.ProductType, Tags: sp.Tags, Status: sp.Status, Options: sp.Options, Fields: pf,
			SEOTitle: sp.SEOTitle, SEODescription: sp.SEODescription, GiftCard: sp.GiftCard,
			Metafields: catalogMetafields(source.OwnerProduct, sp.Metafields), Category: exportCategory(sp),
			Published: &sp.Published, OptionLinks: exportLinks(sp)}
		for j := range sp.Variants {
			sv := &sp.Variants[j]
			price, _ := storeMoney(sv.Price)
			cmp, _ := storeMoney(sv.CompareAtPrice)
			v := catalog.Variant{SKU: sv.SKU, Barcode: sv.Barcode, OptionValues: sv.OptionValues, Price: price,
				CompareAtPrice: cmp, InventoryPolicy: sv.InventoryPolicy, Fields: vf, Tracked: &sv.Tracked}
			exportExtras(&v, sv)
			v.Metafields = catalogMetafields(source.OwnerVariant, sv.Metafields)
			for _, l := range sv.Levels {
				if n, ok := names[l.LocationID]; ok {
					v.Quantities.Set(n, l.Available)
				}
			}
			p.Variants = append(p.Variants, v)
		}
		exportImages(&p, sp)
		out = append(out, p)
	}
	return out
}

// exportLinks are the product's option links as the catalog holds them
// ("namespace.key", "" for an option that is not linked); nil when none is.
func exportLinks(sp *SnapProduct) []string {
	if sp.Links == nil {
		return nil
	}
	out := make([]string, len(sp.Options))
	for i := range out {
		out[i] = storeLink(sp, i).Metafield
	}
	return out
}
