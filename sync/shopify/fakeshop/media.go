package fakeshop

import (
	"fmt"
	"maps"
	"net/url"
	pathpkg "path"
	"slices"
	"strings"
)

// Product images (MediaImage), from the 2026-04 schema
// (/work/shared/shopify/admin-2026-04.graphql):
//   - created from URLs by productSet's files (ProductSetInput.files, a list
//     field that productSet replaces; ProductVariantSetInput.file "must also be
//     specified in the files input") and by productUpdate's media argument
//     ("List of new media to be added to the product");
//   - processed asynchronously: MediaStatus UPLOADED → PROCESSING → READY or
//     FAILED, and MediaImage.image "Returns `null` until `status` is `READY`"
//     (https://shopify.dev/docs/api/admin-graphql/latest/enums/MediaStatus).
//     The simulator moves each image one step every time its product's media
//     are read, so a client that adds images and reads them back sees them
//     PROCESSING twice, then READY. An image whose address Shopify
//     can't download fails with MediaErrorCode IMAGE_DOWNLOAD_FAILURE ("Media
//     could not be processed because the image could not be downloaded"): the
//     simulator fails sources on a host under ".invalid" (RFC 6761: a name
//     that never resolves);
//   - served from Shopify's CDN under the source's file name, with a "?v="
//     version query as Shopify's CDN URLs carry (Liquid file_img_url output,
//     https://shopify.dev/docs/api/liquid/filters/file_img_url); a name the
//     store already has gets "_" and a suffix, as fileCreate's default
//     duplicateResolutionMode APPEND_UUID does;
//   - changed by fileUpdate (alt; referencesToRemove "deletes the file from the
//     product's media gallery and clears the image from any product variants
//     that were using it"; "Files must be in ready state before they can be
//     updated"), moved by productReorderMedia (moves "evaluated in order",
//     zero-based newPosition; a position past the end puts the media last),
//     set on variants by productVariantsBulkUpdate's mediaId and taken off by
//     productVariantDetachMedia. Setting a variant's image to media that is not
//     READY is refused: the schema documents NON_READY_MEDIA for
//     productVariantAppendMedia, and for mediaId it says nothing
//     (UNCONFIRMED); refusing is what cannot harm a live store's client.

// scopeWriteFiles is the scope fileUpdate and fileDelete need, not
// write_products: "Requires write_files access scope. Also: Users must have
// delete files permissions" (fileDelete,
// https://shopify.dev/docs/api/admin-graphql/2025-10/mutations/fileDelete;
// the 2026-07 page keeps the line "Requires … access scope. Also: Users must
// have delete files permissions"); fileUpdate's page names two scopes,
// write_files or write_images, and write_images is "a bug with our documentation. The
// write_images access scope is not valid, please continue using write_files"
// (Shopify staff, https://community.shopify.dev/t/write-images-access-scope-problem/33881).
// Without it Shopify answers a top-level access-denied error ("FileCreate
// access denied",
// https://community.shopify.com/c/shopify-apis-and-sdks/file-upload-graphql-api-gives-an-error/m-p/1317379);
// the simulator answers ACCESS_DENIED as for every missing scope.
const scopeWriteFiles = "write_files"

// Media statuses (schema enum MediaStatus).
const (
	mediaUploaded   = "UPLOADED"
	mediaProcessing = "PROCESSING"
	mediaReady      = "READY"
	mediaFailed     = "FAILED"
)

// Media is one image of a product.
type Media struct {
	ID     string // gid://shopify/MediaImage/N
	Source string // the originalSource it was created from
	URL    string // where the store serves it
	Alt    string
	Status string // MediaStatus; Seed makes every image READY
}

type mediaImage struct {
	id          int64
	source, url string
	alt         string
	status      string
	product     *product // nil once taken off its product (the file stays)
	failure     string   // the mediaErrors message once FAILED
	reads       int      // reads while PROCESSING
}

// processingReads is how many reads see a new image PROCESSING before it
// is READY (or FAILED).
const processingReads = 2

// newMedia registers an image fetched from src, not yet processed.
func (c *catalog) newMedia(src, alt string) *mediaImage {
	m := &mediaImage{id: c.newID(), source: src, alt: alt, status: mediaUploaded}
	m.url = c.cdnURL(src, m.id)
	if c.files == nil {
		c.files = map[int64]*mediaImage{}
	}
	c.files[m.id] = m
	return m
}

