package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Markets and their price lists (admin-2026-04.graphql). Since 2025-04 a
// market's prices live in the price lists of its catalogs: Market.priceList is
// deprecated ("Use `catalogs` instead"), a market may have several catalogs
// and a catalog several markets (https://shopify.dev/changelog/new-catalog-apis).
// A fixed price (PriceListPrice, originType FIXED) is one variant's price and
// compare-at price on one price list, in the list's currency;
// priceListFixedPricesAdd "replaces any existing fixed prices for those
// variants", and priceListFixedPricesDelete makes each variant's price revert
// "to the original price that was determined by the price list adjustment".
// Reading markets needs read_markets; the writes need write_products
// (https://shopify.dev/docs/api/admin-graphql/2024-04/mutations/pricelistfixedpricesadd).

// MarketsScope is the access scope the markets query needs.
const MarketsScope = "read_markets"

// MaxFixedPrices is the length cap of the prices and variantIds inputs
// ("Input arrays are capped at 250", https://shopify.dev/docs/api/usage/limits);
// callers send one request per batch, so a user error's index is theirs.
const MaxFixedPrices = 250

// Market is one of the shop's markets with the price lists of its catalogs.
type Market struct {
	ID         string
	Name       string
	Handle     string
	Status     string // ACTIVE or DRAFT
	PriceLists []PriceList
}

// PriceList is a price list: its fixed prices are in Currency.
type PriceList struct {
	ID       string
	Name     string
	Currency string // ISO 4217, e.g. "EUR"
}

// FixedPrice is a variant's fixed price on a price list ("" compare-at: none).
type FixedPrice struct {
	VariantID      string
	Price          string
	CompareAtPrice string
}

// docMarkets lists the markets with their catalogs' price lists. 25 markets
// of 10 catalogs cost 25 × (1 + 2 + 10 × 2) + 2 = 577 points.
const docMarkets = `query Markets($first: Int!, $after: String) {
  markets(first: $first, after: $after) {
    nodes { id name handle status catalogs(first: 10) { nodes { id status priceList { id name currency } } } }
    pageInfo { hasNextPage endCursor }
  }
}`

// docFixedPrices reads a price list's fixed prices, optionally filtered by
// product ("product_id:1 OR product_id:2"; PriceList.prices query filters
// product_id and variant_id). 200 prices of 4 objects each cost 803 points.
const docFixedPrices = `query FixedPrices($id: ID!, $first: Int!, $after: String, $query: String) {
  priceList(id: $id) {
    prices(first: $first, after: $after, originType: FIXED, query: $query) {
      nodes { variant { id } price { amount currencyCode } compareAtPrice { amount currencyCode } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`

// docFixedPricesCount counts a price list's fixed prices, to choose how to
// read them all.
const docFixedPricesCount = `query FixedPricesCount($id: ID!) { priceList(id: $id) { fixedPricesCount } }`

// BulkFixedPricesQuery reads every price list's fixed prices in one bulk
// operation: paged, each costs 4 points (the price, its variant and two
// MoneyV2), so 100,000 of them would spend 400,000 points; a bulk query runs
// outside the rate limit (a root connection with one nested connection, as
// bulk queries require: https://shopify.dev/api/usage/bulk-operations/queries).
const BulkFixedPricesQuery = `{
  priceLists {
    edges { node {
      id
      prices(originType: FIXED) { edges { node { variant { id } price { amount } compareAtPrice { amount } } } }
    } }
  }
}`

// bulkFixedPricesFrom is how many fixed prices make AllFixedPrices use a
// bulk query: below it, paging costs at most 8,000 points (a few seconds).
const bulkFixedPricesFrom = 2000

const docFixedPricesAdd = `mutation FixedPricesAdd($priceListId: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $priceListId, prices: $prices) { prices { variant { id } } userErrors { field message code } }
}`

const docFixedPricesDelete = `mutation FixedPricesDelete($priceListId: ID!, $variantIds: [ID!]!) {
  priceListFixedPricesDelete(priceListId: $priceListId, variantIds: $variantIds) { deletedFixedPriceVariantIds userErrors { field message code } }
}`

func marketDocuments() map[string]string {
	return map[string]string{
		"Markets":           docMarkets,
		"FixedPrices":       docFixedPrices,
		"FixedPricesCount":  docFixedPricesCount,
		"BulkFixedPrices":   BulkFixedPricesQuery,
		"FixedPricesAdd":    docFixedPricesAdd,
		"FixedPricesDelete": docFixedPricesDelete,
	}
}

// Markets lists the shop's markets with the price lists of their catalogs
// (needs read_markets).
func (c *Client) Markets(ctx context.Context) ([]Market, error) {
	type data struct {
		Markets struct {
			Nodes []struct {
				ID, Name, Handle, Status string
				Catalogs                 struct {
					Nodes []struct {
						ID, Status string
						PriceList  *struct{ ID, Name, Currency string }
					}
				}
			}
			PageInfo PageInfo
		}
	}
	var out []Market
	err := Paginate(ctx, c, docMarkets, map[string]any{"first": 25}, func(d *data) (PageInfo, error) {
		for _, n := range d.Markets.Nodes {
			m := Market{ID: n.ID, Name: n.Name, Handle: n.Handle, Status: n.Status}
			for _, cat := range n.Catalogs.Nodes {
				if cat.PriceList != nil && !slices.ContainsFunc(m.PriceLists, func(p PriceList) bool { return p.ID == cat.PriceList.ID }) {
					m.PriceLists = append(m.PriceLists, PriceList{ID: cat.PriceList.ID, Name: cat.PriceList.Name, Currency: cat.PriceList.Currency})
				}
			}
			out = append(out, m)
		}
		return d.Markets.PageInfo, nil
	})
	return out, err
}

