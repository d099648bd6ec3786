package oauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestClientCredentialsNotPermitted (F17): Shopify refuses client
// credentials for an app of another organisation (shop_not_permitted). That
// is not fixed by reconnecting: the error and its fix say what is wrong and
// which way in works instead.
func TestClientCredentialsNotPermitted(t *testing.T) {
	sim := newSimulated(t, false) // the app is not from the shop's organisation
	sim.shop.Install(sim.app.ClientID, nil)
	_, err := oauth.ClientCredentials(context.Background(), oauth.ClientCredentialsConfig{
		Shop: sim.shop.Domain(), BaseURL: sim.shop.URL(), ClientID: sim.app.ClientID, ClientSecret: sim.app.ClientSecret, Now: sim.srv.Now,
	})
	if !errors.Is(err, oauth.ErrNotPermitted) || errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "organisation") || strings.Contains(err.Error(), sim.app.ClientSecret) {
		t.Fatalf("error text: %v", err)
	}
	fix := oauth.Fix(err)
	if !strings.Contains(fix, "organisation") || !strings.Contains(fix, "--oauth") || strings.Contains(fix, "Connect the store again") {
		t.Fatalf("fix: %q", fix)
	}
}
