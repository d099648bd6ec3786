package sync

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Images of existing products. Shopify keeps no image's source address
// (MediaImage has image.url on its CDN and originalSource.url, "valid only
// for a short period": admin-2026-04.graphql), so which of the store's
// images a sheet's address stands for is decided, in this order, by:
//
//  1. the address itself, when it is one of Shopify's CDN URLs (a sheet
//     exported from Shopify): the same path as the image's image.url, the
//     "?v=" version query left out (it changes when the file is replaced,
//     https://shopify.dev/docs/api/liquid/filters/file_img_url);
//  2. Shelfsync's own record of the images it added (state.MediaSource: the
//     address each one was fetched from), kept per store in its database;
//  3. the file name: Shopify serves an image fetched from an address under
//     that address's file name (Matrixify: "the file name will be taken from
//     the actual file name in the Link", https://matrixify.app/documentation/files/;
//     peers such as Traede match images by file name the same way), with
//     "_<uuid>" added when the store has that name already (fileCreate's
//     duplicateResolutionMode APPEND_UUID). Only a name that one image of the
//     product has, and one sheet image, counts.
//
// An address none of these match is uploaded: the preview says so. An image
// whose media is still processing in Shopify makes the product's images wait
// for the next run (never uploaded twice). One that FAILED is the run's row
// error with Shopify's reason; the next run deletes it and fetches the
// address once more (the host may have been down), and if that fails too,
// it is reported on every run and not fetched again (the record says it was
// retried): the user fixes the address or the file. Nothing is taken off a product
// unless the user asked for blank cells to clear (catalog.BlankClears), as
// Stock Sync's default ("Only add images if the product has no image") and
// Shopify's importer's "blank means clear" show the two choices merchants know.

// Image change kinds (ImageChange.Change), also the journal's field keys.
const (
	ImageAdd     = "imageAdd"     // an address to fetch (Src), with alt text
	ImageAlt     = "imageAlt"     // alt text of the image MediaID: Old → New
	ImageRemove  = "imageRemove"  // the image MediaID taken off the product
	ImageRestore = "imageRestore" // the image MediaID put back on the product (undo)
	ImageDelete  = "imageDelete"  // the image MediaID, which Shopify could not process, deleted (undo of its add)
	ImageOrder   = "imageOrder"   // the product's images in the order Order
	VariantImage = "variantImage" // the image of variant VariantID: MediaID, or Src once added
)

// isImageField reports a journal field of an image change.
func isImageField(f string) bool {
	switch f {
	case ImageAdd, ImageAlt, ImageRemove, ImageRestore, ImageDelete, ImageOrder, VariantImage:
		return true
	}
	return false
}

// SnapMedia is one image of a product as the store has it.
type SnapMedia struct {
	ID     string `json:"id"`
	URL    string `json:"url,omitempty"` // on Shopify's CDN; "" until READY
	Alt    string `json:"alt,omitempty"`
	Status string `json:"status,omitempty"` // UPLOADED, PROCESSING, READY or FAILED
	Error  string `json:"error,omitempty"`  // why it FAILED
}

// Media statuses Shopify reports (enum MediaStatus).
const (
	mediaReady  = "READY"
	mediaFailed = "FAILED"
)

// MediaSet is a product's images in order and each variant's image
// (variant ID → media ID), when asked for.
type MediaSet struct {
	Media    []SnapMedia
	Variants map[string]string
}

// MediaChange changes one image file: its alt text (nil leaves it), or puts
// it on (AddTo) or takes it off (RemoveFrom) a product.
type MediaChange struct {
	ID         string
	Alt        *string
	AddTo      string
	RemoveFrom string
}

// MediaStore is implemented by stores that can read and write existing
// products' images (NewShopStore's does). Without it images are sent only
// with new products.
type MediaStore interface {
	// ProductMedia reads the images of the products ids, with each variant's
	// image for the products withVariants. Products not found are absent.
	ProductMedia(ctx context.Context, ids, withVariants []string) (map[string]*MediaSet, error)
	// AddMedia adds images fetched from addresses and returns the product's
	// images after the call, in order (the new ones last).
	AddMedia(ctx context.Context, productID string, in []FileInput) ([]SnapMedia, error)
	// UpdateMedia changes files (they must be READY).
	UpdateMedia(ctx context.Context, in []MediaChange) error
	// DeleteMedia deletes files for good (any but those still processing).
	DeleteMedia(ctx context.Context, ids []string) error
	// ReorderMedia puts the product's images ids first, in that order.
	ReorderMedia(ctx context.Context, productID string, ids []string) error
	// SetVariantMedia sets a variant's image, or clears it (mediaID ""),
	// current being its image now.
	SetVariantMedia(ctx context.Context, productID, variantID, mediaID, current string) error
}

