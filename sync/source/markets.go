package source

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Market price columns of Shopify's product CSV: "Price / <Market>" and
// "Compare-at price / <Market>" in the current dialect, "Compare At Price /
// <Market>" in the legacy one; the market part is the market's name
// (https://help.shopify.com/en/manual/products/import-export/using-csv,
// "International CSV columns": "If you replace the International market with
// your own market, then the header name International changes to the name
// of that market"). "Included / <Market>" is read by nothing (unsynced.go).

// MarketPriceColumn is one market price column of a mapping.
type MarketPriceColumn struct {
	Column    string `json:"column"`
	Market    string `json:"market"`
	CompareAt bool   `json:"compareAt,omitempty"` // the compare-at price, not the price
}

var marketPriceHeader = regexp.MustCompile(`(?i)^(price|compare[- ]?at price)\s*/\s*(\S.*)$`)

// detectMarketPrices finds the market price columns of a header.
func detectMarketPrices(m *Mapping, order []string, seen map[string]string) {
	for _, n := range order {
		orig := strings.Join(strings.Fields(seen[n]), " ")
		if g := marketPriceHeader.FindStringSubmatch(orig); g != nil {
			m.MarketPrices = append(m.MarketPrices, MarketPriceColumn{Column: seen[n], Market: strings.TrimSpace(g[2]),
				CompareAt: !strings.EqualFold(g[1], "price")})
		}
	}
}

// mktCol holds the column indexes of one market (-1 when absent).
type mktCol struct{ price, compare int }

// maxMarkets bounds the markets a sheet can price (MarketPrice.Market is a byte).
const maxMarkets = 255

// marketPrices resolves the market price columns, one entry per market
// (names compared ignoring case), in the order of the mapping.
func (r *resolver) marketPrices(m *Mapping) {
	x := &r.l.x
	at := map[string]int{}
	for _, c := range m.MarketPrices {
		i := r.plain(c.Column)
		if i < 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(c.Market))
		k, ok := at[key]
		if !ok {
			if len(x.markets) == maxMarkets {
				r.l.used[i] = false // listed as not synced
				continue
			}
			k = len(x.markets)
			at[key] = k
			x.markets = append(x.markets, mktCol{-1, -1})
			r.l.cols.Markets = append(r.l.cols.Markets, catalog.MarketColumns{Market: strings.TrimSpace(c.Market)})
		}
		mc, cols := &x.markets[k], &r.l.cols.Markets[k]
		switch {
		case c.CompareAt && mc.compare < 0:
			mc.compare, cols.CompareAt = i, r.l.header[i]
		case !c.CompareAt && mc.price < 0:
			mc.price, cols.Price = i, r.l.header[i]
		default:
			r.l.used[i] = false // a second column for the same market and price: listed as not synced
		}
	}
}

// hasMarketPrices reports a market price cell in the row.
func (r *rowCtx) hasMarketPrices() bool {
	for _, mc := range r.b.l.x.markets {
		if r.get(mc.price) != "" || r.get(mc.compare) != "" {
			return true
		}
	}
	return false
}

// marketPrices reads the row's market prices. A cell that is not an amount
// is a cell error and leaves that market's price alone; the rest of the row
// syncs.
func (r *rowCtx) marketPrices(v *catalog.Variant) {
	l := r.b.l
	if len(l.x.markets) == 0 {
		return
	}
	var buf [8]catalog.MarketPrice
	got := buf[:0]
	for k, mc := range l.x.markets {
		var price, compareAt catalog.Money
		var has, blank uint8
		ok := true
		read := func(i int, what string, amount *catalog.Money, bit uint8) {
			if i < 0 {
				return
			}
			s := r.get(i)
			if s == "" {
				if r.clears() {
					has |= bit
					blank |= bit
				}
				return
			}
			m, err := l.money(s)
			if err == nil && m < 0 {
				err = errNegative
			}
			if err != nil {
				r.cellErrs = append(r.cellErrs, catalog.RowError{Cell: catalog.Cell{Row: r.rec.row, Column: l.header[i]},
					Message: what + " in market " + strconv.Quote(l.cols.Markets[k].Market) + ": " + err.Error() + "; that market's price is left as it is"})
				ok = false
				return
			}
			*amount = m
			has |= bit
		}
		read(mc.price, "price", &price, catalog.HasMarketPrice)
		read(mc.compare, "compare-at price", &compareAt, catalog.HasMarketCompareAt)
		if ok && has != 0 {
			got = append(got, catalog.NewMarketPrice(uint8(k), price, compareAt, has, blank))
		}
	}
	v.SetMarketPrices(got)
}

type negativeError struct{}

func (negativeError) Error() string { return "a price can't be negative" }

var errNegative error = negativeError{}

// marketHeaders lists the market price columns of products, each market's
// price then compare-at price, in the order the markets first appear, with
// the column each writes: "<header>\x00<market>\x00p|c" → index.
func marketHeaders(products []catalog.Product) ([]string, map[string]int) {
	var out []string
	at := map[string]int{}
	for i := range products {
		for j := range products[i].Variants {
			v := &products[i].Variants[j]
			for _, mp := range v.MarketPrices() {
				name := v.MarketName(mp)
				if _, ok := at[name+"\x00p"]; ok || name == "" {
					continue
				}
				at[name+"\x00p"], at[name+"\x00c"] = len(out), len(out)+1
				out = append(out, "Price / "+name, "Compare-at price / "+name)
			}
		}
	}
	return out, at
}

// marketCells writes a variant's market prices into their columns (base is
// the index of the first market column).
func marketCells(row []string, v *catalog.Variant, at map[string]int, base int) {
	for _, mp := range v.MarketPrices() {
		name := v.MarketName(mp)
		if mp.Has()&^mp.Blank()&catalog.HasMarketPrice != 0 {
			row[base+at[name+"\x00p"]] = mp.Price.String()
		}
		if mp.Has()&^mp.Blank()&catalog.HasMarketCompareAt != 0 && mp.CompareAt() > 0 {
			row[base+at[name+"\x00c"]] = mp.CompareAt().String()
		}
	}
}
