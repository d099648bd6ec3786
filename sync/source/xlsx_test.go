package source

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/xuri/excelize/v2"
)

// workbook builds an XLSX in memory: a decoy first sheet unless first is
// true, then "Stock" with a supplier layout.
func workbook(t *testing.T, app string, stockFirst bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if !stockFirst {
		if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
			t.Fatal(err)
		}
		f.SetCellValue("Notes", "A1", "nothing to see")
		f.NewSheet("Stock")
	} else {
		f.SetSheetName("Sheet1", "Stock")
	}
	rows := [][]any{
		{"SKU", "EAN", "Price", "Qty", "Stock - Berlin", "Notes"},
		{"A-1", "4006381333931", 19.9, 5, 1},
		{"A-2", 4006381333948, 0.1 + 0.2, 3.0, 2}, // float noise and a numeric barcode
		{"A-3", "", nil, nil, 4},                  // price from a formula with a cached value
		{"A-4", "", nil, nil, nil},                // quantity from a formula without one
		{},                                        // a blank row is skipped
		{"A-6", "", 7, -2, 0},                     // oversold: a negative quantity
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Stock", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellValue("Stock", "C4", 12.5)
	f.SetCellFormula("Stock", "C4", "10+2.5")   // keeps 12.5 as the cached value
	f.SetCellFormula("Stock", "D5", "B5*2")     // no cached value
	f.SetCellFormula("Stock", "F2", "A2&\"!\"") // none either, but Notes isn't synced
	if app != "" {
		f.SetAppProps(&excelize.AppProperties{Application: app})
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := workbook(t, "", true)
	cat, err := ReadXLSX(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	bySKU := map[string]catalog.Variant{}
	for _, v := range cat.Variants {
		bySKU[v.SKU] = v
	}
	if len(cat.Products) != 0 || len(bySKU) != 4 {
		t.Fatalf("variants %v, errors %v", bySKU, cat.Errors)
	}
	a1, a2, a3 := bySKU["A-1"], bySKU["A-2"], bySKU["A-3"]
	if a1.Price != 1990 || qtyAt(a1.Quantities, "") != 5 || qtyAt(a1.Quantities, "Berlin") != 1 || a1.Barcode != "4006381333931" {
		t.Errorf("A-1 = %+v", a1)
	}
	if a2.Price != 30 || qtyAt(a2.Quantities, "") != 3 || a2.Barcode != "4006381333948" {
		t.Errorf("A-2 = %+v", a2)
	}
	if a3.Price != 1250 || a3.Fields.Has(catalog.FieldQuantity) && qtyAt(a3.Quantities, "") != 0 || qtyAt(a3.Quantities, "Berlin") != 4 {
		t.Errorf("A-3 (cached formula value) = %+v", a3)
	}
	if _, ok := a3.Quantities.Get(""); ok {
		t.Errorf("A-3 empty quantity must be absent: %v", a3.Quantities)
	}
	if !findError(cat, nil, catalog.Cell{Row: 5, Column: "Qty"}, "formula without a cached value") {
		t.Errorf("formula error missing: %v", cat.Errors)
	}
	if a6 := bySKU["A-6"]; qtyAt(a6.Quantities, "") != -2 || qtyAt(a6.Quantities, "Berlin") != 0 {
		t.Errorf("A-6 (oversold) = %+v", a6)
	}
	if len(cat.Errors) != 1 || !containsStr(cat.Ignored, "Notes") {
		t.Errorf("errors = %v, ignored %q", cat.Errors, cat.Ignored)
	}
}

func TestReadXLSXSheets(t *testing.T) {
	data := workbook(t, "Microsoft Excel", false)
	cat, err := ReadXLSX(bytes.NewReader(data), Options{Sheet: "Stock"})
	if err != nil {
		t.Fatal(err)
	}
	// Saved by Excel, an empty text formula result is a real empty cell.
	if len(cat.Variants) != 5 || cat.Variants[3].SKU != "A-4" || cat.Variants[3].Fields.Has(catalog.FieldQuantity) {
		t.Errorf("named sheet: %+v, errors %v", cat.Variants, cat.Errors)
	}
	// The first sheet has no identifying column.
	if _, err := ReadXLSX(bytes.NewReader(data), Options{}); err == nil || !strings.Contains(err.Error(), "identifies") {
		t.Errorf("first sheet: %v", err)
	}
	if _, err := ReadXLSX(bytes.NewReader(data), Options{Sheet: "Nope"}); err == nil || !strings.Contains(err.Error(), `"Stock"`) {
		t.Errorf("missing sheet: %v", err)
	}
	if _, err := ReadXLSX(strings.NewReader("PK\x03\x04 not really a zip"), Options{}); err == nil {
		t.Error("broken XLSX accepted")
	}
	// ReadFile recognises the content even with a .csv name.
	if c, err := readBytes(data, ".csv", Options{Sheet: "Stock"}); err != nil || len(c.Variants) != 5 {
		t.Errorf("readBytes: %v", err)
	}
}

func TestContainsFormula(t *testing.T) {
	for in, want := range map[string]bool{`<c r="A1"><f>1+1</f></c>`: true, `<c><x:f t="shared">A1</x:f></c>`: true,
		`<c r="F1" t="s"><v>3</v></c><fill/>`: false, "": false} {
		if got := containsFormula(iotest.OneByteReader(strings.NewReader(in))); got != want {
			t.Errorf("containsFormula(%q) = %v", in, got)
		}
		if got := containsFormula(strings.NewReader(in)); got != want {
			t.Errorf("containsFormula(%q) in one read = %v", in, got)
		}
	}
	if !hasFormulas(workbook(t, "", true)) || hasFormulas([]byte("not a zip")) != true {
		t.Error("hasFormulas")
	}
	plain := excelize.NewFile()
	plain.SetCellValue("Sheet1", "A1", "SKU")
	var buf bytes.Buffer
	plain.Write(&buf)
	if hasFormulas(buf.Bytes()) {
		t.Error("a workbook without formulas has formulas")
	}
	names, err := SheetNames(bytes.NewReader(workbook(t, "", false)))
	if err != nil || strings.Join(names, ",") != "Notes,Stock" {
		t.Errorf("SheetNames = %q, %v", names, err)
	}
}

func TestIsFloatNoise(t *testing.T) {
	for in, want := range map[string]bool{"19.899999999999999": true, "0.30000000000000004": true, "19.9": false,
		"12E45": false, "4006381333931": false, "-1.0000000000000002": true, "1.2.3": false} {
		if isFloatNoise(in) != want {
			t.Errorf("isFloatNoise(%q) = %v", in, !want)
		}
	}
}
