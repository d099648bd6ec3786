package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// simulated is a fakeshop server with one shop and one registered app whose
// redirect URL is the loopback listener's.
type simulated struct {
	srv  *fakeshop.Server
	shop *fakeshop.Shop
	app  fakeshop.App
	port int
}

func newSimulated(t *testing.T, ownOrg bool) *simulated {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{})
	t.Cleanup(func() { _ = srv.Close() })
	port := freePort(t)
	app := fakeshop.App{
		ClientID: "shelfsync-test", ClientSecret: "shpss_0123456789abcdef0123456789abcdef",
		RedirectURIs: []string{oauth.RedirectURL(port)}, Scopes: oauth.NeededScopes(),
		OwnOrganization: ownOrg, Title: "Shelfsync",
	}
	srv.RegisterApp(app)
	shop, err := srv.AddShop("sim-store", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	return &simulated{srv: srv, shop: shop, app: app, port: port}
}

func (s *simulated) flow() oauth.FlowConfig {
	return oauth.FlowConfig{
		Shop: s.shop.Domain(), ClientID: s.app.ClientID, ClientSecret: s.app.ClientSecret,
		Port: s.port, ShopBaseURL: s.shop.URL(), Timeout: 10 * time.Second, Now: s.srv.Now,
	}
}

var requestID = regexp.MustCompile(`name="request_id" value="([0-9a-f]+)"`)

// formBrowser plays the browser on fakeshop's install page: it submits the
// form with the given action ("install" or "cancel") and follows the
// redirect to the loopback listener.
func formBrowser(action string, pages chan<- page) func(string) error {
	return func(authURL string) error {
		go func() {
			p := get(authURL)
			m := requestID.FindStringSubmatch(p.body)
			if m == nil {
				pages <- p
				return
			}
			u, _ := url.Parse(authURL)
			resp, err := http.PostForm(u.Scheme+"://"+u.Host+"/admin/oauth/authorize/grant",
				url.Values{"request_id": {m[1]}, "action": {action}})
			if err != nil {
				pages <- page{err: err}
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			pages <- page{status: resp.StatusCode, body: string(body)}
		}()
		return nil
	}
}

func (s *simulated) source(secrets oauth.SecretStore, meta oauth.MetaStore) *oauth.Source {
	src, err := oauth.NewSource(oauth.SourceConfig{
		StoreID: storeID, Shop: s.shop.Domain(), BaseURL: s.shop.URL(), Secrets: secrets, Meta: meta,
		Now: s.srv.Now, Registry: oauth.NewRegistry(), Backoff: time.Millisecond,
	})
	if err != nil {
		panic(err)
	}
	return src
}

func TestFakeshopAuthorizeRefreshAndStatus(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	pages := make(chan page, 1)
	cfg := sim.flow()
	cfg.OpenBrowser = formBrowser("install", pages)

	// Given the merchant installs the app through the loopback flow
	tok, err := oauth.Authorize(ctx, cfg)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if p := <-pages; p.status != 200 {
		t.Fatalf("callback page %d %v", p.status, p.err)
	}
	if tok.Kind != oauth.KindExpiring || len(tok.MissingScopes()) != 0 {
		t.Fatalf("token %v, missing %v", tok, tok.MissingScopes())
	}
	secrets, meta := oauth.NewMemorySecrets(), oauth.NewMemoryMeta()
	src := sim.source(secrets, meta)
	if err := src.Save(ctx, tok, sim.app.ClientID, sim.app.ClientSecret); err != nil {
		t.Fatal(err)
	}

	// Then the status shows the shop, its plan and all scopes
	st := src.Check(ctx, false)
	if st.State.Code() != "valid" || st.Domain != sim.shop.Domain() || st.Plan == "" || len(st.Missing) != 0 {
		t.Fatalf("status %s %+v", st.State.Title(), st)
	}

	// When 50 minutes pass, the token is renewed and still works; a crash
	// right after Shopify rotated (answer lost) loses nothing either
	sim.srv.Advance(50 * time.Minute)
	sim.shop.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultDrop, After: true, Target: fakeshop.TargetOAuth})
	if _, err := src.AccessToken(ctx); err != nil {
		t.Fatalf("AccessToken around a dropped answer: %v", err)
	}
	sim.srv.Advance(2 * time.Hour)
	restarted := sim.source(secrets, meta)
	if st := restarted.Check(ctx, false); st.State.Code() != "valid" {
		t.Fatalf("after restart: %s (%v)", st.State.Title(), st.Err)
	}

	// When the app is uninstalled, the status says to reconnect
	sim.shop.Uninstall(sim.app.ClientID)
	if st := restarted.Check(ctx, false); st.State.Code() != "reconnect" {
		t.Fatalf("after uninstall: %s (%v)", st.State.Title(), st.Err)
	}
}

