package fakeshop

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

var installPage = template.Must(template.New("install").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Install {{.App}}</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto;color:#202223}
.card{border:1px solid #c9cccf;border-radius:8px;padding:1.5em}
button{font-size:1em;padding:.5em 1.2em;margin-right:.5em;border-radius:4px;border:1px solid #8c9196;background:#fff}
#install{background:#008060;color:#fff;border-color:#008060}</style></head>
<body><div class="card">
<h1>Install {{.App}}</h1>
<p><strong>{{.App}}</strong> (client id <code>{{.ClientID}}</code>) wants to access <strong>{{.Shop}}</strong>.</p>
<p>It asks for these permissions{{if .Online}} for your staff account only{{end}}:</p>
<ul id="scopes">{{range .Scopes}}<li>{{.}}</li>{{else}}<li>none</li>{{end}}</ul>
<form method="post" action="/admin/oauth/authorize/grant">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<button id="install" type="submit" name="action" value="install">Install</button>
<button id="cancel" type="submit" name="action" value="cancel">Cancel</button>
</form></div></body></html>`))

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Oauth error</title></head>
<body><h1 id="error">{{.}}</h1></body></html>`))

func oauthErrorPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, msg)
}

// handleAuthorize shows the install page. The page carries only a server-side request id,
// never the state or any secret.
func (sh *Shop) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	app, ok := sh.srv.app(clientID)
	if !ok {
		// UNCONFIRMED wording; Shopify shows an "Oauth error invalid_request" page.
		oauthErrorPage(w, http.StatusBadRequest, "Oauth error invalid_request: Could not find Shopify API application with api_key "+clientID)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" && len(app.RedirectURIs) > 0 {
		redirect = app.RedirectURIs[0]
	}
	allowed := false
	for _, u := range app.RedirectURIs {
		allowed = allowed || u == redirect // exact match, trailing slash included (FACTS §5)
	}
	if !allowed {
		// Shopify/shopify_app#940 (maintainer comment).
		oauthErrorPage(w, http.StatusBadRequest, "Oauth error invalid_request: The redirect_uri is not whitelisted")
		return
	}
	if !sameHost(app.AppURL, redirect) {
		// Shopify refuses a redirect whose host differs from the App URL's, verbatim:
		// Shopify/shopify-api-js#474, Shopify/shopify_app#1703, and the community thread
		// "Why is matching hosts crucial for redirect_uri in OAuth app development?" (2023).
		// Whether current Dev Dashboard apps still enforce it is UNCONFIRMED
		// (shopify-fidelity review F3); the simulator enforces it only when an App URL is
		// set, which is the stricter, harmless choice for a client under test.
		oauthErrorPage(w, http.StatusBadRequest, "Oauth error invalid_request: The redirect_uri and application url must have matching hosts")
		return
	}
	scopes := splitScopes(q.Get("scope"))
	if q.Get("scope") == "" {
		scopes = app.Scopes // Shopify-managed install: scopes come from the app configuration
	}
	online := false
	for _, g := range q["grant_options[]"] {
		online = online || g == "per-user"
	}
	reqID := randomHex(16)
	sh.mu.Lock()
	sh.grants[reqID] = &pendingGrant{clientID: clientID, redirectURI: redirect, state: q.Get("state"),
		scopes: scopes, online: online, expires: sh.srv.Now().Add(codeLifetime)}
	sh.mu.Unlock()
	title := app.Title
	if title == "" {
		title = app.ClientID
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = installPage.Execute(w, map[string]any{"App": title, "ClientID": clientID, "Shop": sh.Domain(),
		"Scopes": scopes, "Online": online, "RequestID": reqID})
}

