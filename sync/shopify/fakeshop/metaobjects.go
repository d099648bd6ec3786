package fakeshop

import (
	"fmt"
	"strings"
)

// Metaobjects and metafield-linked product options, as
// https://shopify.dev/docs/apps/build/product-merchandising/products-and-collections/metafield-linked
// describes them: an option can be linked to a product metafield definition of type
// list.metaobject_reference; its values are then metaobject entries of the type that definition
// references, and "The metaobject's display name becomes what customers see" (the option
// value's name). The Admin API 2026-04 schema pieces modelled:
//
//   - QueryRoot.metafieldDefinition(identifier: {ownerType, namespace, key}) with
//     MetafieldDefinition.validations { name value }: a metaobject reference list says which
//     metaobject definition it references in "metaobject_definition_id".
//   - QueryRoot.metaobjectDefinition(id:) { type name metaobjects(first, after) } and
//     Metaobject { id handle displayName type }. Definitions need read_metaobject_definitions
//     and entries read_metaobjects ("Requires read_metaobjects access scope", metaobject query
//     docs); write scopes cover them.
//   - ProductOption.linkedMetafield { namespace key } and ProductOptionValue.linkedMetafieldValue
//     (the entry's GID).
//   - productSet's OptionSetInput.linkedMetafield (LinkedMetafieldCreateInput { namespace key
//     values }) and VariantOptionValueInput.linkedMetafieldValue, on productSet and
//     productVariantsBulkCreate. Refusals use the schema's codes:
//     LINKED_METAFIELD_DEFINITION_NOT_FOUND, INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION,
//     DUPLICATE_LINKED_OPTION, CANNOT_COMBINE_LINKED_AND_NONLINKED_OPTION_VALUES
//     (ProductSetUserErrorCode), CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE and
//     LINKED_METAFIELD_VALUE_WITHOUT_LINKED_OPTION (ProductVariantsBulkCreateUserErrorCode).
//
// Not modelled: the product's linked metafield is not filled with the option's entries (the
// docs don't say when Shopify does it), and an existing option's link can't be changed here
// (productOptionUpdate is not simulated; Shelfsync never changes a link).

const (
	scopeReadMetaobjectDefs  = "read_metaobject_definitions"
	scopeWriteMetaobjectDefs = "write_metaobject_definitions"
	scopeReadMetaobjects     = "read_metaobjects"
	scopeWriteMetaobjects    = "write_metaobjects"

	// metaobjectListType is the only metafield type an option can be linked to.
	metaobjectListType = "list.metaobject_reference"
)

type metaobjectDef struct {
	id        int64
	typ, name string
}

type metaobject struct {
	id                       int64
	typ, handle, displayName string
}

// metaobjectStore holds the shop's metaobject definitions and entries.
type metaobjectStore struct {
	defs []*metaobjectDef
	objs []*metaobject
}

// AddMetaobjectDefinition defines a metaobject type (e.g. "shopify--color-pattern") and
// returns the definition's GID, for a metafield definition's "metaobject_definition_id"
// validation.
func (sh *Shop) AddMetaobjectDefinition(typ, name string) string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	d := &metaobjectDef{id: sh.cat.newID(), typ: typ, name: name}
	sh.cat.mo.defs = append(sh.cat.mo.defs, d)
	return gid("MetaobjectDefinition", d.id)
}

// AddMetaobject adds an entry of type typ and returns its GID.
func (sh *Shop) AddMetaobject(typ, handle, displayName string) string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	o := &metaobject{id: sh.cat.newID(), typ: typ, handle: handle, displayName: displayName}
	sh.cat.mo.objs = append(sh.cat.mo.objs, o)
	return gid("Metaobject", o.id)
}

func (c *catalog) metaobjectDef(gidStr string) *metaobjectDef {
	n, ok := idOf(gidStr, "MetaobjectDefinition")
	if !ok {
		return nil
	}
	for _, d := range c.mo.defs {
		if d.id == n {
			return d
		}
	}
	return nil
}

func (c *catalog) metaobject(gidStr string) *metaobject {
	n, ok := idOf(gidStr, "Metaobject")
	if !ok {
		return nil
	}
	for _, o := range c.mo.objs {
		if o.id == n {
			return o
		}
	}
	return nil
}

// linkTarget is the metaobject type the product metafield ns.key can link an option to, or
// "" when no definition qualifies (missing, not a metaobject list, or list.min/list.max set).
func (c *catalog) linkTarget(ns, key string) string {
	d := c.mfDef("PRODUCT", ns, key)
	if d == nil || d.def.Type != metaobjectListType || d.def.Validations["list.min"] != "" || d.def.Validations["list.max"] != "" {
		return ""
	}
	if md := c.metaobjectDef(d.def.Validations["metaobject_definition_id"]); md != nil {
		return md.typ
	}
	return ""
}

// optionLink is a linked option as an input asks for it.
type optionLink struct {
	metafield string            // "namespace.key"
	values    []string          // the entries' display names, in input order
	gids      map[string]string // display name → entry GID
}

// name resolves a variant's linkedMetafieldValue against the option's own values.
func (l *optionLink) name(entry string) (string, string, string) {
	for name, g := range l.gids {
		if g == entry {
			return name, "", ""
		}
	}
	return "", fmt.Sprintf("Invalid metafield value for linked option: %s.", entry), "INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION"
}

