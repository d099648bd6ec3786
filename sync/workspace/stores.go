package workspace

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/state"
)

// ConnectToken verifies a pasted Admin API token against the store (shop
// name, plan, granted scopes) and saves it. It is never judged by prefix.
func (w *Workspace) ConnectToken(ctx context.Context, req TokenRequest) (StoreSummary, error) {
	shop, base, err := resolve(req.Shop, req.BaseURL)
	if err != nil {
		return StoreSummary{}, err
	}
	if req.Token == "" {
		return StoreSummary{}, errors.New("no access token given: paste the Admin API access token of the store's app")
	}
	info, err := oauth.Verify(ctx, shop, oauth.InspectConfig{BaseURL: base, Token: req.Token, HTTPClient: w.http})
	if err != nil {
		return StoreSummary{}, err
	}
	tok := &oauth.Token{Kind: oauth.KindStatic, Shop: shop, AccessToken: req.Token, IssuedAt: w.now(), Scopes: info.Scopes}
	return w.save(ctx, connection{shop: shop, baseURL: req.BaseURL, name: req.Name, group: req.Group, info: info, token: tok})
}

// ConnectOAuth runs the authorization-code grant through the loopback
// listener and saves the token it gets.
func (w *Workspace) ConnectOAuth(ctx context.Context, req OAuthRequest) (StoreSummary, error) {
	shop, base, err := resolve(req.Shop, req.BaseURL)
	if err != nil {
		return StoreSummary{}, err
	}
	tok, err := oauth.Authorize(ctx, oauth.FlowConfig{
		Shop: shop, ClientID: req.ClientID, ClientSecret: req.ClientSecret, Port: req.Port,
		NonExpiring: req.NonExpiring, ShopBaseURL: req.BaseURL,
		OpenBrowser: req.OpenBrowser, Ready: req.Ready, HTTPClient: w.http, Now: w.now,
		RedirectHost: req.RedirectHost, Paste: req.Paste,
	})
	if errors.Is(err, oauth.ErrMissingScopes) && tok != nil {
		// Keep it: the new authorization has already retired the store's
		// previous refresh token (FACTS §2), so dropping this token would
		// lose the connection. The store then shows "Missing permissions:
		// <scopes>" until it is reconnected with them.
		err = nil
	}
	if err != nil {
		return StoreSummary{}, err
	}
	return w.saveGranted(ctx, base, tok, connection{shop: shop, baseURL: req.BaseURL, name: req.Name, group: req.Group,
		clientID: req.ClientID, clientSecret: req.ClientSecret})
}

// ConnectClientCredentials gets a 24-hour token with the client-credentials
// grant and saves the client secret so Shelfsync can renew it.
func (w *Workspace) ConnectClientCredentials(ctx context.Context, req ClientCredentialsRequest) (StoreSummary, error) {
	shop, base, err := resolve(req.Shop, req.BaseURL)
	if err != nil {
		return StoreSummary{}, err
	}
	tok, err := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: shop, BaseURL: req.BaseURL, ClientID: req.ClientID, ClientSecret: req.ClientSecret,
		HTTPClient: w.http, Now: w.now,
	})
	if err != nil {
		return StoreSummary{}, err
	}
	return w.saveGranted(ctx, base, tok, connection{shop: shop, baseURL: req.BaseURL, name: req.Name, group: req.Group,
		clientID: req.ClientID, clientSecret: req.ClientSecret})
}

// saveGranted reads the shop's name, plan and granted scopes with a token
// Shopify just granted, then saves the store.
func (w *Workspace) saveGranted(ctx context.Context, base string, tok *oauth.Token, c connection) (StoreSummary, error) {
	info, err := oauth.Inspect(ctx, oauth.InspectConfig{BaseURL: base, Token: tok.AccessToken, HTTPClient: w.http})
	if err != nil {
		return StoreSummary{}, err
	}
	c.info, c.token = info, tok
	return w.save(ctx, c)
}

func resolve(shopInput, baseURL string) (shop, base string, err error) {
	shop, err = oauth.NormalizeShop(shopInput)
	if err != nil {
		return "", "", err
	}
	base, err = oauth.ResolveBaseURL(shop, baseURL)
	return shop, base, err
}

type connection struct {
	shop, baseURL, name, group string
	info                       oauth.ShopInfo
	token                      *oauth.Token
	clientID, clientSecret     string
}

