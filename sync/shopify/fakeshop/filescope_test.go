package fakeshop

import (
	"slices"
	"strings"
	"testing"
)

// fileUpdate and fileDelete need write_files, not write_products: without it
// both are denied and nothing changes; with it they go through.
func TestFileMutationsNeedWriteFiles(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Seed([]Product{{Handle: "tee", Title: "Tee", Media: []Media{{Source: "https://img.example/a.jpg", Alt: "old"}}}})
	mid := sh.Snapshot()[0].Media[0].ID
	const update = `mutation U($files: [FileUpdateInput!]!) { fileUpdate(files: $files) { files { id } userErrors { field message } } }`
	const del = `mutation D($ids: [ID!]!) { fileDelete(fileIds: $ids) { deletedFileIds userErrors { field message } } }`
	alt := map[string]any{"files": []any{map[string]any{"id": mid, "alt": "new"}}}
	for _, c := range []struct {
		name, doc string
		vars      map[string]any
	}{{"fileUpdate", update, alt}, {"fileDelete", del, map[string]any{"ids": []any{mid}}}} {
		r := post(t, sh, tok, "2026-04", c.doc, c.vars)
		if !strings.Contains(r.Raw, "ACCESS_DENIED") || !strings.Contains(r.Raw, "write_files") || !strings.Contains(r.Raw, "Access denied for "+c.name) {
			t.Errorf("%s without write_files: %s", c.name, r.Raw)
		}
	}
	if m := sh.Snapshot()[0].Media; len(m) != 1 || m[0].Alt != "old" {
		t.Fatalf("a denied mutation changed the images: %+v", m)
	}

	files := sh.Install("files-app", append(slices.Clone(allScopes), "write_files"))
	gql(t, sh, files, update, alt)
	if m := sh.Snapshot()[0].Media; len(m) != 1 || m[0].Alt != "new" {
		t.Fatalf("fileUpdate with write_files: %+v", m)
	}
	gql(t, sh, files, del, map[string]any{"ids": []any{mid}})
	if m := sh.Snapshot()[0].Media; len(m) != 0 {
		t.Fatalf("fileDelete with write_files: %+v", m)
	}
}
