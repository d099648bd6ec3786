package fakeshop

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// findSchema walks up from the package directory to the folder that holds the repo and
// shared/ side by side; "" when the schema file is absent.
func findSchema() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "..", "shared", "shopify", "admin-2026-04.graphql")
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

func loadRealSchema() (*ast.Schema, error) {
	p := findSchema()
	if p == "" {
		return nil, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return gqlparser.LoadSchema(&ast.Source{Name: "admin-2026-04.graphql", Input: string(b)})
}

// TestMain runs the tests, then checks every document they sent against the real 2026-04
// schema: this keeps the simulator's field and argument names honest.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && len(documents) > 0 {
		if err := validateDocuments(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: schema check:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func validateDocuments() error {
	sc, err := loadRealSchema()
	if err != nil {
		return err
	}
	if sc == nil {
		fmt.Fprintln(os.Stderr, "schema check skipped: admin-2026-04.graphql not found")
		return nil
	}
	var docs []string
	for d := range documents {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	var problems []string
	for _, d := range docs {
		if _, errs := gqlparser.LoadQueryWithRules(sc, d, nil); len(errs) > 0 {
			problems = append(problems, fmt.Sprintf("%v\n  in: %s", errs, strings.Join(strings.Fields(d), " ")))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d of %d documents do not validate:\n%s", len(problems), len(docs), strings.Join(problems, "\n"))
	}
	fmt.Fprintf(os.Stderr, "schema check: %d documents validate against admin-2026-04.graphql\n", len(docs))
	return nil
}

// TestSimulatorTypesExistInSchema checks that every type and field the simulator serves exists
// with the same name in the real schema (connection and edge types included).
func TestSimulatorTypesExistInSchema(t *testing.T) {
	sc, err := loadRealSchema()
	if err != nil {
		t.Fatal(err)
	}
	if sc == nil {
		t.Skip("admin-2026-04.graphql not found")
	}
	for name, td := range getSchema().types {
		real := sc.Types[name]
		if real == nil {
			t.Errorf("type %s is not in the schema", name)
			continue
		}
		for f := range td.fields {
			if real.Fields.ForName(f) == nil {
				t.Errorf("field %s.%s is not in the schema", name, f)
			}
		}
	}
}