// save creates the store record (or updates it when the shop is already
// connected: reconnecting keeps its history) and its secrets. A new record is
// removed again if its secrets cannot be saved, so nothing is half there.
func (w *Workspace) save(ctx context.Context, c connection) (StoreSummary, error) {
	name := c.name
	if name == "" {
		name = c.info.Name
	}
	if name == "" {
		name = c.shop
	}
	now := w.now()
	rec := state.Store{
		Name: name, ShopDomain: c.shop, BaseURL: c.baseURL, TokenKind: kindToState[c.token.Kind],
		ClientID: c.clientID, Scopes: c.token.Scopes, AccessIssuedAt: c.token.IssuedAt,
		AccessExpiresAt: c.token.ExpiresAt, RefreshExpiresAt: c.token.RefreshExpiresAt,
		ShopName: c.info.Name, Plan: c.info.Plan, Group: c.group, LastVerifiedAt: now,
		Status: state.Status{Code: "valid", Message: "Connected"},
	}
	existing, err := w.db.FindStore(ctx, c.shop)
	if err == nil && existing.ShopDomain == c.shop {
		// Reconnecting: secrets first, then the record, so a keychain
		// failure never leaves a record describing a token it does not hold.
		rec.ID, rec.CreatedAt = existing.ID, existing.CreatedAt
		if c.name == "" {
			rec.Name = existing.Name
		}
		if c.group == "" {
			rec.Group = existing.Group
		}
		w.forget(rec.ID)
		src, err := w.source(rec)
		if err == nil {
			err = src.Save(ctx, c.token, c.clientID, c.clientSecret)
		}
		if err != nil {
			return StoreSummary{}, fmt.Errorf("save the store's token: %w", err)
		}
		if err := w.db.UpdateStore(ctx, rec); err != nil {
			return StoreSummary{}, err
		}
	} else {
		// A new store: the record first (the secrets are filed under its
		// ID), removed again if its secrets cannot be saved.
		rec, err = w.db.CreateStore(ctx, rec)
		if err != nil {
			return StoreSummary{}, err
		}
		src, err := w.source(rec)
		if err == nil {
			err = src.Save(ctx, c.token, c.clientID, c.clientSecret)
		}
		if err != nil {
			_ = w.db.DeleteStore(context.WithoutCancel(ctx), rec.ID)
			w.forget(rec.ID)
			return StoreSummary{}, fmt.Errorf("save the store's token: %w", err)
		}
	}
	if w.notSaved(rec) {
		_ = w.db.SetStatus(ctx, rec.ID, state.Status{Code: "not_saved", Message: oauth.NotSaved{}.Title()})
	}
	return w.summary(ctx, rec.ID)
}

// notSaved tells whether a store's secrets are kept for this session only
// because there is no keychain. The demo store lives only as long as the
// app anyway, so it is never flagged.
func (w *Workspace) notSaved(rec state.Store) bool {
	return w.SessionOnly() && rec.ShopDomain != DemoShopDomain
}

// Disconnect removes a store's secrets from the keychain and its record.
// Run history goes with the record; reports on disk stay.
func (w *Workspace) Disconnect(ctx context.Context, storeID string) error {
	s, err := w.db.GetStore(ctx, storeID)
	if err != nil {
		return err
	}
	// Through the token source: it holds the renewal lock, so a renewal in
	// flight in another process cannot save its token after the delete.
	src, err := w.source(s)
	if err == nil {
		err = src.Forget(ctx)
	} else {
		err = oauth.DeleteStore(ctx, w.secrets, s.ID)
	}
	if err != nil {
		msg := "couldn't remove the store's secrets from the keychain, so it stays connected"
		if fix := oauth.Fix(err); fix != "" {
			msg += " (" + strings.TrimSuffix(fix, ".") + ")"
		}
		return fmt.Errorf("%s: %w", msg, err)
	}
	if err := w.ClearAlerts(ctx, s.ID); err != nil {
		return err
	}
	w.forget(s.ID)
	return w.db.DeleteStore(ctx, s.ID)
}

// Find resolves what a user typed (a name, a shop domain or an ID prefix).
func (w *Workspace) Find(ctx context.Context, ref string) (state.Store, error) {
	if shop, err := oauth.NormalizeShop(ref); err == nil {
		if s, err := w.db.FindStore(ctx, shop); err == nil {
			return s, nil
		}
	}
	s, err := w.db.FindStore(ctx, ref)
	if errors.Is(err, state.ErrNotFound) {
		return s, fmt.Errorf("no store matches %q: see 'shelfsync stores'", ref)
	}
	return s, err
}

