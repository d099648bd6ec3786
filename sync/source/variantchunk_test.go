package source

import (
	"strconv"
	"strings"
	"testing"
)

// TestVariantsKeptWhenRowsApartAndAcrossChunks: each product's variants are
// copied into shared chunks when its rows end (builder.sealOpen). A product
// whose rows are apart in the sheet, a product larger than a chunk, and many
// products filling several chunks must each keep exactly their own variants.
func TestVariantsKeptWhenRowsApartAndAcrossChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n")
	row := func(h string, first bool, j int) {
		title, opt := "", ""
		if first {
			title, opt = "T "+h, "Size"
		}
		b.WriteString(h + "," + title + "," + opt + ",V" + strconv.Itoa(j) + "," + h + "-" + strconv.Itoa(j) + ",1.00\n")
	}
	row("apart", true, 0)
	row("other", true, 0)
	row("apart", false, 1) // the same product again, after another
	row("other", false, 1)
	row("apart", false, 2)
	for j := range variantChunk + 5 { // larger than a chunk
		row("big", j == 0, j)
	}
	for i := range 3 * variantChunk / 7 { // several chunks of small products
		for j := range 7 {
			row("p"+strconv.Itoa(i), j == 0, j)
		}
	}
	cat, err := readString(b.String(), Options{})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatalf("err %v, errors %v", err, cat.Errors[:min(3, len(cat.Errors))])
	}
	want := map[string]int{"apart": 3, "other": 2, "big": variantChunk + 5}
	for i := range 3 * variantChunk / 7 {
		want["p"+strconv.Itoa(i)] = 7
	}
	if len(cat.Products) != len(want) {
		t.Fatalf("%d products, want %d", len(cat.Products), len(want))
	}
	for _, p := range cat.Products {
		if len(p.Variants) != want[p.Handle] {
			t.Fatalf("%s has %d variants, want %d", p.Handle, len(p.Variants), want[p.Handle])
		}
		for j, v := range p.Variants {
			if v.SKU != p.Handle+"-"+strconv.Itoa(j) || v.OptionValues[0] != "V"+strconv.Itoa(j) {
				t.Fatalf("%s variant %d is %q %v", p.Handle, j, v.SKU, v.OptionValues)
			}
		}
	}
}