func TestFakeshopMerchantCancels(t *testing.T) {
	sim := newSimulated(t, false)
	pages := make(chan page, 1)
	cfg := sim.flow()
	cfg.OpenBrowser = formBrowser("cancel", pages)
	_, err := oauth.Authorize(context.Background(), cfg)
	if !errors.Is(err, oauth.ErrDenied) {
		t.Fatalf("err = %v, want ErrDenied", err)
	}
	<-pages
}

// TestFakeshopSecondComputer shows why SecondComputerWarning exists: a
// second sign-in retires the first computer's refresh token.
func TestFakeshopSecondComputer(t *testing.T) {
	ctx := context.Background()
	sim := newSimulated(t, false)
	connect := func() *oauth.Source {
		pages := make(chan page, 1)
		cfg := sim.flow()
		cfg.OpenBrowser = formBrowser("install", pages)
		tok, err := oauth.Authorize(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		<-pages
		src := sim.source(oauth.NewMemorySecrets(), oauth.NewMemoryMeta())
		if err := src.Save(ctx, tok, sim.app.ClientID, sim.app.ClientSecret); err != nil {
			t.Fatal(err)
		}
		return src
	}
	first := connect()
	second := connect()
	sim.srv.Advance(61 * time.Minute)
	if _, err := first.AccessToken(ctx); !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("first computer: err = %v, want ErrReconnect", err)
	}
	if _, err := second.AccessToken(ctx); err != nil {
		t.Fatalf("second computer: %v", err)
	}
}

func TestFakeshopClientCredentialsAndPastedToken(t *testing.T) {
	ctx := context.Background()
	sim := newSimulated(t, true)
	pasted := sim.shop.Install(sim.app.ClientID, nil)

	// A pasted token is verified by asking the shop, never by its prefix.
	info, err := oauth.Verify(ctx, sim.shop.Domain(), oauth.InspectConfig{BaseURL: sim.shop.URL(), Token: pasted})
	if err != nil || len(info.Missing()) != 0 {
		t.Fatalf("Verify: %+v %v", info, err)
	}
	if _, err := oauth.Verify(ctx, sim.shop.Domain(), oauth.InspectConfig{BaseURL: sim.shop.URL(), Token: "shpat_made_up_0000000000000000"}); !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("made-up token: %v", err)
	}

	// Client credentials: a 24-hour token, renewed after a 401.
	tok, err := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: sim.shop.Domain(), BaseURL: sim.shop.URL(), ClientID: sim.app.ClientID, ClientSecret: sim.app.ClientSecret, Now: sim.srv.Now,
	})
	if err != nil || tok.Kind != oauth.KindClientCredentials {
		t.Fatalf("ClientCredentials: %v %v", tok, err)
	}
	src := sim.source(oauth.NewMemorySecrets(), oauth.NewMemoryMeta())
	if err := src.Save(ctx, tok, sim.app.ClientID, sim.app.ClientSecret); err != nil {
		t.Fatal(err)
	}
	sim.shop.Revoke(tok.AccessToken)
	if st := src.Check(ctx, false); st.State.Code() != "valid" || st.Token == oauth.MaskToken(tok.AccessToken) {
		t.Fatalf("after a 401: %s %v", st.State.Title(), st.Err)
	}
	sim.srv.Advance(20 * time.Hour)
	if st := src.Check(ctx, true); st.State.Code() != "not_saved" {
		t.Fatalf("session-only: %s %v", st.State.Title(), st.Err)
	}
}

