package oauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPort is the loopback port Shelfsync listens on for Shopify's
// answer. Shopify matches redirect URLs exactly and has no port wildcard
// (FACTS §5), so the port is fixed and RedirectURL(DefaultPort) must be
// registered in the app's configuration. It is one above the Shopify CLI's
// own 13387, so both can run at once.
const DefaultPort = 13388

// CallbackPath is the only path the loopback listener answers.
const CallbackPath = "/callback"

// DefaultFlowTimeout bounds a whole sign-in when FlowConfig.Timeout is 0.
const DefaultFlowTimeout = 5 * time.Minute

// DefaultClockSkew is how far a callback's timestamp may be from now; 90 s
// is what Shopify's JS library allows.
const DefaultClockSkew = 90 * time.Second

// shutdownGrace bounds the listener's shutdown after the answer arrived.
const shutdownGrace = 500 * time.Millisecond

// ErrPortBusy is wrapped when the loopback port is taken.
var ErrPortBusy = errors.New("the sign-in port is in use")

// ErrFlowTimeout is returned when no answer arrived within the timeout.
var ErrFlowTimeout = errors.New("the sign-in was cancelled or no answer came from Shopify in time; " +
	"if your browser ended on another page, paste its address, or start the connection again")

// RedirectURL is the redirect URL for a port:
// "http://127.0.0.1:PORT/callback". Register it in the app's allowed
// redirection URLs.
func RedirectURL(port int) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + CallbackPath
}

// FlowConfig describes one authorization-code sign-in.
type FlowConfig struct {
	Shop         string   // any form NormalizeShop accepts
	ClientID     string   // the app's client ID
	ClientSecret string   // the app's client secret (signs the callback, exchanges the code)
	Scopes       []string // scopes to ask for; nil means NeededScopes()
	Port         int      // loopback port; 0 means DefaultPort
	// NonExpiring asks for a non-expiring offline token. By default
	// Shelfsync asks for an expiring one (expiring=1 on the code exchange),
	// which Shopify requires of new public apps (FACTS §2). The field is
	// negative so that the zero value is the recommended choice.
	NonExpiring bool
	// ShopBaseURL overrides https://{shop} for the simulator; loopback only.
	ShopBaseURL string
	// OpenBrowser opens the authorize URL (the window passes
	// fyne.CurrentApp().OpenURL, the command line xdg-open or similar). If
	// it fails the flow keeps waiting: Ready has shown the URL for copying.
	OpenBrowser func(authURL string) error
	// Ready, if set, is called with the authorize URL once the listener is
	// up and before OpenBrowser, so the UI can show it and offer to copy it.
	Ready func(authURL string)
	// RedirectHost is the host of the registered redirect URL, "127.0.0.1"
	// (the default) or "localhost" (RedirectHosts); the listener is on
	// 127.0.0.1 either way.
	RedirectHost string
	// Paste, if set, takes the address the browser ended on when it never
	// came back to the listener (see CallbackPaste).
	Paste      *CallbackPaste
	Timeout    time.Duration    // whole flow; 0 means DefaultFlowTimeout
	ClockSkew  time.Duration    // callback timestamp tolerance; 0 means DefaultClockSkew
	Now        func() time.Time // clock, for tests; nil means time.Now
	HTTPClient *http.Client     // for the code exchange; nil means a 30 s client
}

// Authorize runs Shopify's authorization-code grant through a listener on
// 127.0.0.1 and returns the token.
//
// It listens on RedirectURL(Port), sends the merchant to the shop's
// authorize page, waits for exactly one trusted callback (state, hmac, shop
// and timestamp checked; see ErrForgedCallback), shuts the listener down,
// exchanges the code and checks the granted scopes. Cancelling ctx (the
// Cancel button) or the timeout ends it. When the merchant granted fewer
// scopes than asked, the token is returned together with an error matching
// ErrMissingScopes, so the caller can say what is missing.
//
// An expiring token from a second computer retires this app's refresh token
// on the first one: see SecondComputerWarning.
func Authorize(ctx context.Context, c FlowConfig) (*Token, error) {
	p, err := c.prepare()
	if err != nil {
		return nil, err
	}
	code, err := p.awaitCallback(ctx, c)
	if err != nil {
		return nil, err
	}
	return exchangeCode(ctx, c, p.shop, p.base, code, p.scopes, p.now)
}

