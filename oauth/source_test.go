package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/oauth/internal/stubshop"
)

// fakeClock is a clock tests move by hand; the stub shop shares it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// errCrashed is what a "dead process" gets from its stores.
var errCrashed = errors.New("simulated crash")

// budget counts writes; once spent, every write fails, as if the process
// had died right after the last one that succeeded.
type budget struct {
	mu   sync.Mutex
	left int // <0: unlimited
}

func (b *budget) spend() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.left == 0 {
		return errCrashed
	}
	if b.left > 0 {
		b.left--
	}
	return nil
}

// crashSecrets and crashMeta wrap the durable stores with a write budget;
// failKind makes only one secret kind's Set fail (a keychain error).
type crashSecrets struct {
	*oauth.MemorySecrets
	b        *budget
	failKind string
}

func (c *crashSecrets) Set(ctx context.Context, id, kind, v string) error {
	if kind == c.failKind {
		return fmt.Errorf("%w: keychain said no", oauth.ErrLocked)
	}
	if err := c.b.spend(); err != nil {
		return err
	}
	return c.MemorySecrets.Set(ctx, id, kind, v)
}

type crashMeta struct {
	*oauth.MemoryMeta
	b    *budget
	fail bool
}

func (c *crashMeta) SaveTokenMeta(ctx context.Context, m oauth.TokenMeta) error {
	if c.fail {
		return errors.New("database is locked")
	}
	if err := c.b.spend(); err != nil {
		return err
	}
	return c.MemoryMeta.SaveTokenMeta(ctx, m)
}

// env is one store connected to a stub shop with durable (in-memory)
// storage that survives "restarts".
type env struct {
	t       *testing.T
	clk     *fakeClock
	shop    *stubshop.Shop
	secrets *oauth.MemorySecrets
	meta    *oauth.MemoryMeta
}

const storeID = "0b7a3a44-3d2e-4d0f-9a55-2f9a4f8e9c01"

func newEnv(t *testing.T) *env {
	clk := newClock()
	s := stubshop.New("teststore", clk.Now)
	t.Cleanup(s.Close)
	return &env{t: t, clk: clk, shop: s, secrets: oauth.NewMemorySecrets(), meta: oauth.NewMemoryMeta()}
}

