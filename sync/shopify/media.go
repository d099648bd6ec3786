package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Product media (images) of existing products, with the 2026-04 mutations
// that are not deprecated there (admin-2026-04.graphql): productUpdate's
// media argument adds ("List of new media to be added to the product";
// productCreateMedia is deprecated: "Use `productUpdate` or `productSet`
// instead"), fileUpdate changes alt text and removes an image from a product
// (referencesToRemove; productUpdateMedia and productDeleteMedia are
// deprecated: "Use `fileUpdate` instead"), productReorderMedia moves media,
// productVariantsBulkUpdate's mediaId sets a variant's image and
// productVariantDetachMedia clears it. Media are processed asynchronously
// (MediaStatus UPLOADED → PROCESSING → READY or FAILED; "image: Returns null
// until status is READY"), so a caller polls ProductMedia.

// Media statuses (schema enum MediaStatus).
const (
	MediaUploaded   = "UPLOADED"
	MediaProcessing = "PROCESSING"
	MediaReady      = "READY"
	MediaFailed     = "FAILED"
)

// Media is one image of a product.
type Media struct {
	ID     string // gid://shopify/MediaImage/…
	Alt    string
	Status string // MediaStatus
	URL    string // image.url on Shopify's CDN; "" until READY
	// Errors are mediaErrors' messages (why processing FAILED).
	Errors []string
}

// ProductMedia is a product's images in order and, when asked for, the
// image of each variant (variant ID → media ID; absent when none).
type ProductMedia struct {
	Media    []Media
	Variants map[string]string
}

// mediaFirst is how many media one product brings in ProductMedia's batch
// query: a product with more is read again on its own, page by page. Each
// MediaImage costs 3 points (the media, its image and its list of errors),
// so a product costs 1 + 2 + 3 × mediaFirst.
const (
	mediaFirst   = 20
	mediaPerPage = 250
)

const wireMediaFields = `
fragment MediaFields on Media {
  id alt status mediaErrors { code message }
  ... on MediaImage { image { url } }
}
`

const docProductMedia = `query ProductMedia($ids: [ID!]!, $first: Int!) {
  nodes(ids: $ids) {
    ... on Product { id media(first: $first) { nodes { ...MediaFields } pageInfo { hasNextPage endCursor } } }
  }
}` + wireMediaFields

const docProductMediaPage = `query ProductMediaPage($id: ID!, $first: Int!, $after: String) {
  product(id: $id) { media(first: $first, after: $after) { nodes { ...MediaFields } pageInfo { hasNextPage endCursor } } }
}` + wireMediaFields

const docVariantMedia = `query VariantMedia($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    variants(first: $first, after: $after) { nodes { id media(first: 1) { nodes { id } } } pageInfo { hasNextPage endCursor } }
  }
}`

// docProductAddMedia adds media with productUpdate and reads the product's
// media back, so the caller can tell the new ones by their IDs.
const docProductAddMedia = `mutation ProductAddMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]!) {
  productUpdate(product: $product, media: $media) {
    product { media(first: 250) { nodes { ...MediaFields } } }
    userErrors { field message }
  }
}` + wireMediaFields

const docFileUpdate = `mutation FileUpdate($files: [FileUpdateInput!]!) {
  fileUpdate(files: $files) { files { id alt } userErrors { field message code } }
}`

// docFileDelete deletes files for good: the undo of an image a run added
// that Shopify could not process (FAILED), which fileUpdate can't touch
// ("Files must be in ready state before they can be updated"). fileDelete
// "handles the complete removal of files from both your store's file library
// and any associated references to products", and "Files that are currently
// being processed by other operations are rejected"
// (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fileDelete);
// productDeleteMedia is deprecated in 2026-04 ("Use `fileUpdate` instead").
const docFileDelete = `mutation FileDelete($ids: [ID!]!) {
  fileDelete(fileIds: $ids) { deletedFileIds userErrors { field message code } }
}`

const docProductReorderMedia = `mutation ProductReorderMedia($id: ID!, $moves: [MoveInput!]!) {
  productReorderMedia(id: $id, moves: $moves) { job { id done } mediaUserErrors { field message code } }
}`

