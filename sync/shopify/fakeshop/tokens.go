package fakeshop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

type tokenKind int

const (
	kindOffline  tokenKind = iota // non-expiring offline (or Install)
	kindExpiring                  // expiring offline, has a refresh token
	kindOnline                    // per-user
	kindClient                    // client credentials
)

type accessToken struct {
	value    string
	clientID string
	scopes   []string
	kind     tokenKind
	expires  time.Time // zero = never
	revoked  bool
	used     bool // presented to the API at least once
}

type refreshToken struct {
	value    string
	clientID string
	scopes   []string
	expires  time.Time
	retired  bool      // a newer authorization or an uninstall invalidated it
	usedAt   time.Time // first refresh with this token
	succA    *accessToken
	succR    *refreshToken
}

type authCode struct {
	clientID string
	scopes   []string
	online   bool
	expires  time.Time
}

type pendingGrant struct {
	clientID    string
	redirectURI string
	state       string
	scopes      []string
	online      bool
	expires     time.Time
}

// Lifetimes from FACTS §1–3 (authorization-code lifetime is UNCONFIRMED; 10 minutes per
// github.com/uptek/alfred#47).
const (
	codeLifetime        = 10 * time.Minute
	expiringLifetime    = time.Hour
	refreshLifetime     = 90 * 24 * time.Hour
	refreshRetryWindow  = 30 * 24 * time.Hour
	onlineLifetime      = 86399 * time.Second
	clientCredsLifetime = 86399 * time.Second
)

// issueAccess creates an access token; lifetime 0 means non-expiring. Caller holds sh.mu.
func (sh *Shop) issueAccess(clientID string, scopes []string, prefix string, lifetime time.Duration, kind tokenKind) *accessToken {
	if kind == kindOffline {
		// Re-authorizing a non-expiring offline token returns the same token
		// (offline-access-tokens page, FACTS §2).
		for _, t := range sh.tokens {
			if t.clientID == clientID && t.kind == kindOffline && !t.revoked {
				t.scopes = append([]string(nil), scopes...)
				return t
			}
		}
	}
	t := &accessToken{value: prefix + randomHex(16), clientID: clientID, scopes: append([]string(nil), scopes...), kind: kind}
	if lifetime > 0 {
		t.expires = sh.srv.Now().Add(lifetime)
	}
	sh.tokens[t.value] = t
	return t
}

func (sh *Shop) issueRefresh(clientID string, scopes []string) *refreshToken {
	r := &refreshToken{value: "shprt_" + randomHex(16), clientID: clientID,
		scopes: append([]string(nil), scopes...), expires: sh.srv.Now().Add(refreshLifetime)}
	sh.refresh[r.value] = r
	return r
}

// retireRefreshTokens enforces "one refreshable expiring offline token per app and store":
// a new one invalidates older refresh tokens immediately (FACTS §2).
func (sh *Shop) retireRefreshTokens(clientID string) {
	for _, r := range sh.refresh {
		if r.clientID == clientID {
			r.retired = true
		}
	}
}

// validToken returns the token when it may call the API; it marks it used. Caller holds sh.mu.
func (sh *Shop) validToken(value string) *accessToken {
	t := sh.tokens[value]
	if t == nil || t.revoked {
		return nil
	}
	if !t.expires.IsZero() && !sh.srv.Now().Before(t.expires) {
		return nil
	}
	if _, ok := sh.installed[t.clientID]; !ok {
		return nil
	}
	t.used = true
	return t
}

// refreshGrant rotates a refresh token. The previously used refresh token stays retryable, for
// at most 30 days, until its replacement access or refresh token is first used
// (https://shopify.dev/changelog/more-resilient-refreshes-for-expiring-offline-access-tokens).
// A retry returns the same replacement pair (simulator choice: idempotent, so a lost answer
// loses nothing). Caller holds sh.mu.
func (sh *Shop) refreshGrant(clientID, value string) (*accessToken, *refreshToken, bool) {
	r := sh.refresh[value]
	now := sh.srv.Now()
	if r == nil || r.clientID != clientID || r.retired || !now.Before(r.expires) {
		return nil, nil, false
	}
	if _, ok := sh.installed[clientID]; !ok {
		return nil, nil, false
	}
	if !r.usedAt.IsZero() {
		if r.succA.used || !r.succR.usedAt.IsZero() || r.succR.retired || now.Sub(r.usedAt) > refreshRetryWindow {
			return nil, nil, false
		}
		return r.succA, r.succR, true
	}
	r.usedAt = now
	r.succA = sh.issueAccess(clientID, r.scopes, "shpat_", expiringLifetime, kindExpiring)
	r.succR = sh.issueRefresh(clientID, r.scopes)
	return r.succA, r.succR, true
}

// Sign computes Shopify's OAuth callback hmac over params (FACTS §1): drop hmac and signature,
// sort the rest as name=value, join with &, HMAC-SHA256 with the client secret, lowercase hex.
// Values are signed unescaped (as go-shopify verifies them); use URL-safe state values.
func Sign(secret string, params url.Values) string {
	pairs := make([]string, 0, len(params))
	for k, vs := range params {
		if k == "hmac" || k == "signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, k+"="+v)
		}
	}
	sort.Strings(pairs)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.Join(pairs, "&")))
	return hex.EncodeToString(m.Sum(nil))
}

func splitScopes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
