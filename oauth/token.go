package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// TokenKind says how a store's token was obtained, and so how it is renewed.
type TokenKind string

// Token kinds.
const (
	// KindStatic is a pasted token (an admin-created custom app's token or
	// any token the merchant already has); it cannot be renewed.
	KindStatic TokenKind = "static"
	// KindOffline is a non-expiring offline token from OAuth.
	KindOffline TokenKind = "offline"
	// KindExpiring is an expiring offline token (1 h) with a rotating
	// refresh token (90 days).
	KindExpiring TokenKind = "expiring"
	// KindClientCredentials is a 24-hour token from the client-credentials
	// grant, renewed by asking again.
	KindClientCredentials TokenKind = "client_credentials"
)

// Label names the kind for people.
func (k TokenKind) Label() string {
	switch k {
	case KindStatic:
		return "Access token (pasted)"
	case KindOffline:
		return "OAuth, non-expiring"
	case KindExpiring:
		return "OAuth, expiring (renewed automatically)"
	case KindClientCredentials:
		return "Client credentials (renewed daily)"
	}
	return string(k)
}

// ErrMissingScopes is wrapped when the merchant granted fewer scopes than
// Shelfsync needs (a user can edit the scope in the URL).
var ErrMissingScopes = errors.New("missing permissions")

// Token is what Shopify's token endpoint returned, with lifetimes turned
// into times. Its String and GoString methods mask the secrets, so printing
// a Token never leaks one.
type Token struct {
	Kind             TokenKind
	Shop             string // "name.myshopify.com"
	AccessToken      string
	RefreshToken     string    // only for KindExpiring
	IssuedAt         time.Time // when Shelfsync received it
	ExpiresAt        time.Time // zero: does not expire
	RefreshExpiresAt time.Time // zero: no refresh token
	Scopes           []string  // granted, sorted
}

// String implements fmt.Stringer with the secrets masked.
func (t Token) String() string {
	s := fmt.Sprintf("%s token %s for %s", t.Kind, MaskToken(t.AccessToken), t.Shop)
	if !t.ExpiresAt.IsZero() {
		s += ", expires " + t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	if t.RefreshToken != "" {
		s += ", refresh " + MaskToken(t.RefreshToken)
	}
	return s
}

// GoString implements fmt.GoStringer so that %#v masks too.
func (t Token) GoString() string { return "oauth.Token{" + t.String() + "}" }

// MissingScopes returns the needed scopes this token was not granted.
func (t Token) MissingScopes() []string { return MissingScopes(t.Scopes, NeededScopes()) }

// MaskToken shows a token as its prefix and last four characters, like gh's
// displayToken: "shpat_****abcd". Short values show only "****".
func MaskToken(tok string) string {
	prefix := ""
	if i := strings.IndexByte(tok, '_'); i > 0 && i <= 6 {
		prefix = tok[:i+1]
	}
	rest := tok[len(prefix):]
	if len(rest) < 16 {
		return prefix + "****"
	}
	return prefix + "****" + rest[len(rest)-4:]
}

// defaultHTTPClient is used when a config leaves HTTPClient nil.
var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

// httpClient returns a copy of c (nil: the default) that follows a redirect
// only to the same scheme and host. A token request carries the client
// secret and a code or refresh token, an inspect request the access token
// in a header Go does not drop on redirects: none of it may reach another
// host, as shopify's own client does for the Admin API.
func httpClient(c *http.Client) *http.Client {
	if c == nil {
		c = defaultHTTPClient
	}
	cp := *c
	cp.CheckRedirect = sameHostOnly
	return &cp
}

func sameHostOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if from := via[0].URL; req.URL.Scheme != from.Scheme || !strings.EqualFold(req.URL.Host, from.Host) {
		return errors.New("refused a redirect to another host (" + req.URL.Host + ")")
	}
	return nil
}

// tokenResponse is the JSON body of /admin/oauth/access_token.
type tokenResponse struct {
	AccessToken           string          `json:"access_token"`
	Scope                 string          `json:"scope"`
	ExpiresIn             int64           `json:"expires_in"`
	RefreshToken          string          `json:"refresh_token"`
	RefreshTokenExpiresIn int64           `json:"refresh_token_expires_in"`
	Error                 string          `json:"error"`
	ErrorDescription      string          `json:"error_description"`
	Errors                json.RawMessage `json:"errors"`
}

