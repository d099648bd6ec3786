package shopify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestSimServedVersionAndDeprecation (F15): the client reads
// X-Shopify-API-Version and X-Shopify-API-Deprecated-Reason from every
// answer and keeps one notice for each thing it was told.
func TestSimServedVersionAndDeprecation(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 1)
	ctx := context.Background()
	if _, err := c.ShopInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := c.Notices(); len(n) != 0 {
		t.Fatalf("notices from a normal answer: %v", n)
	}

	sh.ServeVersion("2026-07")
	sh.DeprecateField("Shop.name")
	for range 3 {
		if _, err := c.ShopInfo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	n := c.Notices()
	if len(n) != 2 || n[0].Kind != shopify.NoticeVersion || !strings.Contains(n[0].Message, "2026-07") ||
		n[1].Kind != shopify.NoticeDeprecated || !strings.Contains(n[1].Message, "Shop.name") {
		t.Fatalf("notices: %+v", n)
	}
}