// advance moves an image one processing step.
func (m *mediaImage) advance() {
	switch m.status {
	case mediaUploaded:
		m.status = mediaProcessing
	case mediaProcessing:
		if m.reads++; m.reads < processingReads {
			return
		}
		if u, err := url.Parse(m.source); err != nil || u.Host == "" || strings.HasSuffix(strings.ToLower(u.Hostname()), ".invalid") {
			m.status, m.failure = mediaFailed, "Media could not be processed because the image could not be downloaded."
			return
		}
		m.status = mediaReady
	}
}

// applyFiles replaces p's media with the input's files, when given, and links
// each variant (in p.variants order, as varList gives them) to the file of
// its own input's file.
func applyFiles(c *catalog, p *product, in map[string]any, varList []any) {
	files, ok := in["files"]
	if !ok {
		return
	}
	old := map[string]*mediaImage{}
	for _, m := range p.media {
		old[gid("MediaImage", m.id)] = m
		m.product = nil
	}
	p.media = nil
	bySource := map[string]*mediaImage{}
	for _, f := range asList(files) {
		fm := asMap(f)
		m := old[str(fm["id"])]
		if m == nil {
			m = c.newMedia(str(fm["originalSource"]), "")
		}
		if a, ok := fm["alt"]; ok {
			m.alt = str(a)
		}
		m.product = p
		bySource[m.source] = m
		p.media = append(p.media, m)
	}
	for i, v := range varList {
		if i >= len(p.variants) {
			break
		}
		if f := asMap(asMap(v)["file"]); f != nil {
			if m := bySource[str(f["originalSource"])]; m != nil {
				p.variants[i].media = m
			}
		}
	}
}

// seedMedia gives a seeded product its images, READY.
func (c *catalog) seedMedia(p *product, in []Media) {
	for _, im := range in {
		m := c.newMedia(im.Source, im.Alt)
		if id, ok := idOf(im.ID, "MediaImage"); ok {
			delete(c.files, m.id)
			m.id = id
			c.files[id] = m
			if id > c.nextID {
				c.nextID = id
			}
		}
		if im.URL != "" {
			m.url = im.URL
		}
		m.status, m.product = mediaReady, p
		p.media = append(p.media, m)
	}
}

// seededMedia is the image of p that was created from src, if any.
func seededMedia(p *product, src string) *mediaImage {
	for _, m := range p.media {
		if src != "" && m.source == src {
			return m
		}
	}
	return nil
}

// cdnURL is where the simulated store serves an image fetched from src.
func (c *catalog) cdnURL(src string, id int64) string {
	name := "image"
	if u, err := url.Parse(src); err == nil && pathpkg.Base(u.Path) != "/" && pathpkg.Base(u.Path) != "." {
		name = pathpkg.Base(u.Path)
	}
	if c.imageName != nil {
		name = c.imageName(src)
	}
	const dir = "https://cdn.shopify.com/s/files/1/0000/0001/files/"
	for _, m := range c.files {
		if strings.HasPrefix(m.url, dir+name+"?") {
			ext := pathpkg.Ext(name)
			name = strings.TrimSuffix(name, ext) + fmt.Sprintf("_%08x-0000-4000-8000-%012x", id, id) + ext
			break
		}
	}
	return fmt.Sprintf("%s%s?v=%d", dir, name, 1700000000+id)
}

// readMedia is p's media as a read sees them: each moves one processing step first.
func readMedia(p *product) []*mediaImage {
	for _, m := range p.media {
		m.advance()
	}
	return p.media
}

// publicMedia copies a product's media into the public type.
func publicMedia(p *product) []Media {
	var out []Media
	for _, m := range p.media {
		out = append(out, Media{ID: gid("MediaImage", m.id), Source: m.source, URL: m.url, Alt: m.alt, Status: m.status})
	}
	return out
}

// detach takes an image off its product and off the variants showing it.
func (m *mediaImage) detach() {
	p := m.product
	if p == nil {
		return
	}
	for i, x := range p.media {
		if x == m {
			p.media = append(p.media[:i:i], p.media[i+1:]...)
			break
		}
	}
	for _, v := range p.variants {
		if v.media == m {
			v.media = nil
		}
	}
	m.product = nil
}

