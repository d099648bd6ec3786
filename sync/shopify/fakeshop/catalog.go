package fakeshop

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The catalog's internal types are pointer-linked so resolvers can walk from a level to its
// item, variant and product. Public types (Product, Variant…) are plain copies.

type product struct {
	id                              int64
	handle, title, descHTML, vendor string
	productType, status             string
	tags                            []string
	seoTitle, seoDesc               string
	giftCard                        bool
	media                           []*mediaImage
	metafields                      map[string]string // "namespace.key" → value
	category                        string            // a TaxonomyCategory ID, "" for none
	options                         []*option
	variants                        []*variant
	createdAt, updatedAt            time.Time
	// indexedAt is when the search index took the product in; zero until
	// then for products created by a mutation (see searchable). Seed
	// indexes at once.
	indexedAt time.Time
}

type option struct {
	id       int64
	name     string
	position int
	values   []string
	// link is the product metafield ("namespace.key") a linked option is linked to, and
	// linkVals each value's metaobject entry GID (metaobjects.go); "" and nil otherwise.
	link     string
	linkVals map[string]string
}

type variant struct {
	id                        int64
	product                   *product
	barcode, price, compareAt string
	policy                    string
	taxable                   bool
	unitPrice                 *UnitPrice // unitPriceMeasurement (fields.go); nil: none
	showUnitPrice             bool
	media                     *mediaImage // the variant's image
	metafields                map[string]string
	position                  int
	selected                  []SelectedOption
	item                      *invItem
	createdAt, updatedAt      time.Time
}

type invItem struct {
	id      int64
	sku     string
	tracked bool
	variant *variant
	levels  []*level
	// Weight, cost, shipping and customs (fields.go).
	weight           *Weight
	cost             string
	requiresShipping bool
	hsCode, origin   string
}

type level struct {
	id        int64
	item      *invItem
	loc       *location
	available int
	onHand    int
	// committed and unavailable are the rest of on hand (inventory_levels.go).
	committed, unavailable int
	updatedAt              time.Time
}

type location struct {
	id     int64
	name   string
	active bool
	// fulfillmentService marks a fulfillment service's legacy location (locations.go).
	fulfillmentService bool
}

type catalog struct {
	nextID    int64
	products  []*product // ordered by id
	byID      map[int64]*product
	byHandle  map[string]*product
	variants  map[int64]*variant
	items     map[int64]*invItem
	locations []*location
	mfDefs    []*metafieldDef
	mo        metaobjectStore // metaobject definitions and entries (metaobjects.go)
	// searchLag is how long a created or changed product stays invisible
	// to search (products(query:), productVariants(query:)).
	searchLag time.Duration
	// publications are the sales channels' publications (publications.go).
	publications []*publication
	// markets and priceLists are the shop's markets and their price lists (markets.go).
	markets    []*market
	priceLists []*priceList
	// files are every image file by ID, also those taken off their product
	// (fileUpdate referencesToRemove keeps the file in the store's Files).
	files map[int64]*mediaImage
	// imageName names a new image's file from its source (SetImageNames;
	// nil: the source's file name).
	imageName func(src string) string
}

func newCatalog() *catalog {
	return &catalog{
		searchLag: DefaultSearchLag,
		nextID:    1000,
		byID:      map[int64]*product{},
		byHandle:  map[string]*product{},
		variants:  map[int64]*variant{},
		items:     map[int64]*invItem{},
	}
}

func (c *catalog) newID() int64 { c.nextID++; return c.nextID }

func gid(kind string, id int64) string { return fmt.Sprintf("gid://shopify/%s/%d", kind, id) }

func levelGID(l *level) string {
	return fmt.Sprintf("gid://shopify/InventoryLevel/%d?inventory_item_id=%d", l.id, l.item.id)
}

// parseGID returns the kind and numeric id of a gid://shopify/Kind/N[?…] string.
func parseGID(s string) (kind string, id int64, ok bool) {
	rest, found := strings.CutPrefix(s, "gid://shopify/")
	if !found {
		return "", 0, false
	}
	rest, _, _ = strings.Cut(rest, "?")
	kind, num, found := strings.Cut(rest, "/")
	if !found {
		return "", 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return "", 0, false
	}
	return kind, n, true
}

