package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// checkCatalog asserts what every read must guarantee, whatever the input.
func checkCatalog(t *testing.T, cat *catalog.Catalog, err error) {
	t.Helper()
	var re catalog.RowError
	if err != nil && !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a catalog.RowError", err, err)
	}
	if cat == nil {
		return
	}
	for _, e := range cat.Errors {
		if e.Row < 1 || e.Message == "" {
			t.Fatalf("error without a row: %+v", e)
		}
	}
	handles := map[string]bool{}
	skus := map[string]bool{}
	checkVariant := func(v *catalog.Variant) {
		if v.Row < 2 {
			t.Fatalf("variant row %d", v.Row)
		}
		if v.SKU != "" {
			skus[v.SKU] = true // a SKU may repeat: Shopify allows it
		}
		if v.Price < 0 || v.Price > catalog.MaxMoney || v.CompareAtPrice < 0 || v.CompareAtPrice > catalog.MaxMoney {
			t.Fatalf("price out of range: %+v", v)
		}
		for _, q := range v.Quantities {
			if q := q.Quantity; q < -catalog.MaxQuantity || q > catalog.MaxQuantity {
				t.Fatalf("quantity out of range: %d", q)
			}
		}
	}
	for i := range cat.Products {
		p := &cat.Products[i]
		if p.Handle == "" || handles[p.Handle] {
			t.Fatalf("empty or duplicate handle %q", p.Handle)
		}
		handles[p.Handle] = true
		if len(p.Options) > catalog.MaxOptions || len(p.Variants) > catalog.MaxVariants {
			t.Fatalf("limits: %d options, %d variants", len(p.Options), len(p.Variants))
		}
		for j := range p.Variants {
			v := &p.Variants[j]
			if v.Fields.Has(catalog.FieldOptions) && len(v.OptionValues) != len(p.Options) {
				t.Fatalf("variant has %d option values, product %d options", len(v.OptionValues), len(p.Options))
			}
			checkVariant(v)
		}
	}
	for i := range cat.Variants {
		if cat.Variants[i].Key() == "" {
			t.Fatalf("loose variant without a key: %+v", cat.Variants[i])
		}
		checkVariant(&cat.Variants[i])
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(hdr + good))
	f.Add([]byte("SKU;Qty;Preis\nA;1;1,50\n"))
	f.Add([]byte("\ufeffHandle,Title,Option1 Name,Option1 Value\r\na,\"x\r\ny\",Size,S\r\na,,,M\r\n"))
	f.Add([]byte("Handle,Title\n\"a\"b,c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := ReadCSV(bytes.NewReader(data), Options{})
		checkCatalog(t, cat, err)
	})
}

func FuzzMapping(f *testing.F) {
	f.Add([]byte(`{"sku":"SKU","quantity":{"":"Qty","Berlin":"B"}}`), []byte("SKU,Qty,B\nA,1,2\n"))
	f.Add([]byte(`{"handle":"H","options":[{"name":"Size","valueColumn":"S"}],"price":"P","decimal":","}`), []byte("H;S;P\nh;1;2,5\nh;2;3\n"))
	f.Add([]byte(`{"title":"T","options":[{"nameColumn":"N","valueColumn":"V"},{"nameColumn":"N","valueColumn":"V"}]}`), []byte("T,N,V\nx,a,b\n"))
	f.Fuzz(func(t *testing.T, mappingJSON, data []byte) {
		var m Mapping
		if json.Unmarshal(mappingJSON, &m) != nil {
			return
		}
		cat, err := ReadCSV(bytes.NewReader(data), Options{Mapping: &m})
		checkCatalog(t, cat, err)
		if cat != nil {
			_ = Detect(cat.Columns)
		}
	})
}
