package fakeshop

import (
	"sort"
	"strconv"
	"strings"
)

// Markets, their catalogs and the catalogs' price lists with fixed prices
// (admin-2026-04.graphql):
//
//   - markets(first, after): needs read_markets ("Requires read_markets for
//     queries", Market object docs); each market with name, handle, status and
//     catalogs. Since 2025-04 a market may have several catalogs and a catalog
//     several markets (https://shopify.dev/changelog/new-catalog-apis); the
//     simulator gives each market the catalogs it is seeded with.
//   - MarketCatalog.priceList → PriceList{id name currency prices(originType,
//     query, first, after)}; the query filters product_id and variant_id (the
//     schema's table for PriceList.prices), joined with OR.
//   - priceList(id) and priceLists (a connection, also in bulk queries): need read_products.
//   - priceListFixedPricesAdd(priceListId, prices): needs write_products
//     (https://shopify.dev/docs/api/admin-graphql/2024-04/mutations/pricelistfixedpricesadd);
//     "replaces any existing fixed prices for those variants". Refusals are
//     PriceListPriceUserError codes from the schema (enum
//     PriceListPriceUserErrorCode): PRICE_LIST_NOT_FOUND,
//     PRICE_LIST_CURRENCY_MISMATCH ("The specified currency doesn't match the
//     price list's currency"), VARIANT_NOT_FOUND. Whether Shopify applies the
//     valid items of a request with some refused ones is not documented; the
//     simulator applies none (all or nothing, the choice that cannot leave a
//     half-written list unnoticed). The messages are the schema's code
//     descriptions (UNCONFIRMED as the exact texts).
//   - priceListFixedPricesDelete(priceListId, variantIds): needs write_products;
//     each variant's price then reverts to the list's adjustment. A variant
//     without a fixed price there is VARIANT_NOT_FOUND ("A fixed price for the
//     specified product variant doesn't exist"), all or nothing as above.
//
// Inputs of more than 250 items are refused by the generic input-size check
// (validate.go). Only fixed prices are modelled: prices(originType: RELATIVE)
// returns nothing (the simulator computes no adjusted prices).

const scopeReadMarkets = "read_markets"

// market is a market and its catalogs.
type market struct {
	id       int64
	name     string
	handle   string
	status   string
	catalogs []*marketCatalog
}

// marketCatalog is a MarketCatalog; priceList may be nil.
type marketCatalog struct {
	id        int64
	title     string
	priceList *priceList
}

// priceList holds fixed prices by variant id, in its currency.
type priceList struct {
	id       int64
	name     string
	currency string
	fixed    map[int64]fixedPrice
}

type fixedPrice struct{ price, compareAt string } // compareAt "" for none

// MarketSpec seeds a market. Currency "" gives the market a catalog without
// a price list; NoCatalog gives it none at all; ExtraPriceList adds a second
// catalog with its own price list.
type MarketSpec struct {
	Name           string
	Currency       string
	NoCatalog      bool
	ExtraPriceList bool
	Draft          bool
}

// FixedPrice is a fixed price as the tests see it.
type FixedPrice struct {
	Price, CompareAtPrice string
}

// AddMarket adds a market and returns the ID of its (first) price list, ""
// when it has none.
func (sh *Shop) AddMarket(s MarketSpec) string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	c := sh.cat
	m := &market{id: c.newID(), name: s.Name, handle: strings.ToLower(strings.ReplaceAll(s.Name, " ", "-")), status: "ACTIVE"}
	if s.Draft {
		m.status = "DRAFT"
	}
	add := func(currency string) *priceList {
		mc := &marketCatalog{id: c.newID(), title: s.Name + " catalog"}
		if currency != "" {
			mc.priceList = &priceList{id: c.newID(), name: s.Name + " prices " + strconv.Itoa(len(c.priceLists)+1), currency: currency, fixed: map[int64]fixedPrice{}}
			c.priceLists = append(c.priceLists, mc.priceList)
		}
		m.catalogs = append(m.catalogs, mc)
		return mc.priceList
	}
	var first *priceList
	if !s.NoCatalog {
		first = add(s.Currency)
	}
	if s.ExtraPriceList {
		add(s.Currency)
	}
	c.markets = append(c.markets, m)
	if first == nil {
		return ""
	}
	return gid("PriceList", first.id)
}

