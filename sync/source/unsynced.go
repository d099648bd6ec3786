package source

import (
	"regexp"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Columns of Shopify's product CSV (current and legacy headers, FACTS §10;
// https://help.shopify.com/en/manual/products/import-export/using-csv) that
// Shelfsync reads but does not write, with the reason the preview shows.
// A column in none of these groups and used by no field gets a generic reason.
var (
	metafieldHeader = regexp.MustCompile(`\((product|variant)\.metafields\.[^.()\s]+\.[^()\s]+\)$`)
	linkedToHeader  = regexp.MustCompile(`^option\d+ linked to$`)

	unsyncedReasons = map[string]string{
		"published":                   publishedReason,
		"incoming":                    inventoryReason,
		"unavailable":                 inventoryReason,
		"committed":                   inventoryReason,
		"available":                   inventoryReason,
		"on hand (current)":           inventoryReason,
		"available (not editable)":    inventoryReason,
		"published on online store":   publishedReason,
		"published scope":             "publishing to sales channels is left as it is in Shopify",
		"variant inventory tracker":   trackerReason,
		"inventory tracker":           trackerReason,
		"variant fulfillment service": "fulfillment services belong to locations in today's Shopify; the variant's setting is left as it is",
		"fulfillment service":         "fulfillment services belong to locations in today's Shopify; the variant's setting is left as it is",
		// Admin API 2026-04 schema: ProductVariant.taxCode is @deprecated ("This
		// field should no longer be used in new integrations. This field will not
		// be available in future API versions."), so its value can't be read back
		// reliably to diff, verify or undo a write.
		"variant tax code": "Shopify deprecates the variant tax code in Admin API 2026-04 (it will be removed), so it can't be compared or undone; left as it is",
		"tax code":         "Shopify deprecates the variant tax code in Admin API 2026-04 (it will be removed), so it can't be compared or undone; left as it is",
	}
)

const (
	trackerReason   = "used only for new variants, whose inventory is tracked when it says shopify (blank: not tracked, as in Shopify's CSV); an existing variant's tracking is left as it is in Shopify"
	inventoryReason = "Shopify's inventory export shows it for reference; like Shopify's inventory import, Shelfsync sets only the sheet's On hand quantity (or Available, when that is the only one)"
	publishedReason = "used only for new products, which are published to the Online Store when it says TRUE (or is blank); an existing product's sales channels are left as they are in Shopify"
	metafieldReason = "not a metafield column Shelfsync can read (it must end in \"(product.metafields.NAMESPACE.KEY)\" or \"(variant.metafields.NAMESPACE.KEY)\"); left as it is in Shopify"
	googleReason    = "Shopify doesn't document which metafields (product or variant, which keys) the legacy Google Shopping columns stand for, so writing them could set the wrong ones; left as they are (use the Google & YouTube app, or a metafield column)"
	// Whether a product is in a market is its publication on the market's catalogs
	// (MarketCatalog.publication, 2026-04 schema): "When a publication isn't associated
	// with the catalog, product availability is determined by the sales channel", and
	// since 2025-04 one catalog may serve several markets
	// (https://shopify.dev/changelog/new-catalog-apis), so publishing or unpublishing
	// for one market's column can change what other markets sell.
	marketReason    = "whether a product is included in a market is its publication on the market's catalogs, which may be shared with other markets or absent (then the sales channels decide); changing it from one market's column could add or remove the product in other markets too, so it is left as it is in Shopify"
	marketDupReason = "an earlier column already holds this market's price (only the first column of each is read, for at most 255 markets); left as it is"
	linkedToReason  = "the sheet has no value column for this option, so there is no option to link; left as it is in Shopify"
	looseReason     = "the sheet has no handle or title column, so product fields can't be tied to a product: only variant columns are synced"
	dupReason       = "a column of the same name comes earlier in the header; only the first one is read"
	unknownReason   = "not a column Shelfsync knows: to sync it, name it in the column mapping"
)

// unsyncedReason says why the column with normalised header n is not synced.
func unsyncedReason(n string) string {
	switch {
	case unsyncedReasons[n] != "":
		return unsyncedReasons[n]
	case marketPriceHeader.MatchString(n):
		return marketDupReason
	case isMarketColumn(n):
		return marketReason
	case strings.HasPrefix(n, "google shopping / "):
		return googleReason
	case metafieldHeader.MatchString(n):
		return metafieldReason
	case linkedToHeader.MatchString(n):
		return linkedToReason
	}
	return unknownReason
}

// unsynced lists the columns whose values are not written to the store:
// those no field uses, and those read but used only on create.
func (l *layout) unsynced() []catalog.UnsyncedColumn {
	var out []catalog.UnsyncedColumn
	seen := make(map[string]bool, len(l.header))
	for i, h := range l.header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		first := !seen[n]
		seen[n] = true
		switch {
		case !first && !l.used[i]:
			out = append(out, catalog.UnsyncedColumn{Column: h, Reason: dupReason})
		case l.dropped != nil && l.dropped[i], !l.productMode() && !l.used[i] && isProductHeader(n):
			out = append(out, catalog.UnsyncedColumn{Column: h, Reason: looseReason})
		case !l.used[i], l.readOnly(i):
			out = append(out, catalog.UnsyncedColumn{Column: h, Reason: l.inventoryReason(n)})
		}
	}
	return out
}

// readOnly reports a column that is read (and checked) but whose values are
// not written to the store yet.
func (l *layout) readOnly(i int) bool {
	return i == l.published || i == l.tracker
}

// productHeaders are the product-level columns Detect knows (see aliases).
var productHeaders = map[string]bool{
	"body (html)": true, "description": true, "body html": true, "description html": true, "product description": true,
	"vendor": true, "brand": true, "manufacturer": true, "type": true, "product type": true, "tags": true, "keywords": true,
	"status": true, "product status": true, "title": true, "product title": true, "product name": true, "name": true,
	"seo title": true, "seo description": true, "gift card": true, "product category": true,
}

// isProductHeader reports a product-level column (or an option column).
func isProductHeader(n string) bool {
	return productHeaders[n] || optionHeader.MatchString(n)
}
