package fakeshop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// independentSign re-implements Shopify's documented steps without Sign's code.
func independentSign(secret, query string) string {
	var parts []string
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "hmac" {
			continue
		}
		uk, _ := url.QueryUnescape(k)
		uv, _ := url.QueryUnescape(v)
		parts = append(parts, uk+"="+uv)
	}
	for i := range parts { // insertion sort: keep it obviously independent of sort.Strings
		for j := i; j > 0 && parts[j] < parts[j-1]; j-- {
			parts[j], parts[j-1] = parts[j-1], parts[j]
		}
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.Join(parts, "&")))
	return hex.EncodeToString(m.Sum(nil))
}

func TestSignMatchesDocumentedSteps(t *testing.T) {
	q := url.Values{"code": {"0907a61c0c8d55e99db179b68161bc00"}, "shop": {"some-shop.myshopify.com"},
		"state": {"0.6784241404160823"}, "timestamp": {"1337178173"}, "hmac": {"ignored"}}
	got := Sign("hush", q)
	want := independentSign("hush", q.Encode())
	if got != want || len(got) != 64 || strings.ToLower(got) != got {
		t.Fatalf("Sign = %s, independent = %s", got, want)
	}
	// The message itself must be exactly the documented join.
	m := hmac.New(sha256.New, []byte("hush"))
	m.Write([]byte("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173"))
	if hex.EncodeToString(m.Sum(nil)) != got {
		t.Fatal("Sign does not sign the documented message")
	}
}

