package fakeshop

import (
	"net/url"
	pathpkg "path"
)

// Product images created from URLs by productSet's files
// (admin-2026-04.graphql: ProductSetInput.files "The files to associate with
// the product", a list field that productSet replaces; FileSetInput
// {originalSource, alt, contentType, id}; ProductVariantSetInput.file "Any
// file specified here must also be specified in the files input for the
// product"). The simulator keeps the source address so tests can see what
// was sent; Shopify fetches the file and serves it from its CDN under the
// source's file name.

// Media is one image of a product.
type Media struct {
	ID     string // gid://shopify/MediaImage/N
	Source string // the originalSource it was created from
	URL    string // where the store serves it
	Alt    string
}

type mediaImage struct {
	id          int64
	source, url string
	alt         string
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
	}
	p.media = nil
	bySource := map[string]*mediaImage{}
	for _, f := range asList(files) {
		fm := asMap(f)
		m := old[str(fm["id"])]
		if m == nil {
			src := str(fm["originalSource"])
			m = &mediaImage{id: c.newID(), source: src, url: cdnURL(src)}
		}
		if a, ok := fm["alt"]; ok {
			m.alt = str(a)
		}
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

// cdnURL is where the simulated store serves an image fetched from src.
func cdnURL(src string) string {
	name := "image"
	if u, err := url.Parse(src); err == nil && pathpkg.Base(u.Path) != "/" && pathpkg.Base(u.Path) != "." {
		name = pathpkg.Base(u.Path)
	}
	return "https://cdn.shopify.com/s/files/1/0000/0001/files/" + name
}

// publicMedia copies a product's media into the public type.
func publicMedia(p *product) []Media {
	var out []Media
	for _, m := range p.media {
		out = append(out, Media{ID: gid("MediaImage", m.id), Source: m.source, URL: m.url, Alt: m.alt})
	}
	return out
}
