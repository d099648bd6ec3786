package shopify

import (
	"context"
	"strings"
	"testing"
)

// TestVariantsByBarcodesKeepsExactMatches: barcodes are looked up with
// productVariants' barcode filter, and what the (tokenising) search returns
// beyond the exact barcode is dropped.
func TestVariantsByBarcodesKeepsExactMatches(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"Locations": func(map[string]any) string {
			return `{"locations":{"nodes":[{"id":"L1","name":"A","isActive":true}],"pageInfo":{"hasNextPage":false}}}`
		},
		"VariantsBySKU": func(map[string]any) string {
			v1 := strings.Replace(variantJSON(1), `"barcode":null`, `"barcode":"2001"`, 1)
			v2 := strings.Replace(variantJSON(2), `"barcode":null`, `"barcode":"200"`, 1)
			return `{"productVariants":{"nodes":[` + v1 + `,` + v2 + `],"pageInfo":{"hasNextPage":false}}}`
		},
	})
	c, _ := testClient(t, s.URL)
	vs, err := c.VariantsByBarcodes(context.Background(), []string{"2001", "2001", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Barcode != "2001" {
		t.Fatalf("%+v", vs)
	}
	if q := s.vars["VariantsBySKU"][0]["query"]; q != "barcode:2001" {
		t.Fatalf("query = %v", q)
	}
}
