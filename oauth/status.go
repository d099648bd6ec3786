package oauth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// State is one state of a store's token. Each renders a short title and
// the fix to apply ("" when there is nothing to do).
type State interface {
	Title() string
	Fix() string
	// Code is a stable machine name for --json output and tests.
	Code() string
}

// Valid: Shopify accepts the token.
type Valid struct{}

// ExpiringSoon: the token is near its end and being renewed.
type ExpiringSoon struct{ ExpiresAt time.Time }

// RenewalFailed: renewing failed; the current token still works until
// ExpiresAt (zero if unknown).
type RenewalFailed struct {
	ExpiresAt time.Time
	Reason    string
}

// Reconnect: the token was revoked, the app uninstalled, or the refresh
// token expired or was retired; the merchant must connect again.
type Reconnect struct{ Reason string }

// Offline: Shopify could not be reached, so the token could not be checked.
// Nothing is known to be wrong with it.
type Offline struct{ Reason string }

// KeychainLocked: the system keychain did not hand out the store's secrets
// (locked, access denied, or missing on this computer), so the token could
// not be checked. Nothing is known to be wrong with the connection.
type KeychainLocked struct{ Reason string }

// NotSaved: the system keychain is unavailable, so the token is kept for
// this session only.
type NotSaved struct{}

// Title implements State.
func (Valid) Title() string { return "Connected" }

// Fix implements State.
func (Valid) Fix() string { return "" }

// Code implements State.
func (Valid) Code() string { return "valid" }

// Title implements State.
func (s ExpiringSoon) Title() string {
	return "Expiring soon (renewing)"
}

// Fix implements State.
func (ExpiringSoon) Fix() string { return "" }

// Code implements State.
func (ExpiringSoon) Code() string { return "expiring_soon" }

// Title implements State.
func (s RenewalFailed) Title() string {
	t := "Renewal failed"
	if s.Reason != "" {
		t += ": " + s.Reason
	}
	return t
}

// Fix implements State.
func (s RenewalFailed) Fix() string {
	if s.ExpiresAt.IsZero() {
		return "Shelfsync will try again; if this persists, reconnect the store."
	}
	return "Shelfsync will try again before " + s.ExpiresAt.Local().Format("15:04 on Jan 2") + "; if this persists, reconnect the store."
}

// Code implements State.
func (RenewalFailed) Code() string { return "renewal_failed" }

// Title implements State.
func (s Reconnect) Title() string {
	t := "Revoked or uninstalled: reconnect needed"
	if s.Reason != "" {
		t += " (" + s.Reason + ")"
	}
	return t
}

// Fix implements State.
func (Reconnect) Fix() string { return Fix(ErrReconnect) }

// Code implements State.
func (Reconnect) Code() string { return "reconnect" }

// Title implements State.
func (s Offline) Title() string { return "Couldn't verify (offline?)" }

// Fix implements State.
func (Offline) Fix() string { return Fix(ErrOffline) }

// Code implements State.
func (Offline) Code() string { return "offline" }

// Title implements State.
func (KeychainLocked) Title() string {
	return "Not checked: the system keychain is locked or missing"
}

// Fix implements State.
func (KeychainLocked) Fix() string {
	return "Nothing is wrong with the connection itself: " + LockedAdvice(goosForAdvice()) + "."
}

// Code implements State.
func (KeychainLocked) Code() string { return "keychain_locked" }

// Title implements State.
func (NotSaved) Title() string { return "Not saved: the system keychain is unavailable" }

// Fix implements State.
func (NotSaved) Fix() string {
	return "The connection lasts until Shelfsync closes. To keep it, " + KeychainAdvice(goosForAdvice()) + "."
}

// Code implements State.
func (NotSaved) Code() string { return "not_saved" }

// Status is everything the Status tab and "shelfsync status" show about a
// store's token. It holds no secret: Token is masked.
type Status struct {
	State            State
	Kind             TokenKind
	Token            string    // masked, e.g. "shpat_****abcd"
	ExpiresAt        time.Time // zero: does not expire
	RefreshExpiresAt time.Time
	RenewAt          time.Time
	Granted          []string
	Needed           []string
	Missing          []string // needed but not granted
	ShopName         string
	Domain           string
	Plan             string
	LastVerified     time.Time
	Err              error    // the failure behind State, if any
	Warnings         []string // Shopify's API version and deprecation notices (ShopInfo.Warnings)
}

// Fix is what to do, combining the state's fix with missing permissions.
func (s Status) Fix() string {
	f := s.State.Fix()
	for _, w := range s.Warnings {
		f = strings.TrimSpace(f + " " + w + ".")
	}
	if len(s.Missing) > 0 {
		m := fmt.Sprintf("Missing permissions: %s. %s", strings.Join(s.Missing, ", "), Fix(ErrMissingScopes))
		if f == "" {
			return m
		}
		return f + " " + m
	}
	return f
}

