package app

import (
	"strings"
	"testing"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// The preview names a market price change in the merchant's words, and a
// new variant's market prices with their currency.
func TestPreviewShowsMarketPrices(t *testing.T) {
	if got := fieldLine(catalogsync.FieldChange{Field: "compareAtPrice @ International", Old: "15.00", New: ""}); got != "compare-at price @ International: 15.00 → (none)" {
		t.Errorf("%q", got)
	}
	if got := fieldLine(catalogsync.FieldChange{Field: "price @ International", Old: "12.00", New: "14.00"}); got != "price @ International: 12.00 → 14.00" {
		t.Errorf("%q", got)
	}
	var b strings.Builder
	writeVariantInput(&b, &catalogsync.VariantInput{MarketPrices: []catalogsync.MarketPriceInput{{Market: "International",
		List: catalogsync.PriceListRef{ID: "gid://shopify/PriceList/1", Currency: "EUR"}, FixedPrice: catalogsync.FixedPrice{Price: "12.00", CompareAt: "15.00"}}}}, "", nil)
	if !strings.Contains(b.String(), "price @ International: 12.00 EUR (compare-at 15.00)") {
		t.Errorf("%q", b.String())
	}
}