// TokenStatus reports a store's access. With check, it asks Shopify now
// (renewing the token if due); otherwise it shows what was last seen.
func (w *Workspace) TokenStatus(ctx context.Context, storeID string, check bool) (TokenStatus, error) {
	rec, src, err := w.storeSource(ctx, storeID)
	if err != nil {
		return TokenStatus{}, err
	}
	var notices []string // Shopify's API version and deprecation notices, seen by this check
	if check {
		st := src.Check(ctx, w.notSaved(rec))
		notices = st.Warnings
		code := st.State.Code()
		msg := st.State.Title()
		if st.ShopName != "" {
			if err := w.db.SetVerified(ctx, rec.ID, w.now(), st.ShopName, st.Plan, state.Status{Code: code, Message: msg}); err != nil {
				return TokenStatus{}, err
			}
		} else if err := w.db.SetStatus(ctx, rec.ID, state.Status{Code: code, Message: msg}); err != nil {
			return TokenStatus{}, err
		}
		if rec, err = w.db.GetStore(ctx, storeID); err != nil {
			return TokenStatus{}, err
		}
	}
	ts := TokenStatus{
		StoreID: rec.ID, Shop: rec.ShopDomain, ShopName: rec.ShopName, Plan: rec.Plan,
		KindLabel: kindFromState(rec.TokenKind).Label(), ExpiresAt: rec.AccessExpiresAt,
		RefreshExpiresAt: rec.RefreshExpiresAt, LastVerified: rec.LastVerifiedAt,
		Granted: rec.Scopes, Needed: oauth.NeededScopes(), Missing: oauth.MissingScopes(rec.Scopes, oauth.NeededScopes()),
		NotSaved:  w.notSaved(rec),
		Renews:    rec.TokenKind == state.TokenOAuthExpiring || rec.TokenKind == state.TokenClientCredentials,
		CanSwitch: rec.TokenKind == state.TokenOAuthOffline && rec.ClientID != "",
	}
	switch tok, err := w.secrets.Get(ctx, rec.ID, oauth.SecretAccess); {
	case err == nil:
		ts.MaskedToken = oauth.MaskToken(tok)
	case oauth.KeychainError(err):
		ts.MaskedToken = "(keychain locked or missing)"
	default:
		ts.MaskedToken = "(none saved)"
	}
	ts.Health, ts.Title, ts.Fix = judge(rec, oauth.RequiredMissing(ts.Missing), w.now())
	if ts.CanSwitch && ts.Fix == "" {
		ts.Fix = "Shopify stops accepting non-expiring tokens of public apps on 1 January 2027: " +
			"switch this store to an expiring token, which Shelfsync renews by itself."
	}
	for _, n := range notices {
		ts.Fix = strings.TrimSpace(ts.Fix + " " + n + ".")
	}
	if ts.NotSaved {
		ts.Fix = oauth.NotSaved{}.Fix()
	}
	return ts, nil
}

// SwitchToExpiring turns a store's non-expiring OAuth token into an expiring
// one with a refresh token, which Shelfsync renews by itself. Shopify does it
// once per store and revokes the old token, so another computer that uses
// the same app's old token must reconnect. Public apps must switch by
// 2027-01-01 (FACTS §2).
func (w *Workspace) SwitchToExpiring(ctx context.Context, storeID string) (TokenStatus, error) {
	_, src, err := w.storeSource(ctx, storeID)
	if err != nil {
		return TokenStatus{}, err
	}
	if err := src.MigrateToExpiring(ctx); err != nil {
		return TokenStatus{}, err
	}
	return w.TokenStatus(ctx, storeID, true)
}

