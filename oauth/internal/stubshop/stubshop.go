// Package stubshop is a small stand-in for Shopify's OAuth endpoints, used
// by oauth's tests until (and beside) the full simulator in
// sync/shopify/fakeshop. It implements the authorize page with an Install
// link, the token endpoint (authorization code with expiring=1, refresh
// with one-time refresh tokens that stay retryable until their replacement
// is used, client credentials), access_scopes.json and the shop query, and
// lets tests inject faults.
package stubshop

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Shop is one stub shop with one registered app.
type Shop struct {
	Name         string // "name"
	ClientID     string
	ClientSecret string
	RedirectURIs []string
	Scopes       []string // what the merchant grants
	Plan         string

	srv *httptest.Server
	now func() time.Time

	mu       sync.Mutex
	codes    map[string]bool
	access   map[string]*accessTok
	refresh  map[string]*refreshTok
	faults   []Fault
	Requests map[string]int // by grant type / endpoint
}

type accessTok struct {
	expires time.Time // zero: never
	dead    bool
	from    *refreshTok // the refresh that produced it, if any
}

type refreshTok struct {
	dead        bool
	replacement *refreshTok // set once used; the old one stays retryable until the replacement is used
	parent      *refreshTok
	uses        int
}

// Fault is an injected failure for the next token-endpoint call.
type Fault struct {
	Status int // answer with this status and {"error": Code}
	Code   string
	Drop   bool // process the request, then drop the connection
}

// New starts a stub shop on 127.0.0.1.
func New(name string, now func() time.Time) *Shop {
	if now == nil {
		now = time.Now
	}
	s := &Shop{
		Name: name, ClientID: "client-" + name, ClientSecret: "shpss_" + randHex(16),
		Scopes: []string{"write_products", "write_inventory", "read_locations", "write_publications", "read_markets", "read_metaobject_definitions", "read_metaobjects", "write_files"}, Plan: "Basic",
		now: now, codes: map[string]bool{}, access: map[string]*accessTok{}, refresh: map[string]*refreshTok{},
		Requests: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/oauth/authorize", s.authorize)
	mux.HandleFunc("POST /admin/oauth/access_token", s.token)
	mux.HandleFunc("GET /admin/oauth/access_scopes.json", s.scopes)
	mux.HandleFunc("POST /admin/api/{version}/graphql.json", s.graphql)
	s.srv = httptest.NewServer(mux)
	return s
}

// URL is the shop's base URL, "http://127.0.0.1:PORT".
func (s *Shop) URL() string { return s.srv.URL }

// Domain is "name.myshopify.com".
func (s *Shop) Domain() string { return s.Name + ".myshopify.com" }

// Close stops the server.
func (s *Shop) Close() { s.srv.Close() }

// Inject queues faults for the next token-endpoint calls.
func (s *Shop) Inject(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// Count returns how many requests of a kind arrived ("refresh_token",
// "client_credentials", "authorization_code", "graphql", "scopes").
func (s *Shop) Count(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Requests[kind]
}

// MaxRefreshUses is the most times any one refresh token was presented.
func (s *Shop) MaxRefreshUses() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.refresh {
		n = max(n, r.uses)
	}
	return n
}

// IssueStatic returns a non-expiring token, as a pasted custom-app token.
func (s *Shop) IssueStatic() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := "shpat_" + randHex(16)
	s.access[t] = &accessTok{}
	return t
}

// Revoke kills an access token.
func (s *Shop) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.access[token]; a != nil {
		a.dead = true
	}
}

// Sign computes Shopify's callback hmac for q.
func (s *Shop) Sign(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "hmac" && k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+strings.ReplaceAll(url.QueryEscape(q.Get(k)), "+", "%20"))
	}
	m := hmac.New(sha256.New, []byte(s.ClientSecret))
	m.Write([]byte(strings.Join(parts, "&")))
	return hex.EncodeToString(m.Sum(nil))
}

// CallbackQuery builds a signed callback for state, as Shopify would send.
func (s *Shop) CallbackQuery(state string) url.Values {
	code := randHex(16)
	s.mu.Lock()
	s.codes[code] = true
	s.mu.Unlock()
	q := url.Values{
		"code": {code}, "shop": {s.Domain()}, "state": {state},
		"timestamp": {strconv.FormatInt(s.now().Unix(), 10)},
		"host":      {"YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc3R1Yg"},
	}
	q.Set("hmac", s.Sign(q))
	return q
}

