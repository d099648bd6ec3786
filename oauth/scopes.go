package oauth

import (
	"sort"
	"strings"
)

// NeededScopes returns the access scopes Shelfsync asks for and needs:
// products and inventory (read and write) and locations (read).
func NeededScopes() []string {
	return []string{"read_products", "write_products", "read_inventory", "write_inventory", "read_locations"}
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