func addMediaTypes(sc *schema) {
	sc.addConnection("Media")
	sc.mapType("Image", nil, "id", "url", "altText", "width", "height")
	sc.mapType("MediaError", nil, "code", "message", "details")
	sc.mapType("MediaImageOriginalSource", nil, "url", "fileSize")
	sc.mapType("Job", []string{"Node"}, "id", "done")
	sc.mapType("FilesUserError", []string{"DisplayableError"}, "field", "message", "code")
	sc.mapType("MediaUserError", []string{"DisplayableError"}, "field", "message", "code")
	sc.mapType("FileUpdatePayload", nil, "files:[File]", "userErrors:[FilesUserError]")
	sc.mapType("FileDeletePayload", nil, "deletedFileIds", "userErrors:[FilesUserError]")
	sc.mapType("ProductReorderMediaPayload", nil, "job:Job", "mediaUserErrors:[MediaUserError]", "userErrors:[UserError]")
	sc.mapType("ProductVariantDetachMediaPayload", nil, "product:Product", "productVariants:[ProductVariant]", "userErrors:[MediaUserError]")
	de := sc.types["DisplayableError"]
	de.possible = append(de.possible, "FilesUserError", "MediaUserError")

	ready := func(p any) bool { return p.(*mediaImage).status == mediaReady }
	sc.objType("MediaImage", []string{"Node", "Media", "File"}, map[string]*fieldDef{
		"id":               scalar(func(p any) any { return gid("MediaImage", p.(*mediaImage).id) }),
		"alt":              scalar(func(p any) any { return p.(*mediaImage).alt }),
		"status":           scalar(func(p any) any { return p.(*mediaImage).status }),
		"fileStatus":       scalar(func(p any) any { return p.(*mediaImage).status }), // FileStatus has the same four values
		"mediaContentType": scalar(func(any) any { return "IMAGE" }),
		"mimeType": scalar(func(p any) any {
			return map[string]string{".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}[strings.ToLower(pathpkg.Ext(p.(*mediaImage).source))]
		}),
		"mediaErrors": {typ: "MediaError", list: true, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			m := p.(*mediaImage)
			if m.status != mediaFailed {
				return []any{}, nil
			}
			return []any{obj("MediaError", "code", "IMAGE_DOWNLOAD_FAILURE", "message", m.failure, "details", nil)}, nil
		}},
		"image": ref("Image", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			m := p.(*mediaImage)
			if !ready(p) {
				return nil, nil
			}
			return obj("Image", "id", gid("ImageSource", m.id), "url", m.url, "altText", nullIfEmpty(m.alt), "width", 1024, "height", 1024), nil
		}),
		"originalSource": ref("MediaImageOriginalSource", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			m := p.(*mediaImage)
			if !ready(p) {
				return nil, nil
			}
			return obj("MediaImageOriginalSource", "url", m.url, "fileSize", nil), nil
		}),
	})

	img := sc.types["MediaImage"].fields
	iface := func(name string, fields ...string) {
		t := &typeDef{name: name, possible: []string{"MediaImage"}, fields: map[string]*fieldDef{}}
		for _, f := range fields {
			t.fields[f] = img[f]
		}
		sc.types[name] = t
	}
	iface("Media", "id", "alt", "status", "mediaContentType", "mediaErrors")
	iface("File", "id", "alt", "fileStatus")

	mediaConn := func(list func(p any) []*mediaImage) *fieldDef {
		return &fieldDef{typ: "MediaConnection", conn: true, node: "MediaImage",
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				ms := list(p)
				all := make([]any, len(ms))
				for i, m := range ms {
					all[i] = m
				}
				return paginatePositional(ec, all, a)
			}}
	}
	sc.types["Product"].fields["media"] = mediaConn(func(p any) []*mediaImage { return readMedia(p.(*product)) })
	sc.types["ProductVariant"].fields["media"] = mediaConn(func(p any) []*mediaImage {
		if m := p.(*variant).media; m != nil {
			return []*mediaImage{m}
		}
		return nil
	})
}

// paginatePositional pages a list kept in its own order (media have a
// position, not an ID order): cursors are IDs, looked up by position.
func paginatePositional(ec *execCtx, all []any, a map[string]any) (any, error) {
	pos := map[int64]int64{}
	for i, x := range all {
		pos[x.(*mediaImage).id] = int64(i)
	}
	return paginate(ec, all, func(x any) int64 { return pos[x.(*mediaImage).id] }, a)
}

