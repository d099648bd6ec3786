package oauth_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLeafPackage keeps oauth a leaf: no production file under oauth/
// imports the sync engine, the app or Fyne (tests may use the simulator).
func TestLeafPackage(t *testing.T) {
	forbidden := []string{"github.com/shelfsync/shelfsync/sync", "github.com/shelfsync/shelfsync/app", "fyne.io/"}
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s", path, p)
				}
			}
		}
		return nil
	})
	if err != nil || checked < 10 {
		t.Fatalf("walked %d files: %v", checked, err)
	}
}
