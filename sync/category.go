package sync

import (
	"context"
	"regexp"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// A product's category is one of Shopify's Standard Product Taxonomy
// (ProductSetInput.category takes its ID). Sheets name it by full name, as
// Shopify's export does ("Apparel & Accessories > Clothing > … > T-Shirts"),
// or by ID ("aa-1-13-8"). A FieldChange carries "Full name [ID]".
const FieldCategory = "category"

// CategoryStore is implemented by stores that can look categories up by
// full name (NewShopStore's does).
type CategoryStore interface {
	// Categories resolves full names to "Full name [ID]"; names that are
	// no category are absent.
	Categories(ctx context.Context, names []string) (map[string]string, error)
}

var shortCategoryID = regexp.MustCompile(`^[a-z]{2}(-[0-9]+)*$`)

const categoryGID = "gid://shopify/TaxonomyCategory/"

// categoryText encodes a category for a FieldChange ("" for none).
func categoryText(fullName, id string) string {
	if id == "" {
		return ""
	}
	return strings.TrimSpace(fullName + " [" + id + "]")
}

// categoryID reads the ID back from categoryText.
func categoryID(s string) string {
	if i := strings.LastIndex(s, "["); i >= 0 && strings.HasSuffix(s, "]") {
		return s[i+1 : len(s)-1]
	}
	return ""
}

// resolveCategories maps each category the catalog names to its encoded
// form; a name that is no category is a cell error, and a store that can't
// look categories up leaves the column not synced.
func resolveCategories(ctx context.Context, st Store, cat *catalog.Catalog) (map[string]string, []catalog.RowError, []catalog.UnsyncedColumn, error) {
	var names []string
	seen := map[string]bool{}
	column := ""
	for i := range cat.Products {
		p := &cat.Products[i]
		if p.Fields.Has(catalog.FieldCategory) && !seen[p.Category] {
			seen[p.Category] = true
			names = append(names, p.Category)
			column = p.Cell(catalog.FieldCategory).Column
		}
	}
	if len(names) == 0 {
		return nil, nil, nil, nil
	}
	cs, ok := st.(CategoryStore)
	if !ok {
		return nil, nil, []catalog.UnsyncedColumn{{Column: column, Reason: "this store connection can't look categories up"}}, nil
	}
	out, err := cs.Categories(ctx, names)
	if err != nil {
		return nil, nil, nil, err
	}
	var errs []catalog.RowError
	for i := range cat.Products {
		p := &cat.Products[i]
		if _, ok := out[p.Category]; p.Fields.Has(catalog.FieldCategory) && !ok {
			errs = append(errs, catalog.Errorf(p.Cell(catalog.FieldCategory),
				"not a category of Shopify's product taxonomy: %q (use its full name, as Shopify's export writes it, or its ID such as aa-1-13-8)", p.Category))
		}
	}
	return out, errs, nil, nil
}

// categoryChange diffs a product's category by ID.
func (d *differ) categoryChange(sp *catalog.Product, cur *SnapProduct) []FieldChange {
	v, ok := d.cats[sp.Category]
	if !sp.Fields.Has(catalog.FieldCategory) || !ok || categoryID(v) == cur.CategoryID {
		return nil
	}
	return []FieldChange{{Field: FieldCategory, Old: categoryText(cur.CategoryName, cur.CategoryID), New: v, Cell: sp.Cell(catalog.FieldCategory)}}
}

func (s *shopStore) Categories(ctx context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range names {
		if id := strings.TrimPrefix(n, categoryGID); shortCategoryID.MatchString(id) {
			out[n] = categoryText("", categoryGID+id)
			continue
		}
		want := normCategory(n)
		leaf := strings.TrimSpace(n[strings.LastIndex(n, ">")+1:])
		found, err := s.c.SearchTaxonomy(ctx, leaf)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			if normCategory(c.FullName) == want {
				out[n] = categoryText(c.FullName, c.ID)
			}
		}
	}
	return out, nil
}

// normCategory folds a full name for comparison: case and spacing around ">".
func normCategory(s string) string {
	parts := strings.Split(s, ">")
	for i := range parts {
		parts[i] = strings.ToLower(strings.Join(strings.Fields(parts[i]), " "))
	}
	return strings.Join(parts, ">")
}

// setCategory puts an encoded category into a productSet input.
func setCategory(ps *shopify.ProductSetInput, v string) {
	id := categoryID(v)
	ps.Category = &id
}

// exportCategory is the category as an export writes it: the full name
// (the ID when the name is unknown).
func exportCategory(sp *SnapProduct) string {
	if sp.CategoryName != "" {
		return sp.CategoryName
	}
	return strings.TrimPrefix(sp.CategoryID, categoryGID)
}
