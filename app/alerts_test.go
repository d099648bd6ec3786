package app

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestAlertsSaveKeepsTheURLOutOfTheWindow(t *testing.T) {
	b := newFakeBackend()
	b.add("alpine", "")
	m, _ := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	v := m.alerts
	if v.current.Text != "none" || !v.test.Disabled() {
		t.Fatalf("before: %q, test enabled %v", v.current.Text, !v.test.Disabled())
	}
	test.Type(v.url, "https://hooks.example.com/services/T000/B000/secret")
	v.onSuccess.SetChecked(true)
	test.Tap(v.save)
	wait(t, b, "alerts-done")
	if v.url.Text != "" {
		t.Fatal("the webhook URL stays in the entry after saving")
	}
	if v.current.Text != "https://hooks.example.com/…" || v.test.Disabled() || !b.alerts.NotifyOnSuccess {
		t.Fatalf("after: %q, test enabled %v, on success %v", v.current.Text, !v.test.Disabled(), b.alerts.NotifyOnSuccess)
	}
}

// TestAlertsErrorKeepsTheTypedURL: a refused URL stays in the field to be
// corrected; the tab says what a webhook is for; a test confirms it was sent.
func TestAlertsErrorKeepsTheTypedURL(t *testing.T) {
	b := newFakeBackend()
	b.add("alpine", "")
	m, w := newTestWindow(t, b)
	m.stores.list.Select(0)
	wait(t, b, "store")
	v := m.alerts
	b.mu.Lock()
	b.err = errors.New("the webhook must be an https:// address")
	b.mu.Unlock()
	test.Type(v.url, "http://hooks.example.com/x")
	test.Tap(v.save)
	wait(t, b, "alerts-done")
	if v.url.Text != "http://hooks.example.com/x" || w.Canvas().Overlays().Top() == nil {
		t.Fatalf("after an error the field holds %q", v.url.Text)
	}
	w.Canvas().Overlays().Top().Hide()
	b.mu.Lock()
	b.err = nil
	b.mu.Unlock()
	v.url.SetText("https://hooks.example.com/x")
	test.Tap(v.save)
	wait(t, b, "alerts-done")
	test.Tap(v.test)
	wait(t, b, "alerts-done")
	if v.result.Hidden || !strings.Contains(v.result.Text, "Test sent") {
		t.Fatalf("no confirmation of the test: %q", v.result.Text)
	}
	if !hasLabel(v.content, "Slack, Microsoft Teams, Discord") {
		t.Fatal("the tab does not say what a webhook is for")
	}
}