// ImageChange is one change to an existing product's images.
type ImageChange struct {
	Change  string `json:"change"`
	Image   int    `json:"image,omitempty"`   // 1-based position: the sheet's (add, alt), the store's (remove)
	MediaID string `json:"mediaId,omitempty"` // the store's image it changes
	Src     string `json:"src,omitempty"`     // add: the address Shopify fetches; variant image: the image's address
	Alt     string `json:"alt,omitempty"`     // add: its alt text
	// Old and New are what the preview shows: alt texts; image file names
	// in order; a variant's image file names.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Order is the wanted order (ImageOrder): media IDs, and srcToken(address)
	// for images this run adds. OldOrder is the order replaced (for an add:
	// the product's images when planned, so a re-read can tell the new one).
	Order    []string `json:"order,omitempty"`
	OldOrder []string `json:"oldOrder,omitempty"`
	// Variant is the variant's key and VariantID its ID (variant image);
	// OldMedia is its image before (media ID, "" for none).
	Variant   string       `json:"variant,omitempty"`
	VariantID string       `json:"variantId,omitempty"`
	OldMedia  string       `json:"oldMedia,omitempty"`
	Cell      catalog.Cell `json:"cell,omitzero"`
	// Retry marks an add that fetches an address again after Shopify could
	// not process the first upload (deleted by an ImageDelete of the same
	// product): the last try.
	Retry bool `json:"retry,omitempty"`
}

// srcToken stands for the image a run adds from address src, in an order or
// a variant's image, until the store gives it an ID.
func srcToken(src string) string { return "src:" + src }

// Line is the change as the preview says it.
func (c ImageChange) Line() string {
	switch c.Change {
	case ImageAdd:
		s := "image " + strconv.Itoa(c.Image) + " added: " + c.Src
		if c.Retry {
			s = "image " + strconv.Itoa(c.Image) + " fetched again (Shopify could not process it last time): " + c.Src
		}
		if c.Alt != "" {
			s += " (alt text " + strconv.Quote(c.Alt) + ")"
		}
		return s
	case ImageAlt:
		return "alt text of image " + strconv.Itoa(c.Image) + ": " + quote(c.Old) + " → " + quote(c.New)
	case ImageRemove:
		return "image " + strconv.Itoa(c.Image) + " removed: " + c.Old
	case ImageRestore:
		return "image put back: " + c.New
	case ImageDelete:
		s := "image " + strconv.Itoa(c.Image) + " deleted (Shopify could not process it)"
		if c.Old != "" {
			s += ": " + c.Old
		}
		return s
	case ImageOrder:
		return "image order: " + c.Old + " → " + c.New
	case VariantImage:
		return "image of variant " + c.Variant + ": " + quote(c.Old) + " → " + quote(c.New)
	}
	return c.Change
}

// fileName is the last path element of an address, without its query.
func fileName(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || u.Path == "" {
		return addr
	}
	return path.Base(u.Path)
}

// isShopifyCDN reports an address on Shopify's CDN (cdn.shopify.com, or a
// shop's own domain under /cdn/shop/: https://shopify.dev/changelog/changes-to-merchant-asset-urls).
func isShopifyCDN(addr string) bool {
	u, err := url.Parse(addr)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, "cdn.shopify.com") || strings.HasPrefix(u.Path, "/cdn/shop/")
}

// sameCDNImage reports two CDN addresses of the same file: same host and
// path, whatever the scheme and the "?v=" version query.
func sameCDNImage(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && a != "" && b != "" && strings.EqualFold(ua.Host, ub.Host) && ua.Path == ub.Path
}

// baseName is an image's file name without the "_<uuid>" Shopify adds to a
// name the store has already.
func baseName(name string) string {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if i := strings.LastIndexByte(stem, '_'); i >= 0 && len(stem)-i-1 == 36 && strings.Count(stem[i+1:], "-") == 4 {
		stem = stem[:i]
	}
	return strings.ToLower(stem + ext)
}

