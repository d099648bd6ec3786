package workspace

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/state"
)

// reconnectDemo signs in to the demo store again; edit may change the
// authorize URL the "browser" opens, as a merchant could.
func reconnectDemo(ctx context.Context, t *testing.T, w *Workspace, edit func(u *url.URL)) (StoreSummary, error) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	d := w.demo
	d.allowRedirect(oauth.RedirectURL(port))
	return w.ConnectOAuth(ctx, OAuthRequest{Shop: DemoShopDomain, ClientID: d.ClientID, ClientSecret: d.ClientSecret,
		Port: port, BaseURL: d.URL(), OpenBrowser: func(authURL string) error {
			u, _ := url.Parse(authURL)
			if edit != nil {
				edit(u)
			}
			return pressInstall(ctx, u.String())
		}})
}

// TestReconnectMissingScopeKeepsNewToken: reconnecting with a scope edited
// out of the sign-in keeps the new token (Shopify has already retired the
// old refresh token) and reports the missing scope by name.
func TestReconnectMissingScopeKeepsNewToken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, clock := openClocked(t)
	s, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, src, _ := w.storeSource(ctx, s.ID)
	old, _ := src.AccessToken(ctx)

	again, err := reconnectDemo(ctx, t, w, func(u *url.URL) {
		q := u.Query()
		q.Set("scope", strings.ReplaceAll(q.Get("scope"), ",read_locations", ""))
		u.RawQuery = q.Encode()
	})
	if err != nil {
		t.Fatalf("reconnect with a missing scope: %v", err)
	}
	if again.ID != s.ID || again.Health != HealthAttention || again.HealthText != "Missing permissions: read_locations" {
		t.Fatalf("after the reconnect: %+v", again)
	}
	_, src, _ = w.storeSource(ctx, s.ID)
	tok, err := src.AccessToken(ctx)
	if err != nil || tok == old {
		t.Fatalf("the new token was not kept (%v)", err)
	}
	clock.Add(int64(2 * time.Hour)) // the kept refresh token renews
	if st, err := w.TokenStatus(ctx, s.ID, true); err != nil || st.Title != "Missing permissions: read_locations" {
		t.Fatalf("status two hours later: %+v, %v", st, err)
	}
}

// TestSaveAndDisconnectWaitForRenewal: a renewal in another process holds
// the store's token lock; reconnecting and disconnecting wait for it, so
// its rotated refresh token can neither overwrite the new connection nor
// come back after the delete.
func TestSaveAndDisconnectWaitForRenewal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := openTest(t)
	s, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name string
		op   func() error
	}{
		{"reconnect", func() error { _, err := reconnectDemo(ctx, t, w, nil); return err }},
		{"disconnect", func() error { return w.Disconnect(ctx, s.ID) }},
	} {
		name, op := step.name, step.op
		other, err := lock.TryLock(w.lockDir(), s.ID+".token", "another shelfsync renewing")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- op() }()
		select {
		case err := <-done:
			other.Unlock()
			t.Fatalf("%s did not wait for the renewal (err %v)", name, err)
		case <-time.After(300 * time.Millisecond):
		}
		other.Unlock()
		if err := <-done; err != nil {
			t.Fatalf("%s after the renewal: %v", name, err)
		}
	}
	if _, err := w.db.GetStore(ctx, s.ID); err == nil {
		t.Fatal("still connected")
	}
}

// TestInterruptedCheckNeverMakesARunBusy: checking whether a store's last
// run was interrupted (every store list and history refresh does) never
// takes the store's lock, so a run starting at that moment is never refused
// as busy; and the check still tells a live run from a dead one.
func TestInterruptedCheckNeverMakesARunBusy(t *testing.T) {
	w := openTest(t)
	const id = "0b7a3a44-3d2e-4d0f-9a55-2f9a4f8e9c01"
	stuck := RunSummary{StoreID: id, State: string(state.RunRunning)}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
				w.interrupted(stuck)
			}
		}
	}()
	busy := 0
	for range 2000 {
		l, err := lock.TryLock(w.lockDir(), id, "scheduled run")
		if err != nil {
			busy++
			continue
		}
		if got := w.interrupted(stuck); got.State != string(state.RunRunning) {
			t.Errorf("a live run shows as %q", got.State)
		}
		l.Unlock()
	}
	close(stop)
	<-stopped
	if busy > 0 {
		t.Fatalf("%d of 2000 runs found the store busy because of the interrupted check", busy)
	}
	if got := w.interrupted(stuck); got.State != StateInterrupted {
		t.Fatalf("a run nobody holds shows as %q", got.State)
	}
}
