package app

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// fakeBackend is an in-memory Backend. Calls are recorded; done receives one
// value after each call so tests can wait for goroutine work without sleeping.
type fakeBackend struct {
	*fakeSync
	mu        sync.Mutex
	stores    []workspace.StoreSummary
	status    map[string]workspace.TokenStatus
	checks    int
	switched  []string
	checked   []workspace.CheckResult // what CheckAll returns
	ranGroups []string                // RunAllNow calls
	connects  []any
	err       error
	alerts    workspace.AlertsView
	done      chan string // the fake's calls, as they return
	ui        chan string // the window's settled events
}

func newFakeBackend(stores ...workspace.StoreSummary) *fakeBackend {
	return &fakeBackend{fakeSync: newFakeSync(), stores: stores, status: map[string]workspace.TokenStatus{}, done: make(chan string, 100), ui: make(chan string, 100)}
}

func (f *fakeBackend) signal(what string) {
	select {
	case f.done <- what:
	default: // nobody is listening
	}
}

func (f *fakeBackend) Stores(context.Context) ([]workspace.StoreSummary, error) {
	defer f.signal("stores")
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]workspace.StoreSummary(nil), f.stores...), f.err
}

func (f *fakeBackend) TokenStatus(_ context.Context, id string, check bool) (workspace.TokenStatus, error) {
	defer f.signal("status")
	f.mu.Lock()
	defer f.mu.Unlock()
	if check {
		f.checks++
	}
	st, ok := f.status[id]
	if !ok {
		return st, errors.New("no such store")
	}
	return st, nil
}

// SwitchToExpiring turns the saved status into an expiring, renewing one.
func (f *fakeBackend) SwitchToExpiring(_ context.Context, id string) (workspace.TokenStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.status[id]
	if !ok || !st.CanSwitch {
		return st, errors.New("only a non-expiring OAuth token can be switched")
	}
	st.CanSwitch, st.Renews, st.KindLabel = false, true, "OAuth, expiring (renewed automatically)"
	st.ExpiresAt = time.Now().Add(time.Hour)
	f.status[id] = st
	f.switched = append(f.switched, id)
	return st, nil
}

// CheckAll returns the canned results.
func (f *fakeBackend) CheckAll(context.Context) ([]workspace.CheckResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]workspace.CheckResult(nil), f.checked...), nil
}

func (f *fakeBackend) add(name, group string) workspace.StoreSummary {
	s := workspace.StoreSummary{ID: "id-" + strconv.Itoa(len(f.stores)+1), Name: name, Shop: name + ".myshopify.com",
		Group: group, Health: workspace.HealthHealthy, HealthText: "Connected",
		ConnectionText: "Connected"}
	f.stores = append(f.stores, s)
	return s
}

func (f *fakeBackend) ConnectToken(_ context.Context, req workspace.TokenRequest) (workspace.StoreSummary, error) {
	defer f.signal("connect")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.connects = append(f.connects, req)
	if f.err != nil {
		return workspace.StoreSummary{}, f.err
	}
	return f.add("token-store", req.Group), nil
}

func (f *fakeBackend) ConnectOAuth(ctx context.Context, req workspace.OAuthRequest) (workspace.StoreSummary, error) {
	defer f.signal("connect")
	f.mu.Lock()
	f.connects = append(f.connects, req)
	f.mu.Unlock()
	if req.Ready != nil {
		req.Ready("http://127.0.0.1:1/admin/oauth/authorize?client_id=x")
	}
	<-ctx.Done() // the flow waits for the browser until cancelled
	return workspace.StoreSummary{}, ctx.Err()
}

func (f *fakeBackend) ConnectClientCredentials(_ context.Context, req workspace.ClientCredentialsRequest) (workspace.StoreSummary, error) {
	defer f.signal("connect")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.connects = append(f.connects, req)
	return f.add("cc-store", req.Group), nil
}

func (f *fakeBackend) ConnectDemo(_ context.Context, progress func(string)) (workspace.StoreSummary, error) {
	defer f.signal("demo")
	progress("Signing in to the demo store…")
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.add("Shelfsync Demo", "")
	s.Demo = true
	return s, nil
}

func (f *fakeBackend) Disconnect(_ context.Context, id string) error {
	defer f.signal("disconnect")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.stores {
		if s.ID == id {
			f.stores = append(f.stores[:i], f.stores[i+1:]...)
			return nil
		}
	}
	return errors.New("no such store")
}

func (f *fakeBackend) RedirectURL(port int) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
}

func (f *fakeBackend) RunAllNow(_ context.Context, group string) []workspace.RunEvent {
	defer f.signal("runall")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ranGroups = append(f.ranGroups, group)
	return nil
}

func (f *fakeBackend) RunScheduler(ctx context.Context, _ time.Duration, _ func(workspace.RunEvent)) {
	<-ctx.Done()
}

func (f *fakeBackend) SchedulesPaused(context.Context) bool { return false }

func (f *fakeBackend) PauseSchedules(context.Context, bool) error { return nil }

func (f *fakeBackend) Alerts(context.Context, string) (workspace.AlertsView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.alerts, nil
}

func (f *fakeBackend) SetAlerts(_ context.Context, _ string, a workspace.Alerts) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if a.WebhookURL != "" {
		f.alerts.HasWebhook, f.alerts.WebhookHost = true, "https://hooks.example.com/…"
	}
	f.alerts.NotifyOnSuccess = a.NotifyOnSuccess
	return nil
}

func (f *fakeBackend) ClearAlerts(context.Context, string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.alerts = workspace.AlertsView{}
	return nil
}

func (f *fakeBackend) TestAlert(context.Context, string) error { return nil }
