package shopify

import (
	"context"
	"regexp"
	"slices"
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

// Query sizing. A variant with L inventory levels costs 8 + 3L points (the
// variant, selectedOptions, inventoryItem, its unitCost, measurement and
// weight, the levels connection and per level the node, its location and
// its quantities); a product costs 5 (with seo) plus its variants connection
// (2 + V × variant). See cost.go for the model.
const (
	snapshotVariants = 10  // variants fetched with each product; more are paged
	maxProductsPage  = 250 // Shopify's page-size limit
)

func variantCost(levels int) int { return 8 + 3*levels }

// variantsWithProduct returns how many variants to fetch with each product:
// up to snapshotVariants, fewer when many locations make each one costly.
func variantsWithProduct(l int) int {
	return min(max((MaxQueryCost-2-7)/variantCost(l), 1), snapshotVariants)
}

// productsPerPage returns how many products with v variants and l levels
// fit in one query under MaxQueryCost.
func productsPerPage(v, l int) int {
	per := 5 + 2 + v*variantCost(l)
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

// ProductsByHandles reads the products with the given handles, with all
// their variants and inventory levels. Handles not in the store are simply
// absent from the result.
func (c *Client) ProductsByHandles(ctx context.Context, handles []string) ([]Product, error) {
	if len(handles) == 0 {
		return nil, nil
	}
	l, err := c.levels(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, h := range handles {
		want[h] = true
	}
	var out []Product
	per := productsPerPage(variantsWithProduct(l), l)
	for chunk := range slices.Chunk(handles, per) {
		err := c.products(ctx, orQuery("handle", chunk), len(chunk), l, func(p Product) error {
			if want[p.Handle] { // search may match more than the exact handle
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AllProducts calls fn for every product in the store, with all variants and
// inventory levels, page by page. For large stores prefer AllProductsBulk.
func (c *Client) AllProducts(ctx context.Context, fn func(Product) error) error {
	l, err := c.levels(ctx)
	if err != nil {
		return err
	}
	return c.products(ctx, "", productsPerPage(variantsWithProduct(l), l), l, fn)
}

// products pages through a products query and completes products whose
// variants did not fit in the first page.
func (c *Client) products(ctx context.Context, query string, first, levels int, fn func(Product) error) error {
	return shrinkOnMaxCost(first, func(first int) error {
		vars := map[string]any{"first": first, "variants": variantsWithProduct(levels), "levels": levels}
		if query != "" {
			vars["query"] = query
		}
		return Paginate(ctx, c, docProducts, vars, func(d *productsData) (PageInfo, error) {
			for _, w := range d.Products.Nodes {
				p := w.product()
				if w.Variants != nil && w.Variants.PageInfo.HasNextPage {
					more, err := c.productVariants(ctx, p.ID, w.Variants.PageInfo.EndCursor, levels)
					if err != nil {
						return PageInfo{}, err
					}
					for _, v := range more {
						v.ProductID, v.ProductHandle = p.ID, p.Handle
						p.Variants = append(p.Variants, v)
					}
				}
				if err := fn(p); err != nil {
					return PageInfo{}, err
				}
			}
			return d.Products.PageInfo, nil
		})
	})
}

// productVariants fetches a product's variants after the cursor.
func (c *Client) productVariants(ctx context.Context, productID, after string, levels int) ([]Variant, error) {
	type data struct {
		Product *struct {
			Variants struct {
				Nodes    []wireVariant
				PageInfo PageInfo
			}
		}
	}
	var out []Variant
	vars := map[string]any{"id": productID, "first": variantsPerPage(levels, false), "levels": levels}
	if after != "" {
		vars["after"] = after
	}
	err := Paginate(ctx, c, docProductVariants, vars, func(d *data) (PageInfo, error) {
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
	if len(skus) == 0 {
		return nil, nil
	}
	l, err := c.levels(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, s := range skus {
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
	for chunk := range slices.Chunk(skus, min(per, 50)) {
		err := shrinkOnMaxCost(per, func(first int) error {
			vars := map[string]any{"first": first, "query": orQuery("sku", chunk), "levels": l}
			return Paginate(ctx, c, docVariantsBySKU, vars, func(d *data) (PageInfo, error) {
				for _, w := range d.ProductVariants.Nodes {
					if v := w.variant(); want[v.SKU] {
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
