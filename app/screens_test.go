package app

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// artifactDir is where screenshots go: $SHELFSYNC_ARTIFACTS in CI, else a temp dir.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("SHELFSYNC_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err == nil {
			return d
		}
	}
	return t.TempDir()
}

func savePNG(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	p := filepath.Join(artifactDir(t), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// agencyBackend is an agency's morning: five stores in every state.
func agencyBackend() *fakeBackend {
	now := time.Now()
	run := func(created, updated, errs int, state string, ago time.Duration) workspace.RunSummary {
		return workspace.RunSummary{ID: "run", Created: created, Updated: updated, Errors: errs, State: state, Started: now.Add(-ago)}
	}
	b := newFakeBackend()
	add := func(name, group string, h workspace.Health, text string, recent ...workspace.RunSummary) {
		s := b.add(name, group)
		s.Health, s.HealthText, s.Recent = h, text, recent
		s.ConnectionText = text                                  // as the workspace judges the token
		if h == workspace.HealthSyncing || text == "Connected" { // "Syncing now" is a run, not the token
			s.ConnectionText = "Connected · token renews itself"
		}
		if len(recent) > 0 {
			last := recent[len(recent)-1]
			s.LastRun = &last
			s.NextRun = now.Add(47 * time.Minute)
		}
		b.stores[len(b.stores)-1] = s
	}
	add("Alpine Outfitters", "Acme Agency", workspace.HealthHealthy, "Connected",
		run(3, 40, 0, "finished", 5*time.Hour), run(0, 12, 0, "finished", 3*time.Hour), run(1, 25, 0, "finished", time.Hour))
	add("Bolt Bikes", "Acme Agency", workspace.HealthAttention, "Reconnect needed",
		run(0, 30, 0, "finished", 4*time.Hour), run(0, 0, 3, "failed", 2*time.Hour))
	add("Coastal Coffee", "Acme Agency", workspace.HealthExpiring, "Sign-in expires soon",
		run(2, 8, 0, "finished", 6*time.Hour), run(0, 14, 1, "finished", 30*time.Minute))
	add("Dune Ceramics", "Studio North", workspace.HealthOffline, "Couldn't verify (offline?)")
	add("Evergreen Books", "Studio North", workspace.HealthSyncing, "Syncing now",
		run(5, 60, 0, "finished", 8*time.Hour), run(0, 22, 0, "finished", 4*time.Hour), run(0, 9, 0, "running", time.Minute))
	return b
}

// TestScreenshotDashboard renders the agency dashboard in both themes; the
// PNGs are looked at by a person (CI keeps them as artifacts).
func TestScreenshotDashboard(t *testing.T) {
	for _, variant := range []struct {
		name string
		th   fyne.Theme
	}{{"dark", fixedVariant{theme.DefaultTheme(), theme.VariantDark}}, {"light", fixedVariant{theme.DefaultTheme(), theme.VariantLight}}} {
		t.Run(variant.name, func(t *testing.T) {
			b := agencyBackend()
			m, w := newTestWindow(t, b)
			test.ApplyTheme(t, variant.th)
			w.Resize(fyne.NewSize(1100, 700))
			if got := len(m.dashboard.rows.Objects); got != 5 {
				t.Fatalf("dashboard rows = %d, want 5", got)
			}
			if !strings.HasPrefix(m.dashboard.summary.Text, "5 stores · 3 need attention ·") {
				t.Fatalf("summary %q", m.dashboard.summary.Text)
			}
			savePNG(t, w, "dashboard-"+variant.name+".png")
		})
	}
}

// TestScreenshotStatus renders the token-status panel of a store whose
// token is renewed by Shelfsync.
func TestScreenshotStatus(t *testing.T) {
	b := agencyBackend()
	id := b.stores[0].ID
	b.status[id] = workspace.TokenStatus{
		StoreID: id, Shop: "alpine-outfitters.myshopify.com", ShopName: "Alpine Outfitters", Plan: "Advanced",
		KindLabel: "OAuth, expiring (renewed automatically)", MaskedToken: "shpat_****3f9a", Renews: true,
		ExpiresAt: time.Now().Add(41 * time.Minute), RefreshExpiresAt: time.Now().Add(89 * 24 * time.Hour),
		LastVerified: time.Now().Add(-2 * time.Minute),
		Granted:      []string{"read_inventory", "read_locations", "read_products", "write_inventory", "write_products"},
		Health:       workspace.HealthHealthy, Title: "Connected",
	}
	m, w := newTestWindow(t, b)
	test.ApplyTheme(t, fixedVariant{theme.DefaultTheme(), theme.VariantDark})
	w.Resize(fyne.NewSize(1100, 700))
	m.stores.selectStore(id)
	wait(t, b, "store")
	savePNG(t, w, "status.png")
}

// fixedVariant is the default theme in one variant, whatever the system
// prefers, so screenshots are taken in both.
type fixedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
