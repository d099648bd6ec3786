package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestPlanListsUnsyncedColumns: the preview and the dry-run text name every
// column that is not synced, with its reason.
func TestPlanListsUnsyncedColumns(t *testing.T) {
	h := newHarness(t, fakeshop.PlanBasic, 100)
	cat := readCSV(t, "Handle,Title,Variant SKU,Variant Price,Mystery,Variant Tax Code,Price / International,Color (product.metafields.shopify.color-pattern)\n"+
		"tee,Tee,T-1,10.00,x,C0001,12.00,red\n")
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Unsynced) != 4 {
		t.Fatalf("unsynced = %v", p.Unsynced)
	}
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{})
	for _, want := range []string{"columns not synced, and why:", `"Mystery": not a column Shelfsync knows`,
		`"Variant Tax Code": Shopify deprecates`, `"Price / International": market prices`, `"Color (product.metafields.shopify.color-pattern)": metafields`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("dry-run text lacks %q:\n%s", want, b.String())
		}
	}
}