// parseOptionLink reads OptionSetInput.linkedMetafield; the message and code say why it is
// refused ("" when accepted).
func (c *catalog) parseOptionLink(lm map[string]any) (*optionLink, string, string) {
	ns, key := str(lm["namespace"]), str(lm["key"])
	typ := c.linkTarget(ns, key)
	if typ == "" {
		return nil, fmt.Sprintf("No valid metafield definition found for linked option %s.%s.", ns, key), "LINKED_METAFIELD_DEFINITION_NOT_FOUND"
	}
	l := &optionLink{metafield: ns + "." + key, gids: map[string]string{}}
	for _, v := range toAnySliceOfStrings(lm["values"]) {
		o := c.metaobject(v)
		if o == nil || o.typ != typ {
			return nil, fmt.Sprintf("Invalid metafield value for linked option: %s.", v), "INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION"
		}
		if _, dup := l.gids[o.displayName]; dup {
			return nil, fmt.Sprintf("Duplicated metafield value for linked option: %s.", v), "DUPLICATED_METAFIELD_VALUE"
		}
		l.values = append(l.values, o.displayName)
		l.gids[o.displayName] = v
	}
	return l, "", ""
}

// linkedValue resolves VariantOptionValueInput.linkedMetafieldValue for option o: the entry's
// display name, or a message and code.
func (c *catalog) linkedValue(o *option, value string) (string, string, string) {
	if o == nil || o.link == "" {
		return "", "Cannot specify 'linkedMetafieldValue' for an option that is not linked to a metafield.", "LINKED_METAFIELD_VALUE_WITHOUT_LINKED_OPTION"
	}
	ns, key, _ := strings.Cut(o.link, ".")
	mo := c.metaobject(value)
	if mo == nil || mo.typ != c.linkTarget(ns, key) {
		return "", fmt.Sprintf("Invalid metafield value for linked option: %s.", value), "INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION"
	}
	return mo.displayName, "", ""
}

// linkValue records that option value name of a linked option stands for entry gidStr.
func (o *option) linkValue(name, gidStr string) {
	if o.linkVals == nil {
		o.linkVals = map[string]string{}
	}
	o.linkVals[name] = gidStr
}

// addMetaobjects adds the metaobject types, queries and option fields to the schema.
func addMetaobjects(sc *schema) {
	sc.mapType("MetafieldDefinitionValidation", nil, "name", "type", "value")
	sc.mapType("LinkedMetafield", nil, "namespace", "key")
	sc.addConnection("Metaobject")
	sc.objType("Metaobject", []string{"Node"}, map[string]*fieldDef{
		"id":          scalar(func(p any) any { return gid("Metaobject", p.(*metaobject).id) }),
		"handle":      scalar(func(p any) any { return p.(*metaobject).handle }),
		"displayName": scalar(func(p any) any { return p.(*metaobject).displayName }),
		"type":        scalar(func(p any) any { return p.(*metaobject).typ }),
	})
	moID := func(p any) int64 { return p.(*metaobject).id }
	entries := func(ec *execCtx, typ string, a map[string]any) (any, error) {
		var all []any
		for _, o := range ec.sh.cat.mo.objs {
			if o.typ == typ {
				all = append(all, o)
			}
		}
		return paginate(ec, all, moID, a)
	}
	readObjs := []string{scopeReadMetaobjects, scopeWriteMetaobjects}
	sc.objType("MetaobjectDefinition", []string{"Node"}, map[string]*fieldDef{
		"id":   scalar(func(p any) any { return gid("MetaobjectDefinition", p.(*metaobjectDef).id) }),
		"type": scalar(func(p any) any { return p.(*metaobjectDef).typ }),
		"name": scalar(func(p any) any { return p.(*metaobjectDef).name }),
		"metaobjectsCount": {resolve: func(ec *execCtx, p any, _ map[string]any) (any, error) {
			return ec.sh.cat.mo.count(p.(*metaobjectDef).typ), nil
		}},
		"metaobjects": {typ: "MetaobjectConnection", conn: true, node: "Metaobject", scopes: readObjs,
			resolve: func(ec *execCtx, p any, a map[string]any) (any, error) { return entries(ec, p.(*metaobjectDef).typ, a) }},
	})
	q := sc.types["QueryRoot"].fields
	q["metaobjectDefinition"] = &fieldDef{typ: "MetaobjectDefinition", scopes: []string{scopeReadMetaobjectDefs, scopeWriteMetaobjectDefs},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			if d := ec.sh.cat.metaobjectDef(str(a["id"])); d != nil {
				return d, nil
			}
			return nil, nil
		}}
	q["metaobjects"] = &fieldDef{typ: "MetaobjectConnection", conn: true, node: "Metaobject", scopes: readObjs,
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) { return entries(ec, str(a["type"]), a) }}
	q["metafieldDefinition"] = &fieldDef{typ: "MetafieldDefinition", scopes: []string{scopeReadProducts},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			id := asMap(a["identifier"])
			if d := ec.sh.cat.mfDef(str(id["ownerType"]), str(id["namespace"]), str(id["key"])); d != nil {
				return d.object(), nil
			}
			return nil, nil
		}}
	po := sc.types["ProductOption"].fields
	po["linkedMetafield"] = ref("LinkedMetafield", func(_ *execCtx, p any, _ map[string]any) (any, error) {
		o := p.(*option)
		if o.link == "" {
			return nil, nil
		}
		ns, key, _ := strings.Cut(o.link, ".")
		return obj("LinkedMetafield", "namespace", ns, "key", key), nil
	})
}

func (m *metaobjectStore) count(typ string) int {
	n := 0
	for _, o := range m.objs {
		if o.typ == typ {
			n++
		}
	}
	return n
}
