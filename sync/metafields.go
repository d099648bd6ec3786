package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/source"
)

// Metafield columns ("Fabric (variant.metafields.custom.fabric)") are synced
// when the store defines the metafield: the definition's type decides what a
// cell may hold, and a value that does not fit is a cell error. A change is
// a FieldChange keyed metafieldPrefix + "namespace.key"; "" means the
// metafield is not set (undoing a first value deletes it).
const metafieldPrefix = "metafield:"

// MetafieldFieldPrefix starts the field key of a metafield change, for
// front ends that name it.
const MetafieldFieldPrefix = metafieldPrefix

// MetafieldStore is implemented by stores that can read metafield
// definitions and values (NewShopStore's does). Writes go through
// ProductUpdate, VariantsUpdate and ProductSet with the metafield keys in
// ProductFields.Extra and VariantInput.Extra.
type MetafieldStore interface {
	// MetafieldDefinitions lists the product and variant definitions.
	MetafieldDefinitions(ctx context.Context) ([]MetafieldDefinition, error)
	// Metafields reads the metafields keys ("namespace.key") of the
	// products and variants ids: owner ID → key → value.
	Metafields(ctx context.Context, ids, keys []string) (map[string]map[string]string, error)
}

// MetafieldDefinition is a store's metafield definition.
type MetafieldDefinition struct {
	Owner string // source.OwnerProduct or source.OwnerVariant
	Key   string // "namespace.key"
	Name  string
	Type  string // e.g. "number_integer", "list.single_line_text_field"
}

// metafieldDefs are the definitions the sheet's metafield columns need.
type metafieldDefs map[string]MetafieldDefinition // owner + ":" + key → definition

// loadMetafields reads the definitions of the catalog's metafield columns
// and the current values of the snapshot's products and variants. Columns
// without a definition are returned as not synced.
func loadMetafields(ctx context.Context, st Store, cat *catalog.Catalog, snap *snapshot) (metafieldDefs, []catalog.UnsyncedColumn, error) {
	cols := metafieldColumns(cat)
	if len(cols) == 0 {
		return nil, nil, nil
	}
	ms, ok := st.(MetafieldStore)
	if !ok {
		var un []catalog.UnsyncedColumn
		for _, c := range cols {
			un = append(un, catalog.UnsyncedColumn{Column: c.Column, Reason: "this store connection can't read metafields"})
		}
		return nil, un, nil
	}
	list, err := ms.MetafieldDefinitions(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading metafield definitions: %w", err)
	}
	defs := metafieldDefs{}
	for _, d := range list {
		defs[d.Owner+":"+d.Key] = d
	}
	var un []catalog.UnsyncedColumn
	var keys []string
	seen := map[string]bool{}
	for _, c := range cols {
		if _, ok := defs[c.Owner+":"+c.Key]; !ok {
			un = append(un, catalog.UnsyncedColumn{Column: c.Column, Reason: "the store has no " + c.Owner + " metafield definition " + c.Key +
				": add it in Shopify (Settings → Custom data) so its values can be typed, then sync again"})
			continue
		}
		if !seen[c.Key] {
			seen[c.Key] = true
			keys = append(keys, c.Key)
		}
	}
	if len(keys) == 0 {
		return defs, un, nil
	}
	if err := fillMetafields(ctx, ms, snap, keys, nil); err != nil {
		return nil, nil, fmt.Errorf("reading metafields: %w", err)
	}
	return defs, un, nil
}

// metafieldColumns lists the catalog's metafield columns, each once.
func metafieldColumns(cat *catalog.Catalog) []source.MetafieldColumn {
	var out []source.MetafieldColumn
	seen := map[string]bool{}
	add := func(owner string, mfs []catalog.Metafield) {
		for _, m := range mfs {
			if !seen[m.Column] {
				seen[m.Column] = true
				out = append(out, source.MetafieldColumn{Column: m.Column, Owner: owner, Key: m.Key})
			}
		}
	}
	for i := range cat.Products {
		add(source.OwnerProduct, cat.Products[i].Metafields)
		for j := range cat.Products[i].Variants {
			add(source.OwnerVariant, cat.Products[i].Variants[j].Metafields)
		}
	}
	for i := range cat.Variants {
		add(source.OwnerVariant, cat.Variants[i].Metafields)
	}
	return out
}

// metafieldChanges diffs a product's or variant's metafield cells against
// the store (cur), recording cells whose value does not fit the type.
func (d *differ) metafieldChanges(owner string, mfs []catalog.Metafield, cur map[string]string, row int) []FieldChange {
	var out []FieldChange
	for _, m := range mfs {
		v, ok := d.metafieldValue(owner, m, row)
		if ok && v != cur[m.Key] {
			out = append(out, FieldChange{Field: metafieldPrefix + m.Key, Old: cur[m.Key], New: v, Cell: catalog.Cell{Row: row, Column: m.Column}})
		}
	}
	return out
}

// createMetafields adds a new product's or variant's metafields to extra.
func (d *differ) createMetafields(owner string, mfs []catalog.Metafield, row int, extra *map[string]string) {
	for _, m := range mfs {
		if v, ok := d.metafieldValue(owner, m, row); ok {
			if *extra == nil {
				*extra = map[string]string{}
			}
			(*extra)[metafieldPrefix+m.Key] = v
		}
	}
}

