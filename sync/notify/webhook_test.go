package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// secretPath stands in for the secret a chat service embeds in its webhook URL.
const secretPath = "/services/T0001/B0002/XyZsEcReT42"

var sampleEvent = Event{
	Store: "Acme Outdoor", StoreID: "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1a00", Run: "run-17",
	State: StatePartial, Counts: Counts{Created: 3, Updated: 12, Unchanged: 480, Errors: 2, Conflicts: 1},
	Message: "2 rows failed", ReportURL: "https://example.com/r/17",
	At: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
}

type recorded struct {
	header http.Header
	body   []byte
}

// hookServer answers each request with the next status from statuses (the last one repeats).
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []recorded
	handler  func(w http.ResponseWriter, r *http.Request) bool // optional; true = handled
}

func newHookServer(t *testing.T, statuses ...int) *hookServer {
	h := &hookServer{statuses: statuses}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, recorded{r.Header.Clone(), body})
		status := h.statuses[min(len(h.got), len(h.statuses))-1]
		handler := h.handler
		h.mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != secretPath || r.URL.RawQuery != "token=abc123" {
			http.Error(w, "wrong request", http.StatusNotFound)
			return
		}
		if handler != nil && handler(w, r) {
			return
		}
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		w.WriteHeader(status)
		io.WriteString(w, "status "+http.StatusText(status))
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) hookURL() string { return h.URL + secretPath + "?token=abc123" }

func (h *hookServer) requests() []recorded {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]recorded(nil), h.got...)
}

func newTestWebhook(t *testing.T, url string, mod func(*WebhookOptions)) *Webhook {
	t.Helper()
	o := WebhookOptions{URL: url, Version: "1.2.3", Backoff: time.Millisecond, Timeout: 2 * time.Second}
	if mod != nil {
		mod(&o)
	}
	w, err := NewWebhook(o)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// assertRedacted fails if err's message leaks any part of the secret URL.
func assertRedacted(t *testing.T, err error) {
	t.Helper()
	for _, secret := range []string{"XyZsEcReT42", "abc123", "services"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error leaks %q: %v", secret, err)
		}
	}
}

func TestWebhookDelivers(t *testing.T) {
	srv := newHookServer(t, 204)
	w := newTestWebhook(t, srv.hookURL(), func(o *WebhookOptions) { o.Secret = "s3cret" })
	if err := w.Notify(context.Background(), sampleEvent); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if ua := r.header.Get("User-Agent"); ua != "Shelfsync/1.2.3" {
		t.Errorf("User-Agent %q", ua)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if !Verify("s3cret", r.body, r.header.Get(SignatureHeader)) || Verify("other", r.body, r.header.Get(SignatureHeader)) {
		t.Errorf("bad signature %q", r.header.Get(SignatureHeader))
	}
	if r.header.Get(DeliveryHeader) == "" {
		t.Error("no delivery ID")
	}
	var got map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	want := `{"at":"2026-01-05T10:00:00Z","counts":{"conflicts":1,"created":3,"errors":2,"unchanged":480,"updated":12},` +
		`"message":"2 rows failed","report_url":"https://example.com/r/17","run":"run-17","state":"partial",` +
		`"store":"Acme Outdoor","store_id":"6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1a00"}`
	if b, _ := json.Marshal(got); string(b) != want {
		t.Errorf("body\n%s\nwant\n%s", b, want)
	}
}

func TestWebhookUnsignedWithoutSecret(t *testing.T) {
	srv := newHookServer(t, 200)
	if err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent); err != nil {
		t.Fatal(err)
	}
	if s := srv.requests()[0].header.Get(SignatureHeader); s != "" {
		t.Errorf("signature %q without a secret", s)
	}
}

func TestWebhookRetries5xx(t *testing.T) {
	srv := newHookServer(t, 503, 502, 200)
	if err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests; want 3", len(reqs))
	}
	if id := reqs[0].header.Get(DeliveryHeader); reqs[2].header.Get(DeliveryHeader) != id {
		t.Error("delivery ID changed between retries")
	}
}

func TestWebhookGivesUpAfterMaxAttempts(t *testing.T) {
	srv := newHookServer(t, 500)
	err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent)
	var we *Error
	if !errors.As(err, &we) || we.StatusCode != 500 || we.Attempts != DefaultMaxAttempts {
		t.Fatalf("err %v; want *Error 500 after %d attempts", err, DefaultMaxAttempts)
	}
	if n := len(srv.requests()); n != DefaultMaxAttempts {
		t.Errorf("%d requests", n)
	}
	if !strings.Contains(err.Error(), "500 Internal Server Error") || !strings.Contains(err.Error(), "4 attempts") {
		t.Errorf("message %q", err)
	}
	assertRedacted(t, err)
}