// ExpiringSoonWindow: a token whose renewal is due (or within this window of
// its expiry) shows as ExpiringSoon.
const ExpiringSoonWindow = 10 * time.Minute

// Check verifies the store's token against Shopify and reports its status:
// it gets a token (renewing if due), reads the shop and granted scopes, and
// on a 401 renews once and tries again. sessionOnly says the secrets live in
// memory only (no keychain). It records the outcome (MarkVerified).
func (s *Source) Check(ctx context.Context, sessionOnly bool) Status {
	st := Status{Needed: NeededScopes()}
	tok, err := s.AccessToken(ctx)
	var info ShopInfo
	if err == nil {
		info, err = Inspect(ctx, InspectConfig{BaseURL: s.base, Token: tok, HTTPClient: s.c.HTTPClient})
		var te *TokenError
		if errors.As(err, &te) && te.Status == 401 && s.Renew(ctx, tok) == nil {
			if tok, err = s.AccessToken(ctx); err == nil {
				info, err = Inspect(ctx, InspectConfig{BaseURL: s.base, Token: tok, HTTPClient: s.c.HTTPClient})
			}
		}
	}
	if err == nil {
		_ = s.MarkVerified(ctx) // a failed save only loses "last verified"
	}
	// The outcome is reported even when ctx just ended, but never waits long.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	snap, _ := s.Snapshot(sctx)
	st.Kind, st.ExpiresAt, st.RefreshExpiresAt = snap.Meta.Kind, snap.Meta.ExpiresAt, snap.Meta.RefreshExpiresAt
	st.RenewAt, st.LastVerified, st.Granted = snap.RenewAt, snap.Meta.LastVerified, snap.Meta.Scopes
	if tok != "" {
		st.Token = MaskToken(tok)
	}
	st.ShopName, st.Domain, st.Plan = info.Name, info.Domain, info.Plan
	st.Warnings = info.Warnings
	if info.Scopes != nil {
		st.Granted = info.Scopes
	}
	st.Missing = MissingScopes(st.Granted, st.Needed)
	st.Err = err
	st.State = stateFor(err, snap, s.c.Now(), sessionOnly)
	return st
}

// stateFor picks the State for a check's outcome.
func stateFor(err error, snap Snapshot, now time.Time, sessionOnly bool) State {
	switch {
	case KeychainError(err):
		return KeychainLocked{Reason: reasonOf(err)}
	case errors.Is(err, ErrReconnect):
		return Reconnect{Reason: reasonOf(err)}
	case errors.Is(err, ErrOffline), errors.Is(err, ErrTemporary), errors.Is(err, context.DeadlineExceeded):
		return Offline{Reason: reasonOf(err)}
	case err != nil && !errors.Is(err, ErrMissingScopes):
		return RenewalFailed{ExpiresAt: snap.Meta.ExpiresAt, Reason: reasonOf(err)}
	case sessionOnly:
		return NotSaved{}
	case KeychainError(snap.LastError):
		return KeychainLocked{Reason: reasonOf(snap.LastError)}
	case errors.Is(snap.LastError, ErrReconnect):
		return Reconnect{Reason: reasonOf(snap.LastError)}
	case snap.LastError != nil:
		return RenewalFailed{ExpiresAt: snap.Meta.ExpiresAt, Reason: reasonOf(snap.LastError)}
	case !snap.Meta.ExpiresAt.IsZero() && (!now.Before(snap.RenewAt) || snap.Meta.ExpiresAt.Sub(now) < ExpiringSoonWindow):
		return ExpiringSoon{ExpiresAt: snap.Meta.ExpiresAt}
	}
	return Valid{}
}

// KeychainError tells whether err is the local keychain's failure (locked,
// refused, missing, too slow) rather than anything Shopify said: such an
// error must never mark a store "reconnect" or send a "revoked" alert.
func KeychainError(err error) bool {
	return err != nil && (errors.Is(err, ErrLocked) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrTimeout))
}

// reasonOf is a short reason for a title: a TokenError's description or
// the error's text.
func reasonOf(err error) string {
	var te *TokenError
	if errors.As(err, &te) && te.Description != "" {
		return te.Description
	}
	return oneLine(err.Error(), 160)
}

// SecondComputerWarning is shown before connecting with an expiring token
// (FACTS §2): Shopify keeps one refreshable token per app and store.
const SecondComputerWarning = "Connecting this store here retires the refresh token of any other computer " +
	"where Shelfsync is connected to it with the same app: that computer keeps working until its current " +
	"access token expires (about an hour), then needs to reconnect. To use Shelfsync on several computers, " +
	"connect each with its own app or use a pasted or client-credentials token."