// FixedPrices returns the fixed prices of the first price list of the market
// named name, by variant SKU (variants without a SKU by their ID).
func (sh *Shop) FixedPrices(name string) map[string]FixedPrice {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := map[string]FixedPrice{}
	for _, m := range sh.cat.markets {
		if m.name != name {
			continue
		}
		for _, mc := range m.catalogs {
			if mc.priceList == nil {
				continue
			}
			for vid, fp := range mc.priceList.fixed {
				v := sh.cat.variants[vid]
				if v == nil {
					continue
				}
				k := v.item.sku
				if k == "" {
					k = gid("ProductVariant", vid)
				}
				out[k] = FixedPrice{Price: fp.price, CompareAtPrice: fp.compareAt}
			}
			return out
		}
	}
	return out
}

func (c *catalog) priceList(gidStr string) *priceList {
	n, ok := idOf(gidStr, "PriceList")
	if !ok {
		return nil
	}
	for _, pl := range c.priceLists {
		if pl.id == n {
			return pl
		}
	}
	return nil
}

// priceFilter reads "product_id:1 OR variant_id:2" into the ids it allows
// (nil: no filter).
func priceFilter(q string) (products, variants map[int64]bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	products, variants = map[int64]bool{}, map[int64]bool{}
	for _, term := range strings.Fields(q) {
		if strings.EqualFold(term, "OR") {
			continue
		}
		k, v, _ := strings.Cut(term, ":")
		n, err := strconv.ParseInt(v[strings.LastIndexByte(v, '/')+1:], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "product_id":
			products[n] = true
		case "variant_id":
			variants[n] = true
		}
	}
	return products, variants
}

type priceRow struct {
	vid int64
	v   *variant
	fp  fixedPrice
	cur string
}