const docVariantSetMedia = `mutation VariantSetMedia($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) { userErrors { field message code } }
}`

const docVariantDetachMedia = `mutation VariantDetachMedia($productId: ID!, $variantMedia: [ProductVariantDetachMediaInput!]!) {
  productVariantDetachMedia(productId: $productId, variantMedia: $variantMedia) { userErrors { field message code } }
}`

func mediaDocuments() map[string]string {
	return map[string]string{
		"ProductMedia": docProductMedia, "ProductMediaPage": docProductMediaPage, "VariantMedia": docVariantMedia,
		"ProductAddMedia": docProductAddMedia, "FileUpdate": docFileUpdate, "FileDelete": docFileDelete, "ProductReorderMedia": docProductReorderMedia,
		"VariantSetMedia": docVariantSetMedia, "VariantDetachMedia": docVariantDetachMedia,
		"BulkMediaQuery": BulkMediaQuery, "BulkVariantMediaQuery": BulkVariantMediaQuery,
	}
}

type wireMedia struct {
	ID, Alt, Status string
	MediaErrors     []struct{ Code, Message string }
	Image           *struct{ URL string }
}

func (w wireMedia) media() Media {
	m := Media{ID: w.ID, Alt: w.Alt, Status: w.Status}
	if w.Image != nil {
		m.URL = w.Image.URL
	}
	for _, e := range w.MediaErrors {
		m.Errors = append(m.Errors, e.Message)
	}
	return m
}

type mediaConn struct {
	Nodes    []wireMedia
	PageInfo PageInfo
}

// ProductMedia reads the media of the products ids, and the image of every
// variant of the products withVariants that have media. Products the store
// does not have are absent.
func (c *Client) ProductMedia(ctx context.Context, ids, withVariants []string) (map[string]*ProductMedia, error) {
	ids = dedupeStrings(ids)
	out := make(map[string]*ProductMedia, len(ids))
	per := min(max((MaxQueryCost-2)/(1+2+3*mediaFirst), 1), maxProductsPage)
	for len(ids) > 0 {
		var d struct {
			Nodes []*struct {
				ID    string
				Media *mediaConn
			}
		}
		n := 0
		err := shrinkOnMaxCost(min(per, len(ids)), func(first int) error {
			n, d.Nodes = first, nil
			return c.Do(ctx, docProductMedia, map[string]any{"ids": ids[:first], "first": mediaFirst}, &d)
		})
		if err != nil {
			return nil, err
		}
		for _, w := range d.Nodes {
			if w == nil || w.ID == "" || w.Media == nil {
				continue // deleted, or not a product
			}
			pm := &ProductMedia{}
			for _, m := range w.Media.Nodes {
				pm.Media = append(pm.Media, m.media())
			}
			if w.Media.PageInfo.HasNextPage {
				more, err := c.mediaPages(ctx, w.ID, w.Media.PageInfo.EndCursor)
				if err != nil {
					return nil, err
				}
				pm.Media = append(pm.Media, more...)
			}
			out[w.ID] = pm
		}
		ids, per = ids[n:], n
	}
	for _, id := range dedupeStrings(withVariants) {
		pm := out[id]
		if pm == nil || len(pm.Media) == 0 {
			continue // no images: no variant shows one
		}
		vm, err := c.variantMedia(ctx, id)
		if err != nil {
			return nil, err
		}
		pm.Variants = vm
	}
	return out, nil
}

func (c *Client) mediaPages(ctx context.Context, productID, after string) ([]Media, error) {
	type data struct{ Product *struct{ Media mediaConn } }
	var out []Media
	err := Paginate(ctx, c, docProductMediaPage, map[string]any{"id": productID, "first": mediaPerPage, "after": after},
		func(d *data) (PageInfo, error) {
			if d.Product == nil {
				return PageInfo{}, nil
			}
			for _, m := range d.Product.Media.Nodes {
				out = append(out, m.media())
			}
			return d.Product.Media.PageInfo, nil
		})
	return out, err
}

