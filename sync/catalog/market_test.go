package catalog

import (
	"testing"
	"unsafe"
)

// A market price packs its compare-at price, market and flags into one word,
// and variants keep their prices in shared chunks across chunk boundaries.
func TestMarketPricesPacked(t *testing.T) {
	if n := unsafe.Sizeof(MarketPrice{}); n != 16 {
		t.Fatalf("MarketPrice takes %d bytes", n)
	}
	mp := NewMarketPrice(254, MustMoney("12.00"), MaxMoney, HasMarketPrice|HasMarketCompareAt, HasMarketCompareAt)
	if mp.Price != MustMoney("12.00") || mp.CompareAt() != MaxMoney || mp.Market() != 254 ||
		mp.Has() != HasMarketPrice|HasMarketCompareAt || mp.Blank() != HasMarketCompareAt {
		t.Fatalf("%+v: %v %v %v %v", mp, mp.CompareAt(), mp.Market(), mp.Has(), mp.Blank())
	}
	cols := &Columns{}
	vs := make([]Variant, 3000)
	for i := range vs {
		vs[i].Cols = cols
		vs[i].SetMarketPrices([]MarketPrice{NewMarketPrice(0, Money(i), 0, HasMarketPrice, 0),
			NewMarketPrice(1, Money(i), Money(2*i), HasMarketPrice|HasMarketCompareAt, 0), NewMarketPrice(2, 1, 0, HasMarketPrice, 0)})
	}
	for i := range vs {
		got := vs[i].MarketPrices()
		if len(got) != 3 || got[0].Price != Money(i) || got[1].CompareAt() != Money(2*i) || got[2].Market() != 2 {
			t.Fatalf("variant %d: %+v", i, got)
		}
	}
	if len(cols.prices) != 3 || (&Variant{}).MarketPrices() != nil {
		t.Fatalf("%d chunks for 9,000 prices", len(cols.prices))
	}
}