// source starts a "process": a fresh registry over the durable stores.
func (e *env) source(sec oauth.SecretStore, meta oauth.MetaStore, reg *oauth.Registry) *oauth.Source {
	e.t.Helper()
	if sec == nil {
		sec = e.secrets
	}
	if meta == nil {
		meta = e.meta
	}
	if reg == nil {
		reg = oauth.NewRegistry()
	}
	src, err := oauth.NewSource(oauth.SourceConfig{
		StoreID: storeID, Shop: e.shop.Domain(), BaseURL: e.shop.URL(), Secrets: sec, Meta: meta,
		Now: e.clk.Now, Registry: reg, Backoff: time.Millisecond,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return src
}

// connectExpiring saves an expiring connection, as after Authorize.
func (e *env) connectExpiring() {
	e.t.Helper()
	a, r := e.shop.IssueExpiring()
	now := e.clk.Now()
	tok := &oauth.Token{Kind: oauth.KindExpiring, Shop: e.shop.Domain(), AccessToken: a, RefreshToken: r,
		IssuedAt: now, ExpiresAt: now.Add(time.Hour), RefreshExpiresAt: now.Add(90 * 24 * time.Hour),
		Scopes: oauth.ParseScopes("write_products,write_inventory,read_locations")}
	if err := e.source(nil, nil, nil).Save(context.Background(), tok, e.shop.ClientID, e.shop.ClientSecret); err != nil {
		e.t.Fatal(err)
	}
}

// works asserts that the source hands out a token the shop accepts.
func (e *env) works(src *oauth.Source) string {
	e.t.Helper()
	tok, err := src.AccessToken(context.Background())
	if err != nil {
		e.t.Fatalf("AccessToken: %v", err)
	}
	info, err := oauth.Inspect(context.Background(), oauth.InspectConfig{BaseURL: e.shop.URL(), Token: tok})
	if err != nil {
		e.t.Fatalf("the shop refused the token: %v", err)
	}
	if info.Domain != e.shop.Domain() {
		e.t.Fatalf("Inspect = %+v", info)
	}
	return tok
}

func TestExpiringRenewsEarlyAndRotates(t *testing.T) {
	e := newEnv(t)
	e.connectExpiring()
	src := e.source(nil, nil, nil)
	first := e.works(src)
	e.clk.Advance(47 * time.Minute) // before 80% of the hour: no refresh
	if tok := e.works(src); tok != first || e.shop.Count("refresh_token") != 0 {
		t.Fatalf("refreshed too early")
	}
	oldRefresh, _ := e.secrets.Get(context.Background(), storeID, oauth.SecretRefresh)
	e.clk.Advance(2 * time.Minute) // 49 min: due
	second := e.works(src)
	newRefresh, _ := e.secrets.Get(context.Background(), storeID, oauth.SecretRefresh)
	if second == first || newRefresh == oldRefresh || e.shop.Count("refresh_token") != 1 {
		t.Fatalf("no rotation: refreshes=%d", e.shop.Count("refresh_token"))
	}
	saved, _ := e.secrets.Get(context.Background(), storeID, oauth.SecretAccess)
	m, _ := e.meta.LoadTokenMeta(context.Background(), storeID)
	if saved != second || !m.ExpiresAt.Equal(e.clk.Now().Add(time.Hour)) {
		t.Fatalf("renewed token not saved: meta %+v", m)
	}
}

// TestRotationSurvivesCrashes injects a failure or a crash between every
// pair of renewal steps (refresh request, save refresh token, save access
// token, save metadata), then restarts a fresh source from what was saved
// and shows the connection still works, twice over.
func TestRotationSurvivesCrashes(t *testing.T) {
	type setup func(e *env) (oauth.SecretStore, oauth.MetaStore)
	crashAfter := func(writes int) setup {
		return func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			b := &budget{left: writes}
			return &crashSecrets{MemorySecrets: e.secrets, b: b}, &crashMeta{MemoryMeta: e.meta, b: b}
		}
	}
	cases := map[string]setup{
		"answer lost after Shopify rotated": func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			e.shop.Inject(stubshop.Fault{Drop: true}, stubshop.Fault{Drop: true}, stubshop.Fault{Drop: true})
			return nil, nil
		},
		"Shopify down": func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			e.shop.Inject(stubshop.Fault{Status: 503}, stubshop.Fault{Status: 503}, stubshop.Fault{Status: 503})
			return nil, nil
		},
		"crash before saving the refresh token": crashAfter(0),
		"crash after saving the refresh token":  crashAfter(1),
		"crash after saving the access token":   crashAfter(2),
		"crash after saving the metadata":       crashAfter(3),
		"keychain refuses the refresh token": func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			return &crashSecrets{MemorySecrets: e.secrets, b: &budget{left: -1}, failKind: oauth.SecretRefresh}, nil
		},
		"keychain refuses the access token": func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			return &crashSecrets{MemorySecrets: e.secrets, b: &budget{left: -1}, failKind: oauth.SecretAccess}, nil
		},
		"database refuses the metadata": func(e *env) (oauth.SecretStore, oauth.MetaStore) {
			return nil, &crashMeta{MemoryMeta: e.meta, b: &budget{left: -1}, fail: true}
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.connectExpiring()
			sec, meta := setup(e)

			// Given a renewal that fails or crashes part-way
			e.clk.Advance(50 * time.Minute)
			doomed := e.source(sec, meta, nil)
			tok, err := doomed.AccessToken(context.Background())
			if err != nil {
				assertNoSecret(t, "error", err.Error(), e.shop.ClientSecret)
				if tok != "" {
					t.Fatal("token and error together")
				}
			} else {
				// The doomed process uses what it got, which retires the
				// previous refresh token at Shopify.
				_, _ = oauth.Inspect(context.Background(), oauth.InspectConfig{BaseURL: e.shop.URL(), Token: tok})
			}

			// When a fresh process starts from what was saved, after the old access token expired
			e.clk.Advance(15 * time.Minute)
			fresh := e.source(nil, nil, nil)

			// Then it renews and the shop accepts its token, and again an hour later
			e.works(fresh)
			e.clk.Advance(55 * time.Minute)
			e.works(fresh)
			e.clk.Advance(2 * time.Hour)
			e.works(e.source(nil, nil, nil))
		})
	}
}

