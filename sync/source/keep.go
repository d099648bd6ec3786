package source

import (
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// keeper copies the strings the catalog keeps out of the rows they were
// read from. The CSV reader hands out a row's cells as parts of one string
// holding the whole line, so a kept SKU alone would keep its line (150–400
// bytes with every Shopify column) in memory for the whole sync: 12–25 MB
// per 100,000 rows. The kept strings are copied into slabs instead, a few
// allocations for a whole sheet. A slab lives as long as any string in it,
// which is as long as the catalog.
type keeper struct {
	slab strings.Builder // its written bytes never change, so strings into them stay valid
}

// keepSlab is the size of a slab: a few hundred rows' kept strings.
const keepSlab = 32 << 10

// str returns a copy of s in the slab.
func (k *keeper) str(s string) string {
	if s == "" {
		return ""
	}
	if k.slab.Cap()-k.slab.Len() < len(s) {
		k.slab.Reset() // the old slab stays with the strings in it
		k.slab.Grow(max(len(s), keepSlab))
	}
	start := k.slab.Len()
	k.slab.WriteString(s)
	return k.slab.String()[start:]
}

// strs copies every string of ss in place.
func (k *keeper) strs(ss []string) {
	for i := range ss {
		ss[i] = k.str(ss[i])
	}
}

// variant copies the strings of v.
func (k *keeper) variant(v *catalog.Variant) {
	v.SKU, v.Barcode, v.ImageSrc = k.str(v.SKU), k.str(v.Barcode), k.str(v.ImageSrc)
	v.HSCode, v.CountryOfOrigin = k.str(v.HSCode), k.str(v.CountryOfOrigin)
	k.strs(v.OptionValues)
	for i := range v.Quantities {
		v.Quantities[i].Location = k.str(v.Quantities[i].Location)
	}
	k.metafields(v.Metafields)
}

// product copies the strings of p (not of its variants).
func (k *keeper) product(p *catalog.Product) {
	p.Handle, p.Title, p.DescriptionHTML = k.str(p.Handle), k.str(p.Title), k.str(p.DescriptionHTML)
	p.Vendor, p.ProductType, p.Category = k.str(p.Vendor), k.str(p.ProductType), k.str(p.Category)
	p.SEOTitle, p.SEODescription = k.str(p.SEOTitle), k.str(p.SEODescription)
	k.strs(p.Tags)
	k.strs(p.Options)
	k.strs(p.OptionLinks)
	k.metafields(p.Metafields)
	for i := range p.Images {
		k.image(&p.Images[i])
	}
}

// image copies the strings of img.
func (k *keeper) image(img *catalog.Image) {
	img.Src, img.Alt = k.str(img.Src), k.str(img.Alt)
}

func (k *keeper) metafields(mfs []catalog.Metafield) {
	for i := range mfs {
		mfs[i].Value = k.str(mfs[i].Value)
	}
}
