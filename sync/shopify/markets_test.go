package shopify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// marketShop is a simulated shop whose app may read markets, with one
// product of two variants and three markets: International (EUR), one
// without a price list and one with two.
func marketShop(t *testing.T) (*fakeshop.Shop, *shopify.Client, string, []string) {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{TimeScale: 1})
	t.Cleanup(func() { _ = srv.Close() })
	sc := append([]string{"read_markets"}, scopes...)
	srv.RegisterApp(fakeshop.App{ClientID: appID, ClientSecret: "shpss_x", Scopes: sc, OwnOrganization: true})
	sh, err := srv.AddShop("markets", fakeshop.Plan("Grow"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := shopify.New(shopify.Options{Shop: sh.Domain(), BaseURL: sh.URL(), Tokens: shopify.StaticToken(sh.Install(appID, sc)), TimeScale: 1})
	if err != nil {
		t.Fatal(err)
	}
	pl := sh.AddMarket(fakeshop.MarketSpec{Name: "International", Currency: "EUR"})
	sh.AddMarket(fakeshop.MarketSpec{Name: "Wholesale"})
	sh.AddMarket(fakeshop.MarketSpec{Name: "Nordics", Currency: "SEK", ExtraPriceList: true})
	p, err := c.ProductSet(context.Background(), shopify.ProductSetInput{Handle: "tee", Title: ptr("Tee"),
		Options: []shopify.OptionInput{{Name: "Size", Values: []string{"S", "M"}}},
		Variants: []shopify.VariantInput{
			{OptionValues: []shopify.SelectedOption{{Name: "Size", Value: "S"}}, SKU: ptr("TEE-S"), Price: ptr("10.00")},
			{OptionValues: []shopify.SelectedOption{{Name: "Size", Value: "M"}}, SKU: ptr("TEE-M"), Price: ptr("11.00")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return sh, c, pl, []string{p.ID, p.Variants[0].ID, p.Variants[1].ID}
}

func TestSimMarketsAndFixedPrices(t *testing.T) {
	ctx := context.Background()
	sh, c, pl, ids := marketShop(t)
	ms, err := c.Markets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]int{}
	for _, m := range ms {
		lists[m.Name] = len(m.PriceLists)
		if m.Name == "International" && (m.PriceLists[0].ID != pl || m.PriceLists[0].Currency != "EUR") {
			t.Fatalf("International's price list: %+v", m.PriceLists)
		}
	}
	if lists["International"] != 1 || lists["Wholesale"] != 0 || lists["Nordics"] != 2 {
		t.Fatalf("price lists per market: %v", lists)
	}
	if err := c.AddFixedPrices(ctx, pl, "EUR", []shopify.FixedPrice{{VariantID: ids[1], Price: "12", CompareAtPrice: "15.5"}, {VariantID: ids[2], Price: "13.00"}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.FixedPrices(ctx, pl, ids[:1])
	if err != nil || len(got) != 2 || got[0].Price != "12.00" || got[0].CompareAtPrice != "15.50" || got[1].CompareAtPrice != "" {
		t.Fatalf("fixed prices: %+v, %v", got, err)
	}
	if fp := sh.FixedPrices("International"); fp["TEE-M"].Price != "13.00" {
		t.Fatalf("simulator: %+v", fp)
	}
	// A price replaces the whole fixed price: no compare-at means none.
	if err := c.AddFixedPrices(ctx, pl, "EUR", []shopify.FixedPrice{{VariantID: ids[1], Price: "12.00"}}); err != nil {
		t.Fatal(err)
	}
	if fp := sh.FixedPrices("International"); fp["TEE-S"].CompareAtPrice != "" {
		t.Fatalf("compare-at kept: %+v", fp)
	}
	// The wrong currency is refused, and nothing of the request is written.
	err = c.AddFixedPrices(ctx, pl, "USD", []shopify.FixedPrice{{VariantID: ids[1], Price: "99"}})
	var ue *shopify.UserErrors
	if !errors.As(err, &ue) || ue.Errors[0].Code != "PRICE_LIST_CURRENCY_MISMATCH" || sh.FixedPrices("International")["TEE-S"].Price != "12.00" {
		t.Fatalf("currency mismatch: %v", err)
	}
	if err := c.DeleteFixedPrices(ctx, pl, []string{ids[1]}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteFixedPrices(ctx, pl, []string{ids[1]}); !errors.As(err, &ue) || ue.Errors[0].Code != "VARIANT_NOT_FOUND" {
		t.Fatalf("deleting a price that is not fixed: %v", err)
	}
	all, err := c.FixedPrices(ctx, pl, nil)
	if err != nil || len(all) != 1 || all[0].VariantID != ids[2] {
		t.Fatalf("after delete: %+v, %v", all, err)
	}
	// A deleted variant takes its fixed price with it.
	if err := c.VariantsBulkDelete(ctx, ids[0], []string{ids[2]}); err != nil {
		t.Fatal(err)
	}
	if all, err := c.FixedPrices(ctx, pl, nil); err != nil || len(all) != 0 {
		t.Fatalf("after deleting the variant: %+v, %v", all, err)
	}
}

func TestSimMarketsNeedReadMarkets(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 1)
	sh.AddMarket(fakeshop.MarketSpec{Name: "International", Currency: "EUR"})
	if _, err := c.Markets(context.Background()); !errors.Is(err, shopify.ErrForbidden) {
		t.Fatalf("markets without read_markets: %v", err)
	}
}
