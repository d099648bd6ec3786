package shopify

import "testing"

// TestMarketQueriesFitOneRequest: the pages the markets client asks for stay
// under the single-query limit of 1,000 points.
func TestMarketQueriesFitOneRequest(t *testing.T) {
	for name, c := range map[string]struct {
		doc  string
		vars map[string]any
	}{
		"Markets":     {docMarkets, map[string]any{"first": 25}},
		"FixedPrices": {docFixedPrices, map[string]any{"id": "gid://shopify/PriceList/1", "first": 200}},
	} {
		est := EstimateCost(c.doc, c.vars)
		t.Logf("%s: %d", name, est)
		if est > MaxQueryCost || est < 100 {
			t.Errorf("%s: estimated %d points", name, est)
		}
	}
}
