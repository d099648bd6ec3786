package oauth

import (
	"slices"
	"sort"
	"strings"
)

// RequiredScopes returns the access scopes a sync can't run without:
// products and inventory (read and write) and locations (read).
func RequiredScopes() []string {
	return []string{"read_products", "write_products", "read_inventory", "write_inventory", "read_locations"}
}

// PublishScopes returns the scopes that let Shelfsync publish the products it
// creates to sales channels (publications query and publishablePublish;
// https://shopify.dev/docs/apps/build/sales-channels/product-publishing:
// "Your app has the read_publications and write_publications access
// scopes"). Without them a sync still runs, but new products stay
// unpublished: Shopify does not publish an ACTIVE product by itself
// (enum ProductStatus, ACTIVE, in the 2026-04 Admin schema).
func PublishScopes() []string { return []string{"read_publications", "write_publications"} }

// MarketScopes returns the scope that lets Shelfsync read the store's
// markets and their price lists, for the sheet's "Price / <Market>" columns
// (the markets query: "Requires read_markets for queries", Market object,
// Admin API; writing fixed prices needs only write_products). Without it a
// sync still runs and lists those columns as not synced.
func MarketScopes() []string { return []string{"read_markets"} }

// LinkScopes returns the scopes that let Shelfsync create options linked to
// metafields (a sheet's "OptionN Linked To"): their values are metaobject
// entries, found by name among the entries of the type the metafield
// references — metaobjectDefinition needs read_metaobject_definitions and
// the entries read_metaobjects ("Requires read_metaobjects access scope",
// metaobject queries, Admin API). Without them a sync still runs; products
// with linked options are not created, and the preview says why.
func LinkScopes() []string { return []string{"read_metaobject_definitions", "read_metaobjects"} }

// FileScopes returns the scope that lets Shelfsync change the image files of
// existing products: fileUpdate (alt text, taking an image off a product)
// and fileDelete need write_files, not write_products ("Requires write_files
// access scope", https://shopify.dev/docs/api/admin-graphql/2025-10/mutations/fileDelete;
// write_images, also named on fileUpdate's page, "is not valid, please
// continue using write_files": https://community.shopify.dev/t/write-images-access-scope-problem/33881).
// Without it a sync still runs and adds new images (productUpdate and
// productSet media need write_products); changing or removing existing
// images is not attempted, and the preview says why.
func FileScopes() []string { return []string{"write_files"} }

// optionalGroups are the scope groups a sync runs without.
func optionalGroups() [][]string {
	return [][]string{PublishScopes(), MarketScopes(), LinkScopes(), FileScopes()}
}

// NeededScopes returns every access scope Shelfsync asks for: the required
// ones, the publishing ones, the markets one, the linked-option ones and the
// files one.
func NeededScopes() []string {
	return slices.Concat(append([][]string{RequiredScopes()}, optionalGroups()...)...)
}

// RequiredMissing keeps the scopes of missing that a sync can't run
// without (it drops the publishing, markets, linked-option and files
// scopes).
func RequiredMissing(missing []string) []string {
	optional := slices.Concat(optionalGroups()...)
	var out []string
	for _, m := range missing {
		if !slices.Contains(optional, m) {
			out = append(out, m)
		}
	}
	return out
}

// ParseScopes splits Shopify's comma-separated scope list, trimming spaces
// and dropping empties and duplicates; the result is sorted.
func ParseScopes(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// MissingScopes returns the needed scopes that granted does not cover, in
// the order of needed. A write scope implies its read scope, as Shopify
// documents ("write scopes imply read scopes"), and so does the
// unauthenticated_ or customer_ prefix not: only write_X covers read_X.
func MissingScopes(granted, needed []string) []string {
	have := map[string]bool{}
	for _, g := range granted {
		g = strings.TrimSpace(g)
		have[g] = true
		if r, ok := strings.CutPrefix(g, "write_"); ok {
			have["read_"+r] = true
		}
	}
	var missing []string
	for _, n := range needed {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	return missing
}
