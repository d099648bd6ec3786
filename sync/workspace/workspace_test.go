package workspace

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

func openTest(t *testing.T) *Workspace {
	t.Helper()
	w, err := Open(Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func newShop(t *testing.T, name string, plan fakeshop.Plan) (*fakeshop.Server, *fakeshop.Shop) {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{})
	t.Cleanup(func() { srv.Close() })
	sh, err := srv.AddShop(name, plan)
	if err != nil {
		t.Fatal(err)
	}
	return srv, sh
}

func TestConnectTokenVerifiesAndLists(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	tok := sh.Install("custom-app", oauth.NeededScopes())

	s, err := w.ConnectToken(ctx, TokenRequest{Shop: "https://acme.myshopify.com/admin", Token: tok, Group: "Acme Ltd", BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Shop != "acme.myshopify.com" || s.Group != "Acme Ltd" || s.Health != HealthHealthy {
		t.Fatalf("summary %+v", s)
	}
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Plan != "Grow" || len(st.Missing) != 0 || !strings.HasPrefix(st.MaskedToken, "shpat_") || strings.Contains(st.MaskedToken, tok) {
		t.Fatalf("status %+v", st)
	}
	// Reconnecting the same shop updates the record instead of adding one.
	if _, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: tok, BaseURL: sh.URL()}); err != nil {
		t.Fatal(err)
	}
	stores, _ := w.Stores(ctx)
	if len(stores) != 1 || stores[0].Group != "Acme Ltd" {
		t.Fatalf("stores after reconnect: %+v", stores)
	}
}

func TestConnectTokenRefusesBadTokenAndKeepsNothing(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	_, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: "shpat_wrong", BaseURL: sh.URL()})
	if !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v, want a reconnect error", err)
	}
	if strings.Contains(err.Error(), "shpat_wrong") {
		t.Fatal("the error repeats the token")
	}
	if stores, _ := w.Stores(ctx); len(stores) != 0 {
		t.Fatalf("a refused token left a store behind: %+v", stores)
	}
	if _, err := w.ConnectToken(ctx, TokenRequest{Shop: "evil.example.com", Token: "x"}); !errors.Is(err, oauth.ErrInvalidShop) {
		t.Fatalf("non-Shopify shop: %v", err)
	}
}

func TestRevokedTokenShowsReconnect(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	tok := sh.Install("custom-app", oauth.NeededScopes())
	s, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: tok, BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	sh.Revoke(tok)
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Health != HealthAttention || st.Title != "Reconnect needed" || st.Fix == "" {
		t.Fatalf("status after revoke: %+v", st)
	}
}

func TestDemoConnectsThroughOAuth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := openTest(t)
	var steps []string
	s, err := w.ConnectDemo(ctx, func(step string) { steps = append(steps, step) })
	if err != nil {
		t.Fatal(err)
	}
	if !s.Demo || s.Shop != DemoShopDomain || len(steps) < 2 {
		t.Fatalf("summary %+v, steps %q", s, steps)
	}
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.KindLabel == "" || st.ExpiresAt.IsZero() || st.RefreshExpiresAt.IsZero() || !st.Renews {
		t.Fatalf("the demo should hold an expiring, refreshable token: %+v", st)
	}
	if len(w.demo.Shop.Snapshot()) == 0 {
		t.Fatal("the demo store has no products")
	}
}

func TestRenewalWaitsForAnotherProcess(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, clock := openClocked(t)
	s, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := w.db.GetStore(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	src, err := w.source(rec)
	if err != nil {
		t.Fatal(err)
	}
	before, err := src.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Given another process is renewing the store's token (it holds the
	// token lock) and this process's token is due
	other, err := lock.TryLock(w.lockDir(), s.ID+".token", "another shelfsync")
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(55 * time.Minute))

	// When this process needs a token, it waits for the other one
	got := make(chan string, 1)
	go func() {
		tok, err := src.AccessToken(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- tok
	}()
	select {
	case tok := <-got:
		t.Fatalf("renewed while another process held the token lock (got %s)", oauth.MaskToken(tok))
	case <-time.After(300 * time.Millisecond):
	}

	// Then it renews once the other process lets go
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case tok := <-got:
		if tok == "" || tok == before {
			t.Fatalf("token after the wait: %q (before %s)", oauth.MaskToken(tok), oauth.MaskToken(before))
		}
	case <-ctx.Done():
		t.Fatal("still waiting after the lock was released")
	}
}

