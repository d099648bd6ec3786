package fakeshop

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

func addQueryRoot(sc *schema) {
	readProducts := []string{scopeReadProducts}
	sc.objType("QueryRoot", nil, map[string]*fieldDef{
		"shop": ref("Shop", func(ec *execCtx, _ any, _ map[string]any) (any, error) { return ec.sh, nil }),
		"currentAppInstallation": ref("AppInstallation", func(ec *execCtx, _ any, _ map[string]any) (any, error) {
			var scopes []any
			if ec.tok != nil {
				for _, s := range ec.tok.scopes {
					scopes = append(scopes, obj("AccessScope", "handle", s, "description", nil))
				}
			}
			h := fnv.New32a()
			h.Write([]byte(ec.clientID))
			app := obj("App", "id", fmt.Sprintf("gid://shopify/App/%d", h.Sum32()), "title", ec.clientID,
				"handle", ec.clientID, "apiKey", ec.clientID)
			return obj("AppInstallation", "id", fmt.Sprintf("gid://shopify/AppInstallation/%d", h.Sum32()),
				"accessScopes", scopes, "app", app), nil
		}),
		"locations": {typ: "LocationConnection", conn: true, node: "Location",
			scopes: []string{scopeReadLocations, scopeReadInventory},
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				var all []any
				for _, l := range ec.sh.cat.locations {
					if l.fulfillmentService && a["includeLegacy"] != true {
						continue // "Whether to include the legacy locations of fulfillment services", default false
					}
					if l.active || a["includeInactive"] == true {
						all = append(all, l)
					}
				}
				return paginate(ec, all, idInt, a)
			}},
		"location": {typ: "Location", scopes: []string{scopeReadLocations, scopeReadInventory},
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				if l := ec.sh.cat.location(str(a["id"])); l != nil {
					return l, nil
				}
				return nil, nil
			}},
		"products": {typ: "ProductConnection", conn: true, node: "Product", scopes: readProducts,
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				return paginate(ec, ec.sh.findProducts(a, ec.now), idInt, a)
			}},
		"productsCount": {typ: "Count", scopes: readProducts, resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			return countUpTo(len(ec.sh.findProducts(a, ec.now)), a), nil
		}},
		"productVariantsCount": {typ: "Count", scopes: readProducts, resolve: resolveVariantsCount}, // daylimit.go
		"product": {typ: "Product", scopes: readProducts, resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if p := ec.sh.cat.productByGID(str(a["id"])); p != nil {
				return p, nil
			}
			return nil, nil
		}},
		"productByIdentifier": {typ: "Product", scopes: readProducts, resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			id, _ := a["identifier"].(map[string]any)
			if p := ec.sh.lookupProduct(id); p != nil {
				return p, nil
			}
			return nil, nil
		}},
		"productVariant": {typ: "ProductVariant", scopes: readProducts, resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if v := ec.sh.cat.variantByGID(str(a["id"])); v != nil {
				return v, nil
			}
			return nil, nil
		}},
		"productVariants": {typ: "ProductVariantConnection", conn: true, node: "ProductVariant", scopes: readProducts,
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				var expr *searchExpr
				if q := str(a["query"]); q != "" {
					expr = parseSearch(q)
				}
				var all []any
				for _, p := range ec.sh.cat.products {
					if expr != nil && !ec.sh.cat.searchable(p, ec.now) {
						continue // not in the search index yet (search.go)
					}
					for _, v := range p.variants {
						if expr.match(variantFields(v)) {
							all = append(all, v)
						}
					}
				}
				sort.SliceStable(all, func(i, j int) bool { return idInt(all[i]) < idInt(all[j]) })
				if a["reverse"] == true {
					reverseAny(all)
				}
				return paginate(ec, all, idInt, a)
			}},
		"inventoryItem": {typ: "InventoryItem", scopes: []string{scopeReadInventory, scopeReadProducts},
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				if it := ec.sh.cat.itemByGID(str(a["id"])); it != nil {
					return it, nil
				}
				return nil, nil
			}},
		"node": {typ: "Node", resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			return ec.sh.nodeByID(str(a["id"])), nil
		}},
		"nodes": {typ: "Node", list: true, sum: true, resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			ids := toAnySliceOfStrings(a["ids"])
			out := make([]any, len(ids))
			for i, id := range ids {
				out[i] = ec.sh.nodeByID(id)
			}
			return out, nil
		}},
		"bulkOperation": {typ: "BulkOperation", resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if op := ec.sh.bulk.byGID(str(a["id"]), ec.clientID); op != nil {
				return op, nil
			}
			return nil, nil
		}},
		"currentBulkOperation": {typ: "BulkOperation", resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			typ := str(a["type"])
			if typ == "" {
				typ = "QUERY"
			}
			if op := ec.sh.bulk.current(ec.clientID, typ); op != nil {
				return op, nil
			}
			return nil, nil
		}},
		"productOperation": {typ: "ProductSetOperation", resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if op := ec.sh.bulk.productOps[str(a["id"])]; op != nil {
				return op, nil
			}
			return nil, nil
		}},
	})
}