func addMarketTypes(sc *schema) {
	node := []string{"Node"}
	sc.addConnection("Market")
	sc.addConnection("MarketCatalog")
	sc.addConnection("PriceListPrice")
	money := func(amount, currency string) any {
		if amount == "" {
			return nil
		}
		return obj("MoneyV2", "amount", amount, "currencyCode", currency)
	}
	sc.objType("PriceList", node, map[string]*fieldDef{
		"id":       scalar(func(p any) any { return gid("PriceList", p.(*priceList).id) }),
		"name":     scalar(func(p any) any { return p.(*priceList).name }),
		"currency": scalar(func(p any) any { return p.(*priceList).currency }),
		"fixedPricesCount": {resolve: func(ec *execCtx, p any, _ map[string]any) (any, error) {
			n := 0
			for vid := range p.(*priceList).fixed {
				if ec.sh.cat.variants[vid] != nil {
					n++
				}
			}
			return n, nil
		}},
		"prices": {typ: "PriceListPriceConnection", conn: true, node: "PriceListPrice",
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				pl := p.(*priceList)
				if o := str(a["originType"]); o != "" && o != "FIXED" {
					return paginate(ec, nil, func(any) int64 { return 0 }, a)
				}
				prods, vars := priceFilter(str(a["query"]))
				var rows []*priceRow
				for vid, fp := range pl.fixed {
					v := ec.sh.cat.variants[vid]
					if v == nil {
						continue // deleted variants take their fixed prices with them
					}
					if prods != nil && !prods[v.product.id] && !vars[vid] {
						continue
					}
					rows = append(rows, &priceRow{vid: vid, v: v, fp: fp, cur: pl.currency})
				}
				sort.Slice(rows, func(i, j int) bool { return rows[i].vid < rows[j].vid })
				all := make([]any, len(rows))
				for i, r := range rows {
					all[i] = r
				}
				return paginate(ec, all, func(x any) int64 { return x.(*priceRow).vid }, a)
			}},
	})
	sc.objType("PriceListPrice", nil, map[string]*fieldDef{
		"originType": scalar(func(any) any { return "FIXED" }),
		"variant":    ref("ProductVariant", func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*priceRow).v, nil }),
		"price": ref("MoneyV2", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			r := p.(*priceRow)
			return money(r.fp.price, r.cur), nil
		}),
		"compareAtPrice": ref("MoneyV2", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			r := p.(*priceRow)
			return money(r.fp.compareAt, r.cur), nil
		}),
	})
	sc.objType("MarketCatalog", []string{"Node", "Catalog"}, map[string]*fieldDef{
		"id":     scalar(func(p any) any { return gid("MarketCatalog", p.(*marketCatalog).id) }),
		"title":  scalar(func(p any) any { return p.(*marketCatalog).title }),
		"status": scalar(func(any) any { return "ACTIVE" }),
		"priceList": ref("PriceList", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			if pl := p.(*marketCatalog).priceList; pl != nil {
				return pl, nil
			}
			return nil, nil
		}),
	})
	if c := sc.types["Catalog"]; c != nil {
		c.possible = append(c.possible, "MarketCatalog")
	}
	sc.objType("Market", node, map[string]*fieldDef{
		"id":     scalar(func(p any) any { return gid("Market", p.(*market).id) }),
		"name":   scalar(func(p any) any { return p.(*market).name }),
		"handle": scalar(func(p any) any { return p.(*market).handle }),
		"status": scalar(func(p any) any { return p.(*market).status }),
		"catalogs": {typ: "MarketCatalogConnection", conn: true, node: "MarketCatalog",
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				cats := p.(*market).catalogs
				all := make([]any, len(cats))
				for i, mc := range cats {
					all[i] = mc
				}
				return paginate(ec, all, func(x any) int64 { return x.(*marketCatalog).id }, a)
			}},
	})
	sc.types["QueryRoot"].fields["markets"] = &fieldDef{typ: "MarketConnection", conn: true, node: "Market",
		scopes: []string{scopeReadMarkets},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			all := make([]any, len(ec.sh.cat.markets))
			for i, m := range ec.sh.cat.markets {
				all[i] = m
			}
			return paginate(ec, all, func(x any) int64 { return x.(*market).id }, a)
		}}
	sc.addConnection("PriceList")
	sc.types["QueryRoot"].fields["priceLists"] = &fieldDef{typ: "PriceListConnection", conn: true, node: "PriceList",
		scopes: []string{scopeReadProducts},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			all := make([]any, len(ec.sh.cat.priceLists))
			for i, pl := range ec.sh.cat.priceLists {
				all[i] = pl
			}
			return paginate(ec, all, func(x any) int64 { return x.(*priceList).id }, a)
		}}
	sc.types["QueryRoot"].fields["priceList"] = &fieldDef{typ: "PriceList", scopes: []string{scopeReadProducts},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if pl := ec.sh.cat.priceList(str(a["id"])); pl != nil {
				return pl, nil
			}
			return nil, nil
		}}
	const et = "PriceListPriceUserError"
	sc.mapType(et, []string{"DisplayableError"}, "field", "message", "code")
	if de := sc.types["DisplayableError"]; de != nil {
		de.possible = append(de.possible, et)
	}
	sc.mapType("PriceListFixedPricesAddPayload", nil, "prices:[PriceListPrice]", "userErrors:["+et+"]")
	sc.mapType("PriceListFixedPricesDeletePayload", nil, "deletedFixedPriceVariantIds", "userErrors:["+et+"]")
	wp := []string{scopeWriteProducts}
	mut := sc.types["Mutation"].fields
	mut["priceListFixedPricesAdd"] = &fieldDef{typ: "PriceListFixedPricesAddPayload", mutation: true, scopes: wp, resolve: mutFixedPricesAdd}
	mut["priceListFixedPricesDelete"] = &fieldDef{typ: "PriceListFixedPricesDeletePayload", mutation: true, scopes: wp, resolve: mutFixedPricesDelete}
}

