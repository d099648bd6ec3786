package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/notify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// The secret part of a chat webhook URL, as Slack and Discord embed it.
const (
	hookPath  = "/services/T0001/B0002/XyZsEcReTpAtH42"
	hookQuery = "token=QqWwEeRrTt99"
)

// hookServer is a chat service: it answers with the next of statuses (the
// last one repeats) and keeps every body it got.
type hookServer struct {
	*httptest.Server
	mu       gosync.Mutex
	statuses []int
	bodies   [][]byte
	delivery []string
}

func newHook(t *testing.T, statuses ...int) *hookServer {
	t.Helper()
	h := &hookServer{statuses: statuses}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != hookPath || r.URL.RawQuery != hookQuery {
			http.Error(w, "wrong webhook", http.StatusNotFound)
			return
		}
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, body)
		h.delivery = append(h.delivery, r.Header.Get(notify.DeliveryHeader))
		status := h.statuses[min(len(h.bodies), len(h.statuses))-1]
		h.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) hookURL() string { return h.URL + hookPath + "?" + hookQuery }

// events returns the distinct deliveries (retries of one count once) and
// how many requests there were in all.
func (h *hookServer) events(t *testing.T) ([]notify.Event, int) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []notify.Event
	seen := map[string]bool{}
	for i, b := range h.bodies {
		if seen[h.delivery[i]] {
			continue
		}
		seen[h.delivery[i]] = true
		var ev notify.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("webhook body %q: %v", b, err)
		}
		out = append(out, ev)
	}
	return out, len(h.bodies)
}

// simWorkspace is a workspace on a settable clock with one simulated store
// of n×3 variants whose source is its edited sheet, scheduled hourly.
type simWorkspace struct {
	w     *Workspace
	dir   string
	store StoreSummary
	shop  *fakeshop.Shop
	sched ScheduleView
	now   time.Time
}