// handleGrant is the Install/Cancel form target: it redirects to the app's redirect_uri.
func (sh *Shop) handleGrant(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthErrorPage(w, http.StatusBadRequest, "Oauth error invalid_request: malformed form")
		return
	}
	sh.mu.Lock()
	g := sh.grants[r.PostForm.Get("request_id")]
	delete(sh.grants, r.PostForm.Get("request_id"))
	now := sh.srv.Now()
	if g == nil || !now.Before(g.expires) {
		sh.mu.Unlock()
		oauthErrorPage(w, http.StatusBadRequest, "Oauth error invalid_request: This installation request has expired. Start again from the app.")
		return
	}
	q := url.Values{}
	if r.PostForm.Get("action") != "install" {
		sh.mu.Unlock()
		// Real Shopify sends a merchant who cancels back to the admin's app list
		// (gnikyt/laravel-shopify#29); the simulator instead redirects with an RFC 6749
		// §4.1.2.1 error so a client's error path can be exercised.
		q.Set("error", "access_denied")
		q.Set("error_description", "The merchant declined to install the app.")
		q.Set("shop", sh.Domain())
		q.Set("state", g.state)
		http.Redirect(w, r, withQuery(g.redirectURI, q), http.StatusFound)
		return
	}
	code := randomHex(16)
	sh.codes[code] = &authCode{clientID: g.clientID, scopes: g.scopes, online: g.online, expires: now.Add(codeLifetime)}
	sh.installed[g.clientID] = append([]string(nil), g.scopes...)
	sh.mu.Unlock()
	app, _ := sh.srv.app(g.clientID)
	q.Set("code", code)
	q.Set("host", base64.RawStdEncoding.EncodeToString([]byte("admin.shopify.com/store/"+sh.name)))
	q.Set("shop", sh.Domain())
	q.Set("state", g.state)
	q.Set("timestamp", strconv.FormatInt(now.Unix(), 10))
	q.Set("hmac", Sign(app.ClientSecret, q))
	http.Redirect(w, r, withQuery(g.redirectURI, q), http.StatusFound)
}

func withQuery(base string, q url.Values) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + q.Encode()
}

// tokenParams reads the token request from a JSON or a form body (both work; FACTS §1).
func tokenParams(r *http.Request) url.Values {
	out := url.Values{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			for k, v := range m {
				switch v := v.(type) {
				case string:
					out.Set(k, v)
				case bool:
					out.Set(k, map[bool]string{true: "1", false: "0"}[v])
				case nil:
				default:
					out.Set(k, fmt.Sprint(v))
				}
			}
		}
		for k, vs := range r.URL.Query() {
			if out.Get(k) == "" {
				out[k] = vs
			}
		}
		return out
	}
	_ = r.ParseForm()
	return r.Form
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// Error texts. Bad code: ShopifySharp#70 and BNMetrics/Laravel-ShopifyAPI#9 (400, verbatim).
// Client credentials refused: unopim/shopify-connector#43 ("Oauth error shop_not_permitted: …").
// invalid_client and invalid_grant wordings are Doorkeeper's standard texts (UNCONFIRMED for Shopify).
const (
	msgBadCode       = "The authorization code was not found or was already used"
	msgInvalidClient = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
	msgInvalidGrant  = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	msgNotPermitted  = "Client credentials cannot be performed on this shop."
)

func (sh *Shop) handleAccessToken(w http.ResponseWriter, r *http.Request) {
	p := tokenParams(r)
	app, ok := sh.srv.app(p.Get("client_id"))
	if !ok || p.Get("client_secret") != app.ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", msgInvalidClient)
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	switch p.Get("grant_type") {
	case "", "authorization_code":
		sh.codeGrant(w, app, p)
	case "refresh_token":
		a, rt, ok := sh.refreshGrant(app.ClientID, p.Get("refresh_token"))
		if !ok {
			oauthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidGrant)
			return
		}
		now := sh.srv.Now()
		writeJSON(w, http.StatusOK, map[string]any{"access_token": a.value, "scope": strings.Join(a.scopes, ","),
			"expires_in": secondsLeft(a.expires.Sub(now)), "refresh_token": rt.value,
			"refresh_token_expires_in": secondsLeft(rt.expires.Sub(now))})
	case "client_credentials":
		scopes, installed := sh.installed[app.ClientID]
		if !app.OwnOrganization || !installed {
			oauthError(w, http.StatusBadRequest, "shop_not_permitted", msgNotPermitted)
			return
		}
		if len(app.Scopes) > 0 {
			scopes = app.Scopes
		}
		// expires_in "is always set to 86399"; no refresh token (client-secrets page, FACTS §3).
		t := sh.issueAccess(app.ClientID, scopes, "shpat_", clientCredsLifetime, kindClient)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": t.value, "scope": strings.Join(scopes, ","), "expires_in": 86399})
	case grantTokenExchange:
		sh.migrationGrant(w, app, p)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
	}
}

// The one-time migration of a non-expiring offline token to an expiring
// one: a token exchange whose subject and requested types are both the
// offline access token, with expiring=1. The old token is revoked (FACTS §2;
// Shopify/shopify-app-js packages/apps/shopify-api/lib/auth/oauth/migrate-to-expiring-token.ts).
const (
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	tokenTypeOfflineAccess = "urn:shopify:params:oauth:token-type:offline-access-token"
)