func idOf(s, kind string) (int64, bool) {
	k, n, ok := parseGID(s)
	if !ok || k != kind {
		return 0, false
	}
	return n, true
}

func (c *catalog) location(idStr string) *location {
	n, ok := idOf(idStr, "Location")
	if !ok {
		return nil
	}
	for _, l := range c.locations {
		if l.id == n {
			return l
		}
	}
	return nil
}

func (c *catalog) locationByRef(ref string) *location {
	if l := c.location(ref); l != nil {
		return l
	}
	for _, l := range c.locations {
		if strings.EqualFold(l.name, ref) {
			return l
		}
	}
	return nil
}

func (c *catalog) productByGID(s string) *product {
	n, ok := idOf(s, "Product")
	if !ok {
		return nil
	}
	return c.byID[n]
}

func (c *catalog) variantByGID(s string) *variant {
	n, ok := idOf(s, "ProductVariant")
	if !ok {
		return nil
	}
	return c.variants[n]
}

func (c *catalog) itemByGID(s string) *invItem {
	n, ok := idOf(s, "InventoryItem")
	if !ok {
		return nil
	}
	return c.items[n]
}

var handleStrip = regexp.MustCompile(`[^a-z0-9]+`)

// handleize turns a title into a handle the way Shopify does for plain ASCII titles.
func handleize(title string) string {
	h := handleStrip.ReplaceAllString(strings.ToLower(title), "-")
	h = strings.Trim(h, "-")
	if h == "" {
		h = "product"
	}
	return h
}

// uniqueHandle appends -1, -2… until the handle is free (Shopify's behaviour for generated handles).
func (c *catalog) uniqueHandle(base string, self *product) string {
	h := base
	for i := 1; ; i++ {
		if p, taken := c.byHandle[h]; !taken || p == self {
			return h
		}
		h = fmt.Sprintf("%s-%d", base, i)
	}
}

func (c *catalog) addProduct(p *product) {
	c.products = append(c.products, p)
	c.byID[p.id] = p
	c.byHandle[p.handle] = p
}

func (c *catalog) removeProduct(p *product) {
	delete(c.byID, p.id)
	delete(c.byHandle, p.handle)
	for _, v := range p.variants {
		c.dropVariant(v)
	}
	for _, pub := range c.publications {
		delete(pub.products, p.id)
	}
	for i, q := range c.products {
		if q == p {
			c.products = append(c.products[:i], c.products[i+1:]...)
			break
		}
	}
}

func (c *catalog) setHandle(p *product, h string) {
	if c.byHandle[p.handle] == p {
		delete(c.byHandle, p.handle)
	}
	p.handle = h
	c.byHandle[h] = p
}

func (c *catalog) dropVariant(v *variant) {
	delete(c.variants, v.id)
	delete(c.items, v.item.id)
}

// newVariant creates a variant with its inventory item, stocked at the given locations.
func (c *catalog) newVariant(p *product, now time.Time, stockAt []*location) *variant {
	// taxable and requiresShipping default to true, as in Shopify's admin.
	v := &variant{id: c.newID(), product: p, price: "0.00", policy: "DENY", taxable: true, createdAt: now, updatedAt: now}
	// Untracked unless the input says tracked: the 2026-04 schema documents no default for
	// InventoryItemInput.tracked ("Whether the inventory item is tracked.", ~37949), so the
	// simulator takes the choice that shows a client which forgets it (an untracked variant
	// sells without limit). Seed tracks.
	v.item = &invItem{id: c.newID(), variant: v, requiresShipping: true}
	for _, l := range stockAt {
		c.stock(v.item, l, now)
	}
	c.variants[v.id] = v
	c.items[v.item.id] = v.item
	return v
}

