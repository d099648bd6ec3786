package source

import (
	"reflect"
	"testing"
)

// TestStockSaysWhetherALocationIsNeeded: only a single quantity column that
// names no location needs the location picker; Shopify's inventory CSV (a
// Location column) and per-location columns say where their quantities go.
func TestStockSaysWhetherALocationIsNeeded(t *testing.T) {
	cases := []struct {
		header []string
		want   Stock
		locs   []string
	}{
		{[]string{"Handle", "Title", "Option1 Name", "Option1 Value", "SKU", "HS Code", "COO", "Location", "Incoming", "Unavailable", "Committed", "Available", "On hand"}, StockPerRow, nil},
		{[]string{"SKU", "Location", "Available"}, StockPerRow, nil},
		{[]string{"SKU", "Stock - Berlin", "Stock - Paris"}, StockPerColumn, []string{"Berlin", "Paris"}},
		{[]string{"SKU", "Quantity"}, StockPicked, nil},
		{[]string{"Handle", "Title", "Variant SKU", "Variant Inventory Qty"}, StockPicked, nil},
		{[]string{"SKU", "Quantity", "Stock - Paris"}, StockPicked, []string{"Paris"}},
		{[]string{"SKU", "Price"}, StockNone, nil},
	}
	for _, c := range cases {
		m := Detect(c.header)
		if got := m.Stock(); got != c.want {
			t.Errorf("%q: stock %d, want %d (mapping %+v)", c.header, got, c.want, m)
		}
		if got := m.StockLocations(); !reflect.DeepEqual(got, c.locs) && len(got)+len(c.locs) > 0 {
			t.Errorf("%q: locations %q, want %q", c.header, got, c.locs)
		}
	}
	if (*Mapping)(nil).Stock() != StockNone {
		t.Error("no mapping has quantities")
	}
	if StockText(StockPicked, nil) != "" || StockText(StockPerRow, nil) != "Quantities go to the location named on each row." ||
		StockText(StockPerColumn, []string{"Berlin", "Paris"}) != "Quantities go to the locations named in the columns (Berlin, Paris)." {
		t.Error(StockText(StockPerColumn, []string{"Berlin", "Paris"}))
	}
	if got := StockText(StockPerColumn, []string{"A", "B", "C", "D", "E"}); got != "Quantities go to the locations named in the columns (A, B, C and 2 more)." {
		t.Error(got)
	}
}
