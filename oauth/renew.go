package oauth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// renew obtains a new access token for an expiring or client-credentials
// store. The caller holds the store's in-process lock; renew takes the
// cross-process one (SourceConfig.RenewLock) itself.
func (s *Source) renew(ctx context.Context) error {
	release, err := s.lockRenewals(ctx)
	if err != nil {
		return err
	}
	defer release()
	// Read again under the lock: another process may have renewed already.
	if s.reloadNewer(ctx, s.e.access) {
		return nil
	}
	switch s.e.meta.Kind {
	case KindExpiring:
		err = s.renewExpiring(ctx)
	case KindClientCredentials:
		err = s.renewClientCredentials(ctx)
	default:
		err = fmt.Errorf("a %s token cannot be renewed", s.e.meta.Kind)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.fail(err)
		}
		return err
	}
	s.e.lastErr, s.e.lastErrAt = nil, time.Time{}
	return nil
}

// secret reads one of the store's secrets, turning "not found" into
// ErrNotConnected.
func (s *Source) secret(ctx context.Context, kind string) (string, error) {
	v, err := s.c.Secrets.Get(ctx, s.c.StoreID, kind)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("%w: the saved %s is missing", ErrNotConnected, kindLabel(kind))
	}
	return v, err
}

// renewExpiring rotates the refresh token. Order matters (FACTS §2):
//  1. refresh with the saved refresh token (read again now: another
//     process may have rotated it), after saving a rotated one an earlier
//     attempt could not save;
//  2. save the new refresh token; if that fails (a locked keychain), stop
//     without using the new access token, so the saved refresh token stays
//     retryable, and keep the new refresh token to try saving it again;
//  3. save the new access token, then its metadata; a failure here keeps
//     the token in memory and is reported as a warning, since the saved
//     refresh token can always obtain another;
//  4. only then hand out the new access token.
func (s *Source) renewExpiring(ctx context.Context) error {
	rt, err := s.c.Secrets.Get(ctx, s.c.StoreID, SecretRefresh)
	if errors.Is(err, ErrNotFound) {
		rt, err = "", nil
	}
	if err != nil {
		return err
	}
	if p := s.e.pending; p.token != "" {
		s.e.pending = pendingRefresh{}
		if p.from == rt { // nobody else renewed or reconnected meanwhile
			if err := s.c.Secrets.Set(ctx, s.c.StoreID, SecretRefresh, p.token); err != nil {
				s.e.pending = p
				return fmt.Errorf("still couldn't save the renewed refresh token, so the new access token is not used (the connection is unchanged; Shelfsync tries again at the next renewal): %w", err)
			}
			rt = p.token
		}
	}
	if rt == "" {
		return fmt.Errorf("%w: the saved %s is missing", ErrNotConnected, kindLabel(SecretRefresh))
	}
	cs, err := s.secret(ctx, SecretClientSecret)
	if err != nil {
		return err
	}
	var t *Token
	err = s.retry(ctx, func() (err error) {
		t, err = refresh(ctx, refreshConfig{
			BaseURL: s.base, ClientID: s.e.meta.ClientID, ClientSecret: cs, RefreshToken: rt,
			HTTPClient: s.c.HTTPClient, Now: s.c.Now(),
		})
		return err
	})
	if err != nil {
		return err
	}
	// Under the renewal lock nothing else changes the saved refresh token.
	// Should it have changed anyway (a store reconnected by a process that
	// holds no lock), that newer connection wins: never overwrite it.
	if cur, err := s.c.Secrets.Get(ctx, s.c.StoreID, SecretRefresh); err == nil && cur != rt {
		s.e.loaded = false
		return errors.New("the store was reconnected while its token was being renewed: using the new connection")
	}
	if err := s.c.Secrets.Set(ctx, s.c.StoreID, SecretRefresh, t.RefreshToken); err != nil {
		s.e.pending = pendingRefresh{from: rt, token: t.RefreshToken}
		return fmt.Errorf("couldn't save the renewed refresh token, so the new access token was not used (the connection is unchanged; Shelfsync tries saving it again at the next renewal): %w", err)
	}
	m := s.e.meta
	m.IssuedAt, m.ExpiresAt, m.RefreshExpiresAt = t.IssuedAt, t.ExpiresAt, t.RefreshExpiresAt
	if len(t.Scopes) > 0 {
		m.Scopes = slices.Clone(t.Scopes)
	}
	s.adopt(ctx, t.AccessToken, m)
	return nil
}