// connectNonExpiring runs the loopback flow for a non-expiring token and
// saves it.
func (s *simulated) connectNonExpiring(t *testing.T, ctx context.Context, secrets oauth.SecretStore, meta oauth.MetaStore) string {
	t.Helper()
	pages := make(chan page, 1)
	cfg := s.flow()
	cfg.OpenBrowser = formBrowser("install", pages)
	cfg.NonExpiring = true
	tok, err := oauth.Authorize(ctx, cfg)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	<-pages
	if tok.Kind != oauth.KindOffline {
		t.Fatalf("token kind %s, want offline", tok.Kind)
	}
	if err := s.source(secrets, meta).Save(ctx, tok, s.app.ClientID, s.app.ClientSecret); err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func TestMigrateToExpiring(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	secrets, meta := oauth.NewMemorySecrets(), oauth.NewMemoryMeta()
	old := sim.connectNonExpiring(t, ctx, secrets, meta)
	src := sim.source(secrets, meta)

	// When the store switches to an expiring token
	if err := src.MigrateToExpiring(ctx); err != nil {
		t.Fatal(err)
	}

	// Then it holds an expiring token with a refresh token, the old token is
	// dead, and renewal works after restart
	snap, err := src.Snapshot(ctx)
	if err != nil || snap.Meta.Kind != oauth.KindExpiring || snap.Meta.RefreshExpiresAt.IsZero() {
		t.Fatalf("after the switch: %+v, %v", snap.Meta, err)
	}
	if rt, err := secrets.Get(ctx, storeID, oauth.SecretRefresh); err != nil || rt == "" {
		t.Fatalf("no refresh token saved: %v", err)
	}
	if tok, _ := src.AccessToken(ctx); tok == old {
		t.Fatal("still using the old token")
	}
	sim.srv.Advance(50 * time.Minute)
	restarted := sim.source(secrets, meta)
	if st := restarted.Check(ctx, false); st.State.Code() != "valid" {
		t.Fatalf("after renewal: %s (%v)", st.State.Title(), st.Err)
	}
	if snap, _ := restarted.Snapshot(ctx); !snap.Meta.IssuedAt.After(sim.srv.Now().Add(-time.Minute)) {
		t.Fatalf("the token was not renewed: issued %v", snap.Meta.IssuedAt)
	}
	// Once only.
	if err := restarted.MigrateToExpiring(ctx); err == nil {
		t.Fatal("switching an expiring token again should be refused")
	}
}

// TestMigrateCrashAfterRefreshSaved: the exchange revoked the old token and
// only the new refresh token reached the keychain before the crash; the
// next start still connects, by renewing with it.
func TestMigrateCrashAfterRefreshSaved(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	secrets, meta := oauth.NewMemorySecrets(), oauth.NewMemoryMeta()
	sim.connectNonExpiring(t, ctx, secrets, meta)
	b := &budget{left: 1} // the refresh token is saved, then the process dies
	dying := sim.source(&crashSecrets{MemorySecrets: secrets, b: b}, &crashMeta{MemoryMeta: meta, b: b})
	if err := dying.MigrateToExpiring(ctx); err != nil {
		t.Fatal(err) // it had the token in memory; the crash is what comes next
	}
	if m, _ := meta.LoadTokenMeta(ctx, storeID); m.Kind != oauth.KindOffline {
		t.Fatalf("the test wants the metadata unsaved, got kind %s", m.Kind)
	}
	restarted := sim.source(secrets, meta)
	if st := restarted.Check(ctx, false); st.State.Code() != "valid" {
		t.Fatalf("after the crash: %s (%v)", st.State.Title(), st.Err)
	}
	if snap, _ := restarted.Snapshot(ctx); snap.Meta.Kind != oauth.KindExpiring {
		t.Fatalf("kind after recovery: %s", snap.Meta.Kind)
	}
}
