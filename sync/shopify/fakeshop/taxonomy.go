package fakeshop

import "strings"

// A slice of Shopify's Standard Product Taxonomy (IDs and full names as in
// https://raw.githubusercontent.com/Shopify/product-taxonomy/main/dist/en/categories.txt;
// aa-1-12-4 Jeans and aa-2-17-2 Beanies as several public integrations use
// them — the categories the shared legacy sample names),
// enough to set and search categories: Product.category (TaxonomyCategory
// {id fullName}), ProductSetInput.category (an ID), and
// QueryRoot.taxonomy.categories(search:) (admin-2026-04.graphql).
var taxonomy = []struct{ id, fullName string }{
	{"aa", "Apparel & Accessories"},
	{"aa-1", "Apparel & Accessories > Clothing"},
	{"aa-1-13", "Apparel & Accessories > Clothing > Clothing Tops"},
	{"aa-1-13-8", "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"},
	{"aa-1-12", "Apparel & Accessories > Clothing > Pants"},
	{"aa-1-12-4", "Apparel & Accessories > Clothing > Pants > Jeans"},
	{"aa-2", "Apparel & Accessories > Clothing Accessories"},
	{"aa-2-17", "Apparel & Accessories > Clothing Accessories > Hats"},
	{"aa-2-17-2", "Apparel & Accessories > Clothing Accessories > Hats > Beanies"},
}

const taxonomyGID = "gid://shopify/TaxonomyCategory/"

// taxonomyName is the full name of a category ID ("" when unknown).
func taxonomyName(id string) string {
	for _, c := range taxonomy {
		if taxonomyGID+c.id == id {
			return c.fullName
		}
	}
	return ""
}

func taxonomyObj(id string) any {
	name := taxonomyName(id)
	if name == "" {
		return nil
	}
	short := name[strings.LastIndex(name, "> ")+1:]
	return obj("TaxonomyCategory", "id", id, "fullName", name, "name", strings.TrimSpace(short))
}

func addTaxonomyTypes(sc *schema) {
	sc.mapType("TaxonomyCategory", []string{"Node"}, "id", "fullName", "name")
	sc.addConnection("TaxonomyCategory")
	sc.types["Taxonomy"] = &typeDef{name: "Taxonomy", fields: map[string]*fieldDef{
		"categories": {typ: "TaxonomyCategoryConnection", conn: true, node: "TaxonomyCategory",
			resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
				q := strings.ToLower(str(a["search"]))
				var all []any
				for i, c := range taxonomy {
					if q == "" || strings.Contains(strings.ToLower(c.fullName), q) {
						o := taxonomyObj(taxonomyGID + c.id)
						o.(*mobj).m["_n"] = int64(i + 1)
						all = append(all, o)
					}
				}
				return paginate(ec, all, func(p any) int64 { return p.(*mobj).m["_n"].(int64) }, a)
			}},
	}}
	sc.types["QueryRoot"].fields["taxonomy"] = &fieldDef{typ: "Taxonomy",
		resolve: func(*execCtx, any, map[string]any) (any, error) { return struct{}{}, nil }}
	sc.types["Product"].fields["category"] = ref("TaxonomyCategory", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		return taxonomyObj(p.(*product).category), nil
	})
}

// applyCategory sets a product input's category: an ID of the taxonomy,
// or null to clear it. It returns false for an unknown ID.
func applyCategory(p *product, in map[string]any) bool {
	c, ok := in["category"]
	if !ok {
		return true
	}
	if c == nil {
		p.category = ""
		return true
	}
	if taxonomyName(str(c)) == "" {
		return false
	}
	p.category = str(c)
	return true
}
