package shopify

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

// TestEveryDocumentIsListed keeps Documents() complete, so the schema
// contract test sees every document the package sends: each string constant
// or variable of the package's own code that holds a GraphQL operation must
// be one of Documents()' values. A document added without listing it fails
// here, with or without the schema beside the repository.
func TestEveryDocumentIsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, doc := range Documents() {
		listed[doc] = true
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok {
					return true
				}
				for i, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil || !isOperation(s) {
						continue
					}
					found++
					if !listed[s] {
						t.Errorf("%s (%s) is a GraphQL document missing from Documents(), so the schema contract test never checks it",
							vs.Names[i].Name, fset.Position(lit.Pos()))
					}
				}
				return true
			})
		}
	}
	if found < 15 {
		t.Fatalf("found only %d documents in the package's source: the scan is broken", found)
	}
}

// isOperation reports a string that starts a GraphQL query or mutation.
func isOperation(s string) bool {
	s = strings.TrimSpace(s)
	for _, kw := range []string{"query ", "query{", "query(", "mutation ", "mutation{", "mutation("} {
		if strings.HasPrefix(s, kw) {
			return true
		}
	}
	return false
}
