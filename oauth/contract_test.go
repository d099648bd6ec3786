package oauth_test

import (
	"context"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// Source satisfies the client's interfaces structurally, without oauth
// importing the client.
var (
	_ shopify.TokenSource = (*oauth.Source)(nil)
	_ shopify.Renewer     = (*oauth.Source)(nil)
)

// TestClientRenewsThroughSource drives the real Admin client with a
// client-credentials Source: after the shop revokes the token, the client's
// 401 triggers Renew and its retry succeeds.
func TestClientRenewsThroughSource(t *testing.T) {
	ctx := context.Background()
	sim := newSimulated(t, true)
	src, tok := sim.clientCredentialsSource(t)
	c, err := shopify.New(shopify.Options{Shop: sim.shop.Domain(), BaseURL: sim.shop.URL(), Tokens: src})
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Shop struct{ Name string } `json:"shop"`
	}
	sim.shop.Revoke(tok)
	if err := c.Do(ctx, `query { shop { name } }`, nil, &out); err != nil || out.Shop.Name == "" {
		t.Fatalf("Do after revoke: %v (%+v)", err, out)
	}
	if now, _ := src.AccessToken(ctx); now == tok {
		t.Fatal("the source still hands out the revoked token")
	}
}