// variantMedia maps each variant of a product to its image's media ID. A
// variant costs 4 points (itself, its media connection and one node).
func (c *Client) variantMedia(ctx context.Context, productID string) (map[string]string, error) {
	type data struct {
		Product *struct {
			Variants struct {
				Nodes []struct {
					ID    string
					Media struct{ Nodes []struct{ ID string } }
				}
				PageInfo PageInfo
			}
		}
	}
	out := map[string]string{}
	vars := map[string]any{"id": productID, "first": min((MaxQueryCost-4)/4, 250)}
	err := Paginate(ctx, c, docVariantMedia, vars, func(d *data) (PageInfo, error) {
		if d.Product == nil {
			return PageInfo{}, nil
		}
		for _, v := range d.Product.Variants.Nodes {
			if len(v.Media.Nodes) > 0 {
				out[v.ID] = v.Media.Nodes[0].ID
			}
		}
		return d.Product.Variants.PageInfo, nil
	})
	return out, err
}

// NewMedia is an image to add from a URL Shopify fetches.
type NewMedia struct {
	Source string
	Alt    string
}

// AddMedia adds images to a product (productUpdate with media) and returns
// the product's media as they are after the call, in order. A refused input
// comes back as *UserErrors whose field names its index ("media", "1", …);
// the others are added.
func (c *Client) AddMedia(ctx context.Context, productID string, in []NewMedia) ([]Media, error) {
	media := make([]map[string]any, len(in))
	for i, m := range in {
		media[i] = map[string]any{"originalSource": m.Source, "mediaContentType": "IMAGE"}
		if m.Alt != "" {
			media[i]["alt"] = m.Alt
		}
	}
	var d struct {
		ProductUpdate struct {
			Product    *struct{ Media mediaConn }
			UserErrors []UserError
		}
	}
	if err := c.Do(ctx, docProductAddMedia, map[string]any{"product": map[string]any{"id": productID}, "media": media}, &d); err != nil {
		return nil, err
	}
	var out []Media
	if p := d.ProductUpdate.Product; p != nil {
		for _, m := range p.Media.Nodes {
			out = append(out, m.media())
		}
	}
	return out, userErrs("productUpdate", d.ProductUpdate.UserErrors)
}

// FileChange changes one file: its alt text (nil leaves it), or which
// products it is on (removing it from a product takes it out of the
// product's media, and off any variant that showed it; the file stays in
// the store's Files).
type FileChange struct {
	ID         string
	Alt        *string
	AddTo      []string // product IDs (referencesToAdd)
	RemoveFrom []string // product IDs (referencesToRemove)
}

// FilesScope is the access scope fileUpdate and fileDelete need: "Requires
// write_files access scope" (https://shopify.dev/docs/api/admin-graphql/2025-10/mutations/fileDelete);
// write_products is not enough.
const FilesScope = "write_files"

// UpdateFiles sends fileUpdate (files must be READY: "Files must be in
// ready state before they can be updated", fileUpdate's description).
func (c *Client) UpdateFiles(ctx context.Context, in []FileChange) error {
	for chunk := range slices.Chunk(in, maxInputItems) {
		files := make([]map[string]any, len(chunk))
		for i, f := range chunk {
			m := map[string]any{"id": f.ID}
			if f.Alt != nil {
				m["alt"] = *f.Alt
			}
			if len(f.AddTo) > 0 {
				m["referencesToAdd"] = f.AddTo
			}
			if len(f.RemoveFrom) > 0 {
				m["referencesToRemove"] = f.RemoveFrom
			}
			files[i] = m
		}
		if err := c.mutate(ctx, docFileUpdate, "fileUpdate", map[string]any{"files": files}); err != nil {
			return err
		}
	}
	return nil
}

// DeleteFiles deletes files from the store (fileDelete): off every product
// and out of the store's Files, for good.
func (c *Client) DeleteFiles(ctx context.Context, ids []string) error {
	for chunk := range slices.Chunk(ids, maxInputItems) {
		if err := c.mutate(ctx, docFileDelete, "fileDelete", map[string]any{"ids": chunk}); err != nil {
			return err
		}
	}
	return nil
}

