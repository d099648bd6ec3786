package oauth_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/oauth/internal/stubshop"
)

// flowFor returns a FlowConfig for the stub on port.
func flowFor(s *stubshop.Shop, port int) oauth.FlowConfig {
	return oauth.FlowConfig{
		Shop: s.Domain(), ClientID: s.ClientID, ClientSecret: s.ClientSecret,
		Port: port, ShopBaseURL: s.URL(), Timeout: 10 * time.Second,
	}
}

func TestAuthorizeEndToEnd(t *testing.T) {
	for _, nonExpiring := range []bool{false, true} {
		t.Run("nonExpiring="+strconv.FormatBool(nonExpiring), func(t *testing.T) {
			// Given a shop whose app allows our redirect URL, and a browser
			port := freePort(t)
			s := newStub(t, port, nil)
			b := newBrowser()
			cfg := flowFor(s, port)
			cfg.NonExpiring = nonExpiring
			cfg.OpenBrowser = b.open
			var ready string
			cfg.Ready = func(u string) { ready = u }
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			// When the merchant follows the Install link
			tok, err := oauth.Authorize(ctx, cfg)

			// Then a token comes back with the granted scopes and the right kind
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			want := oauth.KindExpiring
			if nonExpiring {
				want = oauth.KindOffline
			}
			if tok.Kind != want || tok.Shop != s.Domain() || tok.AccessToken == "" {
				t.Fatalf("token = %v, want kind %s", tok, want)
			}
			if !nonExpiring && (tok.RefreshToken == "" || tok.ExpiresAt.IsZero() || tok.RefreshExpiresAt.IsZero()) {
				t.Fatalf("expiring token lacks refresh or expiry: %v", tok)
			}
			if len(tok.MissingScopes()) != 0 {
				t.Fatalf("missing scopes %v", tok.MissingScopes())
			}
			state := checkAuthURL(t, ready, port)
			p := b.last(t)
			if p.status != http.StatusOK {
				t.Fatalf("success page: %d %v", p.status, p.err)
			}
			assertNoSecret(t, "success page", p.body, state, tok.AccessToken, s.ClientSecret)
			assertNoSecret(t, "token string", tok.String(), tok.AccessToken, tok.RefreshToken)
		})
	}
}

// checkAuthURL checks the authorize URL and returns its state.
func checkAuthURL(t *testing.T, authURL string, port int) string {
	t.Helper()
	u, _ := url.Parse(authURL)
	q := u.Query()
	if u.Path != "/admin/oauth/authorize" || q.Get("redirect_uri") != oauth.RedirectURL(port) ||
		len(q.Get("state")) < 64 || q.Get("scope") != strings.Join(oauth.NeededScopes(), ",") {
		t.Fatalf("authorize URL %s", authURL)
	}
	return q.Get("state")
}

// forged runs a flow and, instead of the browser, sends the callback that
// mutate builds from a genuine signed one. It returns Authorize's error and
// the listener's answer.
func forged(t *testing.T, mutate func(s *stubshop.Shop, q url.Values) url.Values) (page, error) {
	t.Helper()
	port := freePort(t)
	s := newStub(t, port, nil)
	cfg := flowFor(s, port)
	got := make(chan page, 1)
	cfg.Ready = func(authURL string) {
		u, _ := url.Parse(authURL)
		q := mutate(s, s.CallbackQuery(u.Query().Get("state")))
		go func() { got <- get(oauth.RedirectURL(port) + "?" + q.Encode()) }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := oauth.Authorize(ctx, cfg)
	if err == nil {
		t.Fatalf("forged callback accepted: %v", tok)
	}
	assertNoSecret(t, "error", err.Error(), s.ClientSecret)
	return <-got, err
}

func TestAuthorizeRefusesForgedCallbacks(t *testing.T) {
	resign := func(s *stubshop.Shop, q url.Values) url.Values { q.Set("hmac", s.Sign(q)); return q }
	cases := []struct {
		name   string
		mutate func(s *stubshop.Shop, q url.Values) url.Values
		want   error
		status int
	}{
		{"missing hmac", func(s *stubshop.Shop, q url.Values) url.Values { q.Del("hmac"); return q }, oauth.ErrBadHMAC, 400},
		{"bad hmac", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("hmac", strings.Repeat("ab", 32))
			return q
		}, oauth.ErrBadHMAC, 400},
		{"hmac over other values", func(s *stubshop.Shop, q url.Values) url.Values { q.Set("code", "other"); return q }, oauth.ErrBadHMAC, 400},
		{"hmac with another secret", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("hmac", oauth.SignQuery(q, "shpss_not_the_secret"))
			return q
		}, oauth.ErrBadHMAC, 400},
		{"other shop", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("shop", "someone-else.myshopify.com")
			return resign(s, q)
		}, oauth.ErrWrongShop, 400},
		{"non-Shopify shop", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("shop", "teststore.myshopify.com.evil.com")
			return resign(s, q)
		}, oauth.ErrNotShopify, 400},
		{"stale timestamp", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("timestamp", strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10))
			return resign(s, q)
		}, oauth.ErrStale, 400},
		{"future timestamp", func(s *stubshop.Shop, q url.Values) url.Values {
			q.Set("timestamp", strconv.FormatInt(time.Now().Add(3*time.Minute).Unix(), 10))
			return resign(s, q)
		}, oauth.ErrStale, 400},
		{"repeated parameter", func(s *stubshop.Shop, q url.Values) url.Values { q.Add("shop", "x.myshopify.com"); return q }, oauth.ErrMalformed, 400},
		{"error answer", func(s *stubshop.Shop, q url.Values) url.Values {
			return url.Values{"error": {"access_denied"}, "error_description": {"The merchant declined"}, "state": q["state"]}
		}, oauth.ErrDenied, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := forged(t, tc.mutate)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want != oauth.ErrDenied && !errors.Is(err, oauth.ErrForgedCallback) {
				t.Fatalf("err %v should match ErrForgedCallback", err)
			}
			if p.status != tc.status {
				t.Fatalf("listener answered %d %v, want %d", p.status, p.err, tc.status)
			}
		})
	}
}