// MigrateToExpiring switches a non-expiring OAuth token to an expiring one
// with a refresh token, which Shelfsync then renews by itself. Shopify does
// this once per store and app and revokes the old token; public apps must
// have switched by 2027-01-01 (FACTS §2). The new refresh token is saved
// first, so a crash after the exchange can still renew (see Renew).
func (s *Source) MigrateToExpiring(ctx context.Context) error {
	if err := s.e.acquire(ctx); err != nil {
		return err
	}
	defer s.e.release()
	if err := s.load(ctx); err != nil {
		return err
	}
	if s.e.meta.Kind != KindOffline || s.e.meta.ClientID == "" {
		return fmt.Errorf("only a non-expiring token from 'Sign in with Shopify' can be switched; this store has: %s", s.e.meta.Kind.Label())
	}
	release, err := s.lockRenewals(ctx)
	if err != nil {
		return err
	}
	defer release()
	cs, err := s.secret(ctx, SecretClientSecret)
	if err != nil {
		return err
	}
	t, err := migrate(ctx, migrateConfig{BaseURL: s.base, ClientID: s.e.meta.ClientID, ClientSecret: cs,
		Token: s.e.access, HTTPClient: s.c.HTTPClient, Now: s.c.Now()})
	if err != nil {
		if errors.Is(err, ErrOffline) {
			return fmt.Errorf("%w. If Shopify received the request, the old token no longer works: press Check now, and reconnect if it says so", err)
		}
		return err
	}
	saveErr := s.c.Secrets.Set(ctx, s.c.StoreID, SecretRefresh, t.RefreshToken)
	m := s.e.meta
	m.Kind, m.IssuedAt, m.ExpiresAt, m.RefreshExpiresAt = KindExpiring, t.IssuedAt, t.ExpiresAt, t.RefreshExpiresAt
	if len(t.Scopes) > 0 {
		m.Scopes = slices.Clone(t.Scopes)
	}
	s.adopt(ctx, t.AccessToken, m) // the old token is gone: use the new one even if unsaved
	if saveErr != nil {
		s.e.pending = pendingRefresh{token: t.RefreshToken} // the next renewal saves it first
		s.e.warning = fmt.Errorf("the new refresh token could not be saved, so the connection lasts for this session only: %w", saveErr)
	}
	s.e.lastErr, s.e.lastErrAt = nil, time.Time{}
	return nil
}

// lockRenewals takes the cross-process renewal lock, if there is one.
func (s *Source) lockRenewals(ctx context.Context) (release func(), err error) {
	if s.c.RenewLock == nil {
		return func() {}, nil
	}
	release, err = s.c.RenewLock(ctx)
	if err != nil {
		return nil, fmt.Errorf("waiting for another Shelfsync process that is renewing this store's token: %w", err)
	}
	return release, nil
}

// renewClientCredentials asks for a fresh 24-hour token.
func (s *Source) renewClientCredentials(ctx context.Context) error {
	cs, err := s.secret(ctx, SecretClientSecret)
	if err != nil {
		return err
	}
	var t *Token
	err = s.retry(ctx, func() (err error) {
		t, err = ClientCredentials(ctx, ClientCredentialsConfig{
			Shop: s.c.Shop, BaseURL: s.c.BaseURL, ClientID: s.e.meta.ClientID, ClientSecret: cs,
			HTTPClient: s.c.HTTPClient, Now: s.c.Now,
		})
		return err
	})
	if err != nil {
		return err
	}
	m := s.e.meta
	m.IssuedAt, m.ExpiresAt = t.IssuedAt, t.ExpiresAt
	if len(t.Scopes) > 0 {
		m.Scopes = slices.Clone(t.Scopes)
	}
	s.adopt(ctx, t.AccessToken, m)
	return nil
}

// adopt saves a new access token and then its metadata, and makes it
// current. Save failures are kept as a warning: the token is still good for
// this session, and what is saved can still renew after a restart.
func (s *Source) adopt(ctx context.Context, access string, m TokenMeta) {
	s.e.warning = nil
	if err := s.c.Secrets.Set(ctx, s.c.StoreID, SecretAccess, access); err != nil {
		// Keep the old metadata so it never describes an unsaved token.
		s.e.warning = fmt.Errorf("the renewed access token is kept for this session only: %w", err)
	} else if err := s.c.Meta.SaveTokenMeta(ctx, m); err != nil {
		s.e.warning = fmt.Errorf("the renewed token's expiry was not saved: %w", err)
	}
	s.e.access, s.e.meta = access, m
}

// retry runs fn, retrying network and temporary failures with a doubling
// backoff; ErrReconnect and everything else end it at once.
func (s *Source) retry(ctx context.Context, fn func() error) error {
	wait := s.c.Backoff
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || attempt >= s.c.Retries || !(errors.Is(err, ErrOffline) || errors.Is(err, ErrTemporary)) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

// fail records a renewal or verification failure for Snapshot.
func (s *Source) fail(err error) {
	s.e.lastErr, s.e.lastErrAt = err, s.c.Now()
}

// Snapshot is what a Source knows about its token, without secrets.
type Snapshot struct {
	Meta        TokenMeta
	Loaded      bool      // the token was read from the store
	RenewAt     time.Time // zero: never renewed
	LastError   error     // last renewal or verification failure; nil after a success
	LastErrorAt time.Time
	Warning     error // a renewed token could not be saved (kept for this session)
}

// Snapshot returns the source's current view, loading it if needed. It
// waits for a renewal in progress.
func (s *Source) Snapshot(ctx context.Context) (Snapshot, error) {
	if err := s.e.acquire(ctx); err != nil {
		return Snapshot{}, err
	}
	defer s.e.release()
	err := s.load(ctx)
	m := s.e.meta
	m.Scopes = slices.Clone(m.Scopes)
	return Snapshot{
		Meta: m, Loaded: s.e.loaded, RenewAt: renewAt(m, s.c.RenewFraction),
		LastError: s.e.lastErr, LastErrorAt: s.e.lastErrAt, Warning: s.e.warning,
	}, err
}

// MarkVerified records that Shopify accepted the token just now and saves
// LastVerified. Renewal failures stay recorded until a renewal succeeds.
func (s *Source) MarkVerified(ctx context.Context) error {
	if err := s.e.acquire(ctx); err != nil {
		return err
	}
	defer s.e.release()
	if err := s.load(ctx); err != nil {
		return err
	}
	s.e.meta.LastVerified = s.c.Now()
	return s.c.Meta.SaveTokenMeta(ctx, s.e.meta)
}
