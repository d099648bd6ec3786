package oauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
)

// Classes of failure, for errors.Is. They follow gh auth status and rclone:
// a refused credential means reconnecting; a network problem means the token
// could not be checked, never that it is invalid.
var (
	// ErrReconnect means Shopify no longer accepts the credentials: the token
	// was revoked, the app was uninstalled, or the refresh token expired or
	// was retired (invalid_grant, 401). The merchant must connect again.
	ErrReconnect = errors.New("reconnect needed")
	// ErrOffline means Shopify could not be reached, so nothing is known
	// about the token.
	ErrOffline = errors.New("couldn't reach Shopify (offline?)")
	// ErrTemporary means Shopify answered with a temporary failure (429 or
	// 5xx); try again later.
	ErrTemporary = errors.New("the shop is temporarily unavailable")
	// ErrRejected means Shopify refused a request for another reason, for
	// example an authorization code that was already used.
	ErrRejected = errors.New("the request was refused by Shopify")
	// ErrNotPermitted means Shopify refused the client credentials grant
	// for this shop (shop_not_permitted): it is only "available for apps
	// developed by your own organization and installed in stores that you
	// own" (FACTS §3, shopify.dev client-credentials-grant page). Connecting
	// again with the same app cannot help.
	ErrNotPermitted = errors.New("this app is not from the store's organisation, so it cannot use client credentials here")
)

// TokenError describes a failed call to Shopify's OAuth endpoints. Its
// message never contains a secret: Shopify's description is redacted of
// every secret sent with the request.
type TokenError struct {
	Op          string // "code exchange", "refresh", "client credentials", "inspect"
	Status      int    // HTTP status, 0 for network errors
	Code        string // OAuth error code such as "invalid_grant", if any
	Description string // Shopify's description, redacted and shortened
	Class       error  // ErrReconnect, ErrOffline, ErrTemporary or ErrRejected
}

// Error implements error.
func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.Class.Error())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(", " + e.Code)
		}
		b.WriteString(")")
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	return b.String()
}

// Unwrap returns the class, so errors.Is(err, ErrReconnect) works.
func (e *TokenError) Unwrap() error { return e.Class }

// networkError classifies a transport failure. When the caller's own
// context ended (Cancel button, deadline) that is returned as is; anything
// else means Shopify could not be reached. The transport's text is cut to
// its tail ("connection refused"); URLs here never hold a secret anyway.
func networkError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &TokenError{Op: op, Class: ErrOffline, Description: oneLine(describeNetErr(err), 160)}
}

// describeNetErr keeps the useful tail of a transport error ("connection
// refused", "i/o timeout") and drops the request line.
func describeNetErr(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// classifyStatus maps an HTTP answer from an OAuth endpoint to a class.
// credentialGrant is true for refresh and client credentials, where a 400
// means the stored credentials are no longer good.
func classifyStatus(status int, code string, credentialGrant bool) error {
	switch {
	case code == "shop_not_permitted":
		return ErrNotPermitted
	case status == 429 || status >= 500:
		return ErrTemporary
	case status == 401, status == 403, status == 402, status == 404, status == 423:
		return ErrReconnect
	case code == "invalid_grant" || code == "invalid_client" || code == "unauthorized_client" || code == "invalid_token":
		return ErrReconnect
	case status == 400 && credentialGrant:
		return ErrReconnect
	}
	return ErrRejected
}

// redact replaces every non-empty secret in s and shortens it to one line.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return oneLine(s, 200)
}

// Fix returns what a person should do about err, in one sentence, or "".
func Fix(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotPermitted):
		return "Use client credentials only with an app created in the Dev Dashboard of the organisation that owns this store " +
			"and installed on it; otherwise connect with Sign in with Shopify (--oauth) or an Admin API token (--token)."
	case errors.Is(err, ErrReconnect):
		return "Connect the store again (Reconnect); if the app was uninstalled, install it again first."
	case errors.Is(err, ErrOffline):
		return "Check the internet connection, then try again."
	case errors.Is(err, ErrTemporary):
		return "Wait a few minutes and try again."
	case errors.Is(err, ErrUnavailable):
		return KeychainAdvice(runtime.GOOS)
	case errors.Is(err, ErrLocked):
		return LockedAdvice(runtime.GOOS)
	case errors.Is(err, ErrTimeout):
		return "Unlock the system keychain, then try again."
	case errors.Is(err, ErrMissingScopes):
		return "Reconnect and approve all requested permissions, or add them to the app's configuration."
	}
	return ""
}
