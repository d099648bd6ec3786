package shopify

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ShopInfo describes the store and what the app may do there.
type ShopInfo struct {
	ID                 string
	Name               string
	MyshopifyDomain    string
	CurrencyCode       string
	PlanName           string // plan.publicDisplayName, e.g. "Grow"
	PartnerDevelopment bool
	ShopifyPlus        bool
	Scopes             []string // granted access scope handles
}

// HasScope reports whether scope is granted; a write scope implies its read scope.
func (s *ShopInfo) HasScope(scope string) bool {
	if slices.Contains(s.Scopes, scope) {
		return true
	}
	if rest, ok := strings.CutPrefix(scope, "read_"); ok {
		return slices.Contains(s.Scopes, "write_"+rest)
	}
	return false
}

// ShopInfo reads the shop's name, domain, plan and currency and the access
// scopes granted to the app.
func (c *Client) ShopInfo(ctx context.Context) (*ShopInfo, error) {
	var d struct {
		Shop struct {
			ID, Name, MyshopifyDomain, CurrencyCode string
			Plan                                    struct {
				PublicDisplayName               string
				PartnerDevelopment, ShopifyPlus bool
			}
		}
		CurrentAppInstallation struct {
			AccessScopes []struct{ Handle string }
		}
	}
	if err := c.Do(ctx, docShopInfo, nil, &d); err != nil {
		return nil, err
	}
	s := &ShopInfo{ID: d.Shop.ID, Name: d.Shop.Name, MyshopifyDomain: d.Shop.MyshopifyDomain,
		CurrencyCode: d.Shop.CurrencyCode, PlanName: d.Shop.Plan.PublicDisplayName,
		PartnerDevelopment: d.Shop.Plan.PartnerDevelopment, ShopifyPlus: d.Shop.Plan.ShopifyPlus}
	for _, a := range d.CurrentAppInstallation.AccessScopes {
		s.Scopes = append(s.Scopes, a.Handle)
	}
	return s, nil
}

// Locations lists all of the store's locations.
func (c *Client) Locations(ctx context.Context) ([]Location, error) {
	type data struct {
		Locations struct {
			Nodes    []Location
			PageInfo PageInfo
		}
	}
	var out []Location
	err := Paginate(ctx, c, docLocations, map[string]any{"first": 250}, func(d *data) (PageInfo, error) {
		out = append(out, d.Locations.Nodes...)
		return d.Locations.PageInfo, nil
	})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.locationCount = len(out)
	c.mu.Unlock()
	return out, nil
}

// levels returns how many inventory levels to ask for per item: the number
// of locations (looked up once per client).
func (c *Client) levels(ctx context.Context) (int, error) {
	c.mu.Lock()
	n := c.locationCount
	c.mu.Unlock()
	if n == 0 {
		locs, err := c.Locations(ctx)
		if err != nil {
			return 0, err
		}
		n = len(locs)
	}
	return min(max(n, 1), 250), nil
}

// Query sizing. A variant with L inventory levels costs 9 + 3L points (the
// variant, selectedOptions, unitPriceMeasurement, inventoryItem, its
// unitCost, measurement and weight, the levels connection and per level the node, its location and
// its quantities); a product costs 6 (with seo and category) plus its variants connection
// (2 + V × variant). See cost.go for the model.
const (
	snapshotVariants = 10  // variants fetched with each product; more are paged
	maxProductsPage  = 250 // Shopify's page-size limit
)

func variantCost(levels int) int { return 9 + 3*levels }

// variantsWithProduct returns how many variants to fetch with each product:
// up to snapshotVariants, fewer when many locations make each one costly.
func variantsWithProduct(l int) int {
	return min(max((MaxQueryCost-2-8)/variantCost(l), 1), snapshotVariants)
}

// productsPerPage returns how many products with v variants and l levels
// fit in one query under MaxQueryCost.
func productsPerPage(v, l int) int {
	per := 6 + 2 + v*variantCost(l)
	return min(max((MaxQueryCost-2)/per, 1), maxProductsPage)
}

// variantsPerPage returns how many variants (with product reference when
// withProduct) fit in one query.
func variantsPerPage(l int, withProduct bool) int {
	per := variantCost(l)
	if withProduct {
		per++
	}
	return min(max((MaxQueryCost-2-1)/per, 1), 250)
}

var plainTermRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)

