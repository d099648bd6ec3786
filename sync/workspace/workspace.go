package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Options configures Open. The zero value is the desktop app's setup.
type Options struct {
	// Dir holds the database, reports and locks; default
	// os.UserConfigDir()/shelfsync.
	Dir string
	// Secrets is where tokens live; default the system keychain, with
	// SHELFSYNC_* environment variables read first (for cron).
	Secrets oauth.SecretStore
	// HTTPClient talks to Shopify; default a client with sane timeouts.
	HTTPClient *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
	// TimeScale speeds up a simulated shop's clock (benchmarks); default 1.
	TimeScale float64
	// Concurrency is how many stores RunDue and RunAllNow sync at once;
	// default schedule.DefaultConcurrency().
	Concurrency int
}

// Workspace is one user's Shelfsync: their stores, runs and secrets.
type Workspace struct {
	dir     string
	db      *state.DB
	secrets *sessionSecrets
	http    *http.Client
	now     func() time.Time
	scale   float64
	conc    int
	// dayLimit lowers Shopify's daily variant-creation limit for tests (zero: Shopify's numbers).
	dayLimit catalogsync.DayLimit

	// tokens serialises renewals within this workspace; the renewal file
	// lock does it across workspaces and processes.
	tokens *oauth.Registry

	mu      gosync.Mutex
	sources map[string]*oauth.Source
	clients map[string]*shopify.Client
	demo    *DemoShop

	sheets sheetKeeper // the sheet the Sync tab read, for its preview (sheetkeep.go)
}

// Open opens (creating when needed) the workspace in opts.Dir. It does not
// touch the keychain: that happens off the UI goroutine, on first use.
func Open(opts Options) (*Workspace, error) {
	dir := opts.Dir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, fmt.Errorf("find the config folder: %w", err)
		}
		dir = filepath.Join(base, "shelfsync")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	db, err := state.Open(filepath.Join(dir, "shelfsync.db"))
	if err != nil {
		return nil, err
	}
	secrets := opts.Secrets
	if secrets == nil {
		secrets = &oauth.EnvSecrets{Fallback: oauth.NewKeyring()}
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	scale := opts.TimeScale
	if scale <= 0 {
		scale = 1
	}
	return &Workspace{
		dir: dir, db: db, secrets: newSessionSecrets(secrets),
		http: hc, now: now, scale: scale, conc: opts.Concurrency, tokens: oauth.NewRegistry(),
		sources: map[string]*oauth.Source{}, clients: map[string]*shopify.Client{},
	}, nil
}

// Close stops the demo shop, if any, and closes the database.
func (w *Workspace) Close() error {
	w.mu.Lock()
	demo := w.demo
	w.demo = nil
	w.mu.Unlock()
	if demo != nil {
		demo.Close()
	}
	return w.db.Close()
}

// Dir is the folder holding the database, reports and locks.
func (w *Workspace) Dir() string { return w.dir }

// DB is the workspace's database, shared with the sync engine.
func (w *Workspace) DB() *state.DB { return w.db }

// RedirectURL is the exact URL to register in the Dev Dashboard for port.
func (w *Workspace) RedirectURL(port int) string { return oauth.RedirectURL(port) }

// SessionOnly reports whether the probe found no keychain, so secrets are
// kept in memory for this session only. It is false until the keychain was
// first needed.
func (w *Workspace) SessionOnly() bool { return w.secrets.sessionOnly() }

// source returns the store's token source, creating it once.
func (w *Workspace) source(s state.Store) (*oauth.Source, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if src, ok := w.sources[s.ID]; ok {
		return src, nil
	}
	if env, ok := w.secrets.primary.(*oauth.EnvSecrets); ok {
		env.Alias(s.ID, s.ShopDomain)  // SHELFSYNC_ACCESS_TOKEN_<SHOP> for cron
		env.CountStores(w.countStores) // SHELFSYNC_ACCESS_TOKEN only while there is one store
	}
	src, err := oauth.NewSource(oauth.SourceConfig{
		StoreID: s.ID, Shop: s.ShopDomain, BaseURL: s.BaseURL,
		Secrets: w.secrets, Meta: metaStore{w.db}, HTTPClient: w.http, Now: w.now,
		RenewLock: w.renewLock(s.ID), Registry: w.tokens,
	})
	if err != nil {
		return nil, err
	}
	w.sources[s.ID] = src
	return src, nil
}

func (w *Workspace) countStores(ctx context.Context) (int, error) {
	recs, err := w.db.ListStores(ctx)
	return len(recs), err
}

// storeSource reads a store's record and returns it with its token source.
func (w *Workspace) storeSource(ctx context.Context, storeID string) (state.Store, *oauth.Source, error) {
	rec, err := w.db.GetStore(ctx, storeID)
	if err != nil {
		return rec, nil, err
	}
	src, err := w.source(rec)
	return rec, src, err
}

// renewLock is the file lock held while a store's token is renewed, so the
// window and a `shelfsync` from cron never both rotate its refresh token.
// It is not the store's sync lock: a sync renews while holding that one.
func (w *Workspace) renewLock(storeID string) func(context.Context) (func(), error) {
	return func(ctx context.Context) (func(), error) {
		l, err := lock.Acquire(ctx, w.lockDir(), storeID+".token", "token renewal", 50*time.Millisecond)
		if err != nil {
			return nil, err
		}
		return func() { _ = l.Unlock() }, nil
	}
}

