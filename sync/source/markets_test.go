package source

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Market price columns in both dialects are read per variant; a blank cell
// is absent unless blank means clear; a bad amount is a cell error that
// leaves that market alone and the rest of the row synced.
func TestMarketPriceColumns(t *testing.T) {
	const text = "URL handle,Title,Option1 name,Option1 value,SKU,Price,Price / International,Compare-at price / International,Compare At Price / Europe,Price / Europe,Included / International\n" +
		"tee,Tee,Size,S,TEE-S,10.00,12.00,15.00,,9.50,TRUE\n" +
		"tee,,,M,TEE-M,10.00,,,,abc,TRUE\n"
	for _, clears := range []bool{false, true} {
		cat, err := readString(text, Options{BlankClears: clears})
		if err != nil {
			t.Fatal(err)
		}
		vs := cat.Products[0].Variants
		cols := vs[0].Cols.Markets
		if len(cols) != 2 || cols[0].Market != "International" || cols[1].Market != "Europe" ||
			cols[1].Price != "Price / Europe" || cols[1].CompareAt != "Compare At Price / Europe" {
			t.Fatalf("market columns: %+v", cols)
		}
		s := vs[0].MarketPrices()
		if len(s) != 2 || s[0].Price != catalog.MustMoney("12.00") || s[0].CompareAt() != catalog.MustMoney("15.00") ||
			s[0].Has() != catalog.HasMarketPrice|catalog.HasMarketCompareAt || s[0].Blank() != 0 || s[1].Market() != 1 {
			t.Fatalf("clears=%v: TEE-S International: %+v", clears, s)
		}
		wantEurope := catalog.HasMarketPrice
		if clears {
			wantEurope |= catalog.HasMarketCompareAt
		}
		if s[1].Price != catalog.MustMoney("9.50") || s[1].Has() != wantEurope {
			t.Fatalf("clears=%v: TEE-S Europe: %+v", clears, s[1])
		}
		if c := vs[0].MarketCell(s[1], false); c.Column != "Price / Europe" || c.Row != 2 {
			t.Fatalf("cell: %+v", c)
		}
		m := vs[1].MarketPrices()
		switch {
		case !clears && len(m) != 0:
			t.Fatalf("blank cells must be absent: %+v", m)
		case clears && (len(m) != 1 || m[0].Has() != catalog.HasMarketPrice|catalog.HasMarketCompareAt || m[0].Blank() != m[0].Has()):
			t.Fatalf("blank means clear: %+v", m)
		}
		if len(cat.Errors) != 1 || cat.Errors[0].Column != "Price / Europe" || !vs[1].Fields.Has(catalog.FieldPrice) {
			t.Fatalf("a bad market price is one cell error, the row syncs: %+v", cat.Errors)
		}
		if r := unsyncedReasonOf(cat, "Included / International"); !strings.Contains(r, "catalogs") {
			t.Fatalf("Included: %q", r)
		}
	}
}

// Export writes every market's price and compare-at price in the current
// dialect, and reading it back gives the same prices.
func TestMarketPricesRoundTrip(t *testing.T) {
	cat, err := readString("Handle,Title,Variant SKU,Variant Price,Price / International,Compare At Price / International\n"+
		"tee,Tee,TEE,10.00,0.00,15.00\nmug,Mug,MUG,5.00,,\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteShopifyCSV(&b, cat.Products); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.SplitN(b.String(), "\n", 2)[0], "Price / International,Compare-at price / International") {
		t.Fatalf("header: %s", b.String())
	}
	back, err := readString(b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := back.Products[0].Variants[0].MarketPrices()
	if len(got) != 1 || got[0].Price != 0 || got[0].CompareAt() != catalog.MustMoney("15.00") || got[0].Has() != 3 {
		t.Fatalf("a fixed price of 0.00 and its compare-at price come back: %+v\n%s", got, b.String())
	}
	if len(back.Products[1].Variants[0].MarketPrices()) != 0 {
		t.Fatalf("no fixed price stays blank: %+v", back.Products[1].Variants[0].MarketPrices())
	}
}