// FixedPrices reads the fixed prices of a price list: of the products
// productIDs (50 per query), or every one when productIDs is nil.
func (c *Client) FixedPrices(ctx context.Context, priceListID string, productIDs []string) ([]FixedPrice, error) {
	type data struct {
		PriceList *struct {
			Prices struct {
				Nodes []struct {
					Variant        struct{ ID string }
					Price          struct{ Amount string }
					CompareAtPrice *struct{ Amount string }
				}
				PageInfo PageInfo
			}
		}
	}
	var out []FixedPrice
	read := func(query string) error {
		vars := map[string]any{"id": priceListID, "first": 200}
		if query != "" {
			vars["query"] = query
		}
		return Paginate(ctx, c, docFixedPrices, vars, func(d *data) (PageInfo, error) {
			if d.PriceList == nil {
				return PageInfo{}, &UserErrors{Op: "priceList", Errors: []UserError{{Message: "price list " + priceListID + " no longer exists"}}}
			}
			for _, n := range d.PriceList.Prices.Nodes {
				fp := FixedPrice{VariantID: n.Variant.ID, Price: n.Price.Amount}
				if n.CompareAtPrice != nil {
					fp.CompareAtPrice = n.CompareAtPrice.Amount
				}
				out = append(out, fp)
			}
			return d.PriceList.Prices.PageInfo, nil
		})
	}
	if productIDs == nil {
		return out, read("")
	}
	for chunk := range slices.Chunk(productIDs, 50) {
		terms := make([]string, len(chunk))
		for i, id := range chunk {
			terms[i] = "product_id:" + id[strings.LastIndexByte(id, '/')+1:]
		}
		if err := read(strings.Join(terms, " OR ")); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AllFixedPrices reads every fixed price of a price list: paged when it
// has few, with a bulk query when it has bulkFixedPricesFrom or more.
func (c *Client) AllFixedPrices(ctx context.Context, priceListID string) ([]FixedPrice, error) {
	var d struct {
		PriceList *struct{ FixedPricesCount int }
	}
	if err := c.Do(ctx, docFixedPricesCount, map[string]any{"id": priceListID}, &d); err != nil {
		return nil, err
	}
	if d.PriceList == nil {
		return nil, &UserErrors{Op: "priceList", Errors: []UserError{{Message: "price list " + priceListID + " no longer exists"}}}
	}
	if d.PriceList.FixedPricesCount < bulkFixedPricesFrom {
		return c.FixedPrices(ctx, priceListID, nil)
	}
	out := make([]FixedPrice, 0, d.PriceList.FixedPricesCount)
	_, err := c.BulkQuery(ctx, BulkFixedPricesQuery, func(l BulkLine) error {
		if l.ParentID != priceListID {
			return nil // another list, or a list's own line
		}
		var n struct {
			Variant        struct{ ID string }
			Price          struct{ Amount string }
			CompareAtPrice *struct{ Amount string }
		}
		if err := json.Unmarshal(l.Raw, &n); err != nil {
			return fmt.Errorf("shopify: bad fixed price in bulk result: %w", err)
		}
		fp := FixedPrice{VariantID: n.Variant.ID, Price: n.Price.Amount}
		if n.CompareAtPrice != nil {
			fp.CompareAtPrice = n.CompareAtPrice.Amount
		}
		out = append(out, fp)
		return nil
	})
	return out, err
}

// AddFixedPrices sets fixed prices on a price list in its currency
// (priceListFixedPricesAdd, at most MaxFixedPrices): each replaces the
// variant's price and compare-at price there ("" compare-at: none).
func (c *Client) AddFixedPrices(ctx context.Context, priceListID, currency string, prices []FixedPrice) error {
	in := make([]map[string]any, len(prices))
	for i, p := range prices {
		m := map[string]any{"variantId": p.VariantID, "price": map[string]any{"amount": p.Price, "currencyCode": currency}}
		if p.CompareAtPrice != "" {
			m["compareAtPrice"] = map[string]any{"amount": p.CompareAtPrice, "currencyCode": currency}
		}
		in[i] = m
	}
	return c.mutate(ctx, docFixedPricesAdd, "priceListFixedPricesAdd", map[string]any{"priceListId": priceListID, "prices": in})
}

// DeleteFixedPrices removes variants' fixed prices from a price list
// (priceListFixedPricesDelete, at most MaxFixedPrices).
func (c *Client) DeleteFixedPrices(ctx context.Context, priceListID string, variantIDs []string) error {
	return c.mutate(ctx, docFixedPricesDelete, "priceListFixedPricesDelete", map[string]any{"priceListId": priceListID, "variantIds": variantIDs})
}
