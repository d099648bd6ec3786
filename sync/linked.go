package sync

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// Options linked to a metafield (Shopify's "OptionN Linked To" column,
// e.g. product.metafields.shopify.color-pattern). Such an option's values
// are metaobject entries, and "The metaobject's display name becomes what
// customers see"
// (https://shopify.dev/docs/apps/build/product-merchandising/products-and-collections/metafield-linked).
// A sheet names the values ("Red"), so creating one means finding the
// entry of that display name (or handle) among the entries the metafield
// references; a value with none is a cell error that says which entries
// exist. An existing option's link is never changed: productOptionUpdate
// takes a new link without values (LinkedMetafieldUpdateInput has only
// namespace and key, 2026-04 schema), and what Shopify then does with the
// option's values and variants is not documented, so the preview says so
// per product and leaves the link as it is.

// LinkStore is implemented by stores that can read what a linked option
// can take (NewShopStore's does).
type LinkStore interface {
	LinkTarget(ctx context.Context, namespace, key string) (*shopify.LinkTarget, error)
}

// linkScopes are the access scopes reading metaobjects needs.
const linkScopes = "read_metaobject_definitions and read_metaobjects"

// linkResolver finds the metaobject entries of linked option values,
// reading each metafield's entries once, when a value first needs them: a
// resync of linked products that are already right reads nothing.
type linkResolver struct {
	ctx     context.Context // the plan's: the differ reads lazily, in the middle of a diff
	st      Store
	targets map[string]*linkEntries // metafield → its entries
	err     error                   // a failed read that is not about the metafield: the plan fails
}

// linkEntries are the entries a metafield's linked option can take.
type linkEntries struct {
	why      string              // why none can be used ("" when they can)
	typ      string              // the metaobject type
	byName   map[string][]string // display name, folded → entry GIDs
	byHandle map[string]string   // handle, folded → entry GID
	names    []string            // display names, for advice
	nameOf   map[string]string   // entry GID → display name
}

func newLinkResolver(ctx context.Context, st Store) *linkResolver {
	return &linkResolver{ctx: ctx, st: st}
}

// target reads the entries of metafield mf ("namespace.key").
func (r *linkResolver) target(mf string) *linkEntries {
	if t, ok := r.targets[mf]; ok {
		return t
	}
	if r.targets == nil {
		r.targets = map[string]*linkEntries{}
	}
	t := &linkEntries{byName: map[string][]string{}, byHandle: map[string]string{}, nameOf: map[string]string{}}
	r.targets[mf] = t
	ls, ok := r.st.(LinkStore)
	if !ok {
		t.why = "this store connection can't read metaobjects, so linked options can't be created"
		return t
	}
	ns, key, _ := strings.Cut(mf, ".")
	lt, err := ls.LinkTarget(r.ctx, ns, key)
	var nl *shopify.NotLinkableError
	switch {
	case errors.As(err, &nl):
		t.why = nl.Error() + ": check the Linked To cell, or define the metafield in Shopify admin (Settings › Custom data › Products)"
		return t
	case errors.Is(err, shopify.ErrForbidden):
		t.why = "Shelfsync may not read the store's metaobjects (the store did not grant " + linkScopes +
			"): reconnect the store and approve them, or create the product in Shopify admin"
		return t
	case err != nil:
		if r.err == nil {
			r.err = err
		}
		t.why = "the store's metaobjects could not be read"
		return t
	}
	t.typ = lt.Type
	for _, e := range lt.Entries {
		k := fold(e.DisplayName)
		t.byName[k] = append(t.byName[k], e.ID)
		t.byHandle[fold(e.Handle)] = e.ID
		t.names = append(t.names, e.DisplayName)
		t.nameOf[e.ID] = e.DisplayName
	}
	return t
}

// problem says why options can't be linked to mf ("" when they can).
func (r *linkResolver) problem(mf string) string { return r.target(mf).why }

