package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// ErrNotConnected means the store has no saved token; it matches
// ErrReconnect.
var ErrNotConnected error = &wrapped{"the store is not connected (no saved token)", ErrReconnect}

// Defaults for SourceConfig.
const (
	// DefaultRenewFraction renews a token once this share of its lifetime
	// has passed: at 48 minutes for a 1-hour token and at about 19 hours
	// for a 24-hour client-credentials token.
	DefaultRenewFraction = 0.8
	// DefaultRetries is how many times a renewal is retried after a network
	// or temporary failure.
	DefaultRetries = 2
	// DefaultBackoff is the first wait between retries; it doubles.
	DefaultBackoff = 500 * time.Millisecond
)

// SourceConfig describes the token source of one store.
type SourceConfig struct {
	StoreID       string       // the store's UUID: keychain entries and metadata
	Shop          string       // "name.myshopify.com"
	BaseURL       string       // optional loopback override for the simulator
	Secrets       SecretStore  // required
	Meta          MetaStore    // required
	HTTPClient    *http.Client // optional
	Now           func() time.Time
	Registry      *Registry     // nil: the process-wide registry
	RenewFraction float64       // 0: DefaultRenewFraction
	Retries       int           // <0: none; 0: DefaultRetries
	Backoff       time.Duration // 0: DefaultBackoff

	// RenewLock, if set, is held around every renewal. The Registry
	// serialises renewals within one process; RenewLock does it across
	// processes (the window and a `shelfsync` run from cron), so two of them
	// never both rotate the same refresh token. The caller supplies it (a
	// file lock) so that this package stays free of the sync engine.
	RenewLock func(ctx context.Context) (release func(), err error)
}

// Source hands out a valid access token for one store and renews it. It
// satisfies sync/shopify's TokenSource and Renewer structurally. All its
// methods are safe for concurrent use; renewals of a store are serialised
// through its Registry.
//
// Rotation is crash-safe: the new refresh token is saved before the new
// access token is used, and the new access token and its metadata after, so
// whatever the store and keychain hold after a crash can still renew
// (Shopify keeps the previous refresh token retryable until its replacement
// is used, FACTS §2). If the new refresh token cannot be saved, the new
// access token is not used at all.
type Source struct {
	c    SourceConfig
	base string
	e    *storeEntry
}