func reverseAny(s []any) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// findProducts applies query, sortKey and reverse. A query string goes
// through the (lagging) search index; every request gets the status filter's
// default "active" unless it names statuses (search.go). Caller holds sh.mu.
func (sh *Shop) findProducts(a map[string]any, now time.Time) []any {
	q := str(a["query"])
	expr := parseSearch(q)
	if !expr.hasField("status") {
		expr = parseSearch(defaultProductStatus + " (" + q + ")")
		if strings.TrimSpace(q) == "" {
			expr = parseSearch(defaultProductStatus)
		}
	}
	var all []*product
	for _, p := range sh.cat.products {
		if q != "" && !sh.cat.searchable(p, now) {
			continue
		}
		if expr.match(productFields(p)) {
			all = append(all, p)
		}
	}
	key := str(a["sortKey"])
	less := func(i, j int) bool { return all[i].id < all[j].id }
	switch key {
	case "TITLE":
		less = func(i, j int) bool { return strings.ToLower(all[i].title) < strings.ToLower(all[j].title) }
	case "UPDATED_AT":
		less = func(i, j int) bool { return all[i].updatedAt.Before(all[j].updatedAt) }
	case "CREATED_AT":
		less = func(i, j int) bool { return all[i].createdAt.Before(all[j].createdAt) }
	case "VENDOR":
		less = func(i, j int) bool { return all[i].vendor < all[j].vendor }
	case "PRODUCT_TYPE":
		less = func(i, j int) bool { return all[i].productType < all[j].productType }
	case "INVENTORY_TOTAL":
		less = func(i, j int) bool { return all[i].totalInventory() < all[j].totalInventory() }
	}
	sort.SliceStable(all, less)
	out := make([]any, len(all))
	for i, p := range all {
		out[i] = p
	}
	if a["reverse"] == true {
		reverseAny(out)
	}
	return out
}

// lookupProduct finds a product by {id} or {handle}. Caller holds sh.mu.
func (sh *Shop) lookupProduct(ident map[string]any) *product {
	if ident == nil {
		return nil
	}
	if id := str(ident["id"]); id != "" {
		return sh.cat.productByGID(id)
	}
	if h := str(ident["handle"]); h != "" {
		return sh.cat.byHandle[h]
	}
	return nil
}

// nodeByID resolves any supported gid. Caller holds sh.mu.
func (sh *Shop) nodeByID(id string) any {
	kind, n, ok := parseGID(id)
	if !ok {
		return nil
	}
	var v any
	switch kind {
	case "Product":
		v = sh.cat.byID[n]
	case "ProductVariant":
		v = sh.cat.variants[n]
	case "MediaImage":
		if m := sh.cat.files[n]; m != nil {
			return m
		}
	case "InventoryItem":
		v = sh.cat.items[n]
	case "InventoryLevel":
		for _, it := range sh.cat.items {
			for _, l := range it.levels {
				if l.id == n {
					return l
				}
			}
		}
	case "Location":
		if l := sh.cat.location(id); l != nil {
			return l
		}
	case "BulkOperation":
		if op := sh.bulk.ops[n]; op != nil {
			return op
		}
	case "Shop":
		if n == sh.id {
			return sh
		}
	}
	switch x := v.(type) {
	case *product:
		if x != nil {
			return x
		}
	case *variant:
		if x != nil {
			return x
		}
	case *invItem:
		if x != nil {
			return x
		}
	}
	return nil
}