func TestWebhookNoRetryOn4xx(t *testing.T) {
	srv := newHookServer(t, 400, 200)
	err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent)
	var we *Error
	if !errors.As(err, &we) || we.StatusCode != 400 || we.Attempts != 1 {
		t.Fatalf("err %v; want a 400 after 1 attempt", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests; 400 must not be retried", n)
	}
	assertRedacted(t, err)
}

func TestWebhookRetries429(t *testing.T) {
	srv := newHookServer(t, 429, 200)
	if err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests; want 2", n)
	}
}

func TestWebhookDoesNotFollowRedirects(t *testing.T) {
	srv := newHookServer(t, 200)
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
		return true
	}
	err := newTestWebhook(t, srv.hookURL(), nil).Notify(context.Background(), sampleEvent)
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err %v; want a redirect error", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests", n)
	}
}

func TestWebhookTimeout(t *testing.T) {
	srv := newHookServer(t, 200)
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return true
	}
	w := newTestWebhook(t, srv.hookURL(), func(o *WebhookOptions) { o.Timeout = 50 * time.Millisecond; o.MaxAttempts = 2 })
	start := time.Now()
	err := w.Notify(context.Background(), sampleEvent)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("err %v; want a timeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests; a timeout is retried", n)
	}
	assertRedacted(t, err)
}

func TestWebhookNetworkErrorRedacted(t *testing.T) {
	srv := newHookServer(t, 200)
	url := srv.hookURL()
	srv.Close() // connection refused from now on
	err := newTestWebhook(t, url, func(o *WebhookOptions) { o.MaxAttempts = 2 }).Notify(context.Background(), sampleEvent)
	var we *Error
	if !errors.As(err, &we) || we.Attempts != 2 || we.Err == nil {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("message %q should still name the host", err)
	}
	assertRedacted(t, err)
}

func TestWebhookStopsWhenCancelled(t *testing.T) {
	srv := newHookServer(t, 503)
	w := newTestWebhook(t, srv.hookURL(), func(o *WebhookOptions) { o.Backoff = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(srv.requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	err := w.Notify(ctx, sampleEvent)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v; want context.Canceled", err)
	}
}

func TestWebhookHTTPS(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
	defer srv.Close()
	w := newTestWebhook(t, srv.URL+"/hook", func(o *WebhookOptions) { o.HTTPClient = srv.Client() })
	if err := w.Notify(context.Background(), sampleEvent); err != nil || got.Load() != 1 {
		t.Fatalf("err %v, %d requests", err, got.Load())
	}
}

func TestValidateURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://hooks.slack.com/services/T/B/XyZsEcReT42", true},
		{"https://example.com:8443/hook?token=abc123", true},
		{"http://127.0.0.1:9999/hook", true},
		{"http://localhost/hook", true},
		{"http://[::1]:8080/hook", true},
		{"http://example.com/services/XyZsEcReT42", false},
		{"http://10.0.0.5/hook", false},
		{"ftp://example.com/XyZsEcReT42", false},
		{"https:///XyZsEcReT42", false},
		{"hooks.slack.com/XyZsEcReT42", false},
		{"://bad/XyZsEcReT42", false},
		{"", false},
	}
	for _, tt := range tests {
		err := ValidateURL(tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateURL(%q) = %v; want ok=%v", tt.url, err, tt.ok)
		}
		if err != nil {
			assertRedacted(t, err)
			if _, nerr := NewWebhook(WebhookOptions{URL: tt.url}); nerr == nil {
				t.Errorf("NewWebhook accepted %q", tt.url)
			}
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.slack.com/services/T/B/XyZsEcReT42": "https://hooks.slack.com/…",
		"https://user:pw@example.com:8443?token=abc123":    "https://example.com:8443/…",
		"https://example.com":                              "https://example.com",
		"https://example.com/":                             "https://example.com",
		"not a url":                                        "(invalid URL)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestMultiNotifiesAll(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	ok := Func(func(_ context.Context, ev Event) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, "ok:"+ev.Run)
		return nil
	})
	boom := errors.New("boom")
	bad := Func(func(context.Context, Event) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, "bad")
		return boom
	})
	err := Multi{ok, nil, bad}.Notify(context.Background(), sampleEvent)
	if !errors.Is(err, boom) || len(seen) != 2 {
		t.Errorf("err %v, seen %v", err, seen)
	}
	if err := (Multi{ok}).Notify(context.Background(), sampleEvent); err != nil {
		t.Errorf("all ok: %v", err)
	}
}