// flowParams are a FlowConfig's values, checked and with defaults applied.
type flowParams struct {
	shop, base string
	scopes     []string
	port       int
	timeout    time.Duration
	skew       time.Duration
	now        func() time.Time
}

// prepare checks c and applies the defaults.
func (c FlowConfig) prepare() (*flowParams, error) {
	shop, err := NormalizeShop(c.Shop)
	if err != nil {
		return nil, err
	}
	base, err := ResolveBaseURL(shop, c.ShopBaseURL)
	if err != nil {
		return nil, err
	}
	if c.ClientID == "" || c.ClientSecret == "" {
		return nil, errors.New("connect: the client ID and client secret are both required")
	}
	if err := checkRedirectHost(c.RedirectHost); err != nil {
		return nil, err
	}
	p := &flowParams{shop: shop, base: base, scopes: c.Scopes, port: c.Port, timeout: c.Timeout, skew: c.ClockSkew, now: clock(c.Now)}
	if p.scopes == nil {
		p.scopes = NeededScopes()
	}
	if p.port == 0 {
		p.port = DefaultPort
	}
	if p.timeout <= 0 {
		p.timeout = DefaultFlowTimeout
	}
	if p.skew <= 0 {
		p.skew = DefaultClockSkew
	}
	return p, nil
}

// awaitCallback listens on the loopback port, sends the merchant to the
// authorize page and returns the code from the one trusted callback. The
// listener is shut down (within shutdownGrace) before it returns.
func (p *flowParams) awaitCallback(ctx context.Context, c FlowConfig) (string, error) {
	state, err := newState()
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)))
	if err != nil {
		return "", fmt.Errorf("%w: couldn't listen on 127.0.0.1:%d for Shopify's answer (%s); close the program using it, or use another port registered as a redirect URL of the app",
			ErrPortBusy, p.port, describeNetErr(err))
	}
	h := &callbackHandler{
		host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)),
		alias:    aliasHost(c.RedirectHost, p.port),
		shopHost: hostOf(p.base),
		check:    callbackCheck{state: state, shop: p.shop, clientSecret: c.ClientSecret, skew: p.skew},
		now:      p.now,
		result:   make(chan callbackResult, 1),
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.deliver(callbackResult{err: fmt.Errorf("sign-in listener stopped: %s", describeNetErr(err))})
		}
	}()
	defer func() {
		h.finish() // later callbacks are refused even while shutting down
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
	}()

	authURL := p.base + "/admin/oauth/authorize?" + url.Values{
		"client_id":       {c.ClientID},
		"scope":           {strings.Join(p.scopes, ",")},
		"redirect_uri":    {RedirectURLFor(c.RedirectHost, p.port)},
		"state":           {state},
		"grant_options[]": {""}, // offline access, as Shopify's JS library sends it
	}.Encode()
	if c.Ready != nil {
		c.Ready(authURL)
	}
	probeCtx, stopProbe := context.WithCancel(ctx)
	defer stopProbe()
	go h.probeAuthorize(probeCtx, c.HTTPClient, authURL)
	if c.OpenBrowser != nil {
		_ = c.OpenBrowser(authURL) // on failure the UI shows the URL from Ready
	}

	timer := time.NewTimer(p.timeout)
	defer timer.Stop()
	for {
		select {
		case res := <-h.result:
			return res.code, res.err
		case req := <-c.Paste.incoming():
			req.reply <- h.pasted(req.raw)
		case <-ctx.Done():
			return "", ctx.Err()
		case <-timer.C:
			return "", ErrFlowTimeout
		}
	}
}

