package sync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// seedTee is a product with two images (front, back), the red variant
// showing the back.
func seedTee(h *harness) {
	h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee",
		Options: []fakeshop.Option{{Name: "Color", Values: []string{"Red", "Blue"}}},
		Media: []fakeshop.Media{{Source: "https://img.example.com/front.jpg", Alt: "Front"},
			{Source: "https://img.example.com/back.jpg", Alt: "Back"}},
		Variants: []fakeshop.Variant{
			{SKU: "T-R", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}}, ImageSource: "https://img.example.com/back.jpg"},
			{SKU: "T-B", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Blue"}}}}}})
}

// mediaState is the shop's images of its first product: "file alt" in
// order, then each variant's image file.
func mediaState(h *harness) string {
	p := h.sh.Snapshot()[0]
	var b strings.Builder
	for _, m := range p.Media {
		b.WriteString(fileName(m.Source) + " " + m.Alt + " " + m.Status + "\n")
	}
	for _, v := range p.Variants {
		b.WriteString(v.SKU + "=" + fileName(v.ImageSource) + "\n")
	}
	return b.String()
}

func cdnOf(h *harness, file string) string {
	for _, m := range h.sh.Snapshot()[0].Media {
		if fileName(m.Source) == file {
			return m.URL
		}
	}
	return ""
}

