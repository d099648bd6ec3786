package fakeshop

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

const testClient = "test-client"

var allScopes = []string{"write_products", "write_inventory", "read_locations"}

// documents collects every GraphQL document the tests send, for the schema check.
var documents = map[string]bool{}

func newTestShop(t testing.TB, plan Plan) (*Server, *Shop, string) {
	t.Helper()
	srv := NewServer(Options{})
	t.Cleanup(func() { _ = srv.Close() })
	srv.RegisterApp(App{ClientID: testClient, ClientSecret: "shpss_secret", RedirectURIs: []string{"http://127.0.0.1:9999/callback"},
		Scopes: allScopes, OwnOrganization: true})
	sh, err := srv.AddShop("test-shop", plan)
	if err != nil {
		t.Fatal(err)
	}
	return srv, sh, sh.Install(testClient, allScopes)
}

type gqlResp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func post(t testing.TB, sh *Shop, token, version, query string, vars map[string]any) gqlResp {
	t.Helper()
	documents[query] = true
	return postRaw(t, sh, token, version, query, vars)
}

// postRaw is post for documents that are invalid on purpose (not schema-checked).
func postRaw(t testing.TB, sh *Shop, token, version, query string, vars map[string]any) gqlResp {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", sh.URL()+"/admin/api/"+version+"/graphql.json", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Access-Token", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := gqlResp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// gql posts to 2026-04 and fails the test on HTTP or GraphQL errors.
func gql(t testing.TB, sh *Shop, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := post(t, sh, token, "2026-04", query, vars)
	if r.Status != 200 || r.Body["errors"] != nil {
		t.Fatalf("query failed: %d %s", r.Status, r.Raw)
	}
	return r.Body["data"].(map[string]any)
}

// dig walks maps and lists: dig(m, "products", "nodes", 0, "id").
func dig(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}
