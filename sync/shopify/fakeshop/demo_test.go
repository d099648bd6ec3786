package fakeshop

import (
	"net/url"
	"strings"
	"testing"
)

func TestStartDemo(t *testing.T) {
	d, err := StartDemo(DemoOptions{RedirectURIs: []string{"http://127.0.0.1:9999/callback"}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Domain != "shelfsync-demo.myshopify.com" || !strings.HasPrefix(d.URL, "http://127.0.0.1:") || !strings.HasPrefix(d.Token, "shpat_") {
		t.Fatalf("%+v", d)
	}
	data := gql(t, d.Shop, d.Token, `{ shop { plan { publicDisplayName } } productsCount { count } locations(first: 5) { nodes { name } } }`, nil)
	if dig(data, "shop", "plan", "publicDisplayName") != "Grow" || dig(data, "productsCount", "count") != 12.0 || dig(data, "locations", "nodes", 1, "name") != "Shop floor" {
		t.Fatalf("%v", data)
	}
	// The generated app works for client credentials and for the install page.
	st, b := tokenRequest(t, d.Shop, true, map[string]string{"client_id": d.ClientID, "client_secret": d.ClientSecret, "grant_type": "client_credentials"})
	if st != 200 || b["expires_in"] != 86399.0 {
		t.Fatalf("%d %v", st, b)
	}
	q := authorize(t, d.Shop, url.Values{"client_id": {d.ClientID}, "scope": {"write_products"}, "redirect_uri": {"http://127.0.0.1:9999/callback"}, "state": {"s1"}}, "install")
	if q.Get("code") == "" {
		t.Fatal("no code")
	}
	fixed, err := StartDemo(DemoOptions{Addr: "127.0.0.1:0", Catalog: []Product{}})
	if err != nil {
		t.Fatal(err)
	}
	defer fixed.Close()
	if fixed.ClientID == d.ClientID || fixed.ClientSecret == d.ClientSecret || len(fixed.Shop.Snapshot()) != 0 {
		t.Fatal("each demo run needs its own credentials and the given catalog")
	}
	if _, err := StartDemo(DemoOptions{Addr: "10.0.0.1:80"}); err == nil {
		t.Fatal("a non-loopback address must be refused")
	}
}