// metafieldValue is a cell's value as its definition types it; ok is false
// for a column without a definition (listed as not synced) or a value that
// doesn't fit (recorded as a cell error).
func (d *differ) metafieldValue(owner string, m catalog.Metafield, row int) (string, bool) {
	def, ok := d.mfDefs[owner+":"+m.Key]
	if !ok {
		return "", false
	}
	v, err := metafieldText(def.Type, m.Value)
	if err != nil {
		d.mfErrs = append(d.mfErrs, catalog.Errorf(catalog.Cell{Row: row, Column: m.Column}, "%v", err))
		return "", false
	}
	return v, true
}

var (
	hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	gidRef   = regexp.MustCompile(`^gid://shopify/[A-Za-z]+/[0-9]+$`)
)

// metafieldText checks a cell against a metafield type
// (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types)
// and returns it as Shopify stores it: "true"/"false", whole numbers
// without "+", JSON arrays for lists. A list cell may be a JSON array or
// values separated by ";".
func metafieldText(typ, s string) (string, error) {
	if inner, ok := strings.CutPrefix(typ, "list."); ok {
		var items []string
		if strings.HasPrefix(strings.TrimSpace(s), "[") {
			var raw []any
			if err := json.Unmarshal([]byte(s), &raw); err != nil {
				return "", fmt.Errorf("not a JSON list for metafield type %s: %q", typ, s)
			}
			for _, r := range raw {
				if t, ok := r.(string); ok {
					items = append(items, t)
				} else {
					b, _ := json.Marshal(r)
					items = append(items, string(b))
				}
			}
		} else {
			for _, part := range strings.Split(s, ";") {
				if part = strings.TrimSpace(part); part != "" {
					items = append(items, part)
				}
			}
		}
		out := make([]any, len(items))
		for i, it := range items {
			v, err := metafieldText(inner, it)
			if err != nil {
				return "", err
			}
			out[i] = v
			if inner == "number_integer" || inner == "number_decimal" {
				out[i] = json.Number(v)
			}
		}
		b, _ := json.Marshal(out)
		return string(b), nil
	}
	bad := func(what string) (string, error) {
		return "", fmt.Errorf("not %s (metafield type %s): %q", what, typ, s)
	}
	switch typ {
	case "single_line_text_field":
		if strings.ContainsAny(s, "\r\n") {
			return bad("a single line of text")
		}
	case "number_integer":
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil {
			return bad("a whole number")
		}
		return strconv.FormatInt(n, 10), nil
	case "number_decimal":
		if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "eEnN") {
			return bad("a decimal number such as 12.5")
		}
		return strings.TrimPrefix(s, "+"), nil
	case "boolean":
		switch strings.ToLower(s) {
		case "true", "yes", "1":
			return "true", nil
		case "false", "no", "0":
			return "false", nil
		}
		return bad("TRUE or FALSE")
	case "color":
		if !hexColor.MatchString(s) {
			return bad("a color such as #1A2B3C")
		}
		return strings.ToUpper(s), nil
	case "date":
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return bad("a date such as 2026-12-31")
		}
	case "date_time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			if _, err := time.Parse("2006-01-02T15:04:05", s); err != nil {
				return bad("a date and time such as 2026-12-31T18:00:00")
			}
		}
	case "url":
		if u := strings.ToLower(s); !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return bad("a web address")
		}
	case "json", "rating", "weight", "dimension", "volume", "money":
		if !json.Valid([]byte(s)) {
			return bad("JSON")
		}
	default:
		if strings.HasSuffix(typ, "_reference") && !gidRef.MatchString(s) {
			return bad("a Shopify ID such as gid://shopify/Product/123")
		}
	}
	return s, nil
}

// metafieldKey reports whether field is a metafield change, and its key.
func metafieldKey(field string) (string, bool) {
	return strings.CutPrefix(field, metafieldPrefix)
}

func (s *shopStore) MetafieldDefinitions(ctx context.Context) ([]MetafieldDefinition, error) {
	var out []MetafieldDefinition
	for owner, typ := range map[string]string{source.OwnerProduct: shopify.OwnerProduct, source.OwnerVariant: shopify.OwnerVariant} {
		ds, err := s.c.MetafieldDefinitions(ctx, typ)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, MetafieldDefinition{Owner: owner, Key: d.Namespace + "." + d.Key, Name: d.Name, Type: d.Type})
		}
	}
	return out, nil
}

func (s *shopStore) Metafields(ctx context.Context, ids, keys []string) (map[string]map[string]string, error) {
	return s.c.MetafieldsOf(ctx, ids, keys)
}

// metafieldsOf picks the metafield changes out of encoded extra fields.
func metafieldsOf(ownerID string, extra map[string]string) []shopify.Metafield {
	var out []shopify.Metafield
	for field, v := range extra {
		if k, ok := metafieldKey(field); ok {
			ns, key, _ := strings.Cut(k, ".")
			out = append(out, shopify.Metafield{OwnerID: ownerID, Namespace: ns, Key: key, Value: v})
		}
	}
	slices.SortFunc(out, func(a, b shopify.Metafield) int { return strings.Compare(a.Namespace+"."+a.Key, b.Namespace+"."+b.Key) })
	return out
}

