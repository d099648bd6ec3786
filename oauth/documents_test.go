package oauth_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shelfsync/shelfsync/oauth"
)

// findShared walks up from the package directory to the folder that holds
// the repository and returns rel inside its sibling "shared", or "".
func findShared(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// TestDocumentsValidate checks every GraphQL document against Shopify's
// 2026-04 Admin schema.
func TestDocumentsValidate(t *testing.T) {
	path := findShared(filepath.Join("shopify", "admin-2026-04.graphql"))
	if path == "" {
		t.Skip("shared/shopify/admin-2026-04.graphql not found")
	}
	sdl, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: filepath.Base(path), Input: string(sdl)})
	if gerr != nil {
		t.Fatalf("schema: %v", gerr)
	}
	docs := oauth.Documents()
	if len(docs) == 0 {
		t.Fatal("no documents")
	}
	for name, doc := range docs {
		q, errs := gqlparser.LoadQueryWithRules(schema, doc, nil)
		if len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
			continue
		}
		if len(q.Operations) != 1 || q.Operations[0].Name != name {
			t.Errorf("%s: the document's operation must be named %s", name, name)
		}
	}
}