func newSimWorkspace(t *testing.T, zero bool) *simWorkspace {
	t.Helper()
	sw := &simWorkspace{dir: t.TempDir(), now: time.Now().UTC()}
	const scale = 50 // the simulated bucket refills fast: these tests are about alerts
	w, err := Open(Options{Dir: sw.dir, Secrets: oauth.NewMemorySecrets(), Now: func() time.Time { return sw.now }, TimeScale: scale})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	sw.w = w
	srv := fakeshop.NewServer(fakeshop.Options{TimeScale: scale})
	t.Cleanup(func() { srv.Close() })
	sheet := writeSheet(t, t.TempDir(), 1, 20, 3, zero)
	sw.store, sw.shop = connectSim(t, w, srv, "alerts-shop", fakeshop.PlanGrow, 1, 20, 3, sheet)
	if sw.sched, err = w.SetSchedule(context.Background(), ScheduleRequest{StoreID: sw.store.ID, Source: sheet,
		Spec: "every 1h", TimeZone: "UTC", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	return sw
}

// runDue moves the clock past the next slot and runs what is due.
func (sw *simWorkspace) runDue(t *testing.T) RunEvent {
	t.Helper()
	sw.now = sw.now.Add(time.Hour + time.Minute)
	events := sw.w.RunDue(context.Background())
	if len(events) != 1 {
		t.Fatalf("%d events, want 1: %+v", len(events), events)
	}
	return events[0]
}

func TestAlertSettings(t *testing.T) {
	ctx := context.Background()
	sw := newSimWorkspace(t, false)
	w, id := sw.w, sw.store.ID
	if v, err := w.Alerts(ctx, id); err != nil || v.HasWebhook || v.NotifyOnSuccess {
		t.Fatalf("alerts before any were set: %+v, %v", v, err)
	}
	err := w.SetAlerts(ctx, id, Alerts{WebhookURL: "http://hooks.example.com" + hookPath})
	if err == nil || strings.Contains(err.Error(), "XyZsEcReT") {
		t.Fatalf("plain http to a remote host: %v", err)
	}
	const u = "https://hooks.slack.com" + hookPath + "?" + hookQuery
	if err := w.SetAlerts(ctx, id, Alerts{WebhookURL: u, NotifyOnSuccess: true}); err != nil {
		t.Fatal(err)
	}
	v, err := w.Alerts(ctx, id)
	if err != nil || !v.HasWebhook || !v.NotifyOnSuccess || v.WebhookHost != "https://hooks.slack.com/…" {
		t.Fatalf("alerts %+v, %v", v, err)
	}
	if got, err := w.secrets.Get(ctx, id, oauth.SecretWebhook); err != nil || got != u {
		t.Fatalf("the URL is not in the keychain: %v", err)
	}
	// An empty URL keeps the saved one and changes only the switch.
	if err := w.SetAlerts(ctx, id, Alerts{}); err != nil {
		t.Fatal(err)
	}
	if v, _ := w.Alerts(ctx, id); !v.HasWebhook || v.NotifyOnSuccess {
		t.Fatalf("after switching success alerts off: %+v", v)
	}
	if err := w.ClearAlerts(ctx, id); err != nil {
		t.Fatal(err)
	}
	if v, _ := w.Alerts(ctx, id); v.HasWebhook {
		t.Fatalf("after clear: %+v", v)
	}
	if err := w.SetAlerts(ctx, "no-such-store", Alerts{WebhookURL: u}); !errors.Is(err, state.ErrNotFound) {
		t.Fatalf("unknown store: %v", err)
	}
}

// TestWebhookDemoScheduledRunRetries: a scheduled run of the demo store
// (its sheet has a row with a bad price, so the run finishes with an error)
// is posted although success alerts are off, through two 500s.
func TestWebhookDemoScheduledRunRetries(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Now().UTC()
	w, s := demoWorkspace(t, func() time.Time { return now })
	hook := newHook(t, 500, 500, 200)
	if err := w.SetAlerts(ctx, s.ID, Alerts{WebhookURL: hook.hookURL()}); err != nil {
		t.Fatal(err)
	}
	src := w.DemoSheetPath()
	if _, err := w.ReadSource(ctx, SyncRequest{StoreID: s.ID, Source: src, LocationID: mainWarehouse(t, w, s.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: src, Spec: "every 1h", TimeZone: "UTC", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour + time.Minute)
	events := w.RunDue(ctx)
	if len(events) != 1 || events[0].Err != nil || events[0].AlertErr != nil {
		t.Fatalf("events %+v", events)
	}
	ev := events[0]
	got, requests := hook.events(t)
	if requests != 3 || len(got) != 1 {
		t.Fatalf("%d requests for %d events, want 3 for 1 (two 500s retried)", requests, len(got))
	}
	e := got[0]
	if e.Store != "Demo store" || e.StoreID != s.ID || e.Run != ev.Run.ID || e.State != notify.StatePartial ||
		e.Counts.Updated != ev.Run.Updated || e.Counts.Errors == 0 || e.Counts.Created != ev.Run.Created {
		t.Fatalf("webhook event %+v for run %+v", e, ev.Run)
	}
	checkReport(t, e, ev.Run.ReportPath)
}

// checkReport: the alert names the run's report by its file name, and
// nothing in it says where on this computer it is (the path names the user).
func checkReport(t *testing.T, e notify.Event, path string) {
	t.Helper()
	if path == "" || e.Report != filepath.Base(path) || e.ReportURL != "" {
		t.Fatalf("report %q / %q for %q", e.Report, e.ReportURL, path)
	}
	payload, _ := json.Marshal(e)
	home, _ := os.UserHomeDir()
	for _, local := range []string{filepath.Dir(path), filepath.ToSlash(filepath.Dir(path)), "file:", home, os.Getenv("USER")} {
		if len(local) > 1 && strings.Contains(string(payload), local) {
			t.Fatalf("the alert discloses %q: %s", local, payload)
		}
	}
}

// TestWebhookHeldRun: a scheduled sheet that zeroes every stock level trips
// the guard; the run is held and the webhook says so.
func TestWebhookHeldRun(t *testing.T) {
	sw := newSimWorkspace(t, true)
	hook := newHook(t, 200)
	if err := sw.w.SetAlerts(context.Background(), sw.store.ID, Alerts{WebhookURL: hook.hookURL()}); err != nil {
		t.Fatal(err)
	}
	ev := sw.runDue(t)
	if !ev.Held || ev.Err != nil || ev.AlertErr != nil || ev.Run.State != string(state.RunHeld) {
		t.Fatalf("event %+v", ev)
	}
	got, _ := hook.events(t)
	if len(got) != 1 || got[0].State != StateHeld || got[0].Run != ev.Run.ID || !strings.Contains(strings.ToLower(got[0].Message), "held") {
		t.Fatalf("webhook events %+v", got)
	}
}

// TestWebhookSuccessOnlyWhenAsked: a clean run is posted only with
// NotifyOnSuccess; a manual Apply is posted like a scheduled run.
func TestWebhookSuccessOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	sw := newSimWorkspace(t, false)
	hook := newHook(t, 200)
	if err := sw.w.SetAlerts(ctx, sw.store.ID, Alerts{WebhookURL: hook.hookURL()}); err != nil {
		t.Fatal(err)
	}
	if ev := sw.runDue(t); ev.Err != nil || ev.Run.State != string(state.RunFinished) || ev.Run.Failed() || ev.TellSuccess {
		t.Fatalf("event %+v", ev)
	}
	if got, n := hook.events(t); n != 0 {
		t.Fatalf("a successful run was posted with success alerts off: %+v", got)
	}
	if err := sw.w.SetAlerts(ctx, sw.store.ID, Alerts{NotifyOnSuccess: true}); err != nil {
		t.Fatal(err)
	}
	ev := sw.runDue(t) // the sheet is in: nothing to change, still a success
	got, _ := hook.events(t)
	if !ev.TellSuccess || len(got) != 1 || got[0].State != notify.StateSucceeded || got[0].Run != ev.Run.ID {
		t.Fatalf("webhook events %+v for %+v", got, ev)
	}
	// A manual sync with a new price is told too.
	sheet := writeSheet(t, t.TempDir(), 2, 20, 3, false)
	plan, err := sw.w.PlanSync(ctx, SyncRequest{StoreID: sw.store.ID, Source: sheet, LocationID: sw.shop.Locations()[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	run, err := sw.w.Apply(ctx, sw.store.ID, plan, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = hook.events(t)
	if len(got) != 2 || got[1].Run != run.ID || got[1].Counts.Updated == 0 {
		t.Fatalf("manual run %+v, webhook events %+v", run, got)
	}
}

// TestWebhookRevokedTokenFails: a scheduled run whose store can no longer be
// reached is told as failed, without a run.
func TestWebhookRevokedTokenFails(t *testing.T) {
	sw := newSimWorkspace(t, false)
	hook := newHook(t, 200)
	if err := sw.w.SetAlerts(context.Background(), sw.store.ID, Alerts{WebhookURL: hook.hookURL()}); err != nil {
		t.Fatal(err)
	}
	sw.shop.Uninstall(appID)
	ev := sw.runDue(t)
	if ev.Err == nil {
		t.Fatalf("a revoked store ran: %+v", ev)
	}
	got, _ := hook.events(t)
	if len(got) != 1 || got[0].State != notify.StateFailed || got[0].Store != sw.store.Name || got[0].Message == "" {
		t.Fatalf("webhook events %+v", got)
	}
	if ev.AlreadyTold {
		t.Fatal("the first skip must be told")
	}
	// The next slots are skipped without asking Shopify again or posting
	// again: told once, not every 15 minutes.
	for range 2 {
		next := sw.runDue(t)
		if next.Err == nil || !next.AlreadyTold {
			t.Fatalf("next slot: %+v", next)
		}
	}
	if got, _ := hook.events(t); len(got) != 1 {
		t.Fatalf("%d webhook posts for one problem, want 1", len(got))
	}
}

// TestWebhookFailureKeepsURLSecret: a webhook that keeps failing does not
// hold the run for long, and its error, the saved last error and every file
// the workspace wrote name the URL by host only.
func TestWebhookFailureKeepsURLSecret(t *testing.T) {
	ctx := context.Background()
	sw := newSimWorkspace(t, true)
	hook := newHook(t, 503)
	if err := sw.w.SetAlerts(ctx, sw.store.ID, Alerts{WebhookURL: hook.hookURL(), NotifyOnSuccess: true}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ev := sw.runDue(t)
	if took := time.Since(start); took > alertTotal+10*time.Second {
		t.Fatalf("the run waited %s for its alert", took)
	}
	if ev.AlertErr == nil || !ev.Held {
		t.Fatalf("event %+v", ev)
	}
	if _, n := hook.events(t); n != alertAttempts {
		t.Fatalf("%d attempts, want %d", n, alertAttempts)
	}
	v, err := sw.w.Alerts(ctx, sw.store.ID)
	if err != nil || v.LastError == "" {
		t.Fatalf("the failure is not shown: %+v, %v", v, err)
	}
	secrets := []string{"XyZsEcReTpAtH42", "QqWwEeRrTt99"}
	for _, msg := range []string{ev.AlertErr.Error(), v.LastError, sw.w.TestAlert(ctx, sw.store.ID).Error()} {
		if !strings.Contains(msg, "503") || !strings.Contains(msg, "127.0.0.1") {
			t.Errorf("alert error %q does not say what failed where", msg)
		}
		for _, s := range secrets {
			if strings.Contains(msg, s) {
				t.Errorf("alert error %q shows the URL's secret", msg)
			}
		}
	}
	sw.w.Close()
	scanned := 0
	err = filepath.WalkDir(sw.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".db") {
			scanned++
			if !bytes.Contains(data, []byte("alerts.last_error")) {
				t.Errorf("%s holds no alert error: the scan checks nothing", path)
			}
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains the webhook URL's secret", path)
			}
		}
		return nil
	})
	if err != nil || scanned == 0 {
		t.Fatalf("scanned %d databases: %v", scanned, err)
	}
}

// TestWebhookBusyStoreNotTold: a scheduled run that finds its store busy
// with another run (here: a lock held as another process would) is skipped
// quietly; the run that holds the store reports for itself.
func TestWebhookBusyStoreNotTold(t *testing.T) {
	sw := newSimWorkspace(t, false)
	hook := newHook(t, 200)
	if err := sw.w.SetAlerts(context.Background(), sw.store.ID, Alerts{WebhookURL: hook.hookURL(), NotifyOnSuccess: true}); err != nil {
		t.Fatal(err)
	}
	l, err := lock.TryLock(sw.w.lockDir(), sw.store.ID, "sync")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	ev := sw.w.RunSchedule(context.Background(), sw.sched.ID, true)
	if !errors.Is(ev.Err, lock.ErrBusy) || ev.AlertErr != nil {
		t.Fatalf("event %+v", ev)
	}
	if got, n := hook.events(t); n != 0 {
		t.Fatalf("a skipped run was posted: %+v", got)
	}
}