// TestImagesOfExistingProducts: a sheet's images are synced to a product
// that exists — an image already there is recognised (Shopify's CDN address
// with another "?v=", Shelfsync's upload record, or, when the record is
// lost, the file name) and never uploaded again; a new one is added, alt
// text, order and a variant's image change, each shown in the preview; the
// resync plans nothing; the undo puts everything back.
func TestImagesOfExistingProducts(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	before := mediaState(h)
	front := strings.Replace(cdnOf(h, "front.jpg"), "?v=", "?v=9", 1) // a newer version query: the same file
	sheet := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text,Variant Image\n" +
		"tee,Tee,Color,Red,T-R,10.00," + front + ",1,Front view,https://img.example.com/side.jpg\n" +
		"tee,,,Blue,T-B,10.00,https://img.example.com/side.jpg,2,Side,\n" +
		"tee,,,,,," + cdnOf(h, "back.jpg") + ",3,Back,\n"
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	text := planText(p)
	for _, want := range []string{`alt text of image 1: Front → "Front view"`, `image 2 added: https://img.example.com/side.jpg (alt text "Side")`,
		`image order: front.jpg, back.jpg → front.jpg, side.jpg, back.jpg`, `image of variant T-R: back.jpg → side.jpg`} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if res.Counts.Errors != 0 || p.Counts.Changes != 4 {
		t.Fatalf("run: %+v, %d changes\n%s", res, p.Counts.Changes, text)
	}
	want := "front.jpg Front view READY\nside.jpg Side READY\nback.jpg Back READY\nT-R=side.jpg\nT-B=\n"
	if got := mediaState(h); got != want {
		t.Fatalf("store after the run:\n%s\nwant:\n%s", got, want)
	}
	assertNoWrites(t, h, sheet, h.opts()) // side.jpg: by Shelfsync's record

	// The record lost (a new computer): the file name still tells it.
	if err := h.db.ForgetMediaSources(context.Background(), h.storeID, []string{h.sh.Snapshot()[0].Media[1].ID}); err != nil {
		t.Fatal(err)
	}
	p2, err := h.eng.Plan(context.Background(), h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if p2.HasChanges() || !strings.Contains(strings.Join(p2.Notes, "\n"), "1 of the sheet's images were recognised in the store by file name") {
		t.Fatalf("without the record:\n%s", planText(p2))
	}

	up := undoRun(t, h, res.RunID)
	if got := mediaState(h); got != before {
		t.Fatalf("after undo:\n%s\nwant:\n%s\nundo plan:\n%s", got, before, planText(up))
	}
}

// TestImageFailureIsARowError: an image Shopify can't download ends FAILED
// after processing; the run reports it as the row's error with Shopify's
// reason (not a crash; the report has it on the image's row). The next run
// deletes it and fetches the address once more; when that fails too, the
// run says so, and later runs report it without uploading it again.
func TestImageFailureIsARowError(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	sheet := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position\n" +
		"tee,Tee,Color,Red,T-R,10.00,https://img.example.com/front.jpg,1\n" +
		"tee,,,Blue,T-B,10.00,https://img.example.com/back.jpg,2\n" +
		"tee,,,,,,https://photos.broken.invalid/gone.jpg,3\n"
	imageError := func(res *RunResult) string {
		var msg string
		for _, o := range res.Problems {
			if o.Field == ImageAdd {
				msg = string(o.State) + ": " + o.Message
			}
		}
		return msg
	}
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	if !strings.Contains(planText(p), "image 3 added: https://photos.broken.invalid/gone.jpg") {
		t.Fatalf("plan:\n%s", planText(p))
	}
	if msg := imageError(res); res.Counts.Errors != 1 || msg != "failed: Shopify could not use https://photos.broken.invalid/gone.jpg: Media could not be processed because the image could not be downloaded; the next sync fetches it once more" {
		t.Fatalf("run %+v, image entry %q", res, msg)
	}
	report, err := os.ReadFile(res.ReportPath)
	if err != nil || !strings.Contains(string(report), "4,tee,image,update,error,image added: https://photos.broken.invalid/gone.jpg,Shopify could not use") {
		t.Fatalf("report (%v):\n%s", err, report)
	}

	p, res = h.sync(t, readCSV(t, sheet), h.opts()) // once more
	text := planText(p)
	for _, want := range []string{"image 3 deleted (Shopify could not process it): https://photos.broken.invalid/gone.jpg",
		"image 3 fetched again (Shopify could not process it last time): https://photos.broken.invalid/gone.jpg"} {
		if !strings.Contains(text, want) {
			t.Errorf("second plan lacks %q:\n%s", want, text)
		}
	}
	if msg := imageError(res); res.Counts.Errors != 1 || !strings.HasSuffix(msg, "could not be downloaded (the second try); it is not fetched again: fix the address or the file") {
		t.Fatalf("second run %+v, image entry %q", res, msg)
	}
	if got := mediaState(h); strings.Count(got, "gone.jpg") != 1 || !strings.Contains(got, "gone.jpg  FAILED") {
		t.Fatalf("store after the second try:\n%s", got)
	}

	n := h.mutations()
	p, err = h.eng.Plan(context.Background(), h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() || h.mutations() != n || !strings.Contains(p.Products[0].Message, "image 3 (https://photos.broken.invalid/gone.jpg) failed in Shopify twice") {
		t.Fatalf("third run:\n%s", planText(p))
	}
}

// TestUndoDeletesFailedImage: the undo of a run that added an image Shopify
// could not process deletes that image (fileUpdate can't touch a FAILED
// file), journaled: the product and the store's Files are as before.
func TestUndoDeletesFailedImage(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	before, files := mediaState(h), len(h.sh.Files())
	sheet := "Handle,Title,Image Src,Image Position\n" +
		"tee,Tee,https://img.example.com/front.jpg,1\n" +
		"tee,,https://img.example.com/back.jpg,2\n" +
		"tee,,https://photos.broken.invalid/gone.jpg,3\n" +
		"tee,,https://img.example.com/side.jpg,4\n"
	_, res := h.sync(t, readCSV(t, sheet), h.opts())
	if res.Counts.Errors != 1 || !strings.Contains(mediaState(h), "gone.jpg  FAILED") || !strings.Contains(mediaState(h), "side.jpg  READY") {
		t.Fatalf("run %+v, store:\n%s", res, mediaState(h))
	}
	up := undoRun(t, h, res.RunID)
	if text := planText(up); !strings.Contains(text, "image 3 deleted (Shopify could not process it): https://photos.broken.invalid/gone.jpg") {
		t.Fatalf("undo plan:\n%s", text)
	}
	if got := mediaState(h); got != before {
		t.Fatalf("after undo:\n%s\nwant:\n%s", got, before)
	}
	for _, f := range h.sh.Files() {
		if strings.Contains(f.Source, "gone.jpg") {
			t.Fatalf("the failed image is still in the store's Files: %+v", f)
		}
	}
	if n := len(h.sh.Files()); n != files+1 { // side.jpg, taken off the product, stays in Files (it can be put back)
		t.Fatalf("%d files after undo, want %d", n, files+1)
	}
	runs, err := h.db.ListRuns(context.Background(), h.storeID, 1)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := h.db.JournalEntries(context.Background(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	journaled := false
	for _, en := range entries {
		journaled = journaled || (en.Field == ImageDelete && en.State == "done" && en.Old == "https://photos.broken.invalid/gone.jpg")
	}
	if !journaled {
		t.Fatalf("the undo's journal has no done imageDelete: %+v", entries)
	}
	// The undone run's image is fetched again by the next sync, once.
	p, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if text := planText(p); strings.Count(text, "gone.jpg") != 1 {
		t.Fatalf("resync after the undo:\n%s", text)
	}
}

// TestImagesStillProcessingWait: while Shopify processes a product's images,
// its images are left for the next run (nothing is uploaded twice).
func TestImagesStillProcessingWait(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	pid := h.sh.Snapshot()[0].ID
	if _, err := h.client.AddMedia(context.Background(), pid, []shopify.NewMedia{{Source: "https://img.example.com/new.jpg"}}); err != nil {
		t.Fatal(err)
	}
	sheet := "Handle,Title,Image Src\ntee,Tee,https://img.example.com/new.jpg\n"
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() || !strings.Contains(p.Products[0].Message, "still processing") {
		t.Fatalf("plan while processing:\n%s", planText(p))
	}
}

// TestImagesBlankClears: images the sheet leaves out stay, unless blank
// cells clear; then they are taken off the product (kept in the store's
// Files), and the undo puts them back.
func TestImagesBlankClears(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	before := mediaState(h)
	sheet := "Handle,Title,Image Src,Image Alt Text\ntee,Tee,https://img.example.com/back.jpg,Back\n"
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(planText(p), "image order: front.jpg, back.jpg → back.jpg, front.jpg") || strings.Contains(planText(p), "removed") {
		t.Fatalf("without blank-clears:\n%s", planText(p))
	}
	cat, err := source.ReadCSV(strings.NewReader(sheet), source.Options{BlankClears: true})
	if err != nil {
		t.Fatal(err)
	}
	p, res := h.sync(t, cat, h.opts())
	if !strings.Contains(planText(p), "image 1 removed: https://cdn.shopify.com/") {
		t.Fatalf("with blank-clears:\n%s", planText(p))
	}
	if got := mediaState(h); got != "back.jpg Back READY\nT-R=back.jpg\nT-B=\n" {
		t.Fatalf("after: %s", got)
	}
	undoRun(t, h, res.RunID)
	if got := mediaState(h); !strings.Contains(got, "front.jpg Front READY") || !strings.Contains(got, "back.jpg Back READY") {
		t.Fatalf("after undo:\n%s\nbefore:\n%s", got, before)
	}
}

// TestImagesBlankClearsFailed: with blank-clears, an image the sheet leaves
// out that Shopify could not process is deleted (fileUpdate can't take a
// file that isn't READY off its product).
func TestImagesBlankClearsFailed(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	ctx := context.Background()
	pid := h.sh.Snapshot()[0].ID
	if _, err := h.client.AddMedia(ctx, pid, []shopify.NewMedia{{Source: "https://photos.broken.invalid/gone.jpg"}}); err != nil {
		t.Fatal(err)
	}
	for range 3 { // Shopify gives up on it
		if _, err := h.client.ProductMedia(ctx, []string{pid}, nil); err != nil {
			t.Fatal(err)
		}
	}
	sheet := "Handle,Title,Image Src,Image Alt Text\ntee,Tee,https://img.example.com/front.jpg,Front\ntee,,https://img.example.com/back.jpg,Back\n"
	cat, err := source.ReadCSV(strings.NewReader(sheet), source.Options{BlankClears: true})
	if err != nil {
		t.Fatal(err)
	}
	p, res := h.sync(t, cat, h.opts())
	if !strings.Contains(planText(p), "image 3 deleted (Shopify could not process it)") || len(res.Problems) != 0 {
		t.Fatalf("run %+v:\n%s", res.Problems, planText(p))
	}
	if got := mediaState(h); got != "front.jpg Front READY\nback.jpg Back READY\nT-R=back.jpg\nT-B=\n" {
		t.Fatalf("after: %s", got)
	}
}

// TestImagesExportResync: the export writes every image with its CDN
// address, position, alt text and variant image, and syncing it back plans
// nothing.
func TestImagesExportResync(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	var buf strings.Builder
	if err := h.eng.Export(context.Background(), h.st, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, cdnOf(h, "front.jpg")+",1,Front") || !strings.Contains(out, cdnOf(h, "back.jpg")) {
		t.Fatalf("export:\n%s", out)
	}
	cat := readCSV(t, out)
	if got := cat.Products[0].Variants[0].ImageSrc; got != cdnOf(h, "back.jpg") {
		t.Fatalf("variant image %q", got)
	}
	assertNoWrites(t, h, out, Options{StoreID: h.storeID})
}

// lostAddAnswer adds images but loses the first answer, as a dropped
// connection after Shopify applied the request would.
type lostAddAnswer struct {
	*shopStore
	lost bool
}

func (s *lostAddAnswer) AddMedia(ctx context.Context, productID string, in []FileInput) ([]SnapMedia, error) {
	out, err := s.shopStore.AddMedia(ctx, productID, in)
	if err == nil && !s.lost {
		s.lost = true
		return nil, shopify.ErrOutcomeUnknown
	}
	return out, err
}

// TestImageAddAnswerLost: when the answer to an image upload is lost, the
// run re-reads the product and finds the image it added: it is not uploaded
// a second time, and the record of it is kept.
func TestImageAddAnswerLost(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	sheet := "Handle,Title,Image Src,Image Alt Text\ntee,Tee,https://img.example.com/front.jpg,Front\n" +
		"tee,,https://img.example.com/back.jpg,Back\ntee,,https://img.example.com/side.jpg,Side\n"
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	st := &lostAddAnswer{shopStore: h.st.(*shopStore)}
	res, err := h.eng.Apply(ctx, st, p, ApplyOptions{Confirm: true})
	if err != nil || !st.lost || len(res.Problems) != 0 {
		t.Fatalf("run %+v, %v (answer lost: %v)", res, err, st.lost)
	}
	for range 3 { // Shopify processes it
		if _, err := h.client.ProductMedia(ctx, []string{h.sh.Snapshot()[0].ID}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := mediaState(h); !strings.HasPrefix(got, "front.jpg Front READY\nback.jpg Back READY\nside.jpg Side READY\nT-R") {
		t.Fatalf("store:\n%s", got)
	}
	if n := h.sh.Stats().Mutations["productUpdate"]; n != 1 {
		t.Fatalf("productUpdate sent %d times, want 1", n)
	}
	assertNoWrites(t, h, sheet, h.opts())
}

// TestSampleImagesResync: a real export with images (apparel.csv, images on
// Shopify's burst CDN) is created; once Shopify has processed the images,
// the same file plans nothing — each image known by Shelfsync's record of
// the create, not uploaded again — and neither does the store's export.
func TestSampleImagesResync(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(samplesDir(t), "apparel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	h.sync(t, readCSV(t, string(raw)), h.opts())
	var ids []string
	images := 0
	for _, p := range h.sh.Snapshot() {
		ids = append(ids, p.ID)
		images += len(p.Media)
	}
	if images == 0 {
		t.Fatal("the sample created no images")
	}
	for range 3 { // Shopify processes them
		if _, err := h.client.ProductMedia(context.Background(), ids, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range h.sh.Snapshot() {
		for _, m := range p.Media {
			if m.Status != "READY" {
				t.Fatalf("%s: image %s is %s", p.Handle, m.Source, m.Status)
			}
		}
	}
	n := h.mutations()
	p, _ := h.sync(t, readCSV(t, string(raw)), h.opts())
	if p.HasChanges() || h.mutations() != n || strings.Contains(strings.Join(p.Notes, "\n"), "file name") {
		t.Fatalf("resync of %d images:\n%s", images, planText(p))
	}
	assertNoWrites(t, h, exportCSV(t, h), Options{StoreID: h.storeID})
}

// TestImagesReadInBulk: for a large catalog (here: past a threshold of 1)
// the images and variants' images are read with bulk operations, and the
// plan is the same as when read page by page.
func TestImagesReadInBulk(t *testing.T) {
	sheetOf := func(h *harness) string {
		return "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text,Variant Image\n" +
			"tee,Tee,Color,Red,T-R,10.00," + cdnOf(h, "front.jpg") + ",1,Front,https://img.example.com/side.jpg\n" +
			"tee,,,Blue,T-B,10.00,https://img.example.com/side.jpg,2,Side,\n" +
			"tee,,,,,," + cdnOf(h, "back.jpg") + ",3,Back,\n"
	}
	var plans []string
	for _, bulk := range []int{0, 1} {
		h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
		seedTee(h)
		o := h.opts()
		o.BulkThreshold = bulk
		started := h.sh.Stats().BulkStarted
		p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, sheetOf(h)), o)
		if err != nil {
			t.Fatal(err)
		}
		if n := h.sh.Stats().BulkStarted - started; bulk == 1 && n != 2 { // the images, the variants' images
			t.Fatalf("bulk operations: %d, want 2", n)
		}
		plans = append(plans, planText(p))
	}
	if plans[0] != plans[1] || !strings.Contains(plans[1], "image of variant T-R: back.jpg → side.jpg") {
		t.Fatalf("paged:\n%s\nbulk:\n%s", plans[0], plans[1])
	}
}

// TestImagesOfNewVariants: a variant added to an existing product gets its
// image in the same run: one the store has goes with the create; a new one
// is added to the product first and, once Shopify has processed it, set on
// the variant as it is created. The resync plans nothing, and the undo
// takes the variants and the new image off again.
func TestImagesOfNewVariants(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	before := mediaState(h)
	back := cdnOf(h, "back.jpg")
	sheet := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Variant Image\n" +
		"tee,Tee,Color,Red,T-R,10.00," + cdnOf(h, "front.jpg") + ",1," + back + "\n" +
		"tee,,,Blue,T-B,10.00," + back + ",2,\n" +
		"tee,,,Green,T-G,10.00,,," + back + "\n" +
		"tee,,,Black,T-K,10.00,https://img.example.com/black.jpg,3,https://img.example.com/black.jpg\n"
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	if text := planText(p); len(res.Problems) != 0 || strings.Contains(text, "next sync") || !strings.Contains(text, "its image black.jpg is added to the product first") {
		t.Fatalf("first run %+v:\n%s", res.Problems, text)
	}
	if got := mediaState(h); !strings.Contains(got, "T-G=back.jpg\n") || !strings.Contains(got, "T-K=black.jpg\n") || !strings.Contains(got, "black.jpg  READY") {
		t.Fatalf("after the first run:\n%s", got)
	}
	assertNoWrites(t, h, sheet, h.opts())
	up := undoRun(t, h, res.RunID)
	if got := mediaState(h); got != before {
		t.Fatalf("after undo:\n%s\nwant:\n%s\nundo plan:\n%s", got, before, planText(up))
	}
}

// stillProcessing shows the images fetched from one address as Shopify
// still processing them, however long the run waits, as a large image on
// a busy shop can be.
type stillProcessing struct {
	*shopStore
	file string
}

func (s stillProcessing) ProductMedia(ctx context.Context, ids, withVariants []string) (map[string]*MediaSet, error) {
	sets, err := s.shopStore.ProductMedia(ctx, ids, withVariants)
	for _, set := range sets {
		for i, m := range set.Media {
			if fileName(m.URL) == s.file {
				set.Media[i].Status, set.Media[i].URL = "PROCESSING", ""
			}
		}
	}
	return sets, err
}

// TestImagesOfNewVariantsStillProcessing: when Shopify has not processed
// the new image by the time the run stops waiting, the variant is created
// without it, the run says the next sync sets it, and the next sync does.
func TestImagesOfNewVariantsStillProcessing(t *testing.T) {
	h := newHarnessFiles(t, fakeshop.PlanAdvanced, 50)
	seedTee(h)
	h.eng.MediaWait = time.Millisecond
	sheet := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Variant Image\n" +
		"tee,Tee,Color,Red,T-R,10.00,,,\n" +
		"tee,,,Black,T-K,10.00,https://img.example.com/black.jpg,3,https://img.example.com/black.jpg\n"
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, sheet), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.eng.Apply(ctx, stillProcessing{shopStore: h.st.(*shopStore), file: "black.jpg"}, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := h.db.JournalEntries(ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	note := ""
	for _, en := range entries {
		if en.Field == FieldCreate {
			note += en.Message
		}
	}
	if note != "its image https://img.example.com/black.jpg is set by the next sync: Shopify is still processing it" || !strings.Contains(mediaState(h), "T-K=\n") {
		t.Fatalf("first run %+v, note %q\nstore:\n%s", res, note, mediaState(h))
	}
	h.eng.MediaWait = 0
	p, _ = h.sync(t, readCSV(t, sheet), h.opts())
	if !strings.Contains(planText(p), "image of variant T-K: (none) → black.jpg") || !strings.Contains(mediaState(h), "T-K=black.jpg\n") {
		t.Fatalf("second run:\n%s\nstore:\n%s", planText(p), mediaState(h))
	}
	assertNoWrites(t, h, sheet, h.opts())
}