func TestAuthorizeRefusesUnparsableQuery(t *testing.T) {
	// Given a genuine signed callback with a broken escape appended
	port := freePort(t)
	s := newStub(t, port, nil)
	cfg := flowFor(s, port)
	got := make(chan page, 1)
	cfg.Ready = func(authURL string) {
		u, _ := url.Parse(authURL)
		raw := s.CallbackQuery(u.Query().Get("state")).Encode() + "&x=%zz"
		go func() { got <- get(oauth.RedirectURL(port) + "?" + raw) }()
	}
	// When it arrives, then it is refused rather than half-read
	if _, err := oauth.Authorize(context.Background(), cfg); !errors.Is(err, oauth.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if p := <-got; p.status != http.StatusBadRequest {
		t.Fatalf("answer %d %v", p.status, p.err)
	}
}

func TestAuthorizeDeniedShowsDescription(t *testing.T) {
	_, err := forged(t, func(s *stubshop.Shop, q url.Values) url.Values {
		return url.Values{"error": {"access_denied"}, "error_description": {"The merchant declined"}, "state": q["state"]}
	})
	if !strings.Contains(err.Error(), "The merchant declined") {
		t.Fatalf("err = %v", err)
	}
}

// TestStrayCallbacksDoNotEndSignIn: answers without this sign-in's state
// (a stray request from any local program or web page, a wrong or missing
// state, a signed answer replayed from an earlier sign-in) are refused and
// the sign-in goes on; the genuine answer then completes it.
func TestStrayCallbacksDoNotEndSignIn(t *testing.T) {
	port := freePort(t)
	s := newStub(t, port, nil)
	cfg := flowFor(s, port)
	var earlier url.Values
	cfg.Ready = func(authURL string) {
		u, _ := url.Parse(authURL)
		earlier = s.CallbackQuery(u.Query().Get("state"))
		go get(oauth.RedirectURL(port) + "?" + earlier.Encode())
	}
	if _, err := oauth.Authorize(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}

	b := newBrowser()
	cfg.Ready = nil
	cfg.OpenBrowser = func(authURL string) error {
		u, _ := url.Parse(authURL)
		wrong := s.CallbackQuery(u.Query().Get("state"))
		wrong.Set("state", strings.Repeat("0", 64))
		wrong.Set("hmac", s.Sign(wrong))
		noState := s.CallbackQuery(u.Query().Get("state"))
		noState.Del("state")
		noState.Set("hmac", s.Sign(noState))
		for name, q := range map[string]string{"stray": "x=1", "wrong state": wrong.Encode(),
			"no state": noState.Encode(), "replayed": earlier.Encode(), "nothing": ""} {
			if p := get(oauth.RedirectURL(port) + "?" + q); p.status != http.StatusBadRequest {
				t.Errorf("%s: listener answered %d %v", name, p.status, p.err)
			}
		}
		return b.open(authURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := oauth.Authorize(ctx, cfg)
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("the genuine answer after stray ones: %v", err)
	}
	if p := b.last(t); p.status != http.StatusOK {
		t.Fatalf("the genuine answer got %d", p.status)
	}
}

func TestAuthorizeSecondCallbackAfterSuccess(t *testing.T) {
	// Given a flow that completed with a genuine callback
	port := freePort(t)
	s := newStub(t, port, nil)
	b := newBrowser()
	cfg := flowFor(s, port)
	cfg.OpenBrowser = b.open
	if _, err := oauth.Authorize(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if p := b.last(t); p.status != 200 {
		t.Fatalf("first callback: %d %v", p.status, p.err)
	}
	// When a second callback arrives afterwards
	p := get(oauth.RedirectURL(port) + "?" + s.CallbackQuery("x").Encode())
	// Then it is refused: the listener is gone
	if p.err == nil {
		t.Fatalf("second callback answered %d", p.status)
	}
}

func TestAuthorizeIgnoresOtherPathsAndMethods(t *testing.T) {
	// Given a running flow
	port := freePort(t)
	s := newStub(t, port, nil)
	b := newBrowser()
	cfg := flowFor(s, port)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	answers := make(chan []int, 1)
	cfg.Ready = func(authURL string) {
		go func() {
			// When something asks another path, the path with a suffix, or POSTs
			var got []int
			u, _ := url.Parse(authURL)
			q := s.CallbackQuery(u.Query().Get("state")).Encode()
			got = append(got, get(base+"/favicon.ico").status, get(base+"/callback/x?"+q).status, get(base+"/?"+q).status)
			// A rebound DNS name pointing at 127.0.0.1 sends another Host header.
			req, _ := http.NewRequest(http.MethodGet, base+"/callback?"+q, nil)
			req.Host = "evil.example:" + strconv.Itoa(port)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				got = append(got, resp.StatusCode)
				resp.Body.Close()
			}
			resp, err := http.Post(base+"/callback?"+q, "text/plain", nil)
			if err == nil {
				got = append(got, resp.StatusCode)
				resp.Body.Close()
			}
			answers <- got
			_ = b.open(authURL) // then the genuine browser
		}()
	}
	tok, err := oauth.Authorize(context.Background(), cfg)
	// Then those get 404 and the flow still completes
	if err != nil || tok == nil {
		t.Fatalf("Authorize: %v", err)
	}
	for _, st := range <-answers {
		if st != http.StatusNotFound {
			t.Fatalf("answers %v, want all 404", st)
		}
	}
}

func TestAuthorizeCancelAndTimeout(t *testing.T) {
	port := freePort(t)
	s := newStub(t, port, nil)
	cfg := flowFor(s, port)

	// Cancel button
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Ready = func(string) { go func() { time.Sleep(50 * time.Millisecond); cancel() }() }
	start := time.Now()
	if _, err := oauth.Authorize(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("cancel took %v", d)
	}
	// The port is free again at once.
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("port still busy after cancel: %v", err)
	}

	// Port busy
	cfg.Ready = nil
	if _, err := oauth.Authorize(context.Background(), cfg); !errors.Is(err, oauth.ErrPortBusy) {
		t.Fatalf("busy port: err = %v", err)
	}
	ln.Close()

	// Overall timeout
	cfg.Timeout = 100 * time.Millisecond
	if _, err := oauth.Authorize(context.Background(), cfg); !errors.Is(err, oauth.ErrFlowTimeout) {
		t.Fatalf("timeout: err = %v", err)
	}
}

func TestAuthorizeMissingScopes(t *testing.T) {
	// Given a merchant who granted only read_products
	port := freePort(t)
	s := newStub(t, port, nil)
	s.Scopes = []string{"read_products"}
	b := newBrowser()
	cfg := flowFor(s, port)
	cfg.OpenBrowser = b.open
	// When the flow completes
	tok, err := oauth.Authorize(context.Background(), cfg)
	// Then the token comes back with an error naming what is missing
	if !errors.Is(err, oauth.ErrMissingScopes) || tok == nil {
		t.Fatalf("err = %v, tok = %v", err, tok)
	}
	if !strings.Contains(err.Error(), "write_inventory") {
		t.Fatalf("err %v does not name the missing scope", err)
	}
}

// A store that grants everything but the publishing scopes connects: a
// sync runs without them (new products stay unpublished, and Status says so).
func TestAuthorizeWithoutPublishScopes(t *testing.T) {
	port := freePort(t)
	s := newStub(t, port, nil)
	s.Scopes = []string{"write_products", "write_inventory", "read_locations"}
	b := newBrowser()
	cfg := flowFor(s, port)
	cfg.OpenBrowser = b.open
	tok, err := oauth.Authorize(context.Background(), cfg)
	if err != nil || tok == nil {
		t.Fatalf("err = %v, tok = %v", err, tok)
	}
	if m := tok.MissingScopes(); strings.Join(m, ",") != "read_publications,write_publications,read_markets,read_metaobject_definitions,read_metaobjects,write_files" {
		t.Fatalf("missing %v", m)
	}
}

func TestAuthorizeRefusesBadConfig(t *testing.T) {
	for name, cfg := range map[string]oauth.FlowConfig{
		"foreign base URL": {Shop: "a", ClientID: "i", ClientSecret: "s", ShopBaseURL: "https://evil.example"},
		"bad shop":         {Shop: "evil.com", ClientID: "i", ClientSecret: "s"},
		"no secret":        {Shop: "a", ClientID: "i"},
	} {
		if _, err := oauth.Authorize(context.Background(), cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRedirectURL(t *testing.T) {
	if got := oauth.RedirectURL(oauth.DefaultPort); got != "http://127.0.0.1:13388/callback" {
		t.Fatal(got)
	}
}