// ReorderMedia moves the product's media into the order ids (the first
// len(ids) positions; others follow). Shopify applies the moves in a job
// ("The operation processes asynchronously"); the caller reads the order back.
func (c *Client) ReorderMedia(ctx context.Context, productID string, ids []string) error {
	moves := make([]map[string]any, len(ids))
	for i, id := range ids {
		moves[i] = map[string]any{"id": id, "newPosition": strconv.Itoa(i)} // UnsignedInt64 is a string
	}
	var d struct {
		ProductReorderMedia struct{ MediaUserErrors []UserError }
	}
	if err := c.Do(ctx, docProductReorderMedia, map[string]any{"id": productID, "moves": moves}, &d); err != nil {
		return err
	}
	return userErrs("productReorderMedia", d.ProductReorderMedia.MediaUserErrors)
}

// SetVariantMedia sets the image of a variant (productVariantsBulkUpdate
// with mediaId), or clears it when mediaID is "" (productVariantDetachMedia
// of the media it has now, current).
func (c *Client) SetVariantMedia(ctx context.Context, productID, variantID, mediaID, current string) error {
	if mediaID == "" {
		if current == "" {
			return nil
		}
		vars := map[string]any{"productId": productID, "variantMedia": []map[string]any{{"variantId": variantID, "mediaIds": []string{current}}}}
		return c.mutate(ctx, docVariantDetachMedia, "productVariantDetachMedia", vars)
	}
	vars := map[string]any{"productId": productID, "variants": []map[string]any{{"id": variantID, "mediaId": mediaID}}}
	if err := c.mutate(ctx, docVariantSetMedia, "productVariantsBulkUpdate", vars); err != nil {
		return fmt.Errorf("setting the variant's image: %w", err)
	}
	return nil
}

// BulkMediaQuery reads every product's images in one bulk operation: each
// image is a line of its own whose __parentId is its product, after it.
// Lines of one connection come in the connection's order (UNCONFIRMED: the
// bulk-operations guide says only "after their parent"; a different order
// would make Shelfsync plan an image reorder, which the preview shows).
const BulkMediaQuery = `{
  products { edges { node { id media { edges { node { id alt status mediaErrors { code message } ... on MediaImage { image { url } } } } } } } }
}`

// BulkVariantMediaQuery reads every variant's image (its first media).
const BulkVariantMediaQuery = `{
  productVariants { edges { node { id product { id } media { edges { node { id } } } } } }
}`

// AllProductMediaBulk reads the images of every product of the store (and,
// withVariants, each variant's image) with bulk operations, outside the
// per-request rate limit: for large catalogs.
func (c *Client) AllProductMediaBulk(ctx context.Context, withVariants bool) (map[string]*ProductMedia, error) {
	out := map[string]*ProductMedia{}
	get := func(id string) *ProductMedia {
		if out[id] == nil {
			out[id] = &ProductMedia{}
		}
		return out[id]
	}
	_, err := c.BulkQuery(ctx, BulkMediaQuery, func(l BulkLine) error {
		if l.ParentID == "" {
			get(l.ID)
			return nil
		}
		var w wireMedia
		if err := json.Unmarshal(l.Raw, &w); err != nil {
			return fmt.Errorf("shopify: bad image line in bulk result: %w", err)
		}
		pm := get(l.ParentID)
		pm.Media = append(pm.Media, w.media())
		return nil
	})
	if err != nil || !withVariants {
		return out, err
	}
	productOf := map[string]string{} // variant → product
	_, err = c.BulkQuery(ctx, BulkVariantMediaQuery, func(l BulkLine) error {
		if l.ParentID == "" {
			var v struct{ Product struct{ ID string } }
			if err := json.Unmarshal(l.Raw, &v); err != nil {
				return fmt.Errorf("shopify: bad variant line in bulk result: %w", err)
			}
			productOf[l.ID] = v.Product.ID
			return nil
		}
		pm := get(productOf[l.ParentID])
		if pm.Variants == nil {
			pm.Variants = map[string]string{}
		}
		if pm.Variants[l.ParentID] == "" {
			pm.Variants[l.ParentID] = l.ID
		}
		return nil
	})
	return out, err
}
