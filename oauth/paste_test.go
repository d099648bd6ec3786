package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// stuckBrowser plays a browser that never reaches the listener: it presses
// Install on fakeshop's page and records where Shopify redirected it
// (the address bar), without following.
func stuckBrowser(ended chan<- string) func(string) error {
	return func(authURL string) error {
		go func() {
			p := get(authURL)
			m := requestID.FindStringSubmatch(p.body)
			if m == nil {
				ended <- authURL // an error page: the address bar still shows it
				return
			}
			u, _ := url.Parse(authURL)
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.PostForm(u.Scheme+"://"+u.Host+"/admin/oauth/authorize/grant",
				url.Values{"request_id": {m[1]}, "action": {"install"}})
			if err != nil {
				ended <- ""
				return
			}
			resp.Body.Close()
			ended <- resp.Header.Get("Location")
		}()
		return nil
	}
}

// TestAuthorizePastedCallback: the browser never came back, the merchant
// pastes the address it ended on, and the sign-in finishes with it. A
// Shopify page pasted first is refused without ending the sign-in.
func TestAuthorizePastedCallback(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	ended := make(chan string, 1)
	paste := oauth.NewCallbackPaste()
	cfg := sim.flow()
	cfg.OpenBrowser = stuckBrowser(ended)
	cfg.Paste = paste

	type result struct {
		tok *oauth.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := oauth.Authorize(ctx, cfg)
		done <- result{tok, err}
	}()
	addr := <-ended
	if !strings.HasPrefix(addr, oauth.RedirectURL(sim.port)+"?") {
		t.Fatalf("browser ended on %q", addr)
	}
	if err := paste.Submit(ctx, sim.shop.URL()+"/admin/apps"); !errors.Is(err, oauth.ErrEndedOnShopify) {
		t.Fatalf("pasting a Shopify page: %v", err)
	}
	if err := paste.Submit(ctx, "hello"); !errors.Is(err, oauth.ErrNotCallback) {
		t.Fatalf("pasting text: %v", err)
	}
	if err := paste.Submit(ctx, "  "+addr+"\n"); err != nil {
		t.Fatalf("pasting the real answer: %v", err)
	}
	r := <-done
	if r.err != nil || r.tok == nil || r.tok.AccessToken == "" {
		t.Fatalf("Authorize after paste: %v", r.err)
	}
}

// TestAuthorizePastedForgeryEndsSignIn: a pasted answer is verified exactly
// like one arriving at the listener: a bad hmac ends the sign-in.
func TestAuthorizePastedForgeryEndsSignIn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	ended := make(chan string, 1)
	paste := oauth.NewCallbackPaste()
	cfg := sim.flow()
	cfg.OpenBrowser = stuckBrowser(ended)
	cfg.Paste = paste
	done := make(chan error, 1)
	go func() { _, err := oauth.Authorize(ctx, cfg); done <- err }()
	u, _ := url.Parse(<-ended)
	q := u.Query()
	q.Set("code", "another-code") // the hmac no longer matches
	u.RawQuery = q.Encode()
	if err := paste.Submit(ctx, u.String()); !errors.Is(err, oauth.ErrBadHMAC) {
		t.Fatalf("forged paste: %v", err)
	}
	if err := <-done; !errors.Is(err, oauth.ErrBadHMAC) {
		t.Fatalf("Authorize: %v", err)
	}
}

// TestAuthorizeRefusedRedirectNoticed: when the app's App URL is on another
// host than the redirect URL, Shopify's authorize page refuses the sign-in;
// Shelfsync notices within seconds instead of waiting for its timeout.
func TestAuthorizeRefusedRedirectNoticed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	sim.reregister(func(a *fakeshop.App) { a.AppURL = "https://example.com" })
	cfg := sim.flow()
	cfg.Timeout = time.Minute
	ended := make(chan string, 1)
	cfg.OpenBrowser = stuckBrowser(ended)
	start := time.Now()
	_, err := oauth.Authorize(ctx, cfg)
	if !errors.Is(err, oauth.ErrRedirectRefused) || !strings.Contains(err.Error(), "matching hosts") {
		t.Fatalf("Authorize: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("noticed after %v", d)
	}
}

// TestAuthorizeLocalhostRedirect: a merchant who registered the localhost
// form gets exactly that URL sent, with a matching App URL accepted.
func TestAuthorizeLocalhostRedirect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	sim.reregister(func(a *fakeshop.App) {
		a.RedirectURIs = []string{oauth.RedirectURLFor("localhost", sim.port)}
		a.AppURL = oauth.AppURLFor("localhost", sim.port)
	})
	cfg := sim.flow()
	cfg.RedirectHost = "localhost"
	ended := make(chan string, 1)
	cfg.OpenBrowser = stuckBrowser(ended)
	paste := oauth.NewCallbackPaste()
	cfg.Paste = paste
	done := make(chan error, 1)
	go func() { _, err := oauth.Authorize(ctx, cfg); done <- err }()
	addr := <-ended
	if !strings.HasPrefix(addr, "http://localhost:") {
		t.Fatalf("redirected to %q", addr)
	}
	// The browser follows to localhost, which reaches the 127.0.0.1 listener.
	loop := strings.Replace(addr, "localhost", "127.0.0.1", 1)
	req, _ := http.NewRequest(http.MethodGet, loop, nil)
	req.Host = strings.TrimPrefix(strings.SplitN(addr, "/", 4)[2], "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("listener answered %d", resp.StatusCode)
	}
	if err := <-done; err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	cfg.RedirectHost = "example.com"
	if _, err := oauth.Authorize(ctx, cfg); err == nil {
		t.Fatal("a redirect host other than 127.0.0.1 or localhost was accepted")
	}
}

// reregister changes the simulated app's configuration.
func (s *simulated) reregister(change func(*fakeshop.App)) {
	change(&s.app)
	s.srv.RegisterApp(s.app)
}