// NewSource returns the token source of a store. It does not touch the
// keychain until the first call.
func NewSource(c SourceConfig) (*Source, error) {
	if c.StoreID == "" || c.Secrets == nil || c.Meta == nil {
		return nil, errors.New("token source: store ID, secret store and metadata store are required")
	}
	base, err := ResolveBaseURL(c.Shop, c.BaseURL)
	if err != nil {
		return nil, err
	}
	if c.RenewFraction <= 0 || c.RenewFraction >= 1 {
		c.RenewFraction = DefaultRenewFraction
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	c.Now = clock(c.Now)
	reg := c.Registry
	if reg == nil {
		reg = processRegistry
	}
	return &Source{c: c, base: base, e: reg.entry(c.StoreID)}, nil
}

// AccessToken returns a token that is valid now, renewing it first when it
// is near its end. If a renewal fails while the current token is still
// valid, the current token is returned and the failure shows in Snapshot.
func (s *Source) AccessToken(ctx context.Context) (string, error) {
	if err := s.e.acquire(ctx); err != nil {
		return "", err
	}
	defer s.e.release()
	if err := s.load(ctx); err != nil {
		return "", err
	}
	if !s.due() {
		return s.e.access, nil
	}
	err := s.renew(ctx)
	if err == nil {
		return s.e.access, nil
	}
	if s.e.access != "" && s.stillValid() && ctx.Err() == nil {
		return s.e.access, nil
	}
	return "", err
}

// Renew is called once after Shopify answered 401 to rejected. If another
// caller already replaced that token it returns at once; otherwise it renews
// an expiring or client-credentials token, and reports ErrReconnect for a
// pasted or non-expiring one, which cannot be renewed.
func (s *Source) Renew(ctx context.Context, rejected string) error {
	if err := s.e.acquire(ctx); err != nil {
		return err
	}
	defer s.e.release()
	if err := s.load(ctx); err != nil {
		return err
	}
	if s.e.access != "" && s.e.access != rejected {
		return nil
	}
	// Another process may have renewed and saved a newer token.
	if s.reloadNewer(ctx, rejected) {
		return nil
	}
	switch s.e.meta.Kind {
	case KindExpiring, KindClientCredentials:
		return s.renew(ctx)
	case KindOffline:
		// A switch to an expiring token that crashed after saving the new
		// refresh token but before its metadata: finish it by renewing.
		if rt, err := s.c.Secrets.Get(ctx, s.c.StoreID, SecretRefresh); err == nil && rt != "" {
			s.e.meta.Kind = KindExpiring
			return s.renew(ctx)
		}
	}
	err := &TokenError{Op: "token", Status: http.StatusUnauthorized, Class: ErrReconnect,
		Description: "Shopify no longer accepts the token: it was revoked or the app was uninstalled"}
	s.fail(err)
	return err
}

// Save stores a new connection: the client secret (if any), the refresh
// token (if any), then the access token, then the metadata, and makes it
// current for every Source of the store. clientID and clientSecret are
// those used to obtain t (empty for a pasted token).
func (s *Source) Save(ctx context.Context, t *Token, clientID, clientSecret string) error {
	if t == nil || t.AccessToken == "" {
		return errors.New("save token: no access token")
	}
	if err := s.e.acquire(ctx); err != nil {
		return err
	}
	defer s.e.release()
	// The renewal lock: a renewal in another process must not save its
	// rotated refresh token over this new connection's (finding 11).
	release, err := s.lockRenewals(ctx)
	if err != nil {
		return err
	}
	defer release()
	sec := s.c.Secrets
	if clientSecret != "" {
		if err := sec.Set(ctx, s.c.StoreID, SecretClientSecret, clientSecret); err != nil {
			return err
		}
	}
	if t.RefreshToken != "" {
		if err := sec.Set(ctx, s.c.StoreID, SecretRefresh, t.RefreshToken); err != nil {
			return err
		}
	}
	if err := sec.Set(ctx, s.c.StoreID, SecretAccess, t.AccessToken); err != nil {
		return err
	}
	if t.RefreshToken == "" { // an earlier connection's, now useless
		if err := sec.Delete(ctx, s.c.StoreID, SecretRefresh); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	m := TokenMeta{
		StoreID: s.c.StoreID, Shop: s.c.Shop, Kind: t.Kind, ClientID: clientID,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, RefreshExpiresAt: t.RefreshExpiresAt,
		Scopes: slices.Clone(t.Scopes),
	}
	if m.Kind == "" {
		m.Kind = KindStatic
	}
	if err := s.c.Meta.SaveTokenMeta(ctx, m); err != nil {
		return err
	}
	*s.e = storeEntry{lock: s.e.lock, loaded: true, access: t.AccessToken, meta: m}
	return nil
}

// Forget deletes the store's secrets (Disconnect) and drops the cached
// token; the metadata row belongs to the caller's database.
func (s *Source) Forget(ctx context.Context) error {
	if err := s.e.acquire(ctx); err != nil {
		return err
	}
	defer s.e.release()
	// The renewal lock: a renewal in flight must not re-create the entries
	// after they were deleted.
	release, err := s.lockRenewals(ctx)
	if err != nil {
		return err
	}
	defer release()
	*s.e = storeEntry{lock: s.e.lock}
	return DeleteStore(ctx, s.c.Secrets, s.c.StoreID)
}

// load reads the metadata and access token once per process.
func (s *Source) load(ctx context.Context) error {
	if s.e.loaded {
		return nil
	}
	m, err := s.c.Meta.LoadTokenMeta(ctx, s.c.StoreID)
	if errors.Is(err, ErrNotFound) {
		return ErrNotConnected
	}
	if err != nil {
		return fmt.Errorf("token metadata: %w", err)
	}
	access, err := s.c.Secrets.Get(ctx, s.c.StoreID, SecretAccess)
	switch {
	case errors.Is(err, ErrNotFound):
		if m.Kind != KindExpiring && m.Kind != KindClientCredentials {
			return ErrNotConnected // nothing to renew from
		}
		access = "" // renewable: the first call renews
	case err != nil:
		return err
	}
	s.e.loaded, s.e.access, s.e.meta = true, access, m
	return nil
}

// reloadNewer adopts a token another process saved, if it differs from
// rejected and is not due. It reports whether it did.
func (s *Source) reloadNewer(ctx context.Context, rejected string) bool {
	m, err := s.c.Meta.LoadTokenMeta(ctx, s.c.StoreID)
	if err != nil {
		return false
	}
	access, err := s.c.Secrets.Get(ctx, s.c.StoreID, SecretAccess)
	if err != nil || access == rejected || access == s.e.access {
		return false
	}
	if !m.ExpiresAt.IsZero() && !s.c.Now().Before(renewAt(m, s.c.RenewFraction)) {
		return false
	}
	s.e.access, s.e.meta = access, m
	return true
}

// due reports whether the current token should be renewed now.
func (s *Source) due() bool {
	switch s.e.meta.Kind {
	case KindExpiring, KindClientCredentials:
		return s.e.access == "" || !s.c.Now().Before(renewAt(s.e.meta, s.c.RenewFraction))
	}
	return false
}

// stillValid reports whether the current token has not yet expired.
func (s *Source) stillValid() bool {
	return s.e.meta.ExpiresAt.IsZero() || s.c.Now().Before(s.e.meta.ExpiresAt)
}

// renewAt is when a token with metadata m should be renewed.
func renewAt(m TokenMeta, fraction float64) time.Time {
	if m.ExpiresAt.IsZero() {
		return time.Time{}
	}
	if m.IssuedAt.IsZero() || !m.IssuedAt.Before(m.ExpiresAt) {
		return m.ExpiresAt.Add(-5 * time.Minute)
	}
	life := m.ExpiresAt.Sub(m.IssuedAt)
	return m.IssuedAt.Add(time.Duration(float64(life) * fraction))
}

// RenewAt is when the token described by m will be renewed (zero: never).
func RenewAt(m TokenMeta) time.Time { return renewAt(m, DefaultRenewFraction) }
