package workspace

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Errors a keychain that exists gives now and then: what go-keyring's
// failures map to after the workspace's probe found a keychain.
var (
	errPromptDismissed = fmt.Errorf("%w (simulated: unlock prompt dismissed)", oauth.ErrLocked)
	errServiceGone     = fmt.Errorf("%w (simulated: Secret Service restarted)", oauth.ErrUnavailable)
)

// faultKeychain is a durable keychain (it outlives "processes") that, once
// armed, fails its failAt'th call with err; when stuck, every later call
// fails too (the keychain stays locked for the rest of the process).
type faultKeychain struct {
	mem *oauth.MemorySecrets

	mu     gosync.Mutex
	armed  bool
	calls  int
	failAt int
	err    error
	stuck  bool
	only   string // when set, only calls of this "op/kind" count
}

func newFaultKeychain() *faultKeychain { return &faultKeychain{mem: oauth.NewMemorySecrets()} }

// arm makes the n'th counted call from now on fail with err.
func (k *faultKeychain) arm(n int, err error, stuck bool, only string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.armed, k.calls, k.failAt, k.err, k.stuck, k.only = true, 0, n, err, stuck, only
}

func (k *faultKeychain) disarm() {
	k.mu.Lock()
	k.armed = false
	k.mu.Unlock()
}

func (k *faultKeychain) fault(op, id, kind string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.armed || id == "probe" || (k.only != "" && k.only != op+"/"+kind) {
		return nil
	}
	n := k.calls
	k.calls++
	if n == k.failAt || (k.stuck && n > k.failAt) {
		return k.err
	}
	return nil
}

func (k *faultKeychain) Get(ctx context.Context, id, kind string) (string, error) {
	if err := k.fault("get", id, kind); err != nil {
		return "", err
	}
	return k.mem.Get(ctx, id, kind)
}

func (k *faultKeychain) Set(ctx context.Context, id, kind, v string) error {
	if err := k.fault("set", id, kind); err != nil {
		return err
	}
	return k.mem.Set(ctx, id, kind, v)
}

func (k *faultKeychain) Delete(ctx context.Context, id, kind string) error {
	if err := k.fault("delete", id, kind); err != nil {
		return err
	}
	return k.mem.Delete(ctx, id, kind)
}