// migrationGrant handles that exchange. Only the migration is simulated
// (session-token exchange belongs to embedded apps, which Shelfsync is not).
// Error codes for a bad subject token are UNCONFIRMED: RFC 8693 §2.2.2 says
// invalid_request; the wording is Doorkeeper's invalid_grant text. Caller
// holds sh.mu.
func (sh *Shop) migrationGrant(w http.ResponseWriter, app App, p url.Values) {
	if p.Get("subject_token_type") != tokenTypeOfflineAccess || p.Get("requested_token_type") != tokenTypeOfflineAccess ||
		(p.Get("expiring") != "1" && p.Get("expiring") != "true") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Only the migration of an offline access token to an expiring one (expiring=1) is supported.")
		return
	}
	old := sh.tokens[p.Get("subject_token")]
	if old == nil || old.revoked || old.clientID != app.ClientID || old.kind != kindOffline {
		oauthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidGrant)
		return
	}
	if _, ok := sh.installed[app.ClientID]; !ok {
		oauthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidGrant)
		return
	}
	old.revoked = true
	sh.retireRefreshTokens(app.ClientID)
	t := sh.issueAccess(app.ClientID, old.scopes, "shpat_", expiringLifetime, kindExpiring)
	rt := sh.issueRefresh(app.ClientID, old.scopes)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": t.value, "scope": strings.Join(old.scopes, ","),
		"expires_in": 3600, "refresh_token": rt.value, "refresh_token_expires_in": 7776000})
}

func secondsLeft(d interface{ Seconds() float64 }) int {
	s := int(d.Seconds())
	if s < 0 {
		return 0
	}
	return s
}

// codeGrant exchanges a one-time authorization code. Caller holds sh.mu.
func (sh *Shop) codeGrant(w http.ResponseWriter, app App, p url.Values) {
	c := sh.codes[p.Get("code")]
	delete(sh.codes, p.Get("code")) // one-time, even when the exchange fails below
	if c == nil || c.clientID != app.ClientID || !sh.srv.Now().Before(c.expires) {
		oauthError(w, http.StatusBadRequest, "invalid_request", msgBadCode)
		return
	}
	scope := strings.Join(c.scopes, ",")
	switch {
	case c.online:
		t := sh.issueAccess(app.ClientID, c.scopes, "shpua_", onlineLifetime, kindOnline)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": t.value, "scope": scope, "expires_in": 86399,
			"associated_user_scope": scope, "associated_user": map[string]any{"id": 902541635, "first_name": "Sam",
				"last_name": "Owner", "email": "owner@" + sh.name + ".example", "email_verified": true,
				"account_owner": true, "locale": "en", "collaborator": false}})
	case p.Get("expiring") == "1" || p.Get("expiring") == "true":
		sh.retireRefreshTokens(app.ClientID)
		t := sh.issueAccess(app.ClientID, c.scopes, "shpat_", expiringLifetime, kindExpiring)
		rt := sh.issueRefresh(app.ClientID, c.scopes)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": t.value, "scope": scope, "expires_in": 3600,
			"refresh_token": rt.value, "refresh_token_expires_in": 7776000})
	default:
		t := sh.issueAccess(app.ClientID, c.scopes, "shpat_", 0, kindOffline)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": t.value, "scope": scope})
	}
}

// msgInvalidToken is Shopify's 401 body text (christophergregory/shopify-node-api#81,
// Shopify/shopify_django_app#37).
const msgInvalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)"

func writeUnauthorized(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]string{"errors": msgInvalidToken})
}

func (sh *Shop) handleAccessScopes(w http.ResponseWriter, r *http.Request) {
	sh.mu.Lock()
	t := sh.validToken(r.Header.Get("X-Shopify-Access-Token"))
	var scopes []string
	if t != nil {
		scopes = append(scopes, t.scopes...)
	}
	sh.mu.Unlock()
	if t == nil {
		writeUnauthorized(w)
		return
	}
	list := make([]map[string]string, 0, len(scopes))
	for _, s := range scopes {
		list = append(list, map[string]string{"handle": s})
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_scopes": list})
}

// sameHost reports whether redirect is on appURL's host (the host name only:
// Shopify's message speaks of hosts). An empty appURL matches everything.
func sameHost(appURL, redirect string) bool {
	if appURL == "" {
		return true
	}
	a, err1 := url.Parse(appURL)
	r, err2 := url.Parse(redirect)
	return err1 == nil && err2 == nil && strings.EqualFold(a.Hostname(), r.Hostname())
}