// wantImage is one image a sheet product asks for, in order.
type wantImage struct {
	src, alt string
	sheet    bool // from an image row (not only a variant's image)
	cell     catalog.Cell
}

// wantedImages lists the sheet product's images in the order it gives them
// (as productFiles does for a new product), each address once.
func wantedImages(sp *catalog.Product) []wantImage {
	imgs := slices.Clone(sp.Images)
	slices.SortStableFunc(imgs, func(a, b catalog.Image) int {
		if a.Position == 0 || b.Position == 0 {
			return 0
		}
		return a.Position - b.Position
	})
	var out []wantImage
	seen := map[string]bool{}
	for _, img := range imgs {
		if img.Src != "" && !seen[img.Src] {
			seen[img.Src] = true
			out = append(out, wantImage{src: img.Src, alt: img.Alt, sheet: true, cell: img.Cell})
		}
	}
	for i := range sp.Variants {
		if src := sp.Variants[i].ImageSrc; src != "" && !seen[src] {
			seen[src] = true
			out = append(out, wantImage{src: src, cell: catalog.Cell{Row: sp.Variants[i].Row}})
		}
	}
	return out
}

// matchImages pairs each wanted image with one of the store's (index into
// media, -1 for none), and says how many were matched by file name only.
func matchImages(want []wantImage, media []SnapMedia, rec map[string]string) ([]int, int) {
	match := make([]int, len(want))
	used := make([]bool, len(media))
	for i := range match {
		match[i] = -1
	}
	pass := func(same func(w wantImage, m SnapMedia) bool) {
		for i, w := range want {
			if match[i] >= 0 {
				continue
			}
			for k, m := range media {
				if !used[k] && same(w, m) {
					match[i], used[k] = k, true
					break
				}
			}
		}
	}
	pass(func(w wantImage, m SnapMedia) bool { return isShopifyCDN(w.src) && sameCDNImage(w.src, m.URL) })
	pass(func(w wantImage, m SnapMedia) bool { return rec[w.src] != "" && rec[w.src] == m.ID })
	byName := 0
	names := map[string]int{} // base name → sheet images unmatched with it
	for i, w := range want {
		if match[i] < 0 {
			names[baseName(fileName(w.src))]++
		}
	}
	for i, w := range want {
		n := baseName(fileName(w.src))
		if match[i] >= 0 || names[n] != 1 {
			continue
		}
		found := -1
		for k, m := range media {
			if !used[k] && m.URL != "" && baseName(fileName(m.URL)) == n {
				if found >= 0 {
					found = -2 // two store images of that name: no guess
					break
				}
				found = k
			}
		}
		if found >= 0 {
			match[i], used[found] = found, true
			byName++
		}
	}
	return match, byName
}

