package workspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// The demo sheet's new product goes to the Online Store; the store's
// setting leaves new products unpublished when the sheet doesn't say.
func TestPublishSettingPerStore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	req := SyncRequest{StoreID: s.ID, Source: w.DemoSheetPath(), LocationID: mainWarehouse(t, w, s.ID)}
	created := func() string {
		t.Helper()
		plan, err := w.PlanSync(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, pp := range plan.Products {
			if pp.Action == catalogsync.ActCreate {
				return pp.Message
			}
		}
		t.Fatal("the demo sheet creates no product")
		return ""
	}
	if m := created(); m != "will be published to Online Store" {
		t.Errorf("default: %q", m)
	}
	if err := w.SetPublishNew(ctx, s.ID, catalogsync.PublishNone); err != nil {
		t.Fatal(err)
	}
	if m, err := w.PublishNew(ctx, s.ID); err != nil || m != catalogsync.PublishNone {
		t.Fatalf("saved %q %v", m, err)
	}
	if m := created(); !strings.Contains(m, "stays unpublished: the store's setting") {
		t.Errorf("none: %q", m)
	}
}

// A store connected without the publishing scopes is healthy (a sync runs),
// and Status lists the two scopes as missing.
func TestMissingPublishScopesShowButDoNotAlarm(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	tok := sh.Install("custom-app", oauth.RequiredScopes())
	s, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: tok, BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.TokenStatus(ctx, s.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(st.Missing, ",") != "read_publications,write_publications,read_markets,read_metaobject_definitions,read_metaobjects,write_files" || st.Health != HealthHealthy || s.Health != HealthHealthy {
		t.Errorf("missing %v, health %v / %v", st.Missing, st.Health, s.Health)
	}
}
