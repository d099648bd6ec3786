package catalog

import (
	"errors"
	"testing"
)

func TestCellString(t *testing.T) {
	cases := map[Cell]string{
		{Row: 12, Column: "Variant Price"}: `row 12, column "Variant Price"`,
		{Row: 3}:                           "row 3",
		{Column: "SKU"}:                    `column "SKU"`,
		{}:                                 "file",
	}
	for c, want := range cases {
		if got := c.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", c, got, want)
		}
	}
	e := Errorf(Cell{Row: 2, Column: "Price"}, "bad %s", "x")
	if e.Error() != `row 2, column "Price": bad x` {
		t.Errorf("RowError = %q", e.Error())
	}
	if got := Errorf(Cell{}, "the file is empty").Error(); got != "the file is empty" {
		t.Errorf("file-level RowError = %q", got)
	}
}

func TestParseMoney(t *testing.T) {
	good := map[string]Money{
		"19.9": 1990, "19.90": 1990, "19": 1900, "0": 0, "0.5": 50, ".5": 50, "19.": 1900,
		"1,234.50": 123450, "1,234,567.00": 123456700, "$5": 500, "5 USD": 500, "€ 3.10": 310,
		" 7.000 ": 700, "+2": 200, "1000000000000": MaxMoney, "1 234.5": 123450,
	}
	for in, want := range good {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	comma := map[string]Money{"19,9": 1990, "1.234,50": 123450, "1 234,5": 123450, "7": 700, "0,05": 5}
	for in, want := range comma {
		got, err := ParseMoneyDecimalComma(in)
		if err != nil || got != want {
			t.Errorf("ParseMoneyDecimalComma(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]error{
		"": ErrMoneyEmpty, "  ": ErrMoneyEmpty, "abc": ErrMoneySyntax, "-1": ErrMoneyNegative,
		"(5)": ErrMoneyNegative, "1.234": ErrMoneyPrecision, "1,23": ErrMoneySyntax, "NaN": ErrMoneySyntax,
		"1e5": ErrMoneySyntax, "1000000000000.01": ErrMoneyTooLarge, "99999999999999999999": ErrMoneyTooLarge,
		"1..2": ErrMoneySyntax, ".": ErrMoneySyntax, "1,2345": ErrMoneySyntax, ",123": ErrMoneySyntax,
		"Inf": ErrMoneySyntax, "12 34": ErrMoneySyntax, "1.5.": ErrMoneySyntax,
	}
	for in, want := range bad {
		_, err := ParseMoney(in)
		if !errors.Is(err, want) {
			t.Errorf("ParseMoney(%q) error = %v, want %v", in, err, want)
		}
	}
	if _, err := ParseMoneyDecimalComma("19.9"); err == nil {
		t.Errorf("ParseMoneyDecimalComma(19.9) accepted a decimal point")
	}
}

func TestMoneyString(t *testing.T) {
	cases := map[Money]string{0: "0.00", 5: "0.05", 50: "0.50", 1990: "19.90", -1990: "-19.90", MaxMoney: "1000000000000.00"}
	for m, want := range cases {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(m), got, want)
		}
		if m >= 0 {
			back, err := ParseMoney(want)
			if err != nil || back != m {
				t.Errorf("round trip %q = %v, %v", want, back, err)
			}
		}
	}
}

func TestFieldSet(t *testing.T) {
	var s FieldSet
	if !s.Empty() || s.Has(FieldSKU) {
		t.Fatal("zero FieldSet not empty")
	}
	s.Add(FieldSKU)
	s.Add(FieldQuantity)
	if !s.Has(FieldSKU) || !s.Has(FieldQuantity) || s.Has(FieldPrice) {
		t.Errorf("set = %v", s)
	}
	if s.String() != "SKU, quantity" {
		t.Errorf("String = %q", s.String())
	}
	s.Remove(FieldSKU)
	if s.Has(FieldSKU) {
		t.Error("Remove failed")
	}
	if NewFieldSet(FieldTitle, FieldPrice).Union(NewFieldSet(FieldSKU)) != NewFieldSet(FieldTitle, FieldPrice, FieldSKU) {
		t.Error("Union")
	}
	if len(AllFields()) != int(fieldCount) || Field(200).String() != "field(200)" {
		t.Error("AllFields/String")
	}
	if !FieldPrice.IsVariantField() || FieldTitle.IsVariantField() {
		t.Error("IsVariantField")
	}
}

func TestHandleFromTitle(t *testing.T) {
	cases := map[string]string{
		"Ocean Blue Shirt!": "ocean-blue-shirt", "  7 Shakra -- Bracelet ": "7-shakra-bracelet",
		"Crème brûlée": "crème-brûlée", "!!!": "", "a_b": "a-b",
	}
	for in, want := range cases {
		if got := HandleFromTitle(in); got != want {
			t.Errorf("HandleFromTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCells(t *testing.T) {
	cols := &Columns{Fields: map[Field]string{FieldPrice: "Variant Price", FieldTitle: "Title"},
		Quantities: map[string]string{"Berlin": "Stock Berlin"}}
	v := Variant{Row: 7, Cols: cols}
	if got := v.Cell(FieldPrice).String(); got != `row 7, column "Variant Price"` {
		t.Errorf("variant cell = %s", got)
	}
	if got := v.QuantityCell("Berlin").Column; got != "Stock Berlin" {
		t.Errorf("quantity cell = %s", got)
	}
	p := Product{Row: 2, Cols: cols}
	if p.Cell(FieldTitle).Column != "Title" {
		t.Error("product cell")
	}
	var loose Variant
	if loose.Cell(FieldSKU) != (Cell{}) || loose.Key() != "" {
		t.Error("nil Cols")
	}
	loose.Barcode = "123"
	if loose.Key() != "barcode:123" {
		t.Error("Key")
	}
	c := Catalog{Products: []Product{{Variants: make([]Variant, 2)}}, Variants: make([]Variant, 1)}
	if c.VariantCount() != 3 {
		t.Error("VariantCount")
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"19.9", "1,234.50", "€ 3,10", "-1", "1e5", "999999999999.99", " 0 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (Money, error){ParseMoney, ParseMoneyDecimalComma} {
			m, err := parse(s)
			if err != nil {
				var me *MoneyError
				if !errors.As(err, &me) {
					t.Fatalf("%q: error %T", s, err)
				}
				continue
			}
			if m < 0 || m > MaxMoney {
				t.Fatalf("%q parsed out of range: %d", s, m)
			}
			if back, err := ParseMoney(m.String()); err != nil || back != m {
				t.Fatalf("%q → %s → %v, %v", s, m, back, err)
			}
		}
	})
}

func TestQuantitiesSetKeepsKeysSorted(t *testing.T) {
	var q Quantities
	q.Set("Berlin", 2)
	q.Set(DefaultLocation, 5)
	q.Set("Athens", 1)
	q.Set("Berlin", -3) // a second value for a key replaces the first
	want := Quantities{{DefaultLocation, 5}, {"Athens", 1}, {"Berlin", -3}}
	if len(q) != len(want) {
		t.Fatalf("quantities = %v, want %v", q, want)
	}
	for i := range want {
		if q[i] != want[i] {
			t.Fatalf("quantities = %v, want %v", q, want)
		}
	}
	if n, ok := q.Get("Berlin"); !ok || n != -3 {
		t.Errorf("Get(Berlin) = %d, %v", n, ok)
	}
	if n, ok := q.Get("Paris"); ok || n != 0 {
		t.Errorf("Get(Paris) = %d, %v, want absent", n, ok)
	}
}
