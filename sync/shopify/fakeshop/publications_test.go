package fakeshop

import (
	"slices"
	"strings"
	"testing"
)

// A product is on no publication until it is published; publishablePublish
// needs write_publications and refuses unknown publications as a whole.
func TestPublications(t *testing.T) {
	_, sh, _ := newTestShop(t, PlanGrow)
	tok := sh.Install("pub-app", append(slices.Clone(allScopes), "write_publications"))
	sh.Seed([]Product{{Handle: "tee", Title: "Tee"}})
	id := sh.Snapshot()[0].ID

	d := gql(t, sh, tok, `query { publications(first: 10) { nodes { id autoPublish catalog { title } } } }`, nil)
	var online string
	for _, n := range dig(d, "publications", "nodes").([]any) {
		if dig(n, "catalog", "title") == "Online Store" {
			online = dig(n, "id").(string)
			if dig(n, "autoPublish") != false {
				t.Error("the Online Store auto-publishes")
			}
		}
	}
	if online == "" || len(sh.PublishedOn("tee")) != 0 {
		t.Fatalf("online %q, published on %q", online, sh.PublishedOn("tee"))
	}

	const publish = `mutation P($id: ID!, $input: [PublicationInput!]!) { publishablePublish(id: $id, input: $input) { userErrors { field message } } }`
	d = gql(t, sh, tok, publish, map[string]any{"id": id, "input": []any{map[string]any{"publicationId": online}, map[string]any{"publicationId": "gid://shopify/Publication/1"}}})
	if errs := dig(d, "publishablePublish", "userErrors").([]any); len(errs) != 1 || len(sh.PublishedOn("tee")) != 0 {
		t.Fatalf("unknown publication: %v, published on %q", errs, sh.PublishedOn("tee"))
	}
	gql(t, sh, tok, publish, map[string]any{"id": id, "input": []any{map[string]any{"publicationId": online}}})
	if got := sh.PublishedOn("tee"); !slices.Equal(got, []string{"Online Store"}) {
		t.Fatalf("published on %q", got)
	}
	d = gql(t, sh, tok, `query($id: ID!, $p: ID!) { product(id: $id) { publishedOnPublication(publicationId: $p) } }`, map[string]any{"id": id, "p": online})
	if dig(d, "product", "publishedOnPublication") != true {
		t.Errorf("publishedOnPublication: %v", d)
	}

	// Without write_publications the mutation is denied.
	noPub := sh.Install("plain-app", allScopes)
	r := post(t, sh, noPub, "2026-04", publish, map[string]any{"id": id, "input": []any{map[string]any{"publicationId": online}}})
	if !strings.Contains(r.Raw, "ACCESS_DENIED") || !strings.Contains(r.Raw, "write_publications") {
		t.Errorf("without the scope: %s", r.Raw)
	}
}
