package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrForgedCallback is wrapped by every refusal of a callback that cannot be
// trusted to come from Shopify for this sign-in.
var ErrForgedCallback = errors.New("the sign-in answer could not be trusted")

// Reasons a callback is refused; each matches ErrForgedCallback too.
var (
	ErrBadState   error = &wrapped{"the sign-in answer does not belong to this sign-in (state mismatch); start again", ErrForgedCallback}
	ErrBadHMAC    error = &wrapped{"the sign-in answer is not signed by Shopify with this app's client secret (hmac mismatch); check the client secret", ErrForgedCallback}
	ErrNotShopify error = &wrapped{"the sign-in answer names a shop that is not a *.myshopify.com store", ErrForgedCallback}
	ErrWrongShop  error = &wrapped{"the sign-in answer came from a different store than the one being connected", ErrForgedCallback}
	ErrStale      error = &wrapped{"the sign-in answer is too old or from the future (timestamp); check this computer's clock and start again", ErrForgedCallback}
	ErrMalformed  error = &wrapped{"the sign-in answer is incomplete or repeats a parameter", ErrForgedCallback}
)

// ErrDenied is wrapped when Shopify answers the sign-in with an error, for
// example when the merchant declines to install the app.
var ErrDenied = errors.New("the app was not authorized in Shopify")

// SignQuery computes Shopify's hmac for a callback query: hmac and
// signature removed, the rest sorted by name as "name=value" pairs
// (values escaped as in a query string, spaces as %20), joined with "&",
// HMAC-SHA256 keyed with the client secret, lower-case hex (FACTS §1;
// Shopify/shopify-app-js lib/utils/hmac-validator.ts).
func SignQuery(q url.Values, clientSecret string) string {
	return signMessage(hmacMessage(q, true), clientSecret)
}

// VerifyQuery reports whether q carries a valid Shopify hmac for
// clientSecret, compared in constant time. It accepts the message built from
// escaped values (Shopify's JS and Ruby libraries) and from unescaped values
// (go-shopify's VerifyAuthorizationURL); both are keyed with the secret, so
// accepting either gives an attacker nothing.
func VerifyQuery(q url.Values, clientSecret string) bool {
	got, err := hex.DecodeString(q.Get("hmac"))
	if err != nil || len(got) != sha256.Size || len(q["hmac"]) != 1 {
		return false
	}
	ok := 0
	for _, escaped := range []bool{true, false} {
		want, _ := hex.DecodeString(signMessage(hmacMessage(q, escaped), clientSecret))
		if hmac.Equal(got, want) {
			ok = 1
		}
	}
	return ok == 1
}

func signMessage(msg, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// hmacMessage builds the signed message from q.
func hmacMessage(q url.Values, escaped bool) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "hmac" && k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			if escaped {
				parts = append(parts, escape(k)+"="+escape(v))
			} else {
				parts = append(parts, k+"="+v)
			}
		}
	}
	return strings.Join(parts, "&")
}

func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// callbackCheck holds what a callback is checked against.
type callbackCheck struct {
	state, shop, clientSecret string
	now                       time.Time
	skew                      time.Duration
}

// ownsState reports whether q carries this sign-in's state (q may be
// partly parsed). Only such an answer may end the sign-in: the state is a
// secret only Shopify's redirect knows, so a stray request to the listener
// (any local program, or an <img> on any web page the merchant has open)
// is refused without ending it.
func (c callbackCheck) ownsState(q url.Values) bool {
	return len(q["state"]) == 1 && subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(c.state)) == 1
}

// verify checks a callback query in the order that reveals least:
// shape, state, Shopify's error answer, hmac, shop, timestamp. It returns
// the authorization code.
func (c callbackCheck) verify(q url.Values) (string, error) {
	if q == nil {
		return "", ErrMalformed
	}
	for _, v := range q {
		if len(v) != 1 {
			return "", ErrMalformed
		}
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(c.state)) != 1 {
		return "", ErrBadState
	}
	if e := q.Get("error"); e != "" {
		msg := ErrDenied.Error() + " (" + oneLine(e, 60)
		if d := q.Get("error_description"); d != "" {
			msg += ": " + oneLine(d, 160)
		}
		return "", &wrapped{msg + ")", ErrDenied}
	}
	if !VerifyQuery(q, c.clientSecret) {
		return "", ErrBadHMAC
	}
	shop := q.Get("shop")
	if !ValidShopDomain(shop) {
		return "", ErrNotShopify
	}
	if shop != c.shop {
		return "", ErrWrongShop
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil {
		return "", ErrStale
	}
	if d := c.now.Sub(time.Unix(ts, 0)); d > c.skew || d < -c.skew {
		return "", ErrStale
	}
	code := q.Get("code")
	if code == "" {
		return "", ErrMalformed
	}
	return code, nil
}
