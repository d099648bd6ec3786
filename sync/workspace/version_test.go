package workspace

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestStatusWarnsOfServedVersion (F15): when a store check finds Shopify
// serving another API version than Shelfsync asks for, the Status tab's
// "what to do" says so.
func TestStatusWarnsOfServedVersion(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	s, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: sh.Install("custom-app", oauth.NeededScopes()), BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	sh.ServeVersion("2026-07")
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil || !strings.Contains(st.Fix, "Shopify served API version 2026-07") {
		t.Fatalf("%+v %v", st, err)
	}
}