// imageChanges diffs a sheet product's images against the store's: what to
// add, which alt texts and which order change, which variants get another
// image and, with blank-clears, which images go. A product whose images are
// still processing in Shopify is left for the next run; one with a FAILED
// image reports it.
func (d *differ) imageChanges(sp *catalog.Product, cur *SnapProduct, pp *ProductPlan) {
	if !sp.Fields.Has(catalog.FieldImages) || !cur.MediaRead {
		return
	}
	want := wantedImages(sp)
	for _, m := range cur.Media {
		if m.Status != mediaReady && m.Status != mediaFailed {
			pp.Message = joinMessages(pp.Message, "images: Shopify is still processing this product's images, so they are compared on the next run")
			return
		}
	}
	match, byName := matchImages(want, cur.Media, d.mediaRec.src[cur.ID])
	var out []ImageChange
	var failed []string
	name := func(k int) string { return fileName(cur.Media[k].URL) }
	token := make([]string, len(want)) // each wanted image's media ID, or its srcToken
	added := 0
	var retried []string // images Shopify could not process, deleted so their address is fetched once more
	held := 0            // changes that need write_files, which the store did not grant (filescope.go)
	for i, w := range want {
		k, retry := match[i], false
		if k >= 0 && cur.Media[k].Status == mediaFailed {
			if d.mediaRec.retried[cur.Media[k].ID] { // the last try failed too: said, not tried again
				failed = append(failed, fmt.Sprintf("image %d (%s) failed in Shopify twice: %s; it is not fetched again: fix the address or the file, then delete the image in Shopify",
					i+1, w.src, cur.Media[k].Error))
				continue
			}
			if d.mediaRec.noFiles { // fetching it again needs fileDelete first: it stays
				held++
				token[i] = cur.Media[k].ID
				continue
			}
			retried = append(retried, cur.Media[k].ID)
			out = append(out, ImageChange{Change: ImageDelete, Image: k + 1, MediaID: cur.Media[k].ID, Old: w.src, Cell: w.cell})
			k, retry = -1, true
		}
		if k >= 0 {
			token[i] = cur.Media[k].ID
			switch {
			case !w.sheet || w.alt == cur.Media[k].Alt || (w.alt == "" && !d.cat.BlankClears):
			case d.mediaRec.noFiles: // fileUpdate: left as it is
				held++
			default:
				out = append(out, ImageChange{Change: ImageAlt, Image: i + 1, MediaID: cur.Media[k].ID, Old: cur.Media[k].Alt, New: w.alt, Cell: w.cell})
			}
			continue
		}
		token[i] = srcToken(w.src)
		added++
		out = append(out, ImageChange{Change: ImageAdd, Image: i + 1, Src: w.src, Alt: w.alt, Cell: w.cell, OldOrder: mediaIDs(cur.Media), Retry: retry})
	}
	if len(failed) > 0 {
		pp.Message = joinMessages(pp.Message, strings.Join(failed, "; "))
		return
	}
	matched := make([]bool, len(cur.Media))
	for _, k := range match {
		if k >= 0 {
			matched[k] = true
		}
	}
	var extras []string              // store images not in the sheet, kept
	removed := slices.Clone(retried) // images gone after the run
	for k, m := range cur.Media {
		switch {
		case matched[k]:
		case d.cat.BlankClears && d.mediaRec.noFiles: // taking it off needs fileUpdate or fileDelete: it stays
			held++
			extras = append(extras, m.ID)
		case d.cat.BlankClears && m.Status == mediaFailed: // fileUpdate can't take off a file that isn't READY
			removed = append(removed, m.ID)
			out = append(out, ImageChange{Change: ImageDelete, Image: k + 1, MediaID: m.ID, Cell: sp.Cell(catalog.FieldImages)})
		case d.cat.BlankClears:
			removed = append(removed, m.ID)
			out = append(out, ImageChange{Change: ImageRemove, Image: k + 1, MediaID: m.ID, Old: m.URL, Cell: sp.Cell(catalog.FieldImages)})
		default:
			extras = append(extras, m.ID)
		}
	}
	if added > 0 && len(extras) > 0 {
		d.imageNotes++
		pp.Message = joinMessages(pp.Message, fmt.Sprintf("images: %d of the sheet's images match none of the store's %d (by Shopify address, Shelfsync's upload record or file name), so they are uploaded; the store's other images stay",
			added, len(cur.Media)))
	}
	if byName > 0 {
		d.imagesByName += byName
	}
	if held > 0 {
		d.filesHeld += held
		pp.Message = joinMessages(pp.Message, fmt.Sprintf("images: %d change(s) not made: %s", held, msgNoWriteFiles))
	}
	// The order after the adds (new images go last) against the wanted one:
	// the sheet's images first, the store's others after them as they are.
	var after, oldOrder []string
	for _, m := range cur.Media {
		oldOrder = append(oldOrder, m.ID)
		if !slices.Contains(removed, m.ID) {
			after = append(after, m.ID)
		}
	}
	for _, t := range token {
		if strings.HasPrefix(t, "src:") {
			after = append(after, t)
		}
	}
	wantOrder := append(slices.Clone(token), extras...)
	if !slices.Equal(after, wantOrder) {
		show := func(list []string) string {
			names := make([]string, len(list))
			for i, t := range list {
				if src, ok := strings.CutPrefix(t, "src:"); ok {
					names[i] = fileName(src)
				} else if k := slices.IndexFunc(cur.Media, func(m SnapMedia) bool { return m.ID == t }); k >= 0 {
					names[i] = name(k)
				}
			}
			return strings.Join(names, ", ")
		}
		out = append(out, ImageChange{Change: ImageOrder, Order: wantOrder, OldOrder: oldOrder,
			Old: show(oldOrder), New: show(wantOrder), Cell: sp.Cell(catalog.FieldImages)})
	}
	out = append(out, d.variantImages(sp, cur, pp, want, token)...)
	pp.Images = out
}

