package shopify

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

const schemaRel = "shared/shopify/admin-2026-04.graphql"

var (
	schemaOnce sync.Once
	schema     *ast.Schema
	schemaErr  error
	schemaPath string
)

// adminSchema loads the real Admin API schema once per test binary (it is
// 3.4 MB). It looks for shared/shopify/ beside the repository root, walking
// up from the package directory, and skips the test when it is absent.
func adminSchema(t *testing.T) *ast.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			schemaErr = err
			return
		}
		for {
			p := filepath.Join(dir, schemaRel)
			if _, err := os.Stat(p); err == nil {
				schemaPath = p
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
		b, err := os.ReadFile(schemaPath)
		if err != nil {
			schemaErr = err
			return
		}
		s, gerr := gqlparser.LoadSchema(&ast.Source{Name: schemaRel, Input: string(b)})
		if gerr != nil {
			schemaErr = gerr
			return
		}
		schema = s
	})
	if schemaErr != nil {
		t.Fatalf("loading %s: %v", schemaPath, schemaErr)
	}
	if schema == nil {
		t.Skipf("%s not found beside the repository; skipping schema validation", schemaRel)
	}
	return schema
}

// validate parses doc and checks it against the schema with the standard
// rules (validator.Validate is deprecated in favour of ValidateWithRules).
func validate(s *ast.Schema, doc string) gqlerror.List {
	qd, err := parser.ParseQuery(&ast.Source{Input: doc})
	if err != nil {
		return gqlerror.List{gqlerror.Wrap(err)}
	}
	return validator.ValidateWithRules(s, qd, nil) // nil: the default rules
}

func TestDocumentsValidateAgainstSchema(t *testing.T) {
	s := adminSchema(t)
	docs := Documents()
	if len(docs) < 15 {
		t.Fatalf("only %d documents", len(docs))
	}
	for name, doc := range docs {
		if errs := validate(s, doc); len(errs) > 0 {
			t.Errorf("%s does not validate: %v", name, errs)
		}
	}
}

// TestContractCatchesBadDocuments proves the check above can fail.
func TestContractCatchesBadDocuments(t *testing.T) {
	s := adminSchema(t)
	for _, doc := range []string{
		`query { shop { nameX } }`,
		// There is no top-level sku in ProductVariantsBulkInput (FACTS.md §9).
		`mutation { productVariantsBulkUpdate(productId: "1", variants: [{sku: "x"}]) { userErrors { field } } }`,
		`query Q($n: Int!) { products(first: $n) { nodes { id } } } query Q2 { products(first: $m) { nodes { id } } }`,
	} {
		if errs := validate(s, doc); len(errs) == 0 {
			t.Errorf("invalid document accepted: %s", doc)
		}
	}
}

func TestIdempotentDocumentsCarryKey(t *testing.T) {
	for name, doc := range map[string]string{"SetInventory": docSetInventory, "InventoryActivate": docInventoryActivate} {
		if !parseDoc(doc).idempotent {
			t.Errorf("%s lacks @idempotent", name)
		}
	}
	if parseDoc(docProductDelete).idempotent {
		t.Error("ProductDelete wrongly marked idempotent")
	}
}
