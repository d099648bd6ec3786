package cli

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoFyneOutsideApp keeps the engine and the command line usable without a
// display: oauth/, sync/ and app/cli must never import Fyne.
func TestNoFyneOutsideApp(t *testing.T) {
	checked := 0
	repo := filepath.Join("..", "..") // this package lives in app/cli
	for _, dir := range []string{"oauth", "sync", filepath.Join("app", "cli")} {
		root := filepath.Join(repo, dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			checked++
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(p, "fyne.io/") {
					t.Errorf("%s imports %s: only app/ may import Fyne", path, p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("no Go files found under oauth/, sync/ or app/cli: the test is looking in the wrong place")
	}
}
