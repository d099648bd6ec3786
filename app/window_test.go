package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func newTestWindow(t *testing.T) (*mainWindow, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, "9.9.9")
	w.SetContent(m.build())
	w.Resize(fyne.NewSize(1024, 700))
	return m, w
}

func TestEmptyStateOffersConnectAndDemo(t *testing.T) {
	m, _ := newTestWindow(t)
	if m.connectButton.Text != "Connect a store" || m.demoButton.Text != "Try the demo store" {
		t.Fatalf("buttons: %q, %q", m.connectButton.Text, m.demoButton.Text)
	}
	if m.connectButton.Disabled() || m.demoButton.Disabled() {
		t.Fatal("empty-state buttons must be usable")
	}
}

func TestAboutShowsVersion(t *testing.T) {
	m, w := newTestWindow(t)
	m.onAbout()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("About did not open a dialog")
	}
	found := false
	walk(top, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Shelfsync 9.9.9") {
			found = true
		}
	})
	if !found {
		t.Fatal("About does not show the version")
	}
}

// walk visits every object under o, descending into containers and widgets.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, visit)
		}
	}
}
