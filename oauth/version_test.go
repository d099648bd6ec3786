package oauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestInspectWarnsOfServedVersion (F15): Inspect, which the Status tab and
// connecting use, reports a version other than the one asked for.
func TestInspectWarnsOfServedVersion(t *testing.T) {
	sim := newSimulated(t, true)
	tok := sim.shop.Install(sim.app.ClientID, nil)
	cfg := oauth.InspectConfig{BaseURL: sim.shop.URL(), Token: tok}
	info, err := oauth.Inspect(context.Background(), cfg)
	if err != nil || len(info.Warnings) != 0 {
		t.Fatalf("%+v %v", info, err)
	}
	sim.shop.ServeVersion("2026-07")
	info, err = oauth.Inspect(context.Background(), cfg)
	if err != nil || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "2026-07") {
		t.Fatalf("%+v %v", info, err)
	}
}