// searchTerm renders field:value in Shopify's search syntax
// (https://shopify.dev/docs/api/usage/search-syntax), quoting values that do
// not start with a letter or digit or contain anything but letters, digits,
// '_', '.' and '-'; inside quotes '\' and '"' are escaped with a backslash.
func searchTerm(field, value string) string {
	if plainTermRE.MatchString(value) {
		return field + ":" + value
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return field + `:"` + r.Replace(value) + `"`
}

func orQuery(field string, values []string) string {
	terms := make([]string, len(values))
	for i, v := range values {
		terms[i] = searchTerm(field, v)
	}
	return strings.Join(terms, " OR ")
}

type productsData struct {
	Products struct {
		Nodes    []wireProduct
		PageInfo PageInfo
	}
}

// allStatuses is the status filter every products search must carry: the
// 2026-04 schema documents the products query's status filter with default
// value "active" (QueryRoot.products, filter table), so a search without it
// may miss draft, archived and unlisted products (ProductStatus, schema
// enum; UNLISTED since 2025-10).
const allStatuses = "status:active,draft,archived,unlisted"

// handlesPerLookup is how many handles one ProductIDsByHandle request looks
// up (one aliased productByIdentifier each, 1 point apiece). Shopify
// documents no limit on aliases per request (UNCONFIRMED); 100 keeps each
// request at 100 points, well under the 1,000-point single-query limit.
const handlesPerLookup = 100

// ProductIDsByHandle looks each handle up exactly with productByIdentifier
// (schema QueryRoot.productByIdentifier, ProductIdentifierInput.handle). It
// does not go through the search index, so it finds products of every
// status, and products created a moment ago. Handles the store does not
// have are absent from the map (handle → product ID).
func (c *Client) ProductIDsByHandle(ctx context.Context, handles []string) (map[string]string, error) {
	out := make(map[string]string, len(handles))
	for chunk := range slices.Chunk(dedupeStrings(handles), handlesPerLookup) {
		vars := make(map[string]any, len(chunk))
		for i, h := range chunk {
			vars["h"+strconv.Itoa(i)] = h
		}
		var d map[string]*struct{ ID, Handle string }
		if err := c.Do(ctx, productIDsByHandleDoc(len(chunk)), vars, &d); err != nil {
			return nil, err
		}
		for i, h := range chunk {
			if p := d["p"+strconv.Itoa(i)]; p != nil && p.ID != "" {
				out[h] = p.ID
			}
		}
	}
	return out, nil
}

// ProductsByHandles reads the products with exactly these handles, of any
// status, with all their variants and inventory levels (ProductIDsByHandle,
// then ProductsByIDs). Handles not in the store are simply absent.
func (c *Client) ProductsByHandles(ctx context.Context, handles []string) ([]Product, error) {
	if len(handles) == 0 {
		return nil, nil
	}
	ids, err := c.ProductIDsByHandle(ctx, handles)
	if err != nil {
		return nil, err
	}
	list := make([]string, 0, len(ids))
	for _, h := range dedupeStrings(handles) {
		if id, ok := ids[h]; ok {
			list = append(list, id)
		}
	}
	return c.ProductsByIDs(ctx, list)
}

// ProductsByIDs reads products by ID (product(id:), no search index), with
// all their variants and inventory levels. IDs the store does not have (a
// deleted product) are absent from the result.
func (c *Client) ProductsByIDs(ctx context.Context, ids []string) ([]Product, error) {
	ids = dedupeStrings(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	l, err := c.levels(ctx)
	if err != nil {
		return nil, err
	}
	var out []Product
	per := productsPerPage(variantsWithProduct(l), l)
	for len(ids) > 0 {
		var d map[string]*wireProduct
		n := 0
		err := shrinkOnMaxCost(min(per, len(ids)), func(first int) error {
			n, d = first, nil
			vars := map[string]any{"variants": variantsWithProduct(l), "levels": l}
			for i, id := range ids[:first] {
				vars["id"+strconv.Itoa(i)] = id
			}
			return c.Do(ctx, productsByIDDoc(first), vars, &d)
		})
		if err != nil {
			return nil, err
		}
		for i := range n {
			w := d["p"+strconv.Itoa(i)]
			if w == nil || w.ID == "" {
				continue // deleted meanwhile
			}
			p, err := c.complete(ctx, w, l, ReadAll)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		ids, per = ids[n:], n // keep a size Shopify accepted
	}
	return out, nil
}

// AllProducts calls fn for every product in the store, of every status,
// with all variants and inventory levels, page by page. For large stores
// prefer AllProductsBulk.
func (c *Client) AllProducts(ctx context.Context, fn func(Product) error) error {
	return c.AllProductsWith(ctx, ReadAll, fn)
}

// products pages through a products query and completes products whose
// variants did not fit in the first page.
func (c *Client) products(ctx context.Context, query string, first, levels int, r ReadSet, fn func(Product) error) error {
	return shrinkOnMaxCost(first, func(first int) error {
		vars := withLevels(map[string]any{"first": first, "variants": variantsWithProduct(levels)}, r, levels)
		if query != "" {
			vars["query"] = query
		}
		return Paginate(ctx, c, productsDoc(r), vars, func(d *productsData) (PageInfo, error) {
			for i := range d.Products.Nodes {
				p, err := c.complete(ctx, &d.Products.Nodes[i], levels, r)
				if err != nil {
					return PageInfo{}, err
				}
				if err := fn(p); err != nil {
					return PageInfo{}, err
				}
			}
			return d.Products.PageInfo, nil
		})
	})
}

// complete converts a product read with its first variants and fetches the
// variants that did not fit.
func (c *Client) complete(ctx context.Context, w *wireProduct, levels int, r ReadSet) (Product, error) {
	p := w.product()
	if w.Variants != nil && w.Variants.PageInfo.HasNextPage {
		more, err := c.productVariants(ctx, p.ID, w.Variants.PageInfo.EndCursor, levels, r)
		if err != nil {
			return p, err
		}
		for _, v := range more {
			v.ProductID, v.ProductHandle = p.ID, p.Handle
			p.Variants = append(p.Variants, v)
		}
	}
	return p, nil
}

func dedupeStrings(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// productVariants fetches a product's variants after the cursor.
func (c *Client) productVariants(ctx context.Context, productID, after string, levels int, r ReadSet) ([]Variant, error) {
	type data struct {
		Product *struct {
			Variants struct {
				Nodes    []wireVariant
				PageInfo PageInfo
			}
		}
	}
	var out []Variant
	vars := withLevels(map[string]any{"id": productID, "first": variantsPerPage(levels, false)}, r, levels)
	if after != "" {
		vars["after"] = after
	}
	err := Paginate(ctx, c, productVariantsDoc(r), vars, func(d *data) (PageInfo, error) {
		if d.Product == nil {
			return PageInfo{}, nil // deleted meanwhile
		}
		for _, w := range d.Product.Variants.Nodes {
			out = append(out, w.variant())
		}
		return d.Product.Variants.PageInfo, nil
	})
	return out, err
}

// VariantsBySKUs reads the variants with the given SKUs (ProductID and
// ProductHandle set). SKUs are not unique in Shopify: a SKU may match
// several variants, and all are returned.
func (c *Client) VariantsBySKUs(ctx context.Context, skus []string) ([]Variant, error) {
	return c.variantsBy(ctx, "sku", skus, func(v *Variant) string { return v.SKU })
}

// VariantsByBarcodes reads the variants with the given barcodes, like
// VariantsBySKUs (productVariants' barcode filter, schema
// QueryRoot.productVariants filter table).
func (c *Client) VariantsByBarcodes(ctx context.Context, barcodes []string) ([]Variant, error) {
	return c.variantsBy(ctx, "barcode", barcodes, func(v *Variant) string { return v.Barcode })
}

// variantsBy searches productVariants for field:value terms, 50 per query,
// and keeps only exact matches: search tokenises terms and may match more
// (a SKU 2001 also matching 200). Search is eventually consistent, so a
// variant changed a moment ago may be missed; callers decide existence of
// products by handle with ProductIDsByHandle, never by this.
func (c *Client) variantsBy(ctx context.Context, field string, values []string, key func(*Variant) string) ([]Variant, error) {
	values = dedupeStrings(values)
	if len(values) == 0 {
		return nil, nil
	}
	l, err := c.levels(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, s := range values {
		want[s] = true
	}
	type data struct {
		ProductVariants struct {
			Nodes    []wireVariant
			PageInfo PageInfo
		}
	}
	var out []Variant
	per := variantsPerPage(l, true)
	for chunk := range slices.Chunk(values, min(per, 50)) {
		err := shrinkOnMaxCost(per, func(first int) error {
			vars := map[string]any{"first": first, "query": orQuery(field, chunk), "levels": l}
			return Paginate(ctx, c, docVariantsBySKU, vars, func(d *data) (PageInfo, error) {
				for _, w := range d.ProductVariants.Nodes {
					if v := w.variant(); want[key(&v)] {
						out = append(out, v)
					}
				}
				return d.ProductVariants.PageInfo, nil
			})
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