// Client returns the Admin API client of a store: one per store, so every
// run on that store shares its rate-limit pacer.
func (w *Workspace) Client(ctx context.Context, storeID string) (*shopify.Client, error) {
	s, src, err := w.storeSource(ctx, storeID)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.clients[s.ID]; ok {
		return c, nil
	}
	c, err := shopify.New(shopify.Options{
		Shop: s.ShopDomain, BaseURL: s.BaseURL, Tokens: src, HTTPClient: w.http, TimeScale: w.scale,
	})
	if err != nil {
		return nil, err
	}
	w.clients[s.ID] = c
	return c, nil
}

// forget drops the cached source and client of a store.
func (w *Workspace) forget(storeID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sources, storeID)
	delete(w.clients, storeID)
}

// sessionSecrets uses the keychain and, when there is none, keeps secrets
// in memory for this session and says so, never in a file.
//
// Which of the two is decided once, by a probe of the keychain before its
// first use in this workspace (so opening the workspace on the UI goroutine
// never waits for an unlock prompt). A later keychain error (a dismissed
// unlock prompt, "Deny", a Credential Manager hiccup) is returned as it is:
// it never switches to memory, which would let a rotated refresh token live
// in memory only and lose the connection when the process ends.
type sessionSecrets struct {
	primary oauth.SecretStore
	mem     *oauth.MemorySecrets

	once       gosync.Once
	decided    atomic.Bool
	memoryOnly bool // written once, under once

	mu      gosync.Mutex
	session map[string]bool // stores whose secrets were saved in memory this session
}

func newSessionSecrets(primary oauth.SecretStore) *sessionSecrets {
	return &sessionSecrets{primary: primary, mem: oauth.NewMemorySecrets(), session: map[string]bool{}}
}

// decide probes the keychain the first time a secret is needed.
func (s *sessionSecrets) decide(ctx context.Context) bool {
	s.once.Do(func() {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), oauth.DefaultKeyringTimeout)
		defer cancel()
		s.memoryOnly = errors.Is(oauth.ProbeSecrets(pctx, s.primary), oauth.ErrUnavailable)
		s.decided.Store(true)
	})
	return s.memoryOnly
}

// sessionOnly reports the decision, without probing: false until the first
// keychain use.
func (s *sessionSecrets) sessionOnly() bool {
	return s.decided.Load() && s.memoryOnly
}

func (s *sessionSecrets) inSession(storeID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.session[storeID]
}

func (s *sessionSecrets) Get(ctx context.Context, storeID, kind string) (string, error) {
	if !s.decide(ctx) {
		return s.primary.Get(ctx, storeID, kind)
	}
	if v, err := s.mem.Get(ctx, storeID, kind); err == nil {
		return v, nil
	}
	v, err := s.primary.Get(ctx, storeID, kind) // environment variables
	if err != nil && !errors.Is(err, oauth.ErrNotFound) && s.inSession(storeID) {
		return "", oauth.ErrNotFound // connected this session: memory is all there is
	}
	return v, err // for a store saved in an earlier session: the keychain is missing
}

func (s *sessionSecrets) Set(ctx context.Context, storeID, kind, secret string) error {
	if !s.decide(ctx) {
		return s.primary.Set(ctx, storeID, kind, secret)
	}
	if err := s.mem.Set(ctx, storeID, kind, secret); err != nil {
		return err
	}
	s.mu.Lock()
	s.session[storeID] = true
	s.mu.Unlock()
	return nil
}

func (s *sessionSecrets) Delete(ctx context.Context, storeID, kind string) error {
	if !s.decide(ctx) {
		return s.primary.Delete(ctx, storeID, kind)
	}
	if err := s.mem.Delete(ctx, storeID, kind); err != nil {
		return err
	}
	if s.inSession(storeID) {
		return nil
	}
	// Saved in an earlier session, in a keychain this session cannot reach:
	// say so rather than pretend it is gone.
	return s.primary.Delete(ctx, storeID, kind)
}

// metaStore keeps oauth's token metadata in the store records.
type metaStore struct{ db *state.DB }

var kindToState = map[oauth.TokenKind]state.TokenKind{
	oauth.KindStatic:            state.TokenCustomApp,
	oauth.KindOffline:           state.TokenOAuthOffline,
	oauth.KindExpiring:          state.TokenOAuthExpiring,
	oauth.KindClientCredentials: state.TokenClientCredentials,
}

func kindFromState(k state.TokenKind) oauth.TokenKind {
	for o, s := range kindToState {
		if s == k {
			return o
		}
	}
	return oauth.KindStatic
}

func (m metaStore) LoadTokenMeta(ctx context.Context, storeID string) (oauth.TokenMeta, error) {
	s, err := m.db.GetStore(ctx, storeID)
	if errors.Is(err, state.ErrNotFound) {
		return oauth.TokenMeta{}, oauth.ErrNotFound
	}
	if err != nil {
		return oauth.TokenMeta{}, err
	}
	return oauth.TokenMeta{
		StoreID: s.ID, Shop: s.ShopDomain, Kind: kindFromState(s.TokenKind), ClientID: s.ClientID,
		IssuedAt: s.AccessIssuedAt, ExpiresAt: s.AccessExpiresAt, RefreshExpiresAt: s.RefreshExpiresAt,
		Scopes: s.Scopes, LastVerified: s.LastVerifiedAt,
	}, nil
}

func (m metaStore) SaveTokenMeta(ctx context.Context, t oauth.TokenMeta) error {
	return m.db.SetTokenMeta(ctx, t.StoreID, state.TokenMeta{
		Kind: kindToState[t.Kind], ClientID: t.ClientID, Scopes: t.Scopes,
		AccessIssuedAt: t.IssuedAt, AccessExpiresAt: t.ExpiresAt, RefreshExpiresAt: t.RefreshExpiresAt,
	})
}