// TestRefusedRefreshTokenIsSavedLater: while the keychain refuses the
// rotated refresh token, its access token is never handed out; once the
// keychain takes it, that refresh token is saved and used, so the one
// Shopify issued is not thrown away and no token is presented twice.
func TestRefusedRefreshTokenIsSavedLater(t *testing.T) {
	e := newEnv(t)
	e.connectExpiring()
	first := e.works(e.source(nil, nil, nil))
	refusing := &crashSecrets{MemorySecrets: e.secrets, b: &budget{left: -1}, failKind: oauth.SecretRefresh}
	reg := oauth.NewRegistry()
	src := e.source(refusing, nil, reg)
	e.clk.Advance(50 * time.Minute)

	// Given a renewal whose refresh token the keychain refused
	tok, err := src.AccessToken(context.Background())
	snap, _ := src.Snapshot(context.Background())
	if err != nil || tok != first || !errors.Is(snap.LastError, oauth.ErrLocked) {
		t.Fatalf("with the keychain refusing: token changed %v, err %v, last error %v", tok != first, err, snap.LastError)
	}
	if e.shop.Count("refresh_token") != 1 {
		t.Fatalf("%d refreshes", e.shop.Count("refresh_token"))
	}

	// When the keychain takes secrets again (same process)
	refusing.failKind = ""
	second := e.works(e.source(nil, nil, reg))

	// Then the kept refresh token was saved and used: two refreshes, each
	// refresh token presented once
	if second == first || e.shop.Count("refresh_token") != 2 || e.shop.MaxRefreshUses() != 1 {
		t.Fatalf("refreshes %d, max uses %d", e.shop.Count("refresh_token"), e.shop.MaxRefreshUses())
	}
	e.clk.Advance(2 * time.Hour)
	e.works(e.source(nil, nil, nil)) // and a restart renews from what was saved
}

func TestConcurrentAccessTokenRotatesOnce(t *testing.T) {
	// Given a store due for renewal and two sources sharing a registry
	e := newEnv(t)
	e.connectExpiring()
	reg := oauth.NewRegistry()
	a, b := e.source(nil, nil, reg), e.source(nil, nil, reg)
	e.clk.Advance(55 * time.Minute)

	// When many callers ask for a token at once
	var wg sync.WaitGroup
	toks := make([]string, 16)
	errs := make([]error, 16)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := a
			if i%2 == 1 {
				src = b
			}
			toks[i], errs[i] = src.AccessToken(context.Background())
		}()
	}
	wg.Wait()

	// Then exactly one refresh happened and everyone got its token
	if n := e.shop.Count("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if n := e.shop.MaxRefreshUses(); n != 1 {
		t.Fatalf("a refresh token was presented %d times", n)
	}
	for i := range toks {
		if errs[i] != nil || toks[i] != toks[0] {
			t.Fatalf("caller %d: %q, %v", i, toks[i], errs[i])
		}
	}
}

// overlapLock stands in for a file lock shared by two processes. The first
// holder waits until the second process is queued behind it, so the two
// renewals overlap on every run, not only when the scheduler happens to
// interleave them.
type overlapLock struct {
	mu     chan struct{}
	calls  atomic.Int32
	queued chan struct{}
}

func newOverlapLock() *overlapLock {
	return &overlapLock{mu: make(chan struct{}, 1), queued: make(chan struct{})}
}

