package shopify

import (
	"strings"
	"testing"
)

// TestFullReadSetIsTheFullRead: the trimmed reads' generator, asked for
// every part, selects exactly what the full documents select, so a field
// added to one and not the other is caught.
func TestFullReadSetIsTheFullRead(t *testing.T) {
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for name, pair := range map[string][2]string{
		"BulkProductsQuery": {BulkProductsQueryFor(ReadAll), BulkProductsQuery},
		"Products":          {productsDocFor(ReadAll), docProducts},
		"ProductVariants":   {productVariantsDocFor(ReadAll), docProductVariants},
	} {
		if squash(pair[0]) != squash(pair[1]) {
			t.Errorf("%s: generated\n%s\nwant\n%s", name, squash(pair[0]), squash(pair[1]))
		}
	}
	min := squash(BulkProductsQueryFor(0))
	for _, gone := range []string{"price", "descriptionHtml", "inventoryLevels", "tracked", "unitCost", "vendor"} {
		if strings.Contains(min, " "+gone+" ") {
			t.Errorf("the minimal read still selects %s: %s", gone, min)
		}
	}
	if strings.Contains(productsDocFor(ReadPrice), "$levels") {
		t.Error("a read without stock declares $levels")
	}
}
