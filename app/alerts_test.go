package app

import (
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
	wait(t, b, "alerts")
	if v.url.Text != "" {
		t.Fatal("the webhook URL stays in the entry after saving")
	}
	if v.current.Text != "https://hooks.example.com/…" || v.test.Disabled() || !b.alerts.NotifyOnSuccess {
		t.Fatalf("after: %q, test enabled %v, on success %v", v.current.Text, !v.test.Disabled(), b.alerts.NotifyOnSuccess)
	}
}
