package source

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

const hdr = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy,Status,Image Src,Image Position\n"

// good is a valid row appended to most bad inputs: it must still be read.
const good = "ok,OK,Title,Default Title,OK-1,5,1,deny,active,,\n"

func readString(s string, opts Options) (*catalog.Catalog, error) {
	return ReadCSV(strings.NewReader(s), opts)
}

// findError looks for an error at cell want whose message contains msg,
// first in the returned error, then in the catalog's errors.
func findError(cat *catalog.Catalog, err error, want catalog.Cell, msg string) bool {
	var re catalog.RowError
	if errors.As(err, &re) && re.Cell == want && strings.Contains(re.Message, msg) {
		return true
	}
	if cat == nil {
		return false
	}
	for _, e := range cat.Errors {
		if e.Cell == want && strings.Contains(e.Message, msg) {
			return true
		}
	}
	return false
}

func TestBadInputs(t *testing.T) {
	many := func(n int) string {
		var b strings.Builder
		b.WriteString(hdr)
		for i := 0; i < n; i++ {
			b.WriteString("big,Big,Size,S" + itoaT(i) + ",B" + itoaT(i) + ",1,1,deny,,,\n")
		}
		return b.String()
	}
	long := strings.Repeat("x", 256)
	cases := []struct {
		name    string
		in      string
		mapping *Mapping
		cell    catalog.Cell
		msg     string
		good    int // variants still read; -1: don't check
	}{
		{"missing handle and title", hdr + ",,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Handle"}, "missing handle", 1},
		{"handle with spaces", hdr + "my shirt,Shirt,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Handle"}, "my-shirt", 1},
		{"price not a number", hdr + "a,A,Title,Default Title,A,abc,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "not an amount", 2},
		{"negative price", hdr + "a,A,Title,Default Title,A,-5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "negative", 2},
		{"price with 3 decimals", hdr + "a,A,Title,Default Title,A,1.999,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "more than 2 decimals", 2},
		{"price too large", hdr + "a,A,Title,Default Title,A,2000000000000,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "larger", 2},
		{"price NaN", hdr + "a,A,Title,Default Title,A,NaN,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "not an amount", 2},
		{"price with two separators", hdr + "a,A,Title,Default Title,A,\"1,2,3\",1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "not an amount", 2},
		{"oversold beyond Shopify's bound", hdr + "a,A,Title,Default Title,A,5,-2000000000,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Qty"}, "between", 2},
		{"huge quantity", hdr + "a,A,Title,Default Title,A,5,2000000000,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Qty"}, "between", 2},
		{"overflowing quantity", hdr + "a,A,Title,Default Title,A,5,99999999999999999999,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Qty"}, "between", 2},
		{"fractional quantity", hdr + "a,A,Title,Default Title,A,5,1.5,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Qty"}, "whole number", 2},
		{"quantity text", hdr + "a,A,Title,Default Title,A,5,lots,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Qty"}, "whole number", 2},
		{"bad inventory policy", hdr + "a,A,Title,Default Title,A,5,1,maybe,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant Inventory Policy"}, "inventory policy", 2},
		{"bad status", hdr + "a,A,Title,Default Title,A,5,1,deny,live,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Status"}, "status", 2},
		{"option value missing", hdr + "a,A,Size,S,A1,5,1,deny,,,\na,,,,A2,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 3, Column: "Option1 Value"}, `option "Size"`, 2},
		{"duplicate option combination", hdr + "a,A,Size,S,A1,5,1,deny,,,\na,,,S,A2,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 3, Column: "Option1 Value"}, "row 2", 2},
		{"two variants without options", hdr + "a,A,Title,Default Title,A1,5,1,deny,,,\na,,,,A2,6,1,deny,,,\n" + good, nil, catalog.Cell{Row: 3, Column: "Option1 Value"}, "only one variant", 2},
		{"first row option value empty", hdr + "a,A,Size,,A1,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Option1 Value"}, `option "Size"`, 1},
		{"image not a URL", hdr + "a,A,Title,Default Title,A,5,1,deny,,ftp://x/y.png,\n" + good, nil, catalog.Cell{Row: 2, Column: "Image Src"}, "web address", 2},
		{"image position not a number", hdr + "a,A,Title,Default Title,A,5,1,deny,,https://x/y.png,first\n" + good, nil, catalog.Cell{Row: 2, Column: "Image Position"}, "position", 2},
		{"title too long", hdr + "a," + long + ",Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Title"}, "255", 2},
		{"handle reused by another product", hdr + good + "ok,Other,Title,Default Title,B,5,1,deny,,,\n", nil, catalog.Cell{Row: 3, Column: "Title"}, "already used", 1},
		{"rows after an unreadable first row", hdr + "a,A,Size,,A1,5,1,deny,,,\na,,,M,A2,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 3}, "row 2", 1},
		{"handle not derivable from title", "Title,URL handle,SKU,Price\n!!!,,A,5\nGood,,B,6\n", nil, catalog.Cell{Row: 2, Column: "Title"}, "handle", 1},
		{"too many variants", many(catalog.MaxVariants + 1), nil, catalog.Cell{Row: catalog.MaxVariants + 2}, "2048", catalog.MaxVariants},
		{"bare quote", hdr + "a,A 5\" screen,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Title"}, "broken quoting", 1},
		{"text after closing quote", hdr + "a,\"A\"x,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Title"}, "broken quoting", 1},
		{"unclosed quote", hdr + good + "a,\"A,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 3, Column: "Title"}, "broken quoting", 1},
		{"extra cells", hdr + "a,A,Title,Default Title,A,5,1,deny,,,,surprise\n" + good, nil, catalog.Cell{Row: 2}, "cells", 1},
		{"undecodable bytes", hdr + "a,A\x81,Title,Default Title,A,5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Title"}, "encoding", 1},
		{"empty file", "", nil, catalog.Cell{}, "empty", -1},
		{"blank file", " \r\n\n", nil, catalog.Cell{}, "empty", -1},
		{"BOM only", "\ufeff", nil, catalog.Cell{}, "empty", -1},
		{"header only", hdr, nil, catalog.Cell{Row: 2}, "no data rows", -1},
		{"header and blank rows", hdr + ",,,,,,,,,,\n\n , \n", nil, catalog.Cell{Row: 2}, "no data rows", -1},
		{"empty header", ",,\na,b,c\n", nil, catalog.Cell{Row: 1}, "header row is empty", -1},
		{"no identifying column", "Colour,Weight\nred,5\n", nil, catalog.Cell{Row: 1}, "identifies", -1},
		{"broken header quoting", "Handle,\"Title\nx", nil, catalog.Cell{Row: 1}, "header", -1},
		{"XLSX given as CSV", "PK\x03\x04rest", nil, catalog.Cell{}, "XLSX", -1},
		{"binary file", "Handle\x00,Title\n", nil, catalog.Cell{}, "NUL", -1},
		{"mapping names a missing column", "SKU,Qty\nA,1\n", &Mapping{SKU: "Article", Quantity: map[string]string{"": "Qty"}}, catalog.Cell{Row: 1, Column: "Article"}, "doesn't have", -1},
		{"mapped column twice", "SKU,SKU,Qty\nA,B,1\n", &Mapping{SKU: "SKU", Quantity: map[string]string{"": "Qty"}}, catalog.Cell{Row: 1, Column: "SKU"}, "more than once", -1},
		{"mapping decimal separator", "SKU,Qty\nA,1\n", &Mapping{SKU: "SKU", Decimal: ";"}, catalog.Cell{}, "decimal", -1},
		{"loose row without SKU", "SKU,Qty\n,4\nB,5\n", nil, catalog.Cell{Row: 2, Column: "SKU"}, "missing SKU", 1},
		{"bad compare-at price", "Handle,Title,Variant Price,Variant Compare At Price\na,A,5,x\nb,B,5,6\n", nil, catalog.Cell{Row: 2, Column: "Variant Compare At Price"}, "compare-at", 2},
		{"variant image not a URL", "Handle,Title,Variant SKU,Variant Image\na,A,A1,img.png\nb,B,B1,\n", nil, catalog.Cell{Row: 2, Column: "Variant Image"}, "web address", 2},
		{"SKU too long", "SKU,Qty\n" + long + ",1\nB,1\n", nil, catalog.Cell{Row: 2, Column: "SKU"}, "255", 1},
		{"SKU too long on a product row", hdr + "a,A,Title,Default Title," + long + ",5,1,deny,,,\n" + good, nil, catalog.Cell{Row: 2, Column: "Variant SKU"}, "255", 2},
		{"too many options", "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Option4 Name,Option4 Value\na,A,S,1,C,2,M,3,X,4\n", nil, catalog.Cell{Row: 2, Column: "Option4 Name"}, "at most 3", 0},
		{"option 2 without option 1", "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value\na,A,,,Color,Red\nb,B,Size,S,,\n", nil, catalog.Cell{Row: 2, Column: "Option2 Name"}, "in order", 1},
		{"option value without name", "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value\na,A,Size,S,,Red\nb,B,Size,S,,\n", nil, catalog.Cell{Row: 2, Column: "Option2 Value"}, "no option name", 1},
		{"option name twice", "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value\na,A,Size,S,size,M\nb,B,Size,S,,\n", nil, catalog.Cell{Row: 2, Column: "Option2 Name"}, "twice", 1},
		{"mapped option without a name", "Handle,Size,SKU\na,S,A1\n", &Mapping{Handle: "Handle", SKU: "SKU", Options: []OptionColumns{{ValueColumn: "Size"}}}, catalog.Cell{Row: 2, Column: "Size"}, "no name", 0},
		{"decimal comma file with a bad price", "SKU;Price\nA;1,999\nB;2,50\n", nil, catalog.Cell{Row: 2, Column: "Price"}, "decimals", 2},
	}
	if len(cases) < 38 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat, err := readString(c.in, Options{Mapping: c.mapping})
			if !findError(cat, err, c.cell, c.msg) {
				var errs []catalog.RowError
				if cat != nil {
					errs = cat.Errors
				}
				t.Fatalf("want an error at %v containing %q; got err=%v, errors=%v", c.cell, c.msg, err, errs)
			}
			if c.good >= 0 && (cat == nil || cat.VariantCount() != c.good) {
				t.Errorf("good variants: got %v, want %d", cat, c.good)
			}
		})
	}
}

func itoaT(i int) string { return strconv.Itoa(i) }

// ReadCSV never panics and never returns an error without a cell on any of
// these truncations of a valid file.
func TestTruncatedInputs(t *testing.T) {
	full := hdr + "a,\"A\nmulti\",Size,S,A1,5,1,deny,draft,https://x/a.png,1\n" + good
	for i := 0; i <= len(full); i++ {
		cat, err := readString(full[:i], Options{})
		var re catalog.RowError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("prefix %d: error %v is not a RowError", i, err)
		}
		_ = cat
	}
	if _, err := ReadCSV(bytes.NewReader([]byte(full)), Options{MaxBytes: 10}); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("size cap: %v", err)
	}
}
