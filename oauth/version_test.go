package oauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestInspectWarnsOfServedVersion (F15): Inspect, which the Status tab and
// connecting use, reports a version other than the one asked for.
func TestInspectWarnsOfServedVersion(t *testing.T) {
	sim := newSimulated(t, true)
	tok := sim.shop.Install(sim.app.ClientID, nil)
	cfg := oauth.InspectConfig{BaseURL: sim.shop.URL(), Token: tok}
	info, err := oauth.Inspect(context.Background(), cfg)
	if err != nil || len(info.Warnings) != 0 {
		t.Fatalf("%+v %v", info, err)
	}
	sim.shop.ServeVersion("2026-07")
	info, err = oauth.Inspect(context.Background(), cfg)
	if err != nil || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "2026-07") {
		t.Fatalf("%+v %v", info, err)
	}
}

// TestStatusShowsServedVersion: the Status check (Status tab, shelfsync
// status) shows the version warning in what to do.
func TestStatusShowsServedVersion(t *testing.T) {
	ctx := context.Background()
	sim := newSimulated(t, true)
	src, _ := sim.clientCredentialsSource(t)
	sim.shop.ServeVersion("2026-07")
	st := src.Check(ctx, false)
	if st.State.Code() != "valid" || !strings.Contains(st.Fix(), "Shopify served API version 2026-07") {
		t.Fatalf("%s: %q", st.State.Title(), st.Fix())
	}
}

// clientCredentialsSource installs the app, gets a client-credentials token
// and saves it in a Source with in-memory stores; it returns the Source and
// the access token.
func (s *simulated) clientCredentialsSource(t *testing.T) (*oauth.Source, string) {
	t.Helper()
	ctx := context.Background()
	s.shop.Install(s.app.ClientID, nil)
	tok, err := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: s.shop.Domain(), BaseURL: s.shop.URL(), ClientID: s.app.ClientID, ClientSecret: s.app.ClientSecret, Now: s.srv.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	src := s.source(oauth.NewMemorySecrets(), oauth.NewMemoryMeta())
	if err := src.Save(ctx, tok, s.app.ClientID, s.app.ClientSecret); err != nil {
		t.Fatal(err)
	}
	return src, tok.AccessToken
}