func (l *overlapLock) lock(ctx context.Context) (func(), error) {
	n := l.calls.Add(1)
	if n == 2 {
		close(l.queued)
	}
	select {
	case l.mu <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if n == 1 {
		select {
		case <-l.queued:
		case <-time.After(5 * time.Second):
		}
		// The second caller is about to block on mu; give it a moment to
		// get there so the overlap is real.
		time.Sleep(10 * time.Millisecond)
	}
	return func() { <-l.mu }, nil
}

func TestTwoProcessesRotateOnce(t *testing.T) {
	// Given a store due for renewal and two processes (separate registries)
	// sharing the keychain, the database and a cross-process renew lock
	e := newEnv(t)
	e.connectExpiring()
	l := newOverlapLock()
	procs := make([]*oauth.Source, 2)
	for i := range procs {
		src, err := oauth.NewSource(oauth.SourceConfig{
			StoreID: storeID, Shop: e.shop.Domain(), BaseURL: e.shop.URL(), Secrets: e.secrets, Meta: e.meta,
			Now: e.clk.Now, Registry: oauth.NewRegistry(), Backoff: time.Millisecond, RenewLock: l.lock,
		})
		if err != nil {
			t.Fatal(err)
		}
		procs[i] = src
	}
	e.clk.Advance(55 * time.Minute)

	// When both ask for a token at the same time
	var wg sync.WaitGroup
	toks, errs := make([]string, 2), make([]error, 2)
	for i, src := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i], errs[i] = src.AccessToken(context.Background())
		}()
	}
	wg.Wait()

	// Then the second adopts what the first saved instead of rotating again
	if got := l.calls.Load(); got != 2 {
		t.Fatalf("renew lock taken %d times, want 2 (did both processes renew?)", got)
	}
	if n := e.shop.Count("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if errs[0] != nil || errs[1] != nil || toks[0] != toks[1] {
		t.Fatalf("tokens %q / %q, errors %v / %v", toks[0], toks[1], errs[0], errs[1])
	}
	e.works(procs[0])
}

func TestRenewAfter401(t *testing.T) {
	e := newEnv(t)
	e.connectExpiring()
	src := e.source(nil, nil, nil)
	tok := e.works(src)

	// Given the shop revoked the current access token
	e.shop.Revoke(tok)
	// When the client reports the 401
	if err := src.Renew(context.Background(), tok); err != nil {
		t.Fatalf("Renew: %v", err)
	}
	// Then a new token works, and a late Renew for the old one changes nothing
	fresh := e.works(src)
	if fresh == tok {
		t.Fatal("same token after Renew")
	}
	if err := src.Renew(context.Background(), tok); err != nil || e.shop.Count("refresh_token") != 1 {
		t.Fatalf("second Renew for the old token: %v, refreshes %d", err, e.shop.Count("refresh_token"))
	}
}

func TestRetiredRefreshTokenMeansReconnect(t *testing.T) {
	e := newEnv(t)
	e.connectExpiring()
	src := e.source(nil, nil, nil)
	e.clk.Advance(2 * time.Hour)
	e.shop.Inject(stubshop.Fault{Status: 400, Code: "invalid_grant"}, stubshop.Fault{Status: 400, Code: "invalid_grant"})
	_, err := src.AccessToken(context.Background())
	if !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v, want ErrReconnect", err)
	}
	st := src.Check(context.Background(), false)
	if _, ok := st.State.(oauth.Reconnect); !ok {
		t.Fatalf("state = %T %s", st.State, st.State.Title())
	}
}

func TestOfflineIsNotInvalid(t *testing.T) {
	e := newEnv(t)
	e.connectExpiring()
	src := e.source(nil, nil, nil)
	e.clk.Advance(2 * time.Hour)
	e.shop.Close() // nothing listens any more
	_, err := src.AccessToken(context.Background())
	if !errors.Is(err, oauth.ErrOffline) || errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v, want ErrOffline only", err)
	}
	st := src.Check(context.Background(), false)
	if st.State.Code() != "offline" {
		t.Fatalf("state = %s", st.State.Title())
	}
}