// onlyMetafields reports product fields that change nothing but metafields.
func onlyMetafields(f ProductFields) bool {
	if f.Title != nil || f.DescriptionHTML != nil || f.Vendor != nil || f.ProductType != nil || f.Tags != nil || f.Status != nil {
		return false
	}
	for field := range f.Extra {
		if _, ok := metafieldKey(field); !ok {
			return false
		}
	}
	return true
}

// readMetafieldsFor fills snap's metafield values for the metafield keys
// among fields (journal fields being verified or undone).
func readMetafieldsFor(ctx context.Context, st Store, snap *snapshot, fields []string) error {
	var keys []string
	seen := map[string]bool{}
	for _, f := range fields {
		if k, ok := metafieldKey(f); ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	ms, ok := st.(MetafieldStore)
	if len(keys) == 0 || !ok {
		return nil
	}
	return fillMetafields(ctx, ms, snap, keys, nil)
}

// fillMetafields reads the metafields keys of every product and variant of
// snap into them; keep, when set, filters each value by owner and key.
func fillMetafields(ctx context.Context, ms MetafieldStore, snap *snapshot, keys []string, keep func(owner, key string) bool) error {
	var ids []string
	for _, p := range snap.products {
		ids = append(ids, p.ID)
		for i := range p.Variants {
			ids = append(ids, p.Variants[i].ID)
		}
	}
	vals, err := ms.Metafields(ctx, ids, keys)
	if err != nil {
		return err
	}
	pick := func(owner string, m map[string]string) map[string]string {
		for k := range m {
			if keep != nil && !keep(owner, k) {
				delete(m, k)
			}
		}
		return m
	}
	for _, p := range snap.products {
		p.Metafields = pick(source.OwnerProduct, vals[p.ID])
		for i := range p.Variants {
			p.Variants[i].Metafields = pick(source.OwnerVariant, vals[p.Variants[i].ID])
		}
	}
	return nil
}

// createdFields lists the extra fields that creates set, so an undo can
// check that a created product or variant is still as created.
func createdFields(products map[string]*ProductPlan, variants map[string]*VariantPlan) []string {
	var out []string
	for _, pp := range products {
		if pp.Create == nil {
			continue
		}
		for f := range pp.Create.Extra {
			out = append(out, f)
		}
		for i := range pp.Create.Variants {
			for f := range pp.Create.Variants[i].Extra {
				out = append(out, f)
			}
		}
	}
	for _, vp := range variants {
		if vp.Create != nil {
			for f := range vp.Create.Extra {
				out = append(out, f)
			}
		}
	}
	return out
}

// exportMetafields reads every defined product and variant metafield of ps
// into them and returns the column header of each ("owner:key" → header),
// as Shopify's export names them: "Name (product.metafields.NS.KEY)".
func exportMetafields(ctx context.Context, st Store, ps []SnapProduct) (map[string]string, error) {
	ms, ok := st.(MetafieldStore)
	if !ok || len(ps) == 0 {
		return nil, nil
	}
	defs, err := ms.MetafieldDefinitions(ctx)
	if err != nil || len(defs) == 0 {
		return nil, err
	}
	names := map[string]string{}
	var keys []string
	seen := map[string]bool{}
	for _, d := range defs {
		names[d.Owner+":"+d.Key] = d.Name + " (" + d.Owner + ".metafields." + d.Key + ")"
		if !seen[d.Key] {
			seen[d.Key] = true
			keys = append(keys, d.Key)
		}
	}
	snap := &snapshot{}
	for i := range ps {
		snap.products = append(snap.products, &ps[i])
	}
	defined := func(owner, key string) bool { _, ok := names[owner+":"+key]; return ok }
	return names, fillMetafields(ctx, ms, snap, keys, defined)
}

// catalogMetafields turns store values into catalog metafields (sorted by
// key), under a provisional header that nameMetafieldColumns replaces.
func catalogMetafields(owner string, vals map[string]string) []catalog.Metafield {
	if len(vals) == 0 {
		return nil
	}
	out := make([]catalog.Metafield, 0, len(vals))
	for k, v := range vals {
		out = append(out, catalog.Metafield{Key: k, Value: v, Column: k + " (" + owner + ".metafields." + k + ")"})
	}
	slices.SortFunc(out, func(a, b catalog.Metafield) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// nameMetafieldColumns gives exported metafields their definition's header.
func nameMetafieldColumns(products []catalog.Product, names map[string]string) {
	rename := func(owner string, mfs []catalog.Metafield) {
		for i := range mfs {
			if n, ok := names[owner+":"+mfs[i].Key]; ok {
				mfs[i].Column = n
			}
		}
	}
	for i := range products {
		rename(source.OwnerProduct, products[i].Metafields)
		for j := range products[i].Variants {
			rename(source.OwnerVariant, products[i].Variants[j].Metafields)
		}
	}
}