func (c *catalog) stock(it *invItem, l *location, now time.Time) *level {
	if lv := it.levelAt(l); lv != nil {
		return lv
	}
	lv := &level{id: c.newID(), item: it, loc: l, updatedAt: now}
	it.levels = append(it.levels, lv)
	return lv
}

func (it *invItem) levelAt(l *location) *level {
	for _, lv := range it.levels {
		if lv.loc == l {
			return lv
		}
	}
	return nil
}

func (v *variant) title() string {
	if len(v.selected) == 0 {
		return "Default Title"
	}
	parts := make([]string, len(v.selected))
	for i, so := range v.selected {
		parts[i] = so.Value
	}
	return strings.Join(parts, " / ")
}

func (v *variant) optionKey() string {
	parts := make([]string, len(v.selected))
	for i, so := range v.selected {
		parts[i] = strings.ToLower(so.Name) + "=" + so.Value
	}
	sort.Strings(parts)
	return strings.Join(parts, "|")
}

func (p *product) renumber() {
	for i, v := range p.variants {
		v.position = i + 1
	}
	for i, o := range p.options {
		o.position = i + 1
	}
}

func (p *product) totalInventory() int {
	t := 0
	for _, v := range p.variants {
		for _, l := range v.item.levels {
			t += l.available
		}
	}
	return t
}

// toPublic deep-copies a product into the public type.
func (p *product) toPublic(c *catalog) Product {
	out := Product{
		ID: gid("Product", p.id), Handle: p.handle, Title: p.title, DescriptionHTML: p.descHTML,
		Vendor: p.vendor, ProductType: p.productType, Tags: append([]string(nil), p.tags...),
		Status: p.status, CreatedAt: p.createdAt, UpdatedAt: p.updatedAt,
		SEOTitle: p.seoTitle, SEODescription: p.seoDesc, GiftCard: p.giftCard, Media: publicMedia(p),
		Metafields: publicMetafields(p.metafields), Category: p.category,
	}
	if pub := c.onlineStore(); pub != nil {
		_, out.Published = pub.products[p.id]
	}
	for _, o := range p.options {
		po := Option{ID: gid("ProductOption", o.id), Name: o.name,
			Position: o.position, Values: append([]string(nil), o.values...), LinkedMetafield: o.link}
		if o.link != "" {
			for _, v := range o.values {
				po.LinkedValues = append(po.LinkedValues, o.linkVals[v])
			}
		}
		out.Options = append(out.Options, po)
	}
	for _, v := range p.variants {
		pv := Variant{
			ID: gid("ProductVariant", v.id), Title: v.title(), SKU: v.item.sku, Barcode: v.barcode,
			Price: v.price, CompareAtPrice: v.compareAt, InventoryPolicy: v.policy, Position: v.position,
			SelectedOptions: append([]SelectedOption(nil), v.selected...),
			InventoryItemID: gid("InventoryItem", v.item.id), Tracked: v.item.tracked,
		}
		publicExtras(&pv, v)
		if v.media != nil {
			pv.ImageSource = v.media.source
		}
		pv.Metafields = publicMetafields(v.metafields)
		for _, l := range v.item.levels {
			pv.Levels = append(pv.Levels, InventoryLevel{ID: levelGID(l), LocationID: gid("Location", l.loc.id),
				Available: l.available, OnHand: l.onHand, Committed: l.committed, Unavailable: l.unavailable})
		}
		out.Variants = append(out.Variants, pv)
	}
	return out
}