func (s *Shop) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.ClientID {
		http.Error(w, "Oauth error invalid_request: unknown client_id", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	ok := false
	for _, u := range s.RedirectURIs {
		ok = ok || u == redirect
	}
	if !ok {
		http.Error(w, "Oauth error invalid_request: The redirect_uri is not whitelisted", http.StatusBadRequest)
		return
	}
	cb := s.CallbackQuery(q.Get("state"))
	link := redirect + "?" + cb.Encode()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><body><h1>Install app</h1><p>Scopes: %s</p><a id="install" href="%s">Install</a></body></html>`,
		html.EscapeString(q.Get("scope")), html.EscapeString(link))
}

func (s *Shop) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeErr(w, 400, "invalid_request")
		return
	}
	f := r.PostForm
	grant := f.Get("grant_type")
	if grant == "" {
		grant = "authorization_code"
	}
	s.mu.Lock()
	s.Requests[grant]++
	var fault *Fault
	if len(s.faults) > 0 {
		fault = &s.faults[0]
		s.faults = s.faults[1:]
	}
	s.mu.Unlock()
	if fault != nil && fault.Status != 0 {
		writeErr(w, fault.Status, fault.Code)
		return
	}
	if f.Get("client_id") != s.ClientID || f.Get("client_secret") != s.ClientSecret {
		writeErr(w, 401, "invalid_client")
		return
	}
	var body map[string]any
	var status int
	switch grant {
	case "authorization_code":
		body, status = s.exchange(f)
	case "refresh_token":
		body, status = s.doRefresh(f.Get("refresh_token"))
	case "client_credentials":
		body, status = s.issue(86399, false, nil), 200
	default:
		body, status = map[string]any{"error": "unsupported_grant_type"}, 400
	}
	if fault != nil && fault.Drop {
		hj, ok := w.(http.Hijacker)
		if ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Shop) exchange(f url.Values) (map[string]any, int) {
	s.mu.Lock()
	ok := s.codes[f.Get("code")]
	delete(s.codes, f.Get("code"))
	s.mu.Unlock()
	if !ok {
		return map[string]any{"error": "invalid_request", "error_description": "The authorization code was not found or was already used"}, 400
	}
	if f.Get("expiring") == "1" {
		return s.issue(3600, true, nil), 200
	}
	return s.issue(0, false, nil), 200
}

// issue mints a token answer; the caller must not hold s.mu.
func (s *Shop) issue(expiresIn int64, withRefresh bool, parent *refreshTok) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := "shpat_" + randHex(16)
	at := &accessTok{}
	out := map[string]any{"access_token": a, "scope": strings.Join(s.Scopes, ",")}
	if expiresIn > 0 {
		at.expires = s.now().Add(time.Duration(expiresIn) * time.Second)
		out["expires_in"] = expiresIn
	}
	if withRefresh {
		rt := "shprt_" + randHex(16)
		rtok := &refreshTok{parent: parent}
		s.refresh[rt] = rtok
		at.from = rtok
		out["refresh_token"] = rt
		out["refresh_token_expires_in"] = 7776000
	}
	s.access[a] = at
	return out
}

// doRefresh follows FACTS §2: one-time refresh tokens, the previous one
// retryable until its replacement is used.
func (s *Shop) doRefresh(rt string) (map[string]any, int) {
	s.mu.Lock()
	r := s.refresh[rt]
	if r != nil {
		r.uses++
	}
	if r == nil || r.dead {
		s.mu.Unlock()
		return map[string]any{"error": "invalid_grant", "error_description": "refresh token is invalid"}, 400
	}
	if r.replacement != nil { // a retry: the unused replacement is retired
		r.replacement.dead = true
	}
	s.use(r) // presenting a replacement retires its parent
	s.mu.Unlock()
	out := s.issue(3600, true, r)
	s.mu.Lock()
	r.replacement = s.refresh[out["refresh_token"].(string)]
	s.mu.Unlock()
	return out, 200
}

// use marks a refresh token's lineage as used once its access token or
// replacement is presented: the parent then dies for good.
func (s *Shop) use(r *refreshTok) {
	if r != nil && r.parent != nil {
		r.parent.dead = true
	}
}

// authed checks the access token header; the caller holds s.mu.
func (s *Shop) authed(r *http.Request) bool {
	a := s.access[r.Header.Get("X-Shopify-Access-Token")]
	if a == nil || a.dead || (!a.expires.IsZero() && !s.now().Before(a.expires)) {
		return false
	}
	s.use(a.from)
	return true
}

func (s *Shop) scopes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Requests["scopes"]++
	ok := s.authed(r)
	s.mu.Unlock()
	if !ok {
		writeErr(w, 401, "")
		return
	}
	var list []map[string]string
	for _, sc := range s.Scopes {
		list = append(list, map[string]string{"handle": sc})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"access_scopes": list})
}

func (s *Shop) graphql(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Requests["graphql"]++
	ok := s.authed(r)
	s.mu.Unlock()
	if !ok {
		writeErr(w, 401, "")
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"shop": map[string]any{
		"name": "Stub " + s.Name, "myshopifyDomain": s.Domain(),
		"plan": map[string]any{"publicDisplayName": s.Plan},
	}}})
}

func writeErr(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if code == "" {
		_, _ = w.Write([]byte(`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// IssueExpiring returns an expiring access token (1 h) and its refresh
// token, as the code exchange with expiring=1 would.
func (s *Shop) IssueExpiring() (access, refresh string) {
	out := s.issue(3600, true, nil)
	return out["access_token"].(string), out["refresh_token"].(string)
}