// exchangeCode trades the authorization code for a token and checks scopes.
func exchangeCode(ctx context.Context, c FlowConfig, shop, base, code string, scopes []string, now func() time.Time) (*Token, error) {
	form := url.Values{"client_id": {c.ClientID}, "client_secret": {c.ClientSecret}, "code": {code}}
	if !c.NonExpiring {
		form.Set("expiring", "1")
	}
	t, err := postToken(ctx, c.HTTPClient, base, "code exchange", form, now(), false)
	if err != nil {
		return nil, err
	}
	t.Shop = shop
	t.Kind = KindOffline
	if t.RefreshToken != "" {
		t.Kind = KindExpiring
	}
	// Publishing scopes are optional: without them new products stay unpublished.
	if missing := RequiredMissing(MissingScopes(t.Scopes, scopes)); len(missing) > 0 {
		return t, fmt.Errorf("%w: the store granted %s but not %s", ErrMissingScopes, scopeList(t.Scopes), strings.Join(missing, ", "))
	}
	return t, nil
}

func scopeList(s []string) string {
	if len(s) == 0 {
		return "no permissions"
	}
	return strings.Join(s, ", ")
}

// newState returns 32 random bytes from crypto/rand as hex: URL-safe, so
// that no encoding difference can break the hmac.
func newState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("connect: no randomness for the sign-in state: %w", err)
	}
	return hex.EncodeToString(b), nil
}

type callbackResult struct {
	code string
	err  error
}

// callbackHandler answers the loopback listener: GET /callback only, one
// result through sync.Once into a channel with a buffer of one.
type callbackHandler struct {
	host     string // "127.0.0.1:PORT": other Host headers (DNS rebinding) get 404
	alias    string // "localhost:PORT" when that is the registered redirect host
	shopHost string // the shop's host:port, to recognise a pasted Shopify page
	check    callbackCheck
	now      func() time.Time
	result   chan callbackResult

	once sync.Once
	mu   sync.Mutex
	done bool
}

// deliver hands over the first result and reports whether this one was it.
func (h *callbackHandler) deliver(r callbackResult) (first bool) {
	h.once.Do(func() {
		first = true
		h.finish()
		h.result <- r
	})
	return first
}

// taken is what became of an answer given to take.
type taken int

const (
	notOurs   taken = iota // no state of this sign-in: refused, the sign-in keeps waiting
	tookFirst              // it ended the sign-in, with its code or error
	tookLate               // another answer had ended the sign-in already
)

// take checks a callback's raw query. Only an answer carrying this
// sign-in's state ends it (see ownsState).
func (h *callbackHandler) take(rawQuery string) (taken, error) {
	chk := h.check
	chk.now = h.now()
	q, perr := url.ParseQuery(rawQuery)
	if !chk.ownsState(q) {
		return notOurs, ErrBadState
	}
	if perr != nil {
		q = nil // an unparsable query is refused, not half-read
	}
	code, err := chk.verify(q)
	if !h.deliver(callbackResult{code: code, err: err}) {
		return tookLate, ErrCallbackUsed
	}
	return tookFirst, err
}

// finish marks the flow over: every later callback is refused.
func (h *callbackHandler) finish() {
	h.mu.Lock()
	h.done = true
	h.mu.Unlock()
}

func (h *callbackHandler) over() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.done
}

func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != CallbackPath || r.Method != http.MethodGet || !h.acceptsHost(r.Host) {
		http.NotFound(w, r)
		return
	}
	if h.over() {
		writePage(w, http.StatusConflict, pageUsed)
		return
	}
	took, err := h.take(r.URL.RawQuery)
	switch took {
	case notOurs:
		writePage(w, http.StatusBadRequest, pageRefused) // not this sign-in's answer: keep waiting for it
		return
	case tookLate:
		writePage(w, http.StatusConflict, pageUsed)
		return
	}
	switch {
	case err == nil:
		writePage(w, http.StatusOK, pageOK)
	case errors.Is(err, ErrDenied):
		writePage(w, http.StatusOK, pageDenied)
	default:
		writePage(w, http.StatusBadRequest, pageRefused)
	}
}
