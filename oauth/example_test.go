package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
)

// Example shows how the window or the command line connects a store with
// OAuth, saves it, and later hands its Source to the Admin client.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // the Cancel button cancels ctx
	defer cancel()

	shop, err := oauth.NormalizeShop("https://admin.shopify.com/store/mystore")
	if err != nil {
		fmt.Println(err) // lists the accepted forms
		return
	}
	tok, err := oauth.Authorize(ctx, oauth.FlowConfig{
		Shop: shop, ClientID: "client-id", ClientSecret: "client-secret",
		Port:        oauth.DefaultPort, // register oauth.RedirectURL(oauth.DefaultPort) in the app
		Ready:       func(authURL string) { fmt.Println("Open this link:", authURL) },
		OpenBrowser: func(string) error { return errors.New("no browser here") },
	})
	if err != nil && !errors.Is(err, oauth.ErrMissingScopes) {
		fmt.Println(err, oauth.Fix(err))
		return
	}

	// The keychain, or memory only (NotSaved) when it is unavailable.
	var secrets oauth.SecretStore = oauth.NewKeyring()
	sessionOnly := false
	if oauth.NewKeyring().Probe(ctx) != nil {
		secrets, sessionOnly = oauth.NewMemorySecrets(), true
	}
	src, err := oauth.NewSource(oauth.SourceConfig{
		StoreID: "store-uuid", Shop: shop, Secrets: secrets, Meta: oauth.NewMemoryMeta(), // the app's database
	})
	if err != nil {
		return
	}
	if err := src.Save(ctx, tok, "client-id", "client-secret"); err != nil {
		fmt.Println(err)
		return
	}
	st := src.Check(ctx, sessionOnly)
	fmt.Println(st.State.Title(), st.Fix())
	// src is the TokenSource (and Renewer) of sync/shopify's client.
}