func TestClientCredentialsSource(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok, err := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: e.shop.Domain(), BaseURL: e.shop.URL(), ClientID: e.shop.ClientID, ClientSecret: e.shop.ClientSecret, Now: e.clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Kind != oauth.KindClientCredentials || !tok.ExpiresAt.Equal(e.clk.Now().Add(86399*time.Second)) {
		t.Fatalf("token %v", tok)
	}
	src := e.source(nil, nil, nil)
	if err := src.Save(ctx, tok, e.shop.ClientID, e.shop.ClientSecret); err != nil {
		t.Fatal(err)
	}
	first := e.works(src)
	e.clk.Advance(19 * time.Hour) // < 80% of 24 h
	if e.works(src) != first {
		t.Fatal("renewed before 80%")
	}
	e.clk.Advance(time.Hour) // 20 h > 19.2 h
	second := e.works(src)
	if second == first || e.shop.Count("client_credentials") != 2 {
		t.Fatalf("not renewed at 80%%: %d requests", e.shop.Count("client_credentials"))
	}
	// Once more on a 401.
	e.shop.Revoke(second)
	if err := src.Renew(ctx, second); err != nil {
		t.Fatal(err)
	}
	if e.works(src) == second {
		t.Fatal("not renewed after 401")
	}
	// A fresh process with no saved access token renews from the client secret.
	if err := e.secrets.Delete(ctx, storeID, oauth.SecretAccess); err != nil {
		t.Fatal(err)
	}
	e.works(e.source(nil, nil, nil))
}

func TestStaticSource(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pasted := e.shop.IssueStatic()
	info, err := oauth.Verify(ctx, e.shop.Domain(), oauth.InspectConfig{BaseURL: e.shop.URL(), Token: pasted})
	if err != nil || info.Plan != "Basic" || len(info.Missing()) != 0 {
		t.Fatalf("Verify: %+v, %v", info, err)
	}
	if _, err := oauth.Verify(ctx, "other.myshopify.com", oauth.InspectConfig{BaseURL: e.shop.URL(), Token: pasted}); err == nil {
		t.Fatal("Verify accepted a token of another shop")
	}
	src := e.source(nil, nil, nil)
	if err := src.Save(ctx, &oauth.Token{Kind: oauth.KindStatic, AccessToken: pasted, Scopes: info.Scopes}, "", ""); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(400 * 24 * time.Hour)
	if e.works(src) != pasted {
		t.Fatal("static token changed")
	}
	st := src.Check(ctx, false)
	if st.State.Code() != "valid" || st.ShopName != "Stub teststore" || st.Token != oauth.MaskToken(pasted) || st.LastVerified.IsZero() {
		t.Fatalf("status %+v", st)
	}
}

func TestStaticSourceRevoked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pasted := e.shop.IssueStatic()
	src := e.source(nil, nil, nil)
	if err := src.Save(ctx, &oauth.Token{Kind: oauth.KindStatic, AccessToken: pasted}, "", ""); err != nil {
		t.Fatal(err)
	}
	// Revoked: a 401 cannot be fixed by renewing.
	e.shop.Revoke(pasted)
	if err := src.Renew(ctx, pasted); !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("Renew of a static token: %v", err)
	}
	st := src.Check(ctx, false)
	if st.State.Code() != "reconnect" || st.Fix() == "" {
		t.Fatalf("status after revoke: %s / %s", st.State.Title(), st.Fix())
	}
	assertNoSecret(t, "status", fmt.Sprintf("%+v %v", st, st.Err), pasted)
	// Disconnect forgets it.
	if err := src.Forget(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.secrets.Get(ctx, storeID, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("secret survived Forget: %v", err)
	}
}

func TestNotConnected(t *testing.T) {
	e := newEnv(t)
	_, err := e.source(nil, nil, nil).AccessToken(context.Background())
	if !errors.Is(err, oauth.ErrNotConnected) || !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v", err)
	}
}
