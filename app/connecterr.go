package app

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
)

// The three ways to connect, in the README's order.
const (
	wayOAuth = "Sign in with Shopify"
	wayCC    = "Client credentials"
	wayToken = "Admin API token"
)

// trouble is a failed connection in a merchant's words: which part failed,
// and the next step.
type trouble struct {
	what, next string
}

// connectTrouble turns a connection error into a trouble. online says
// whether the internet answered when Shopify did not (only asked for
// network failures).
func connectTrouble(way, shop string, err error, online bool) trouble {
	var te *oauth.TokenError
	isToken := errors.As(err, &te)
	switch {
	case errors.Is(err, oauth.ErrOffline) && !online:
		return trouble{"No internet: Shelfsync could not reach Shopify.",
			"Check this computer's connection (Wi-Fi, cable, VPN or proxy), then press Connect again."}
	case errors.Is(err, oauth.ErrOffline) && strings.Contains(err.Error(), "no such host"),
		isToken && (te.Status == 404 || te.Status == 402 || te.Status == 423):
		return trouble{"This shop does not exist: Shopify has no open store at " + shop + ".",
			"Check the shop's address: your store admin shows it under Settings → Domains (the name before .myshopify.com)."}
	case errors.Is(err, oauth.ErrOffline):
		return trouble{"Shopify did not answer (" + lastPart(err) + ").",
			"Check the connection and press Connect again in a minute."}
	case errors.Is(err, oauth.ErrTemporary):
		return trouble{"Shopify is having trouble right now.", "Wait a few minutes, then press Connect again."}
	case errors.Is(err, oauth.ErrUnavailable), errors.Is(err, oauth.ErrTimeout), errors.Is(err, oauth.ErrLocked):
		return trouble{"The system keychain is locked or missing, so Shelfsync cannot keep the store's key.",
			capitalise(oauth.Fix(err)) + "."}
	case errors.Is(err, oauth.ErrRedirectRefused):
		return trouble{"Shopify refused the sign-in before showing it: " + lastPart(err) + ".",
			"In the Dev Dashboard, set the redirect URL and the App URL exactly as shown below, turn embedding off, " +
				"release a new version, then press Connect again."}
	case errors.Is(err, oauth.ErrBadHMAC):
		return trouble{"The client secret does not belong to this app.",
			"Copy the client secret again from the Dev Dashboard (your app → Settings), then press Connect."}
	case errors.Is(err, oauth.ErrWrongShop):
		return trouble{"You approved Shelfsync on a different store than " + shop + ".",
			"Press Connect and approve it on " + shop + " (check which store your browser is signed in to)."}
	case errors.Is(err, oauth.ErrForgedCallback):
		return trouble{"Shelfsync did not trust the answer it got: " + lastPart(err) + ".", "Press Connect to start again."}
	case errors.Is(err, oauth.ErrDenied):
		return trouble{"The app was not installed: the sign-in was declined on Shopify's page.", "Press Connect to try again."}
	case errors.Is(err, oauth.ErrFlowTimeout):
		return trouble{"The sign-in was cancelled or no answer came from Shopify.",
			"Press Connect to start again. If your browser ends on a page that is not Shelfsync's, paste its address below."}
	case errors.Is(err, oauth.ErrPortBusy):
		return trouble{"Another program is using the sign-in port.",
			"Close it, or choose another port and register its redirect URL and App URL in the Dev Dashboard."}
	case errors.Is(err, oauth.ErrMissingScopes):
		return trouble{"The store granted fewer permissions than Shelfsync needs (" + lastPart(err) + ").",
			"Add the missing scopes to the app's version in the Dev Dashboard, release it, then press Connect again."}
	case errors.Is(err, oauth.ErrReconnect) && way == wayToken:
		return trouble{"This token was refused: Shopify does not accept it for " + shop + ".",
			"Copy the Admin API access token again (store admin → Settings → Apps → Develop apps → your app → API credentials)."}
	case way == wayCC && strings.Contains(err.Error(), "shop_not_permitted"):
		return trouble{"Shopify does not allow client credentials on this store.",
			"They work only for an app of the store's own organisation that is installed on it; otherwise use Sign in with Shopify."}
	case errors.Is(err, oauth.ErrReconnect) && way != wayToken:
		return trouble{"This client ID and secret were refused.",
			"Copy both again from the Dev Dashboard (your app → Settings) and check the app is installed on " + shop + "."}
	case errors.Is(err, oauth.ErrRejected) && strings.Contains(err.Error(), "belongs to"):
		return trouble{"This token belongs to another store (" + lastPart(err) + ").", "Check the shop's address or the token."}
	}
	next := oauth.Fix(err)
	if next == "" {
		next = "Check the details above and press Connect again."
	}
	return trouble{"Could not connect: " + err.Error() + ".", next}
}

// lastPart is the end of an error's message ("…: no such host").
func lastPart(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return strings.TrimSuffix(msg, ".")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// internetUp asks DNS for Shopify's own name: when that fails too, the
// computer is offline; when it works, the shop's own address was wrong.
func internetUp(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, err := net.DefaultResolver.LookupHost(ctx, "shopify.com")
	return err == nil
}

// tokenFormProblem checks a pasted Admin API token's form before it is
// sent. Shopify's prefixes (changelog 2020-04-01: shpat_ public and
// admin-created apps, shpca_ custom apps, shppa_ legacy private apps) tell
// the common mistakes apart: a client secret (shpss_) or a refresh token
// (shprt_) pasted instead. "" means it looks like a token.
func tokenFormProblem(tok string) string {
	tok = strings.TrimSpace(tok)
	switch {
	case tok == "":
		return "Paste the store's Admin API access token."
	case strings.ContainsAny(tok, " \t\n"):
		return "The token has a space in it: copy it again in one piece."
	case strings.HasPrefix(tok, "shpss_"):
		return "That is the app's client secret (shpss_…), not its access token: use \"Reveal token once\" on the app's API credentials page."
	case strings.HasPrefix(tok, "shprt_"):
		return "That is a refresh token (shprt_…), not an Admin API access token."
	case strings.HasPrefix(tok, "http"):
		return "That is an address, not a token: paste the Admin API access token (shpat_… or shpca_…)."
	}
	for _, p := range []string{"shpat_", "shpca_", "shppa_"} {
		if strings.HasPrefix(tok, p) {
			if len(tok) < len(p)+16 {
				return "The token looks cut short: copy all of it (shpat_ and 32 more characters)."
			}
			return ""
		}
	}
	return "An Admin API access token starts with shpat_ or shpca_: copy it from the app's API credentials page."
}