// Stores lists every store with its health and last run, for the store list,
// the dashboard and 'shelfsync stores'.
func (w *Workspace) Stores(ctx context.Context) ([]StoreSummary, error) {
	recs, err := w.db.ListStores(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]StoreSummary, 0, len(recs))
	for _, r := range recs {
		s, err := w.summaryOf(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (w *Workspace) summary(ctx context.Context, id string) (StoreSummary, error) {
	r, err := w.db.GetStore(ctx, id)
	if err != nil {
		return StoreSummary{}, err
	}
	return w.summaryOf(ctx, r)
}

func (w *Workspace) summaryOf(ctx context.Context, r state.Store) (StoreSummary, error) {
	s := StoreSummary{
		ID: r.ID, Name: r.Name, Shop: r.ShopDomain, Group: r.Group, Demo: r.ShopDomain == DemoShopDomain,
		KindLabel: kindFromState(r.TokenKind).Label(), ExpiresAt: r.AccessExpiresAt,
	}
	missing := oauth.RequiredMissing(oauth.MissingScopes(r.Scopes, oauth.NeededScopes()))
	s.Health, s.HealthText, _ = judge(r, missing, w.now())
	conn := r
	conn.NeedsAttention = false // a run that stopped is told with the run
	_, s.ConnectionText, _ = judge(conn, missing, w.now())
	if s.ConnectionText == "Connected" && (r.TokenKind == state.TokenOAuthExpiring || r.TokenKind == state.TokenClientCredentials) {
		s.ConnectionText = "Connected · token renews itself"
	}
	runs, err := w.db.ListRuns(ctx, r.ID, 10)
	if err != nil {
		return s, err
	}
	for _, run := range runs {
		s.Recent = append(s.Recent, runSummary(run, r.Name))
	}
	if len(s.Recent) > 0 {
		s.Recent[0] = w.interrupted(s.Recent[0])
		last := s.Recent[0]
		s.LastRun = &last
		switch last.State {
		case string(state.RunFinished):
			if n := last.Errors + last.Conflicts; n > 0 && (s.Health == HealthHealthy || s.Health == HealthUnknown) {
				s.Health, s.HealthText = HealthRowErrors, "Last run finished with "+plural(n, "row error")
			}
		case string(state.RunRunning):
			s.Health, s.HealthText = HealthSyncing, "Syncing now"
		case StateInterrupted:
			// A run cut off by a crash, until someone finishes it. A token
			// problem says more (resuming needs the token), so it stays.
			if s.Health != HealthAttention && s.Health != HealthOffline {
				s.Health, s.HealthText = HealthAttention, "A run was interrupted: resume it in History"
			}
		}
	}
	scheds, err := w.db.ListSchedules(ctx, r.ID)
	if err != nil {
		return s, err
	}
	for _, sc := range scheds {
		if sc.Enabled && !sc.Paused && !sc.NextRunAt.IsZero() && (s.NextRun.IsZero() || sc.NextRunAt.Before(s.NextRun)) {
			s.NextRun = sc.NextRunAt
		}
	}
	return s, nil
}

// judge turns what is known about a store into a health, a title and a fix.
func judge(r state.Store, missingScopes []string, now time.Time) (Health, string, string) {
	switch r.Status.Code {
	case "keychain_locked":
		// The local keychain, not the connection: like offline, a person
		// may look, but nothing says the token is bad.
		return HealthOffline, oauth.KeychainLocked{}.Title(), oauth.KeychainLocked{}.Fix()
	case "reconnect":
		return HealthAttention, "Reconnect needed", oauth.Reconnect{}.Fix()
	case "renewal_failed":
		return HealthAttention, "Renewal failed", r.Status.Message
	case "offline":
		return HealthOffline, "Couldn't verify (offline?)", oauth.Offline{}.Fix()
	case "not_saved":
		return HealthExpiring, oauth.NotSaved{}.Title(), oauth.NotSaved{}.Fix()
	}
	if r.NeedsAttention {
		return HealthAttention, "A run failed: open History", "Open the store's History tab to see what went wrong."
	}
	if len(missingScopes) > 0 {
		return HealthAttention, "Missing permissions: " + strings.Join(missingScopes, ", "), "Reconnect the store and approve every permission Shelfsync asks for."
	}
	renews := r.TokenKind == state.TokenOAuthExpiring || r.TokenKind == state.TokenClientCredentials
	switch {
	case !r.AccessExpiresAt.IsZero() && !renews && r.AccessExpiresAt.Sub(now) < 24*time.Hour:
		return HealthExpiring, "Token expires soon", "Reconnect the store before the token runs out."
	case !r.RefreshExpiresAt.IsZero() && r.RefreshExpiresAt.Sub(now) < 7*24*time.Hour:
		return HealthExpiring, "Sign-in expires soon", "Reconnect with 'Sign in with Shopify' to start a new 90-day period."
	case r.LastVerifiedAt.IsZero():
		return HealthUnknown, "Not checked yet", "Press Check now."
	case !r.AccessExpiresAt.IsZero() && r.AccessExpiresAt.Sub(now) < 10*time.Minute:
		return HealthHealthy, "Expiring soon (renewing)", ""
	}
	return HealthHealthy, "Connected", ""
}

func runSummary(r state.Run, storeName string) RunSummary {
	return RunSummary{
		ID: r.ID, StoreID: r.StoreID, StoreName: storeName, Kind: string(r.Kind), Trigger: string(r.Trigger),
		Source: r.Source, State: string(r.State), Started: r.CreatedAt, Finished: r.FinishedAt,
		Created: r.Counts.Created, Updated: r.Counts.Updated, Unchanged: r.Counts.Unchanged,
		Errors: r.Counts.Errors, Conflicts: r.Counts.Conflicts, Message: r.Summary,
		ReportPath: r.ReportPath, UndoOf: r.UndoOf,
	}
}

// plural writes "1 row error", "3 row errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