// variantImages diffs the images of the sheet's variants that matched one of
// the store's (pp.Variants line up with sp.Variants). A blank cell leaves the
// variant's image as it is.
func (d *differ) variantImages(sp *catalog.Product, cur *SnapProduct, pp *ProductPlan, want []wantImage, token []string) []ImageChange {
	var out []ImageChange
	for i := range sp.Variants {
		sv := &sp.Variants[i]
		if sv.ImageSrc == "" || i >= len(pp.Variants) {
			continue
		}
		vp := &pp.Variants[i]
		if vp.Action == ActCreate && vp.Create != nil { // a variant added: with its image when the store has it
			if k := slices.IndexFunc(want, func(w wantImage) bool { return w.src == sv.ImageSrc }); k >= 0 && !strings.HasPrefix(token[k], "src:") {
				vp.Create.MediaID = token[k]
			} else { // set once the images op (before it on this product) has added it and Shopify has processed it
				vp.Create.Image = sv.ImageSrc
				vp.Message = joinMessages(vp.Message, "its image "+fileName(sv.ImageSrc)+" is added to the product first")
			}
			continue
		}
		if vp.VariantID == "" {
			continue
		}
		cv := findVariant(cur, vp.VariantID)
		k := slices.IndexFunc(want, func(w wantImage) bool { return w.src == sv.ImageSrc })
		if cv == nil || k < 0 || token[k] == cv.MediaID {
			continue
		}
		oldName := ""
		if j := slices.IndexFunc(cur.Media, func(m SnapMedia) bool { return m.ID == cv.MediaID }); j >= 0 {
			oldName = fileName(cur.Media[j].URL)
		}
		c := ImageChange{Change: VariantImage, Variant: vp.Key, VariantID: vp.VariantID, OldMedia: cv.MediaID,
			Src: sv.ImageSrc, Old: oldName, New: fileName(sv.ImageSrc), Cell: catalog.Cell{Row: sv.Row}}
		if !strings.HasPrefix(token[k], "src:") {
			c.MediaID = token[k]
			c.New = fileName(cur.Media[slices.IndexFunc(cur.Media, func(m SnapMedia) bool { return m.ID == token[k] })].URL)
		}
		out = append(out, c)
	}
	return out
}

// loadImages reads the images of the store products the sheet gives images
// for, and Shelfsync's record of the addresses it uploaded them from. A
// store that can't (no MediaStore) lists the image columns as not synced
// for existing products.
func (e *Engine) loadImages(ctx context.Context, st Store, cat *catalog.Catalog, snap *snapshot, storeID string, bulkMin int) (mediaRecords, []catalog.UnsyncedColumn, error) {
	var none mediaRecords
	var ids, withVariants []string
	for i := range cat.Products {
		sp := &cat.Products[i]
		cur := snap.byHandle[sp.Handle]
		if cur == nil || !sp.Fields.Has(catalog.FieldImages) {
			continue
		}
		ids = append(ids, cur.ID)
		if slices.ContainsFunc(sp.Variants, func(v catalog.Variant) bool { return v.ImageSrc != "" }) {
			withVariants = append(withVariants, cur.ID)
		}
	}
	if len(ids) == 0 {
		return none, nil, nil
	}
	ms, ok := st.(MediaStore)
	if !ok {
		var un []catalog.UnsyncedColumn
		for _, c := range cat.Columns {
			switch strings.ToLower(c) {
			case "image src", "product image url", "image position", "image alt text", "variant image", "variant image url":
				un = append(un, catalog.UnsyncedColumn{Column: c, Reason: "this store connection can't read product images: images are sent only with new products"})
			}
		}
		return none, un, nil
	}
	if err := fillMedia(ctx, ms, snap, ids, withVariants, bulkMin); err != nil {
		return none, nil, fmt.Errorf("reading product images: %w", err)
	}
	files, err := canWriteFiles(ctx, st)
	if err != nil {
		return none, nil, fmt.Errorf("reading the store's permissions: %w", err)
	}
	rec := mediaRecords{noFiles: !files}
	if e.DB == nil || storeID == "" {
		return rec, nil, nil
	}
	rec.src, rec.retried, err = e.DB.MediaRecords(ctx, storeID, ids)
	return rec, nil, err
}