// authorize walks the install page and returns the redirect's query.
func authorize(t *testing.T, sh *Shop, params url.Values, action string) url.Values {
	t.Helper()
	res, err := http.Get(sh.URL() + "/admin/oauth/authorize?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("authorize page: %d %s", res.StatusCode, page)
	}
	for _, want := range []string{`id="install"`, `id="cancel"`} {
		if !strings.Contains(string(page), want) {
			t.Fatalf("page lacks %s", want)
		}
	}
	if st := params.Get("state"); st != "" && strings.Contains(string(page), st) {
		t.Fatal("the install page must not carry the state")
	}
	reqID := regexp.MustCompile(`name="request_id" value="([0-9a-f]+)"`).FindStringSubmatch(string(page))
	if reqID == nil {
		t.Fatal("no request id in page")
	}
	res, err = noRedirect.PostForm(sh.URL()+"/admin/oauth/authorize/grant", url.Values{"request_id": {reqID[1]}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("grant: %d", res.StatusCode)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	if !strings.HasPrefix(loc.String(), params.Get("redirect_uri")) {
		t.Fatalf("redirected to %s", loc)
	}
	return loc.Query()
}

func tokenRequest(t *testing.T, sh *Shop, jsonBody bool, p map[string]string) (int, map[string]any) {
	t.Helper()
	var res *http.Response
	var err error
	if jsonBody {
		b, _ := json.Marshal(p)
		res, err = http.Post(sh.URL()+"/admin/oauth/access_token", "application/json", strings.NewReader(string(b)))
	} else {
		v := url.Values{}
		for k, x := range p {
			v.Set(k, x)
		}
		res, err = http.PostForm(sh.URL()+"/admin/oauth/access_token", v)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func authParams(extra ...string) url.Values {
	v := url.Values{"client_id": {testClient}, "scope": {"write_products,read_locations"},
		"redirect_uri": {"http://127.0.0.1:9999/callback"}, "state": {"abc123state"}, "grant_options[]": {""}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func TestAuthorizationCodeFlow(t *testing.T) {
	_, sh, _ := newTestShop(t, PlanGrow)
	q := authorize(t, sh, authParams(), "install")
	for _, k := range []string{"code", "hmac", "host", "shop", "state", "timestamp"} {
		if q.Get(k) == "" {
			t.Fatalf("callback lacks %s: %v", k, q)
		}
	}
	if q.Get("state") != "abc123state" || q.Get("shop") != "test-shop.myshopify.com" {
		t.Fatalf("callback %v", q)
	}
	raw := url.Values{}
	for k, v := range q {
		raw[k] = v
	}
	if independentSign("shpss_secret", raw.Encode()) != q.Get("hmac") {
		t.Fatal("callback hmac does not verify")
	}
	st, body := tokenRequest(t, sh, false, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q.Get("code")})
	if st != 200 || !strings.HasPrefix(body["access_token"].(string), "shpat_") || body["scope"] != "write_products,read_locations" || body["refresh_token"] != nil {
		t.Fatalf("exchange: %d %v", st, body)
	}
	tok := body["access_token"].(string)
	gql(t, sh, tok, `{ shop { name } }`, nil)

	// One-time code.
	st, body = tokenRequest(t, sh, true, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q.Get("code")})
	if st != 400 || body["error"] != "invalid_request" || body["error_description"] != "The authorization code was not found or was already used" {
		t.Fatalf("reused code: %d %v", st, body)
	}
	// Re-authorizing a non-expiring offline token returns the same token.
	q2 := authorize(t, sh, authParams(), "install")
	_, body = tokenRequest(t, sh, true, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q2.Get("code")})
	if body["access_token"] != tok {
		t.Fatal("re-authorize returned a different non-expiring token")
	}
	// access_scopes.json
	req, _ := http.NewRequest("GET", sh.URL()+"/admin/oauth/access_scopes.json", nil)
	req.Header.Set("X-Shopify-Access-Token", tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var scopes struct {
		AccessScopes []struct{ Handle string } `json:"access_scopes"`
	}
	_ = json.NewDecoder(res.Body).Decode(&scopes)
	res.Body.Close()
	if len(scopes.AccessScopes) != 2 || scopes.AccessScopes[0].Handle != "write_products" {
		t.Fatalf("scopes %+v", scopes)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	_, sh, _ := newTestShop(t, PlanGrow)
	check := func(p url.Values, want string) {
		t.Helper()
		res, err := http.Get(sh.URL() + "/admin/oauth/authorize?" + p.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 400 || !strings.Contains(string(b), want) {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	}
	check(authParams("redirect_uri", "http://127.0.0.1:9999/callback/"), "Oauth error invalid_request: The redirect_uri is not whitelisted")
	check(authParams("client_id", "nope"), "Oauth error invalid_request")

	q := authorize(t, sh, authParams(), "cancel")
	if q.Get("error") != "access_denied" || q.Get("error_description") == "" || q.Get("code") != "" || q.Get("state") != "abc123state" {
		t.Fatalf("cancel: %v", q)
	}
	st, body := tokenRequest(t, sh, false, map[string]string{"client_id": testClient, "client_secret": "wrong", "code": "x"})
	if st != 401 || body["error"] != "invalid_client" {
		t.Fatalf("wrong secret: %d %v", st, body)
	}
}

func TestCodeExpires(t *testing.T) {
	srv, sh, _ := newTestShop(t, PlanGrow)
	q := authorize(t, sh, authParams(), "install")
	srv.Advance(11 * time.Minute)
	st, body := tokenRequest(t, sh, false, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q.Get("code")})
	if st != 400 || body["error"] != "invalid_request" {
		t.Fatalf("expired code: %d %v", st, body)
	}
}

func TestExpiringTokensAndRefreshRotation(t *testing.T) {
	srv, sh, _ := newTestShop(t, PlanGrow)
	secret := map[string]string{"client_id": testClient, "client_secret": "shpss_secret"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range secret {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	q := authorize(t, sh, authParams(), "install")
	st, b := tokenRequest(t, sh, true, with("code", q.Get("code"), "expiring", "1"))
	if st != 200 || b["expires_in"] != 3600.0 || b["refresh_token_expires_in"] != 7776000.0 || !strings.HasPrefix(b["refresh_token"].(string), "shprt_") {
		t.Fatalf("expiring exchange: %d %v", st, b)
	}
	a1, r1 := b["access_token"].(string), b["refresh_token"].(string)

	st, b = tokenRequest(t, sh, false, with("grant_type", "refresh_token", "refresh_token", r1))
	if st != 200 || b["access_token"] == a1 || b["refresh_token"] == r1 {
		t.Fatalf("refresh: %d %v", st, b)
	}
	a2, r2 := b["access_token"].(string), b["refresh_token"].(string)
	// Retry window: the old refresh token works again until the replacement is used.
	_, b = tokenRequest(t, sh, false, with("grant_type", "refresh_token", "refresh_token", r1))
	if b["access_token"] != a2 || b["refresh_token"] != r2 {
		t.Fatalf("retry of r1 should return the same pair: %v", b)
	}
	gql(t, sh, a2, `{ shop { id } }`, nil) // the replacement is now in use
	st, b = tokenRequest(t, sh, false, with("grant_type", "refresh_token", "refresh_token", r1))
	if st != 400 || b["error"] != "invalid_grant" {
		t.Fatalf("r1 after a2 was used: %d %v", st, b)
	}
	// The old access token stays valid until it expires; after an hour it is refused.
	gql(t, sh, a1, `{ shop { id } }`, nil)
	srv.Advance(61 * time.Minute)
	if r := post(t, sh, a2, "2026-04", `{ shop { id } }`, nil); r.Status != 401 || r.Body["errors"] != msgInvalidToken {
		t.Fatalf("expired access token: %d %s", r.Status, r.Raw)
	}
	// r2 still refreshes (90-day lifetime).
	st, b = tokenRequest(t, sh, false, with("grant_type", "refresh_token", "refresh_token", r2))
	if st != 200 {
		t.Fatalf("r2 refresh: %d %v", st, b)
	}
	r3 := b["refresh_token"].(string)
	// A fresh expiring authorization retires older refresh tokens.
	q = authorize(t, sh, authParams(), "install")
	_, _ = tokenRequest(t, sh, true, with("code", q.Get("code"), "expiring", "1"))
	if st, b = tokenRequest(t, sh, false, with("grant_type", "refresh_token", "refresh_token", r3)); st != 400 || b["error"] != "invalid_grant" {
		t.Fatalf("retired refresh token: %d %v", st, b)
	}
}

func TestRefreshTokenExpiresAfter90Days(t *testing.T) {
	srv, sh, _ := newTestShop(t, PlanGrow)
	q := authorize(t, sh, authParams(), "install")
	_, b := tokenRequest(t, sh, true, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q.Get("code"), "expiring": "1"})
	srv.Advance(91 * 24 * time.Hour)
	st, b := tokenRequest(t, sh, true, map[string]string{"client_id": testClient, "client_secret": "shpss_secret",
		"grant_type": "refresh_token", "refresh_token": b["refresh_token"].(string)})
	if st != 400 || b["error"] != "invalid_grant" {
		t.Fatalf("%d %v", st, b)
	}
}

func TestClientCredentials(t *testing.T) {
	srv, sh, _ := newTestShop(t, PlanGrow)
	p := map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "grant_type": "client_credentials"}
	st, b := tokenRequest(t, sh, false, p)
	if st != 200 || b["expires_in"] != 86399.0 || b["refresh_token"] != nil || b["scope"] != strings.Join(allScopes, ",") {
		t.Fatalf("client credentials: %d %v", st, b)
	}
	gql(t, sh, b["access_token"].(string), `{ shop { id } }`, nil)

	srv.RegisterApp(App{ClientID: "public", ClientSecret: "s2", OwnOrganization: false})
	sh.Install("public", []string{"read_products"})
	st, b = tokenRequest(t, sh, true, map[string]string{"client_id": "public", "client_secret": "s2", "grant_type": "client_credentials"})
	if st != 400 || b["error"] != "shop_not_permitted" || b["error_description"] != "Client credentials cannot be performed on this shop." {
		t.Fatalf("not own organization: %d %v", st, b)
	}
	sh.Uninstall(testClient)
	if st, b = tokenRequest(t, sh, false, p); st != 400 || b["error"] != "shop_not_permitted" {
		t.Fatalf("not installed: %d %v", st, b)
	}
}

func TestRevokeAndUninstall(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	gql(t, sh, tok, `{ shop { id } }`, nil)
	other := sh.Install(testClient, allScopes) // same non-expiring token
	if other != tok {
		t.Fatal("Install should return the existing non-expiring token")
	}
	sh.Revoke(tok)
	if r := post(t, sh, tok, "2026-04", `{ shop { id } }`, nil); r.Status != 401 || r.Body["errors"] != msgInvalidToken {
		t.Fatalf("revoked: %d %s", r.Status, r.Raw)
	}
	tok2 := sh.Install(testClient, allScopes)
	sh.Uninstall(testClient)
	if r := post(t, sh, tok2, "2026-04", `{ shop { id } }`, nil); r.Status != 401 {
		t.Fatalf("uninstalled: %d %s", r.Status, r.Raw)
	}
}

// TestMigrationToExpiringToken: the one-time exchange of a non-expiring
// offline token for an expiring pair revokes the old token, and works once.
func TestMigrationToExpiringToken(t *testing.T) {
	_, sh, _ := newTestShop(t, PlanGrow)
	q := authorize(t, sh, authParams(), "install")
	_, b := tokenRequest(t, sh, false, map[string]string{"client_id": testClient, "client_secret": "shpss_secret", "code": q.Get("code")})
	old, _ := b["access_token"].(string)
	migrate := map[string]string{"client_id": testClient, "client_secret": "shpss_secret",
		"grant_type": grantTokenExchange, "subject_token": old,
		"subject_token_type": tokenTypeOfflineAccess, "requested_token_type": tokenTypeOfflineAccess, "expiring": "1"}

	// Without expiring=1 the exchange is refused and the old token still works.
	without := map[string]string{}
	for k, v := range migrate {
		without[k] = v
	}
	delete(without, "expiring")
	if st, b := tokenRequest(t, sh, true, without); st != 400 || b["error"] != "invalid_request" {
		t.Fatalf("without expiring=1: %d %v", st, b)
	}
	gql(t, sh, old, `{ shop { name } }`, nil)

	st, b := tokenRequest(t, sh, true, migrate)
	if st != 200 || b["expires_in"] != 3600.0 || b["refresh_token_expires_in"] != 7776000.0 || b["scope"] != "write_products,read_locations" {
		t.Fatalf("migration: %d %v", st, b)
	}
	gql(t, sh, b["access_token"].(string), `{ shop { name } }`, nil)
	if r := post(t, sh, old, "2026-04", `{ shop { name } }`, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("the migrated token still works: %d", r.Status)
	}
	// Once: the old token can't be migrated again, nor an expiring one.
	if st, b := tokenRequest(t, sh, true, migrate); st != 400 || b["error"] != "invalid_grant" {
		t.Fatalf("second migration: %d %v", st, b)
	}
	migrate["subject_token"] = b["access_token"].(string)
	if st, _ := tokenRequest(t, sh, true, migrate); st != 400 {
		t.Fatalf("migrating an expiring token: %d", st)
	}
}