// postToken sends a form to baseURL + "/admin/oauth/access_token" and turns
// the answer into a Token. secrets lists what must never appear in an error.
// The form encoding is what Shopify's docs show; its libraries send JSON and
// both are accepted (FACTS §1).
func postToken(ctx context.Context, hc *http.Client, baseURL, op string, form url.Values, now time.Time, credentialGrant bool) (*Token, error) {
	secrets := []string{form.Get("client_secret"), form.Get("code"), form.Get("refresh_token"), form.Get("subject_token")}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/admin/oauth/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := httpClient(hc).Do(req)
	if err != nil {
		return nil, networkError(ctx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, networkError(ctx, op, err)
	}
	var tr tokenResponse
	jsonErr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK || tr.Error != "" {
		desc := tr.ErrorDescription
		if desc == "" && len(tr.Errors) > 0 {
			desc = string(tr.Errors)
		}
		if desc == "" && jsonErr != nil {
			desc = http.StatusText(resp.StatusCode)
		}
		return nil, &TokenError{
			Op: op, Status: resp.StatusCode, Code: redact(tr.Error, secrets...),
			Description: redact(desc, secrets...),
			Class:       classifyStatus(resp.StatusCode, tr.Error, credentialGrant),
		}
	}
	if jsonErr != nil || tr.AccessToken == "" {
		return nil, &TokenError{Op: op, Status: resp.StatusCode, Class: ErrTemporary, Description: "the answer held no access token"}
	}
	t := &Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken, IssuedAt: now, Scopes: ParseScopes(tr.Scope)}
	if tr.ExpiresIn > 0 {
		t.ExpiresAt = now.Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	if tr.RefreshToken != "" && tr.RefreshTokenExpiresIn > 0 {
		t.RefreshExpiresAt = now.Add(time.Duration(tr.RefreshTokenExpiresIn) * time.Second)
	}
	return t, nil
}

// ClientCredentialsConfig describes a client-credentials grant.
type ClientCredentialsConfig struct {
	Shop         string // "name.myshopify.com"
	BaseURL      string // optional loopback override for the simulator
	ClientID     string
	ClientSecret string
	HTTPClient   *http.Client     // optional
	Now          func() time.Time // optional clock
}

// ClientCredentials exchanges the app's client ID and secret for a 24-hour
// access token. Shopify allows it only for apps of the merchant's own
// organization installed on a store they own, and gives no refresh token:
// renew by asking again (FACTS §3).
func ClientCredentials(ctx context.Context, c ClientCredentialsConfig) (*Token, error) {
	base, err := ResolveBaseURL(c.Shop, c.BaseURL)
	if err != nil {
		return nil, err
	}
	if c.ClientID == "" || c.ClientSecret == "" {
		return nil, errors.New("client credentials: the client ID and client secret are both required")
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
	}
	t, err := postToken(ctx, c.HTTPClient, base, "client credentials", form, clock(c.Now)(), true)
	if err != nil {
		return nil, err
	}
	t.Kind, t.Shop, t.RefreshToken, t.RefreshExpiresAt = KindClientCredentials, c.Shop, "", time.Time{}
	return t, nil
}

// refreshConfig is what a refresh needs.
type refreshConfig struct {
	BaseURL, ClientID, ClientSecret, RefreshToken string
	HTTPClient                                    *http.Client
	Now                                           time.Time
}

// refresh trades a refresh token for a new access token and a new refresh
// token (FACTS §2).
func refresh(ctx context.Context, c refreshConfig) (*Token, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"refresh_token": {c.RefreshToken},
	}
	t, err := postToken(ctx, c.HTTPClient, c.BaseURL, "refresh", form, c.Now, true)
	if err != nil {
		return nil, err
	}
	return asExpiring(t, "refresh")
}

// asExpiring checks that an answer holds an expiring token and the refresh
// token that renews it.
func asExpiring(t *Token, op string) (*Token, error) {
	if t.RefreshToken == "" || t.ExpiresAt.IsZero() {
		return nil, &TokenError{Op: op, Status: http.StatusOK, Class: ErrTemporary, Description: "the answer held no new refresh token"}
	}
	t.Kind = KindExpiring
	return t, nil
}

// The one-time migration of a non-expiring offline token to an expiring
// one is a token exchange with both token types set to Shopify's offline
// access token and expiring=1; Shopify revokes the old token (FACTS §2;
// Shopify/shopify-app-js lib/auth/oauth/migrate-to-expiring-token.ts).
const (
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	tokenTypeOfflineAccess = "urn:shopify:params:oauth:token-type:offline-access-token"
)

type migrateConfig struct {
	BaseURL, ClientID, ClientSecret string
	Token                           string // the non-expiring offline token
	HTTPClient                      *http.Client
	Now                             time.Time
}

// migrate exchanges a non-expiring offline token for an expiring one with
// a refresh token. It is sent once: the exchange revokes the old token, so
// a retry after a lost answer could only fail.
func migrate(ctx context.Context, c migrateConfig) (*Token, error) {
	form := url.Values{
		"grant_type":           {grantTokenExchange},
		"client_id":            {c.ClientID},
		"client_secret":        {c.ClientSecret},
		"subject_token":        {c.Token},
		"subject_token_type":   {tokenTypeOfflineAccess},
		"requested_token_type": {tokenTypeOfflineAccess},
		"expiring":             {"1"},
	}
	t, err := postToken(ctx, c.HTTPClient, c.BaseURL, "switch to an expiring token", form, c.Now, true)
	if err != nil {
		return nil, err
	}
	return asExpiring(t, "switch to an expiring token")
}

// clock returns now, or time.Now when now is nil.
func clock(now func() time.Time) func() time.Time {
	if now != nil {
		return now
	}
	return time.Now
}