// seed inserts or replaces one public product. Missing IDs and handles are generated; a product
// without variants gets the standalone "Default Title" variant; a variant without levels is
// stocked at the first location with 0.
func (c *catalog) seed(in Product, now time.Time) {
	p := &product{title: in.Title, descHTML: in.DescriptionHTML, vendor: in.Vendor,
		productType: in.ProductType, tags: append([]string(nil), in.Tags...), status: in.Status,
		createdAt: in.CreatedAt, updatedAt: in.UpdatedAt, seoTitle: in.SEOTitle, seoDesc: in.SEODescription, giftCard: in.GiftCard,
		metafields: publicMetafields(in.Metafields), category: in.Category}
	if p.status == "" {
		p.status = "ACTIVE"
	}
	if p.createdAt.IsZero() {
		p.createdAt = now
	}
	if p.updatedAt.IsZero() {
		p.updatedAt = p.createdAt
	}
	if n, ok := idOf(in.ID, "Product"); ok {
		if old := c.byID[n]; old != nil {
			c.removeProduct(old)
		}
		p.id = n
		if n > c.nextID {
			c.nextID = n
		}
	} else {
		p.id = c.newID()
	}
	h := in.Handle
	if h == "" {
		h = c.uniqueHandle(handleize(in.Title), nil)
	}
	if old := c.byHandle[h]; old != nil {
		c.removeProduct(old)
	}
	p.handle = h
	c.seedMedia(p, in.Media)
	for _, o := range in.Options {
		opt := &option{id: c.newID(), name: o.Name, values: append([]string(nil), o.Values...), link: o.LinkedMetafield}
		for i, g := range o.LinkedValues {
			if i < len(o.Values) {
				opt.linkValue(o.Values[i], g)
			}
		}
		p.options = append(p.options, opt)
	}
	if len(p.options) == 0 {
		p.options = []*option{{id: c.newID(), name: "Title", values: []string{"Default Title"}}}
	}
	variants := in.Variants
	if len(variants) == 0 {
		variants = []Variant{{}}
	}
	for _, iv := range variants {
		v := c.newVariant(p, now, nil)
		v.barcode, v.compareAt = iv.Barcode, iv.CompareAtPrice
		if iv.Price != "" {
			v.price = iv.Price
		}
		if iv.InventoryPolicy != "" {
			v.policy = iv.InventoryPolicy
		}
		v.item.sku, v.item.tracked = iv.SKU, !iv.Untracked // Seed tracks inventory unless told otherwise
		seedExtras(v, iv)
		v.metafields = publicMetafields(iv.Metafields)
		v.selected = append([]SelectedOption(nil), iv.SelectedOptions...)
		v.media = seededMedia(p, iv.ImageSource)
		if len(v.selected) == 0 && len(p.options) == 1 && p.options[0].name == "Title" {
			v.selected = []SelectedOption{{Name: "Title", Value: "Default Title"}}
		}
		for _, so := range v.selected {
			p.addOptionValue(c, so.Name, so.Value)
		}
		for _, il := range iv.Levels {
			if l := c.locationByRef(il.LocationID); l != nil {
				lv := c.stock(v.item, l, now)
				lv.seedQuantities(il)
			}
		}
		if len(v.item.levels) == 0 && len(c.locations) > 0 {
			c.stock(v.item, c.locations[0], now)
		}
		p.variants = append(p.variants, v)
	}
	p.renumber()
	p.indexedAt = p.updatedAt
	c.addProduct(p)
	if pub := c.onlineStore(); pub != nil && in.Published {
		pub.products[p.id] = p.createdAt
	}
	sort.Slice(c.products, func(i, j int) bool { return c.products[i].id < c.products[j].id })
}

// addOptionValue makes sure the option exists and lists the value.
func (p *product) addOptionValue(c *catalog, name, value string) *option {
	for _, o := range p.options {
		if strings.EqualFold(o.name, name) {
			for _, v := range o.values {
				if v == value {
					return o
				}
			}
			o.values = append(o.values, value)
			return o
		}
	}
	o := &option{id: c.newID(), name: name, values: []string{value}}
	p.options = append(p.options, o)
	p.renumber()
	return o
}

// pruneOptionValues drops option values no variant uses any more (Shopify keeps only used values).
func (p *product) pruneOptionValues() {
	for _, o := range p.options {
		used := map[string]bool{}
		for _, v := range p.variants {
			for _, so := range v.selected {
				if strings.EqualFold(so.Name, o.name) {
					used[so.Value] = true
				}
			}
		}
		kept := o.values[:0]
		for _, val := range o.values {
			if used[val] {
				kept = append(kept, val)
			}
		}
		o.values = kept
	}
}