// openFaulty opens a workspace over a fault keychain and a clock the test moves.
func openFaulty(t *testing.T) (*Workspace, *faultKeychain, *atomic.Int64) {
	t.Helper()
	kc := newFaultKeychain()
	clock := new(atomic.Int64)
	clock.Store(time.Now().UnixNano())
	w, err := Open(Options{Dir: t.TempDir(), Secrets: kc, Now: func() time.Time { return time.Unix(0, clock.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, kc, clock
}

// faultyDemo connects the demo store in a workspace over a fault keychain.
func faultyDemo(ctx context.Context, t *testing.T) (*Workspace, *faultKeychain, *atomic.Int64, StoreSummary) {
	t.Helper()
	w, kc, clock := openFaulty(t)
	s, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, kc, clock, s
}

// reopen opens w's folder again over the same keychain and clock, as
// another process (cron) would.
func reopen(t *testing.T, w *Workspace, kc *faultKeychain) *Workspace {
	t.Helper()
	w2, err := Open(Options{Dir: w.Dir(), Secrets: kc, Now: w.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w2.Close() })
	return w2
}

// restarted is the store's token as a new process sees it: only the
// keychain and the database survive.
func restarted(t *testing.T, w *Workspace, kc *faultKeychain, storeID string) *oauth.Source {
	t.Helper()
	rec, err := w.db.GetStore(context.Background(), storeID)
	if err != nil {
		t.Fatal(err)
	}
	src, err := oauth.NewSource(oauth.SourceConfig{StoreID: rec.ID, Shop: rec.ShopDomain, BaseURL: rec.BaseURL,
		Secrets: kc.mem, Meta: metaStore{w.db}, Now: w.now, Registry: oauth.NewRegistry(), Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// stillConnected renews in a restarted process, past the old token's
// expiry, and asks the shop whether it accepts the result.
func stillConnected(ctx context.Context, t *testing.T, w *Workspace, kc *faultKeychain, storeID string, clock *atomic.Int64) error {
	t.Helper()
	clock.Add(int64(2 * time.Hour))
	src := restarted(t, w, kc, storeID)
	tok, err := src.AccessToken(ctx)
	if err == nil {
		var snap oauth.Snapshot
		snap, err = src.Snapshot(ctx)
		if err == nil {
			err = snap.LastError
		}
	}
	if err != nil {
		return err
	}
	rec, _ := w.db.GetStore(ctx, storeID)
	_, err = oauth.Inspect(ctx, oauth.InspectConfig{BaseURL: rec.BaseURL, Token: tok})
	return err
}

// TestKeychainHiccupDuringRenewalKeepsConnection: the keychain refuses the
// rotated refresh token once (a dismissed unlock prompt). The workspace
// stays on the keychain, the new access token is not used, the next check
// saves the kept refresh token, and a restarted process still renews.
func TestKeychainHiccupDuringRenewalKeepsConnection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, kc, clock, s := faultyDemo(ctx, t)
	rt0, _ := kc.mem.Get(ctx, s.ID, oauth.SecretRefresh)
	at0, _ := kc.mem.Get(ctx, s.ID, oauth.SecretAccess)

	// Given a due token and a keychain that refuses to save refresh tokens
	kc.arm(0, errPromptDismissed, true, "set/refresh")
	clock.Add(int64(55 * time.Minute))

	// When the store is checked
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil {
		t.Fatal(err)
	}

	// Then the workspace did not switch to memory, the store is not marked
	// for reconnecting, and the old access token is still the one in use
	if w.SessionOnly() {
		t.Fatal("one refused write switched the workspace to session-only")
	}
	rec, _ := w.db.GetStore(ctx, s.ID)
	if rec.Status.Code != "keychain_locked" || !strings.Contains(st.Title, "locked or missing") {
		t.Fatalf("after the refused write: status %q, title %q", rec.Status.Code, st.Title)
	}
	if rt, _ := kc.mem.Get(ctx, s.ID, oauth.SecretRefresh); rt != rt0 {
		t.Fatal("the refresh token changed although its save failed")
	}
	_, src, _ := w.storeSource(ctx, s.ID)
	if tok, err := src.AccessToken(ctx); err != nil || tok != at0 {
		t.Fatalf("the process uses %s (%v), want the old token: the new one's refresh token is not saved", oauth.MaskToken(tok), err)
	}

	// And once the keychain is unlocked, the next check saves the kept
	// refresh token and renews with it
	kc.disarm()
	if st, err = w.TokenStatus(ctx, s.ID, true); err != nil || st.Title != "Connected" && st.Title != "Expiring soon (renewing)" {
		t.Fatalf("second check: %+v, %v", st, err)
	}
	if rt, _ := kc.mem.Get(ctx, s.ID, oauth.SecretRefresh); rt == rt0 {
		t.Fatal("the refresh token was never saved")
	}

	// And a restarted process still renews
	if err := stillConnected(ctx, t, w, kc, s.ID, clock); err != nil {
		t.Fatalf("connection lost after a restart: %v", err)
	}
}

// TestKeychainReadFailureNeverMarksReconnect: a refused keychain read on
// another key leaves healthy stores alone; a refused read of the store's
// own token reads "keychain locked or missing", is saved as such (never
// "reconnect"), tells no one "revoked", and Disconnect refuses to pretend.
func TestKeychainReadFailureNeverMarksReconnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, kc, _ := openFaulty(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	tok := sh.Install("custom-app", oauth.NeededScopes())
	rec, err := w.db.CreateStore(ctx, state.Store{Name: "Acme", ShopDomain: "acme.myshopify.com", BaseURL: sh.URL(),
		TokenKind: state.TokenCustomApp, Scopes: oauth.NeededScopes(), Status: state.Status{Code: "valid"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := kc.mem.Set(ctx, rec.ID, oauth.SecretAccess, tok); err != nil {
		t.Fatal(err)
	}

	// Given one refused read of an unrelated secret
	kc.arm(0, errPromptDismissed, false, "")
	if _, err := w.webhookURL(ctx, "some-other-store"); !errors.Is(err, oauth.ErrLocked) {
		t.Fatalf("the refused read: %v", err)
	}
	// Then the healthy store still checks as connected
	if st, err := w.TokenStatus(ctx, rec.ID, true); err != nil || st.Title != "Connected" || st.MaskedToken == "(none saved)" {
		t.Fatalf("healthy store after an unrelated refusal: %+v, %v", st, err)
	}

	// Given another process (cron) whose keychain refuses every read of the store's token
	w = reopen(t, w, kc)
	kc.arm(0, errPromptDismissed, true, "get/access")
	results, err := w.CheckAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := w.db.GetStore(ctx, rec.ID)
	if after.Status.Code != "keychain_locked" || results[0].Newly || !strings.Contains(results[0].Status.Title, "keychain is locked or missing") {
		t.Fatalf("with the keychain locked: saved %q, newly %v, title %q", after.Status.Code, results[0].Newly, results[0].Status.Title)
	}

	// When Disconnect cannot delete, it says so and keeps the store
	kc.arm(0, errPromptDismissed, true, "")
	if err := w.Disconnect(ctx, rec.ID); err == nil || !errors.Is(err, oauth.ErrLocked) {
		t.Fatalf("Disconnect with a locked keychain: %v", err)
	}
	kc.disarm()
	if v, _ := kc.mem.Get(ctx, rec.ID, oauth.SecretAccess); v != tok {
		t.Fatal("the token is gone although Disconnect failed")
	}
	if _, err := w.db.GetStore(ctx, rec.ID); err != nil {
		t.Fatalf("the store record went although its secrets stayed: %v", err)
	}
	if err := w.Disconnect(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.mem.Get(ctx, rec.ID, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("after Disconnect: %v", err)
	}
}

// TestScheduledRunBlockedByKeychainSaysSo: a slot whose store's secrets the
// keychain refuses is not run, says why, and leaves no "reconnect" behind.
func TestScheduledRunBlockedByKeychainSaysSo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, kc, clock, s := faultyDemo(ctx, t)
	sheet := filepath.Join(t.TempDir(), "catalog.csv")
	if err := os.WriteFile(sheet, demoSheet(), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: sheet, Spec: "every 1h", TimeZone: "UTC", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	w = reopen(t, w, kc) // another process, whose keychain is locked
	kc.arm(0, errPromptDismissed, true, "")
	clock.Add(int64(61 * time.Minute))
	ev := w.RunSchedule(ctx, sc.ID, false)
	if ev.Err == nil || !strings.Contains(ev.Err.Error(), "keychain is locked or missing") || ev.Run.ID != "" {
		t.Fatalf("scheduled run with a locked keychain: %+v", ev)
	}
	rec, _ := w.db.GetStore(ctx, s.ID)
	if rec.Status.Code == "reconnect" {
		t.Fatal("a locked keychain marked the store for reconnecting")
	}
}

// TestRotationTrialsWithKeychainFailures is the crash analysis of the
// security review re-run with keychain failures: in each trial a renewal
// meets a failing keychain at one of its steps (reading the token again,
// reading the refresh token or client secret, re-reading the refresh token,
// saving the refresh token, saving the access token), with one of the
// errors a present keychain gives (locked or refused, too slow, Secret
// Service gone), and then either carries on, stays locked, or the process
// dies at once. A restarted process must then still renew: no trial may
// lose the connection. SHELFSYNC_ROTATION_TRIALS and _SEED change the run.
func TestRotationTrialsWithKeychainFailures(t *testing.T) {
	trials, seed := 50, uint64(1)
	if v, err := strconv.Atoi(os.Getenv("SHELFSYNC_ROTATION_TRIALS")); err == nil && v > 0 {
		trials = v
	}
	if v, err := strconv.ParseUint(os.Getenv("SHELFSYNC_ROTATION_SEED"), 10, 64); err == nil {
		seed = v
	}
	steps := []string{"read the token again", "read the refresh token", "read the client secret",
		"re-read the refresh token", "save the refresh token", "save the access token"}
	errs := []error{errPromptDismissed, oauth.ErrTimeout, errServiceGone}
	modes := []string{"hiccup, process carries on", "keychain stays locked", "hiccup, then the process dies"}
	rng := rand.New(rand.NewPCG(seed, seed))
	lost := 0
	for i := range trials {
		step, e, mode := rng.IntN(len(steps)), errs[rng.IntN(len(errs))], rng.IntN(len(modes))
		if i < len(steps) { // every step at least once, whatever the seed
			step = i
		}
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			w, kc, clock := openFaulty(t)
			s, err := w.ConnectDemo(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			// Given a due token and a keychain that fails at this step
			clock.Add(int64(55 * time.Minute))
			kc.arm(step, e, mode == 1, "")
			// When the process checks the store (and uses whatever token it got)
			_, _ = w.TokenStatus(ctx, s.ID, true)
			if mode == 0 {
				kc.disarm()
				clock.Add(int64(5 * time.Minute))
				_, _ = w.TokenStatus(ctx, s.ID, true)
			}
			kc.disarm()
			// Then a restarted process still renews and the shop takes its token
			if err := stillConnected(ctx, t, w, kc, s.ID, clock); err != nil {
				lost++
				t.Errorf("trial %d (%s, %v, %s): connection lost: %v", i, steps[step], e, modes[mode], err)
			}
		})
	}
	t.Logf("%d rotation trials with keychain failures (seed %d): %d lost connections", trials, seed, lost)
}
