package fakeshop

import "strconv"

const (
	scopeReadProducts   = "read_products"
	scopeReadInventory  = "read_inventory"
	scopeReadLocations  = "read_locations"
	scopeWriteProducts  = "write_products"
	scopeWriteInventory = "write_inventory"
)

func idInt(p any) int64 {
	switch p := p.(type) {
	case *product:
		return p.id
	case *variant:
		return p.id
	case *invItem:
		return p.id
	case *level:
		return p.id
	case *location:
		return p.id
	case *bulkOp:
		return p.id
	case *mediaImage:
		return p.id
	}
	return 0
}

func addCatalogTypes(sc *schema) {
	node := []string{"Node"}
	sc.addConnection("Product")
	sc.addConnection("ProductVariant")
	sc.addConnection("InventoryLevel")
	sc.addConnection("Location")
	sc.addConnection("BulkOperation")

	sc.objType("Product", node, map[string]*fieldDef{
		"id":               scalar(func(p any) any { return gid("Product", p.(*product).id) }),
		"legacyResourceId": scalar(func(p any) any { return strconv.FormatInt(p.(*product).id, 10) }),
		"handle":           scalar(func(p any) any { return p.(*product).handle }),
		"title":            scalar(func(p any) any { return p.(*product).title }),
		"descriptionHtml":  scalar(func(p any) any { return p.(*product).descHTML }),
		"vendor":           scalar(func(p any) any { return p.(*product).vendor }),
		"productType":      scalar(func(p any) any { return p.(*product).productType }),
		"tags":             scalar(func(p any) any { return append([]string{}, p.(*product).tags...) }),
		"status":           scalar(func(p any) any { return p.(*product).status }),
		"createdAt":        scalar(func(p any) any { return ts(p.(*product).createdAt) }),
		"updatedAt":        scalar(func(p any) any { return ts(p.(*product).updatedAt) }),
		"totalInventory":   scalar(func(p any) any { return p.(*product).totalInventory() }),
		"hasOnlyDefaultVariant": scalar(func(p any) any {
			pr := p.(*product)
			return len(pr.variants) == 1 && pr.variants[0].title() == "Default Title"
		}),
		"options": {typ: "ProductOption", list: true, resolve: func(_ *execCtx, p any, a map[string]any) (any, error) {
			opts := p.(*product).options
			if n, ok := toInt(a["first"]); ok && n < len(opts) {
				opts = opts[:n]
			}
			return opts, nil
		}},
		"variants": {typ: "ProductVariantConnection", conn: true, node: "ProductVariant",
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				vs := p.(*product).variants
				all := make([]any, len(vs))
				for i, v := range vs {
					all[i] = v
				}
				return paginate(ec, all, idInt, a)
			}},
		"variantsCount": ref("Count", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			return obj("Count", "count", len(p.(*product).variants), "precision", "EXACT"), nil
		}),
	})

	sc.objType("ProductOption", node, map[string]*fieldDef{
		"id":       scalar(func(p any) any { return gid("ProductOption", p.(*option).id) }),
		"name":     scalar(func(p any) any { return p.(*option).name }),
		"position": scalar(func(p any) any { return p.(*option).position }),
		"values":   scalar(func(p any) any { return append([]string{}, p.(*option).values...) }),
		"optionValues": {typ: "ProductOptionValue", list: true, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			o := p.(*option)
			out := make([]any, len(o.values))
			for i, v := range o.values {
				var linked any // the metaobject entry of a linked option's value (metaobjects.go)
				if g, ok := o.linkVals[v]; ok {
					linked = g
				}
				out[i] = obj("ProductOptionValue", "id", gid("ProductOptionValue", o.id*1000+int64(i)), "name", v, "hasVariants", true,
					"linkedMetafieldValue", linked)
			}
			return out, nil
		}},
	})

	sc.objType("ProductVariant", node, map[string]*fieldDef{
		"id":               scalar(func(p any) any { return gid("ProductVariant", p.(*variant).id) }),
		"legacyResourceId": scalar(func(p any) any { return strconv.FormatInt(p.(*variant).id, 10) }),
		"title":            scalar(func(p any) any { return p.(*variant).title() }),
		"displayName":      scalar(func(p any) any { v := p.(*variant); return v.product.title + " - " + v.title() }),
		"sku":              scalar(func(p any) any { return nullIfEmpty(p.(*variant).item.sku) }),
		"barcode":          scalar(func(p any) any { return nullIfEmpty(p.(*variant).barcode) }),
		"price":            scalar(func(p any) any { return p.(*variant).price }),
		"compareAtPrice":   scalar(func(p any) any { return nullIfEmpty(p.(*variant).compareAt) }),
		"inventoryPolicy":  scalar(func(p any) any { return p.(*variant).policy }),
		"position":         scalar(func(p any) any { return p.(*variant).position }),
		"createdAt":        scalar(func(p any) any { return ts(p.(*variant).createdAt) }),
		"updatedAt":        scalar(func(p any) any { return ts(p.(*variant).updatedAt) }),
		"inventoryQuantity": scalar(func(p any) any {
			t := 0
			for _, l := range p.(*variant).item.levels {
				t += l.available
			}
			return t
		}),
		"selectedOptions": {typ: "SelectedOption", list: true, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			v := p.(*variant)
			out := make([]any, len(v.selected))
			for i, so := range v.selected {
				out[i] = obj("SelectedOption", "name", so.Name, "value", so.Value)
			}
			return out, nil
		}},
		"product": ref("Product", func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*variant).product, nil }),
		"inventoryItem": {typ: "InventoryItem", scopes: []string{scopeReadInventory, scopeReadProducts},
			resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*variant).item, nil }},
	})

	sc.objType("InventoryItem", node, map[string]*fieldDef{
		"id":               scalar(func(p any) any { return gid("InventoryItem", p.(*invItem).id) }),
		"legacyResourceId": scalar(func(p any) any { return strconv.FormatInt(p.(*invItem).id, 10) }),
		"sku":              scalar(func(p any) any { return nullIfEmpty(p.(*invItem).sku) }),
		"tracked":          scalar(func(p any) any { return p.(*invItem).tracked }),
		"variant":          ref("ProductVariant", func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*invItem).variant, nil }),
		"inventoryLevels": {typ: "InventoryLevelConnection", conn: true, node: "InventoryLevel", scopes: []string{scopeReadInventory},
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				ls := p.(*invItem).levels
				all := make([]any, len(ls))
				for i, l := range ls {
					all[i] = l
				}
				return paginate(ec, all, idInt, a)
			}},
		"inventoryLevel": {typ: "InventoryLevel", scopes: []string{scopeReadInventory},
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
				l := ec.sh.cat.location(str(a["locationId"]))
				if l == nil {
					return nil, nil
				}
				if lv := p.(*invItem).levelAt(l); lv != nil {
					return lv, nil
				}
				return nil, nil
			}},
	})

	sc.objType("InventoryLevel", node, map[string]*fieldDef{
		"id":        scalar(func(p any) any { return levelGID(p.(*level)) }),
		"createdAt": scalar(func(p any) any { return ts(p.(*level).updatedAt) }),
		"updatedAt": scalar(func(p any) any { return ts(p.(*level).updatedAt) }),
		"location":  ref("Location", func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*level).loc, nil }),
		"item":      ref("InventoryItem", func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*level).item, nil }),
		"quantities": {typ: "InventoryQuantity", list: true, resolve: func(_ *execCtx, p any, a map[string]any) (any, error) {
			l := p.(*level)
			var out []any
			for _, n := range toAnySliceOfStrings(a["names"]) {
				q := 0
				switch n {
				case "available":
					q = l.available
				case "on_hand":
					q = l.onHand
				case "committed":
					q = l.committed
				case "reserved":
					q = l.unavailable // the simulator keeps all unavailable stock as reserved
				case "incoming", "damaged", "safety_stock", "quality_control":
				default:
					continue
				}
				out = append(out, obj("InventoryQuantity", "id", gid("InventoryQuantity", l.id)+"?name="+n,
					"name", n, "quantity", q, "updatedAt", ts(l.updatedAt)))
			}
			return out, nil
		}},
	})

	sc.objType("Location", node, map[string]*fieldDef{
		"id":                   scalar(func(p any) any { return gid("Location", p.(*location).id) }),
		"legacyResourceId":     scalar(func(p any) any { return strconv.FormatInt(p.(*location).id, 10) }),
		"name":                 scalar(func(p any) any { return p.(*location).name }),
		"isActive":             scalar(func(p any) any { return p.(*location).active }),
		"isFulfillmentService": scalar(func(p any) any { return p.(*location).fulfillmentService }),
		"fulfillsOnlineOrders": scalar(func(any) any { return true }),
	})
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func toAnySliceOfStrings(v any) []string {
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}