// entry finds the entry a linked option's value names: by display name
// (ignoring case), else by handle. name is the entry's display name, the
// value Shopify shows; msg says why there is none.
func (r *linkResolver) entry(mf, value string) (gid, name, msg string) {
	t := r.target(mf)
	if t.why != "" {
		return "", "", t.why
	}
	switch ids := t.byName[fold(value)]; {
	case len(ids) == 1:
		return ids[0], t.nameOf[ids[0]], ""
	case len(ids) > 1:
		return "", "", strconv.Quote(value) + " names " + strconv.Itoa(len(ids)) + " " + t.typ +
			" entries in the store: give each a distinct name in Shopify admin (Content › Metaobjects), or write its handle"
	}
	if id, ok := t.byHandle[fold(value)]; ok {
		return id, t.nameOf[id], ""
	}
	return "", "", strconv.Quote(value) + " is not one of the store's " + t.typ + " entries, which option values linked to " + mf +
		" must be: add it in Shopify admin (Content › Metaobjects) or use one of " + someNames(t.names)
}

// someNames lists up to eight names for advice.
func someNames(names []string) string {
	if len(names) == 0 {
		return "them (there are none yet)"
	}
	q := make([]string, 0, 8)
	for _, n := range names[:min(8, len(names))] {
		q = append(q, strconv.Quote(n))
	}
	s := strings.Join(q, ", ")
	if len(names) > 8 {
		s += " (and " + strconv.Itoa(len(names)-8) + " more)"
	}
	return s
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// linkOf is the metafield option i of sp is linked to in the sheet ("" when none).
func linkOf(sp *catalog.Product, i int) string {
	if i < len(sp.OptionLinks) {
		return sp.OptionLinks[i]
	}
	return ""
}

// storeLink is how option i of cur is linked (zero when it is not).
func storeLink(cur *SnapProduct, i int) SnapLink {
	if i < len(cur.Links) {
		return cur.Links[i]
	}
	return SnapLink{}
}

// linkCreate links a new product's options as the sheet says: each linked
// option gets its metafield and its values' entries, and every variant the
// entry of its value. A value without an entry fails its variant at the
// cell; a metafield that can't be linked fails the product.
func (d *differ) linkCreate(sp *catalog.Product, pp *ProductPlan) bool {
	for i := range sp.Options {
		if mf := linkOf(sp, i); mf != "" {
			if why := d.links.problem(mf); why != "" {
				pp.Action, pp.Message = ActError, "not created: "+sp.LinkCell(i).String()+": "+why
				d.skipVariants(sp, pp, "its product can't be created")
				return false
			}
		}
	}
	return true
}

// linkVariant fills the entries of a variant's linked option values, or
// says at which cell one has none. links are the options' metafields and
// the store's entries of their values. Each linked value becomes its
// entry's display name, the value Shopify will show (a sheet may name the
// entry by its handle).
func (d *differ) linkVariant(sv *catalog.Variant, in *VariantInput, links func(i int) (string, map[string]string)) (catalog.Cell, string) {
	for i := range in.OptionValues {
		mf, known := links(i)
		if mf == "" {
			continue
		}
		ov := &in.OptionValues[i]
		if name, gid := lookupFold(known, ov.Value); gid != "" {
			ov.Value, ov.Linked = name, gid
			continue
		}
		gid, name, msg := d.links.entry(mf, ov.Value)
		if msg != "" {
			return sv.OptionCell(i), msg
		}
		ov.Value, ov.Linked = name, gid
	}
	return catalog.Cell{}, ""
}

// entryKey identifies a new variant by its linked values' entries (a value
// may name its entry by display name or handle); "" when none is linked.
func entryKey(vals []OptionValue) string {
	var b strings.Builder
	for _, v := range vals {
		if v.Linked == "" {
			b.WriteString(fold(v.Value))
		} else {
			b.WriteString(v.Linked)
		}
		b.WriteByte('\x1f')
	}
	if !slices.ContainsFunc(vals, func(v OptionValue) bool { return v.Linked != "" }) {
		return ""
	}
	return "entries\x1f" + b.String()
}

// sameEntries finds the earlier row whose linked values name the same
// entries as vals.
func sameEntries(seen map[string]int, vals []OptionValue) (int, bool) {
	k := entryKey(vals)
	if k == "" {
		return 0, false
	}
	row, dup := seen[k]
	return row, dup
}

// lookupFold finds a value in a store option's values, ignoring case: its
// name there and its entry.
func lookupFold(m map[string]string, v string) (string, string) {
	if g, ok := m[v]; ok {
		return v, g
	}
	for k, g := range m {
		if strings.EqualFold(strings.TrimSpace(k), strings.TrimSpace(v)) {
			return k, g
		}
	}
	return "", ""
}

// entryNames is sv with its values of cur's linked options named as their
// entries are (a sheet may name an entry by its handle), or nil when that
// changes nothing. Only a value the store doesn't have by name is looked up.
func (d *differ) entryNames(sv *catalog.Variant, cur *SnapProduct) *catalog.Variant {
	var vals []string
	for i, val := range sv.OptionValues {
		l := storeLink(cur, i)
		if l.Metafield == "" {
			continue
		}
		if name, _ := lookupFold(l.Values, val); name != "" {
			continue
		}
		if _, name, msg := d.links.entry(l.Metafield, val); msg == "" && name != val {
			if vals == nil {
				vals = slices.Clone(sv.OptionValues)
			}
			vals[i] = name
		}
	}
	if vals == nil {
		return nil
	}
	named := *sv
	named.OptionValues = vals
	return &named
}

// linkedOptionInputs turns a new product's options into linked ones where
// the sheet links them: the values are its variants' entries in order, each
// once ("Red" and "red" name one entry, which Shopify refuses twice:
// DUPLICATED_METAFIELD_VALUE), named as Shopify will name them.
func linkedOptionInputs(sp *catalog.Product, in *ProductInput) {
	for i := range in.Options {
		mf := linkOf(sp, i)
		if mf == "" {
			continue
		}
		o := &in.Options[i]
		o.Linked, o.Values, o.LinkedValues = mf, nil, nil
		for _, v := range in.Variants {
			if i < len(v.OptionValues) && !slices.Contains(o.LinkedValues, v.OptionValues[i].Linked) {
				o.Values = append(o.Values, v.OptionValues[i].Value)
				o.LinkedValues = append(o.LinkedValues, v.OptionValues[i].Linked)
			}
		}
	}
}

// linkNote says, for an existing product, which options the sheet links
// differently from the store: the link is left as it is ("" when none).
func linkNote(sp *catalog.Product, cur *SnapProduct) string {
	var out []string
	for i := range sp.Options {
		want, have := linkOf(sp, i), storeLink(cur, i).Metafield
		if want == "" || strings.EqualFold(want, have) {
			continue // a blank Linked To cell never unlinks an option
		}
		now := "not linked in Shopify"
		if have != "" {
			now = "linked to " + have + " in Shopify"
		}
		out = append(out, "option "+strconv.Quote(sp.Options[i])+" is linked to "+want+" in the sheet but "+now)
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "; ") + ": left as it is (changing an option's link can make Shopify replace its values and variants; change it in Shopify admin)"
}

// linkDiffNote tells the plan's notes about the products whose links are
// left as they are, so the preview shows them even when nothing else changes.
func linkDiffNote(handles []string) string {
	switch len(handles) {
	case 0:
		return ""
	case 1:
		return "the sheet links an option of " + handles[0] + " differently from Shopify: the link is left as it is (see the product)"
	}
	return strconv.Itoa(len(handles)) + " products (" + handles[0] + ", …) have options the sheet links differently from Shopify: their links are left as they are (see the products)"
}

// keepLinkedValues drops a change of a linked option's value from a
// matched variant's changes: Shopify takes such a value as an entry, and
// moving a variant to another entry is left to Shopify admin.
func keepLinkedValues(vp *VariantPlan, cur *SnapProduct, sv *catalog.Variant, cv *SnapVariant) {
	if cur.Links == nil {
		return
	}
	for k, f := range vp.Fields {
		if f.Field != FieldOptions {
			continue
		}
		for i := range cur.Options {
			if storeLink(cur, i).Metafield != "" && i < len(sv.OptionValues) && i < len(cv.OptionValues) &&
				!strings.EqualFold(strings.TrimSpace(sv.OptionValues[i]), strings.TrimSpace(cv.OptionValues[i])) {
				vp.Fields = append(vp.Fields[:k], vp.Fields[k+1:]...)
				vp.Message = joinMessages(vp.Message, "option "+strconv.Quote(cur.Options[i])+" is linked to "+
					storeLink(cur, i).Metafield+" in Shopify: its value is left as it is (change it in Shopify admin)")
				if len(vp.Fields)+len(vp.Quantities) == 0 {
					vp.Action = ActUnchanged
				}
				return
			}
		}
	}
}