func TestDisconnectRemovesSecrets(t *testing.T) {
	ctx := context.Background()
	secrets := oauth.NewMemorySecrets()
	w, err := Open(Options{Dir: t.TempDir(), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	s, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: sh.Install("app", oauth.NeededScopes()), BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Disconnect(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.Get(ctx, s.ID, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("access token still in the keychain after disconnect: %v", err)
	}
}

// TestNoSecretOnDisk connects stores all three ways with known secrets, then
// reads every file the workspace wrote (database, WAL, reports) and fails if
// any secret appears in it.
func TestNoSecretOnDisk(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	w, err := Open(Options{Dir: dir, Secrets: oauth.NewMemorySecrets()})
	if err != nil {
		t.Fatal(err)
	}
	srv, sh := newShop(t, "acme", fakeshop.PlanGrow)
	bolt, err := srv.AddShop("bolt", fakeshop.PlanAdvanced)
	if err != nil {
		t.Fatal(err)
	}
	const ccSecret = "shpss_client_secret_for_scan_0001"
	srv.RegisterApp(fakeshop.App{ClientID: "own-app", ClientSecret: ccSecret, Scopes: oauth.NeededScopes(), OwnOrganization: true})
	bolt.Install("own-app", oauth.NeededScopes())
	pasted := sh.Install("custom-app", oauth.NeededScopes())
	if _, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: pasted, BaseURL: sh.URL()}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ConnectClientCredentials(ctx, ClientCredentialsRequest{Shop: "bolt", ClientID: "own-app", ClientSecret: ccSecret, BaseURL: bolt.URL()}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ConnectDemo(ctx, nil); err != nil {
		t.Fatal(err)
	}
	secrets := []string{pasted, ccSecret, w.demo.ClientSecret}
	// the demo's OAuth tokens, read back from the (memory) keychain
	for _, s := range mustStores(t, w) {
		for _, kind := range []string{oauth.SecretAccess, oauth.SecretRefresh, oauth.SecretClientSecret} {
			if v, err := w.secrets.Get(ctx, s.ID, kind); err == nil && v != "" {
				secrets = append(secrets, v)
			}
		}
		if _, err := w.TokenStatus(ctx, s.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	scanned := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains a secret (%s)", path, oauth.MaskToken(s))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned == 0 || len(secrets) < 6 {
		t.Fatalf("scanned %d files for %d secrets: the test checks nothing", scanned, len(secrets))
	}
}

func mustStores(t *testing.T, w *Workspace) []StoreSummary {
	t.Helper()
	s, err := w.Stores(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSwitchToExpiring: a store connected with a non-expiring OAuth token
// offers the switch; afterwards it holds an expiring token Shelfsync renews,
// and the old token no longer works.
func TestSwitchToExpiring(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := openTest(t)
	d, err := StartDemoShop(DemoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	d.allowRedirect(oauth.RedirectURL(port))
	s, err := w.ConnectOAuth(ctx, OAuthRequest{Shop: DemoShopDomain, ClientID: d.ClientID, ClientSecret: d.ClientSecret,
		Port: port, BaseURL: d.URL(), NonExpiring: true,
		OpenBrowser: func(u string) error { return pressInstall(ctx, u) }})
	if err != nil {
		t.Fatal(err)
	}
	before, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil || !before.CanSwitch || before.Renews || !strings.Contains(before.Fix, "2027") {
		t.Fatalf("before: %+v, %v", before, err)
	}
	old, _ := w.secrets.Get(ctx, s.ID, oauth.SecretAccess)

	after, err := w.SwitchToExpiring(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.CanSwitch || !after.Renews || after.ExpiresAt.IsZero() || after.RefreshExpiresAt.IsZero() || after.Health != HealthHealthy {
		t.Fatalf("after: %+v", after)
	}
	if _, err := oauth.Inspect(ctx, oauth.InspectConfig{BaseURL: d.URL(), Token: old}); !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("the old non-expiring token: %v, want reconnect", err)
	}
	if _, err := w.SwitchToExpiring(ctx, s.ID); err == nil {
		t.Fatal("a second switch should be refused")
	}
}

// noKeychain is a secret store whose every call says the keychain is unavailable.
type noKeychain struct{}

func (noKeychain) Get(context.Context, string, string) (string, error) {
	return "", oauth.ErrUnavailable
}
func (noKeychain) Set(context.Context, string, string, string) error { return oauth.ErrUnavailable }
func (noKeychain) Delete(context.Context, string, string) error      { return oauth.ErrUnavailable }

// TestNoKeychainFlagsRealStoresNotTheDemo: without a keychain a real store
// says its connection is not saved; the demo, which lives only as long as the
// app, does not.
func TestNoKeychainFlagsRealStoresNotTheDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, err := Open(Options{Dir: t.TempDir(), Secrets: noKeychain{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	real, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: sh.Install("custom-app", oauth.NeededScopes()), BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	demo, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !w.SessionOnly() {
		t.Fatal("the workspace did not notice the missing keychain")
	}
	st, err := w.TokenStatus(ctx, real.ID, true)
	if err != nil || !st.NotSaved || st.Health != HealthExpiring {
		t.Fatalf("real store: %+v, %v", st, err)
	}
	st, err = w.TokenStatus(ctx, demo.ID, true)
	if err != nil || st.NotSaved || st.Health != HealthHealthy {
		t.Fatalf("demo store: %+v, %v", st, err)
	}
}
