package oauth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// When the browser never comes back to the loopback listener (the merchant
// pressed Cancel on Shopify's page, which sends them to the admin's app list
// instead of the redirect URL; Shopify refused the redirect; a browser on
// another computer), the merchant can paste the address the browser ended
// on. A pasted callback goes through exactly the checks of a real one
// (callbackCheck.verify: state, hmac, shop, timestamp) and the same
// single-use delivery (callbackHandler.deliver).

// Errors a pasted address can get without ending the sign-in.
var (
	// ErrNotCallback: the pasted text is not Shelfsync's redirect address.
	ErrNotCallback = errors.New("that is not the address of Shopify's answer to Shelfsync; " +
		"it starts with the redirect URL shown in the dialog, followed by ?code=…")
	// ErrEndedOnShopify: the browser ended on a Shopify page, so Shopify
	// never sent the answer.
	ErrEndedOnShopify = errors.New("your browser ended on a Shopify page, so Shopify sent no answer: " +
		"the sign-in was cancelled there, or Shopify refused the redirect (its page says why). " +
		"Check the app's settings in the Dev Dashboard, then start again")
	// ErrCallbackUsed: the sign-in already has its answer.
	ErrCallbackUsed = errors.New("this sign-in already received its answer")
	// ErrNoSignIn: nothing is waiting for an answer.
	ErrNoSignIn = errors.New("no sign-in is waiting for an answer; start the connection again")
)

// ErrRedirectRefused is wrapped when Shopify's authorize page refused the
// sign-in before the merchant saw it, for example because the redirect URL
// is not registered or its host does not match the App URL.
var ErrRedirectRefused = errors.New("Shopify refused the sign-in request")

// CallbackPaste carries addresses the merchant pastes into a running
// sign-in. Create one per sign-in with NewCallbackPaste and pass it in
// FlowConfig.Paste; Submit may be called from any goroutine.
type CallbackPaste struct {
	requests chan pasteRequest
}

type pasteRequest struct {
	raw   string
	reply chan error
}

// NewCallbackPaste returns an empty paste box.
func NewCallbackPaste() *CallbackPaste {
	return &CallbackPaste{requests: make(chan pasteRequest)}
}

// Submit hands the pasted address to the waiting sign-in. A nil error means
// the address was a trusted answer and the sign-in goes on with it; an error
// matching ErrForgedCallback or ErrDenied ends the sign-in like the same
// answer arriving in the browser would. ErrNotCallback, ErrEndedOnShopify
// and ErrCallbackUsed leave it waiting.
func (p *CallbackPaste) Submit(ctx context.Context, raw string) error {
	if p == nil {
		return ErrNoSignIn
	}
	req := pasteRequest{raw: raw, reply: make(chan error, 1)}
	select {
	case p.requests <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(2 * time.Second):
		return ErrNoSignIn
	}
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// incoming is the channel awaitCallback selects on; nil (never ready) when
// no paste box was given.
func (p *CallbackPaste) incoming() <-chan pasteRequest {
	if p == nil {
		return nil
	}
	return p.requests
}

// pasted checks a pasted address the way ServeHTTP checks a request to the
// listener and, if it is an answer for this sign-in, delivers it.
func (h *callbackHandler) pasted(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ErrNotCallback
	}
	if h.isShopifyPage(u) {
		return ErrEndedOnShopify
	}
	if u.Path != CallbackPath || !h.acceptsHost(u.Host) {
		return ErrNotCallback
	}
	if h.over() {
		return ErrCallbackUsed
	}
	_, err = h.take(u.RawQuery)
	return err
}

// acceptsHost reports whether host ("127.0.0.1:13388") is the listener's
// own address or the alias it was registered under ("localhost:13388").
func (h *callbackHandler) acceptsHost(host string) bool {
	if h.host == "" || host == h.host {
		return true
	}
	return h.alias != "" && host == h.alias
}

// isShopifyPage reports whether u is a page of the shop or of Shopify's
// admin, where a cancelled or refused sign-in leaves the browser.
func (h *callbackHandler) isShopifyPage(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	if host == h.check.shop || host == "admin.shopify.com" || host == "accounts.shopify.com" {
		return true
	}
	return h.shopHost != "" && strings.EqualFold(u.Host, h.shopHost)
}

// probeAuthorize asks Shopify's authorize page once, without a browser
// session, whether it refuses this sign-in outright (an unregistered
// redirect URL, a redirect host that does not match the App URL, an unknown
// client ID). Shopify answers those with an "Oauth error …" page; a real
// shop sends a signed-out request to its login page instead, and then
// nothing is learnt, so only a 4xx with that text counts. The result, if
// any, is delivered like a callback so the sign-in ends within seconds
// instead of waiting for its timeout.
func (h *callbackHandler) probeAuthorize(ctx context.Context, client *http.Client, authURL string) {
	c := *httpClient(client)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.Timeout == 0 || c.Timeout > 15*time.Second {
		c.Timeout = 15 * time.Second
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return
	}
	resp, err := c.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	msg := oauthErrorText(string(body))
	if msg == "" {
		return
	}
	h.deliver(callbackResult{err: fmt.Errorf("%w: %s", ErrRedirectRefused, msg)})
}

// oauthErrorText finds Shopify's "Oauth error …: why" sentence in an
// error page (the page title is only "Oauth error").
func oauthErrorText(page string) string {
	m := oauthErrorSentence.FindString(page)
	return oneLine(html.UnescapeString(m), 200)
}

var oauthErrorSentence = regexp.MustCompile(`Oauth error [^<\n]+`)

// RedirectHosts are the hosts a loopback redirect URL may name. Shopify
// matches the registered URL character for character (FACTS §5), so the
// merchant picks the one registered; both reach the listener on 127.0.0.1.
var RedirectHosts = []string{"127.0.0.1", "localhost"}

// RedirectURLFor is the redirect URL on host ("127.0.0.1" or "localhost").
func RedirectURLFor(host string, port int) string {
	if host == "" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + CallbackPath
}

// AppURLFor is the App URL the Dev Dashboard app needs beside the redirect
// URL: Shopify refuses a redirect whose host differs from the App URL's
// ("The redirect_uri and application url must have matching hosts";
// Shopify/shopify-api-js#474, Shopify/shopify_app#1703).
func AppURLFor(host string, port int) string {
	if host == "" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// aliasHost is "localhost:PORT" when the redirect URL names localhost.
func aliasHost(redirectHost string, port int) string {
	if redirectHost == "" || redirectHost == "127.0.0.1" {
		return ""
	}
	return net.JoinHostPort(redirectHost, strconv.Itoa(port))
}

// hostOf is the host:port of a base URL, or "".
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Host
}

// checkRedirectHost refuses a redirect host other than RedirectHosts.
func checkRedirectHost(host string) error {
	if host == "" {
		return nil
	}
	for _, h := range RedirectHosts {
		if host == h {
			return nil
		}
	}
	return fmt.Errorf("connect: the redirect host must be one of %s", strings.Join(RedirectHosts, ", "))
}
