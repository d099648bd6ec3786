package oauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestSignQueryShopifyExample checks the worked example of
// https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
// (client secret "hush").
func TestSignQueryShopifyExample(t *testing.T) {
	q := url.Values{
		"code": {"0907a61c0c8d55e99db179b68161bc00"}, "shop": {"some-shop.myshopify.com"},
		"state": {"0.6784241404160823"}, "timestamp": {"1337178173"},
	}
	const want = "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"
	if got := SignQuery(q, "hush"); got != want {
		t.Fatalf("SignQuery = %s, want %s", got, want)
	}
	q.Set("hmac", want)
	if !VerifyQuery(q, "hush") {
		t.Fatal("VerifyQuery refused Shopify's example")
	}
	q.Set("hmac", "700E2DADB827FCC8609E9D5CE208B2E9CDAAB9DF07390D2CBCA10D7C328FC4BF")
	if !VerifyQuery(q, "hush") {
		t.Fatal("VerifyQuery refused the upper-case spelling of a valid digest")
	}
	if VerifyQuery(q, "hush2") {
		t.Fatal("VerifyQuery accepted another secret")
	}
}

// TestHandlerSecondCallbackRefused drives the handler directly: the first
// genuine callback wins, a second one in the same flow is refused with 409
// even when it is genuine too, and only one result is ever delivered.
func TestHandlerSecondCallbackRefused(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	h := &callbackHandler{
		check:  callbackCheck{state: "s1", shop: "a.myshopify.com", clientSecret: "secret", skew: DefaultClockSkew},
		now:    func() time.Time { return now },
		result: make(chan callbackResult, 1),
	}
	cb := func(code string) *http.Request {
		q := url.Values{"code": {code}, "shop": {"a.myshopify.com"}, "state": {"s1"}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
		q.Set("hmac", SignQuery(q, "secret"))
		return httptest.NewRequest(http.MethodGet, "/callback?"+q.Encode(), nil)
	}
	w1, w2 := httptest.NewRecorder(), httptest.NewRecorder()
	h.ServeHTTP(w1, cb("first"))
	h.ServeHTTP(w2, cb("second"))
	if w1.Code != http.StatusOK || w2.Code != http.StatusConflict {
		t.Fatalf("answers %d, %d; want 200, 409", w1.Code, w2.Code)
	}
	r := <-h.result
	if r.err != nil || r.code != "first" {
		t.Fatalf("result = %+v", r)
	}
	select {
	case r := <-h.result:
		t.Fatalf("a second result was delivered: %+v", r)
	default:
	}
}

// TestPastedCallbackSingleUse: a pasted answer is checked like a request to
// the listener (state, shop, timestamp) and used once.
func TestPastedCallbackSingleUse(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	newHandler := func() *callbackHandler {
		return &callbackHandler{
			host:   "127.0.0.1:13388",
			check:  callbackCheck{state: "s1", shop: "a.myshopify.com", clientSecret: "secret", skew: DefaultClockSkew},
			now:    func() time.Time { return now },
			result: make(chan callbackResult, 1),
		}
	}
	cb := func(mut func(url.Values)) string {
		q := url.Values{"code": {"c1"}, "shop": {"a.myshopify.com"}, "state": {"s1"}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
		mut(q)
		q.Set("hmac", SignQuery(q, "secret"))
		return "http://127.0.0.1:13388/callback?" + q.Encode()
	}
	for name, tc := range map[string]struct {
		mut  func(url.Values)
		want error
	}{
		"state":     {func(q url.Values) { q.Set("state", "s2") }, ErrBadState},
		"shop":      {func(q url.Values) { q.Set("shop", "b.myshopify.com") }, ErrWrongShop},
		"timestamp": {func(q url.Values) { q.Set("timestamp", strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)) }, ErrStale},
	} {
		h := newHandler()
		if err := h.pasted(cb(tc.mut)); err != tc.want {
			t.Errorf("%s: pasted = %v, want %v", name, err, tc.want)
		}
	}
	h := newHandler()
	if err := h.pasted("http://127.0.0.1:9999/callback?x=1"); err != ErrNotCallback {
		t.Fatalf("another port: %v", err)
	}
	good := cb(func(url.Values) {})
	if err := h.pasted(good); err != nil {
		t.Fatalf("genuine paste: %v", err)
	}
	if err := h.pasted(good); err != ErrCallbackUsed {
		t.Fatalf("second paste: %v", err)
	}
	if r := <-h.result; r.code != "c1" || r.err != nil {
		t.Fatalf("result %+v", r)
	}
}