// mutFileUpdate implements fileUpdate for images: alt text and product references.
func mutFileUpdate(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "FilesUserError"
	c := ec.sh.cat
	var errs []any
	type change struct {
		m  *mediaImage
		in map[string]any
	}
	var ok []change
	for i, x := range asList(a["files"]) {
		in := asMap(x)
		n, isImage := idOf(str(in["id"]), "MediaImage")
		m := c.files[n]
		switch {
		case !isImage || m == nil:
			errs = append(errs, uerr(et, path("files", i, "id"), "File id "+str(in["id"])+" does not exist.", "FILE_DOES_NOT_EXIST"))
		case m.status != mediaReady:
			errs = append(errs, uerr(et, path("files", i, "id"), "Non-ready files can't be updated.", "NON_READY_STATE"))
		default:
			for _, ref := range append(toAnySliceOfStrings(in["referencesToAdd"]), toAnySliceOfStrings(in["referencesToRemove"])...) {
				if c.productByGID(ref) == nil {
					errs = append(errs, uerr(et, path("files", i, "referencesToAdd"), "The reference target does not exist.", "REFERENCE_TARGET_DOES_NOT_EXIST"))
				}
			}
			ok = append(ok, change{m, in})
		}
	}
	if len(errs) > 0 { // the whole call is refused: nothing is half done
		return obj("FileUpdatePayload", "files", nil, "userErrors", errs), nil
	}
	files := []any{}
	for _, ch := range ok {
		m, in := ch.m, ch.in
		if v, set := in["alt"]; set {
			m.alt = str(v)
		}
		for _, ref := range toAnySliceOfStrings(in["referencesToRemove"]) {
			if p := c.productByGID(ref); p != nil && m.product == p {
				m.detach()
				ec.touch(p)
			}
		}
		for _, ref := range toAnySliceOfStrings(in["referencesToAdd"]) {
			if p := c.productByGID(ref); p != nil && m.product != p {
				m.detach()
				m.product = p
				p.media = append(p.media, m)
				ec.touch(p)
			}
		}
		files = append(files, m)
	}
	return obj("FileUpdatePayload", "files", files, "userErrors", []any{}), nil
}

// mutFileDelete deletes image files: off their product and its variants,
// and out of the store's Files. The whole call is refused when one file does
// not exist or is still being processed ("Files that are currently being
// processed by other operations are rejected": fileDelete's description;
// which code Shopify gives is UNCONFIRMED, FILE_LOCKED "File has a pending
// operation" is the closest). A FAILED file can be deleted.
func mutFileDelete(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "FilesUserError"
	c := ec.sh.cat
	var errs []any
	var del []*mediaImage
	for i, x := range asList(a["fileIds"]) {
		n, isImage := idOf(str(x), "MediaImage")
		m := c.files[n]
		switch {
		case !isImage || m == nil:
			errs = append(errs, uerr(et, path("fileIds", i), "File id "+str(x)+" does not exist.", "FILE_DOES_NOT_EXIST"))
		case m.status == mediaUploaded || m.status == mediaProcessing:
			errs = append(errs, uerr(et, path("fileIds", i), "File has a pending operation.", "FILE_LOCKED"))
		default:
			del = append(del, m)
		}
	}
	if len(errs) > 0 {
		return obj("FileDeletePayload", "deletedFileIds", nil, "userErrors", errs), nil
	}
	ids := []any{}
	for _, m := range del {
		if p := m.product; p != nil {
			m.detach()
			ec.touch(p)
		}
		delete(c.files, m.id)
		ids = append(ids, gid("MediaImage", m.id))
	}
	return obj("FileDeletePayload", "deletedFileIds", ids, "userErrors", []any{}), nil
}

