package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// TestImagesNeedWriteFiles: a sheet that changes an existing product's alt
// text, adds an image and (blank-clears) leaves one out. On a store granted
// only the required scopes, the plan sends no fileUpdate or fileDelete, says
// why in the preview, still adds the new image and completes with no error;
// its undo leaves the added image and says so. With write_files the alt text
// changes, the left-out image comes off, and the undo takes the new one off.
func TestImagesNeedWriteFiles(t *testing.T) {
	sheet := "Handle,Title,Image Src,Image Position,Image Alt Text\n" +
		"tee,Tee,https://img.example.com/front.jpg,1,Front view\n" +
		"tee,,https://img.example.com/side.jpg,2,Side\n"
	for _, c := range []struct {
		name  string
		files bool
	}{{"without write_files", false}, {"with write_files", true}} {
		t.Run(c.name, func(t *testing.T) {
			scopes := []string{"write_products", "write_inventory", "read_locations"} // the required ones
			if c.files {
				scopes = append(scopes, "write_files")
			}
			h := newHarnessScopes(t, fakeshop.PlanAdvanced, 50, scopes)
			seedTee(h)
			cat, err := source.ReadCSV(strings.NewReader(sheet), source.Options{BlankClears: true})
			if err != nil {
				t.Fatal(err)
			}
			p, res := h.sync(t, cat, h.opts())
			text := planText(p)
			var fileChanges int
			for _, pp := range p.Products {
				for _, ic := range pp.Images {
					if needsFiles(ic.Change) {
						fileChanges++
					}
				}
			}
			stats := h.sh.Stats().Mutations
			if res.Counts.Errors != 0 || !strings.Contains(text, "image 2 added: https://img.example.com/side.jpg") {
				t.Fatalf("run: %+v\n%s", res.Counts, text)
			}
			got := mediaState(h)
			if !strings.Contains(got, "side.jpg Side READY") {
				t.Fatalf("the new image was not added:\n%s", got)
			}
			if !c.files {
				if fileChanges != 0 || stats["fileUpdate"]+stats["fileDelete"] != 0 || strings.Count(text, msgNoWriteFiles) != 2 {
					t.Fatalf("%d file changes planned, %v sent; preview:\n%s", fileChanges, stats, text)
				}
				if !strings.Contains(got, "front.jpg Front READY") || !strings.Contains(got, "back.jpg Back READY") {
					t.Fatalf("images changed without write_files:\n%s", got)
				}
			} else {
				if fileChanges != 2 || strings.Contains(text, msgNoWriteFiles) ||
					!strings.Contains(got, "front.jpg Front view READY") || strings.Contains(got, "back.jpg") {
					t.Fatalf("with write_files: %d file changes\n%s\nstore:\n%s", fileChanges, text, got)
				}
			}

			up, err := h.eng.PlanUndo(context.Background(), h.st, res.RunID)
			if err != nil {
				t.Fatal(err)
			}
			ur, err := h.eng.Apply(context.Background(), h.st, up, ApplyOptions{})
			if err != nil || ur.Counts.Errors != 0 {
				t.Fatalf("undo: %v %+v\n%s", err, ur, planText(up))
			}
			after, utext := mediaState(h), planText(up)
			stays := "the image https://img.example.com/side.jpg the run added stays: " + msgNoWriteFiles
			if !c.files && (!strings.Contains(utext, stays) || !strings.Contains(after, "side.jpg Side READY")) {
				t.Fatalf("undo without write_files:\n%s\nstore:\n%s", utext, after)
			}
			if c.files && (strings.Contains(after, "side.jpg") || !strings.Contains(after, "front.jpg Front READY")) {
				t.Fatalf("undo with write_files:\n%s\nstore:\n%s", utext, after)
			}
		})
	}
}