func mutFixedPricesAdd(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "PriceListPriceUserError"
	fail := func(errs []any) (any, error) {
		return obj("PriceListFixedPricesAddPayload", "prices", nil, "userErrors", errs), nil
	}
	pl := ec.sh.cat.priceList(str(a["priceListId"]))
	if pl == nil {
		return fail([]any{uerr(et, path("priceListId"), "The price list doesn't exist.", "PRICE_LIST_NOT_FOUND")})
	}
	type set struct {
		vid int64
		fp  fixedPrice
	}
	var sets []set
	var errs []any
	for i, it := range asList(a["prices"]) {
		in := asMap(it)
		v := ec.sh.cat.variantByGID(str(in["variantId"]))
		if v == nil {
			errs = append(errs, uerr(et, path("prices", i, "variantId"), "The product variant doesn't exist.", "VARIANT_NOT_FOUND"))
			continue
		}
		price, pm := asMap(in["price"]), asMap(in["compareAtPrice"])
		amount, ok := money(price["amount"])
		if !ok || strings.HasPrefix(amount, "-") {
			errs = append(errs, uerr(et, path("prices", i, "price", "amount"), "The price is invalid.", "BLANK"))
			continue
		}
		if str(price["currencyCode"]) != pl.currency {
			errs = append(errs, uerr(et, path("prices", i, "price", "currencyCode"), "The specified currency doesn't match the price list's currency.", "PRICE_LIST_CURRENCY_MISMATCH"))
			continue
		}
		fp := fixedPrice{price: amount}
		if pm != nil {
			cmp, ok := money(pm["amount"])
			if !ok || str(pm["currencyCode"]) != pl.currency {
				errs = append(errs, uerr(et, path("prices", i, "compareAtPrice", "currencyCode"), "The specified currency doesn't match the price list's currency.", "PRICE_LIST_CURRENCY_MISMATCH"))
				continue
			}
			fp.compareAt = cmp
		}
		sets = append(sets, set{v.id, fp})
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	out := make([]any, 0, len(sets))
	for _, s := range sets {
		pl.fixed[s.vid] = s.fp
		out = append(out, &priceRow{vid: s.vid, v: ec.sh.cat.variants[s.vid], fp: s.fp, cur: pl.currency})
	}
	return obj("PriceListFixedPricesAddPayload", "prices", out, "userErrors", []any{}), nil
}

func mutFixedPricesDelete(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "PriceListPriceUserError"
	fail := func(errs []any) (any, error) {
		return obj("PriceListFixedPricesDeletePayload", "deletedFixedPriceVariantIds", nil, "userErrors", errs), nil
	}
	pl := ec.sh.cat.priceList(str(a["priceListId"]))
	if pl == nil {
		return fail([]any{uerr(et, path("priceListId"), "The price list doesn't exist.", "PRICE_LIST_NOT_FOUND")})
	}
	var ids []int64
	var errs []any
	for i, it := range asList(a["variantIds"]) {
		n, ok := idOf(str(it), "ProductVariant")
		if _, fixed := pl.fixed[n]; !ok || !fixed || ec.sh.cat.variants[n] == nil {
			errs = append(errs, uerr(et, path("variantIds", i), "A fixed price for the specified product variant doesn't exist.", "VARIANT_NOT_FOUND"))
			continue
		}
		ids = append(ids, n)
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	out := make([]any, len(ids))
	for i, n := range ids {
		delete(pl.fixed, n)
		out[i] = gid("ProductVariant", n)
	}
	return obj("PriceListFixedPricesDeletePayload", "deletedFixedPriceVariantIds", out, "userErrors", []any{}), nil
}
