package shopify

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// DefaultAPIVersion is the Admin API version used when Options.APIVersion is empty.
const DefaultAPIVersion = "2026-04"

// TokenSource hands the client a valid access token. oauth implements it.
type TokenSource interface {
	AccessToken(ctx context.Context) (string, error)
}

// Renewer is optionally implemented by a TokenSource: called once after a 401
// with the token that was rejected, so a client-credentials or expiring token
// can be renewed and the request retried once.
type Renewer interface {
	Renew(ctx context.Context, rejected string) error
}

// StaticToken is a TokenSource for a token that never changes (a pasted
// custom-app token, or tests).
type StaticToken string

// AccessToken returns the token.
func (t StaticToken) AccessToken(context.Context) (string, error) { return string(t), nil }

// Options configure a Client.
type Options struct {
	Shop       string       // "name.myshopify.com"
	BaseURL    string       // optional: "http://127.0.0.1:PORT" for a simulated shop (loopback only)
	APIVersion string       // default DefaultAPIVersion
	Tokens     TokenSource  // required
	HTTPClient *http.Client // optional; its CheckRedirect is replaced to keep the token on the shop's host
	// TimeScale is simulated seconds per real second. Every wait the client
	// computes (pacing, Retry-After, backoff, bulk polling) is divided by it,
	// so it must match the simulator's when benchmarking. Default 1.
	TimeScale float64
	// Logf receives the client's notices (see Notices) and fallbacks as they
	// happen. Default: the standard logger. It is never given a token.
	Logf func(format string, args ...any)
}

// Client is an Admin GraphQL API client for one store. It is safe for
// concurrent use; all goroutines share its Pacer.
type Client struct {
	shop     string
	base     *url.URL
	endpoint string
	loopback bool
	tokens   TokenSource
	http     *http.Client
	scale    float64
	pacer    *Pacer
	clk      clock
	retry    retryPolicy
	version  string // the API version asked for
	logf     func(format string, args ...any)

	mu            sync.Mutex
	learned       map[costKey]int // last requestedQueryCost per document and estimate
	locationCount int             // cached by Locations
	rnd           *rand.Rand
	notices       []Notice
}

type costKey struct {
	doc      string
	estimate int
}

var (
	shopRE    = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$`)
	versionRE = regexp.MustCompile(`^(\d{4}-\d{2}|unstable)$`)
)

// ValidShopDomain reports whether s is a shop domain like "name.myshopify.com"
// (the form documented at
// https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant).
func ValidShopDomain(s string) bool { return shopRE.MatchString(s) }

// New checks the options and returns a client. It refuses any base URL that
// is neither the shop's own https host nor a literal loopback address, so the
// token can never be sent elsewhere.
func New(opts Options) (*Client, error) {
	if !ValidShopDomain(opts.Shop) {
		return nil, fmt.Errorf("shopify: %q is not a shop domain; enter it as name.myshopify.com", opts.Shop)
	}
	if opts.Tokens == nil {
		return nil, errors.New("shopify: no token source; connect the store first")
	}
	version := opts.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !versionRE.MatchString(version) {
		return nil, fmt.Errorf("shopify: API version %q is not of the form YYYY-MM", version)
	}
	base := &url.URL{Scheme: "https", Host: opts.Shop}
	loopback := false
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("shopify: base URL is not a URL; use http://127.0.0.1:PORT for a simulated shop")
		}
		if err := checkBaseURL(u, opts.Shop); err != nil {
			return nil, err
		}
		loopback = isLoopbackHost(u.Hostname())
		base = &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	scale := opts.TimeScale
	if scale <= 0 {
		scale = 1
	}
	c := &Client{
		shop:     opts.Shop,
		base:     base,
		endpoint: base.String() + "/admin/api/" + version + "/graphql.json",
		loopback: loopback,
		tokens:   opts.Tokens,
		scale:    scale,
		clk:      realClock{},
		retry:    defaultRetry,
		version:  version,
		logf:     opts.Logf,
		learned:  make(map[costKey]int),
		rnd:      rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5e1f)),
	}
	if c.logf == nil {
		c.logf = log.Printf
	}
	c.pacer = newPacer(c.clk, scale)
	c.http = c.guardedHTTPClient(opts.HTTPClient)
	return c, nil
}

// checkBaseURL accepts the shop's own https URL or a loopback literal IP.
func checkBaseURL(u *url.URL, shop string) error {
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("shopify: base URL must be just scheme://host:port, e.g. http://127.0.0.1:8080")
	}
	host := u.Hostname()
	switch {
	case u.Scheme == "https" && strings.EqualFold(host, shop) && u.Port() == "":
		return nil
	case (u.Scheme == "http" || u.Scheme == "https") && isLoopbackHost(host):
		return nil
	}
	return fmt.Errorf("shopify: refusing base URL host %q: only a loopback address (127.0.0.1 or ::1) may stand in for a shop, so the token is never sent elsewhere", host)
}

// isLoopbackHost is true only for literal loopback IPs; names such as
// "localhost" are refused because their resolution is not under our control.
func isLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guardedHTTPClient copies hc (or a default) and refuses redirects that
// leave the request's host, so the token header never leaves the shop.
func (c *Client) guardedHTTPClient(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	} else {
		cp.Transport = defaultTransport()
	}
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
			return fmt.Errorf("refused a redirect to another host (%s)", req.URL.Host)
		}
		return nil
	}
	return &cp
}

// IdleConnsPerShop is how many connections the default transport keeps
// open to a shop between requests: as many as a run keeps requests in
// flight (sync's workers), so a busy run does not reconnect (and redo TLS)
// for every request beyond Go's default of two.
const IdleConnsPerShop = 64

func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 90 * time.Second
	t.MaxIdleConnsPerHost = IdleConnsPerShop
	return t
}

// Shop returns the shop domain the client talks to.
func (c *Client) Shop() string { return c.shop }

// Pacer returns the client's shared rate-limit pacer.
func (c *Client) Pacer() *Pacer { return c.pacer }

// costFor returns the expected requested cost of doc with vars: what Shopify
// said last time for the same document and estimate, else the estimate.
func (c *Client) costFor(doc string, vars map[string]any) (costKey, int) {
	k := costKey{doc: doc, estimate: EstimateCost(doc, vars)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.learned[k]; ok {
		return k, v
	}
	return k, k.estimate
}

func (c *Client) learn(k costKey, requested int) {
	if requested <= 0 {
		return
	}
	c.mu.Lock()
	c.learned[k] = requested
	c.mu.Unlock()
}

// jitter returns a random duration in [d/2, d].
func (c *Client) jitter(d time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return d/2 + time.Duration(c.rnd.Int64N(int64(d/2)+1))
}