// mutProductReorderMedia applies the moves in order, at once.
func mutProductReorderMedia(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "MediaUserError"
	fail := func(field []string, msg, code string) (any, error) {
		return obj("ProductReorderMediaPayload", "job", nil, "mediaUserErrors", []any{uerr(et, field, msg, code)},
			"userErrors", []any{uerr("UserError", field, msg, "")}), nil
	}
	p := ec.sh.cat.productByGID(str(a["id"]))
	if p == nil {
		return fail(path("id"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
	}
	moves := asList(a["moves"])
	for i, x := range moves { // checked first: a refused call moves nothing
		mv := asMap(x)
		n, _ := idOf(str(mv["id"]), "MediaImage")
		if m := ec.sh.cat.files[n]; m == nil || m.product != p {
			return fail(path("moves", i, "id"), "Media does not exist on the given product.", "MEDIA_DOES_NOT_EXIST_ON_PRODUCT")
		}
		if _, err := fmt.Sscan(fmt.Sprint(mv["newPosition"]), new(uint64)); err != nil {
			return fail(path("moves", i, "newPosition"), "Invalid position.", "INVALID")
		}
	}
	for _, x := range moves {
		mv := asMap(x)
		n, _ := idOf(str(mv["id"]), "MediaImage")
		m := ec.sh.cat.files[n]
		var to uint64
		fmt.Sscan(fmt.Sprint(mv["newPosition"]), &to)
		for i, y := range p.media {
			if y == m {
				p.media = append(p.media[:i:i], p.media[i+1:]...)
				break
			}
		}
		at := min(int(min(to, uint64(len(p.media)))), len(p.media))
		p.media = append(p.media[:at:at], append([]*mediaImage{m}, p.media[at:]...)...)
	}
	ec.touch(p)
	return obj("ProductReorderMediaPayload", "job", obj("Job", "id", gid("Job", ec.sh.cat.newID()), "done", true),
		"mediaUserErrors", []any{}, "userErrors", []any{}), nil
}

// mutVariantDetachMedia takes images off variants.
func mutVariantDetachMedia(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "MediaUserError"
	p := ec.sh.cat.productByGID(str(a["productId"]))
	fail := func(field []string, msg, code string) (any, error) {
		return obj("ProductVariantDetachMediaPayload", "product", nil, "productVariants", nil, "userErrors", []any{uerr(et, field, msg, code)}), nil
	}
	if p == nil {
		return fail(path("productId"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
	}
	var vs []*variant
	for i, x := range asList(a["variantMedia"]) {
		in := asMap(x)
		v := ec.sh.cat.variantByGID(str(in["variantId"]))
		if v == nil || v.product != p {
			return fail(path("variantMedia", i, "variantId"), "Variant does not exist on the given product.", "PRODUCT_VARIANT_DOES_NOT_EXIST_ON_PRODUCT")
		}
		for _, id := range toAnySliceOfStrings(in["mediaIds"]) {
			if v.media == nil || gid("MediaImage", v.media.id) != id {
				return fail(path("variantMedia", i, "mediaIds"), "The specified media is not attached to the specified variant.", "MEDIA_IS_NOT_ATTACHED_TO_VARIANT")
			}
		}
		vs = append(vs, v)
	}
	out := []any{}
	for _, v := range vs {
		v.media = nil
		out = append(out, v)
	}
	ec.touch(p)
	return obj("ProductVariantDetachMediaPayload", "product", p, "productVariants", out, "userErrors", []any{}), nil
}

// addProductMedia adds productUpdate's media to p. It returns the user
// errors of inputs it refused (each is left out; the others are added).
func addProductMedia(c *catalog, p *product, media []any) []any {
	var errs []any
	for i, x := range media {
		in := asMap(x)
		src := str(in["originalSource"])
		u, err := url.Parse(src)
		switch {
		case str(in["mediaContentType"]) != "IMAGE":
			errs = append(errs, uerr("UserError", path("media", i, "mediaContentType"), "Only images are supported by this simulator", ""))
			continue
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			errs = append(errs, uerr("UserError", path("media", i, "originalSource"), "Image URL is invalid", ""))
			continue
		}
		m := c.newMedia(src, str(in["alt"]))
		m.product = p
		p.media = append(p.media, m)
	}
	return errs
}

// variantMediaError checks productVariantsBulkUpdate's mediaId for variant
// input i of product p, and returns the user error ("" when fine).
func variantMediaError(c *catalog, p *product, in map[string]any) (string, *mediaImage) {
	id, set := in["mediaId"]
	if !set || id == nil {
		return "", nil
	}
	n, _ := idOf(str(id), "MediaImage")
	m := c.files[n]
	switch {
	case m == nil || m.product != p:
		return "Media does not exist on the given product.", nil
	case m.status != mediaReady:
		return "Non-ready media are not supported.", nil
	}
	return "", m
}

func mediaErr(c *catalog, p *product, in map[string]any) string {
	msg, _ := variantMediaError(c, p, in)
	return msg
}

// SetImageNames makes the store serve each image it fetches from now on
// under the file name name(source) instead of the source's own (nil
// restores that). Which name Shopify gives a file fetched from an address
// whose last path segment is not the file's name (an image service's
// "?id=", a redirect) is UNCONFIRMED; tests use this to check that a client
// knows its images without relying on their names.
func (sh *Shop) SetImageNames(name func(src string) string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.cat.imageName = name
}

// Files lists every image file of the store, on a product or not (the
// admin's Files page), in the order they were made.
func (sh *Shop) Files() []Media {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var out []Media
	for _, id := range slices.Sorted(maps.Keys(sh.cat.files)) {
		m := sh.cat.files[id]
		out = append(out, Media{ID: gid("MediaImage", m.id), Source: m.source, URL: m.url, Alt: m.alt, Status: m.status})
	}
	return out
}
