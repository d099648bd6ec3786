package source

import (
	"strings"
	"testing"
)

// The legacy Published column decides whether a new product is published:
// TRUE and a blank cell publish (as Shopify's importer does), FALSE does
// not, anything else is an error at its cell and leaves the store's default.
func TestPublishedColumn(t *testing.T) {
	in := "Handle,Title,Published,Variant SKU,Variant Price\n" +
		"a,A,TRUE,A-1,1\n" +
		"b,B,FALSE,B-1,1\n" +
		"c,C,,C-1,1\n" +
		"d,D,maybe,D-1,1\n"
	cat, err := readString(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "true", "b": "false", "c": "true", "d": "nil"}
	for _, p := range cat.Products {
		got := "nil"
		if p.Published != nil {
			got = map[bool]string{true: "true", false: "false"}[*p.Published]
		}
		if got != want[p.Handle] {
			t.Errorf("%s: published %s, want %s", p.Handle, got, want[p.Handle])
		}
	}
	if len(cat.Errors) != 1 || cat.Errors[0].Row != 5 || cat.Errors[0].Column != "Published" || !strings.Contains(cat.Errors[0].Message, "TRUE or FALSE") {
		t.Errorf("errors %v", cat.Errors)
	}
	// A sheet without the column leaves it to the store.
	cat, err = readString("Handle,Title,Variant SKU\na,A,A-1\n", Options{})
	if err != nil || cat.Products[0].Published != nil {
		t.Fatal(err, cat.Products[0].Published)
	}
}