// mediaRecords is Shelfsync's record of the images it uploaded (kept in
// state.MediaSource): product ID → address → media ID, and the media
// fetched again after Shopify could not process the first upload.
type mediaRecords struct {
	src     map[string]map[string]string
	retried map[string]bool
	noFiles bool // the store did not grant write_files (filescope.go)
}

// BulkMediaStore is implemented by stores that can read every product's
// images in bulk operations (NewShopStore's does): cheaper than pages for
// a large catalog.
type BulkMediaStore interface {
	AllProductMedia(ctx context.Context, withVariants bool) (map[string]*MediaSet, error)
}

// fillMedia reads the images of the snapshot's products ids into them: page
// by page, or for at least bulkMin products (0: never) with bulk operations
// when the store can (pages again if the bulk read fails).
func fillMedia(ctx context.Context, ms MediaStore, snap *snapshot, ids, withVariants []string, bulkMin int) error {
	var sets map[string]*MediaSet
	err := errNoBulk
	if bm, ok := ms.(BulkMediaStore); ok && bulkMin > 0 && len(ids) >= bulkMin {
		sets, err = bm.AllProductMedia(ctx, len(withVariants) > 0)
		if c := classify(err); c == errFatal || ctx.Err() != nil {
			return err
		}
	}
	if err != nil {
		if sets, err = ms.ProductMedia(ctx, ids, withVariants); err != nil {
			return err
		}
	}
	for id, set := range sets {
		p := snap.byID[id]
		if p == nil {
			continue
		}
		p.Media, p.MediaRead = set.Media, true
		for j := range p.Variants {
			p.Variants[j].MediaID = set.Variants[p.Variants[j].ID]
		}
	}
	return nil
}

// imageNote is what the plan says about how images were recognised.
func (d *differ) imageNote() []string {
	var out []string
	if d.filesHeld > 0 {
		out = append(out, fmt.Sprintf("%d image change(s) of existing products not made: %s", d.filesHeld, msgNoWriteFiles))
	}
	if d.imagesByName == 0 {
		return out
	}
	return append(out, fmt.Sprintf("%d of the sheet's images were recognised in the store by file name (Shelfsync has no record of uploading them), so they are not uploaded again", d.imagesByName))
}

func mediaIDs(ms []SnapMedia) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// exportMedia reads every product's images (and its variants' images) into ps.
func exportMedia(ctx context.Context, st Store, ps []SnapProduct) error {
	ms, ok := st.(MediaStore)
	if !ok || len(ps) == 0 {
		return nil
	}
	snap := &snapshot{byID: make(map[string]*SnapProduct, len(ps))}
	ids := make([]string, len(ps))
	for i := range ps {
		snap.byID[ps[i].ID] = &ps[i]
		ids[i] = ps[i].ID
	}
	if err := fillMedia(ctx, ms, snap, ids, ids, DefaultBulkThreshold); err != nil {
		return fmt.Errorf("reading product images: %w", err)
	}
	return nil
}

// exportImages gives an exported product its images in order, with their
// CDN addresses (what Shopify's own export writes), and its variants their
// image. Images Shopify has not processed (no address yet) are left out.
func exportImages(p *catalog.Product, sp *SnapProduct) {
	urls := map[string]string{}
	for _, m := range sp.Media {
		if m.Status != mediaReady || m.URL == "" {
			continue
		}
		urls[m.ID] = m.URL
		p.Images = append(p.Images, catalog.Image{Src: m.URL, Alt: m.Alt, Position: len(p.Images) + 1})
	}
	if len(p.Images) > 0 {
		p.Fields.Add(catalog.FieldImages)
	}
	for j := range sp.Variants {
		if j < len(p.Variants) {
			p.Variants[j].ImageSrc = urls[sp.Variants[j].MediaID]
		}
	}
}

// errNoBulk: the images were not read in bulk (read them page by page).
var errNoBulk = errors.New("images not read in bulk")

// bulkThreshold is the product count from which the store is read in bulk.
func (o *Options) bulkThreshold() int {
	if o.BulkThreshold > 0 {
		return o.BulkThreshold
	}
	return DefaultBulkThreshold
}
