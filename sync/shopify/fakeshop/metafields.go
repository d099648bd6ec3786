package fakeshop

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metafields of products and variants, and their definitions
// (admin-2026-04.graphql: QueryRoot.metafieldDefinitions(ownerType:),
// HasMetafields.metafields(keys:, first:), mutations metafieldsSet — "Allows
// a maximum of 25 metafields to be set at a time", atomic, type "Required
// when there is no corresponding definition" — and metafieldsDelete;
// ProductSetInput.metafields and ProductVariantSetInput.metafields). Values
// are checked against their type as listed at
// https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types
// for the common types; other types are stored as given.

// MetafieldDefinition is a definition seeded into the simulated store.
type MetafieldDefinition struct {
	OwnerType string // PRODUCT or PRODUCTVARIANT
	Namespace string
	Key       string
	Name      string
	Type      string // e.g. single_line_text_field, number_integer, list.color
	// Validations are the definition's validations by name, e.g.
	// "metaobject_definition_id" → the GID of the metaobject definition a
	// list.metaobject_reference references (MetafieldDefinition.validations).
	Validations map[string]string
}

type metafieldDef struct {
	id  int64
	def MetafieldDefinition
}

// AddMetafieldDefinition defines a metafield in the store.
func (sh *Shop) AddMetafieldDefinition(d MetafieldDefinition) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.cat.mfDefs = append(sh.cat.mfDefs, &metafieldDef{id: sh.cat.newID(), def: d})
}

// object is the definition as a MetafieldDefinition.
func (d *metafieldDef) object() *mobj {
	names := make([]string, 0, len(d.def.Validations))
	for n := range d.def.Validations {
		names = append(names, n)
	}
	sort.Strings(names)
	vals := make([]any, len(names))
	for i, n := range names {
		vals[i] = obj("MetafieldDefinitionValidation", "name", n, "type", "single_line_text_field", "value", d.def.Validations[n])
	}
	return obj("MetafieldDefinition", "id", gid("MetafieldDefinition", d.id), "namespace", d.def.Namespace,
		"key", d.def.Key, "name", d.def.Name, "ownerType", d.def.OwnerType, "type", obj("MetafieldDefinitionType", "name", d.def.Type),
		"validations", vals)
}

func (c *catalog) mfDef(owner, ns, key string) *metafieldDef {
	for _, d := range c.mfDefs {
		if d.def.OwnerType == owner && d.def.Namespace == ns && d.def.Key == key {
			return d
		}
	}
	return nil
}

// metafieldsOf returns the metafield map of a product or variant (nil for others).
func metafieldsOf(owner any) (*map[string]string, string) {
	switch o := owner.(type) {
	case *product:
		return &o.metafields, "PRODUCT"
	case *variant:
		return &o.metafields, "PRODUCTVARIANT"
	}
	return nil, ""
}

func addMetafieldTypes(sc *schema) {
	sc.mapType("MetafieldDefinitionType", nil, "name")
	sc.mapType("MetafieldDefinition", []string{"Node"}, "id", "namespace", "key", "name", "ownerType", "type:MetafieldDefinitionType",
		"validations:[MetafieldDefinitionValidation]")
	sc.mapType("Metafield", []string{"Node"}, "id", "namespace", "key", "value", "type", "ownerType")
	sc.mapType("MetafieldIdentifier", nil, "ownerId", "namespace", "key")
	sc.mapType("MetafieldsSetUserError", []string{"DisplayableError"}, "field", "message", "code", "elementIndex")
	sc.mapType("MetafieldsSetPayload", nil, "metafields:[Metafield]", "userErrors:[MetafieldsSetUserError]")
	sc.mapType("MetafieldsDeletePayload", nil, "deletedMetafields:[MetafieldIdentifier]", "userErrors:[UserError]")
	sc.addConnection("MetafieldDefinition")
	sc.addConnection("Metafield")
	de := sc.types["DisplayableError"]
	de.possible = append(de.possible, "MetafieldsSetUserError")
	mfID := func(p any) int64 { n, _ := idOf(str(p.(*mobj).m["id"]), "Metafield"); return n }
	metafields := &fieldDef{typ: "MetafieldConnection", conn: true, node: "Metafield",
		resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
			m, owner := metafieldsOf(p)
			want := toAnySliceOfStrings(a["keys"])
			keys := make([]string, 0, len(*m))
			for k := range *m {
				if len(want) == 0 || contains(want, k) {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			all := make([]any, len(keys))
			for i, k := range keys {
				ns, key, _ := strings.Cut(k, ".")
				typ := "single_line_text_field"
				if d := ec.sh.cat.mfDef(owner, ns, key); d != nil {
					typ = d.def.Type
				}
				all[i] = obj("Metafield", "id", gid("Metafield", int64(i+1)), "namespace", ns, "key", key,
					"value", (*m)[k], "type", typ, "ownerType", owner)
			}
			return paginate(ec, all, mfID, a)
		}}
	sc.types["Product"].fields["metafields"] = metafields
	sc.types["ProductVariant"].fields["metafields"] = metafields
	sc.types["QueryRoot"].fields["metafieldDefinitions"] = &fieldDef{typ: "MetafieldDefinitionConnection", conn: true,
		node: "MetafieldDefinition", scopes: []string{scopeReadProducts},
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			var all []any
			for _, d := range ec.sh.cat.mfDefs {
				if d.def.OwnerType == str(a["ownerType"]) {
					all = append(all, d.object())
				}
			}
			return paginate(ec, all, func(p any) int64 { n, _ := idOf(str(p.(*mobj).m["id"]), "MetafieldDefinition"); return n }, a)
		}}
	mut := sc.types["Mutation"].fields
	wp := []string{scopeWriteProducts}
	mut["metafieldsSet"] = &fieldDef{typ: "MetafieldsSetPayload", mutation: true, scopes: wp, resolve: mutMetafieldsSet}
	mut["metafieldsDelete"] = &fieldDef{typ: "MetafieldsDeletePayload", mutation: true, scopes: wp, resolve: mutMetafieldsDelete}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (sh *Shop) metafieldOwner(id string) any {
	if p := sh.cat.productByGID(id); p != nil {
		return p
	}
	if v := sh.cat.variantByGID(id); v != nil {
		return v
	}
	return nil
}

func mutMetafieldsSet(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "MetafieldsSetUserError"
	list := asList(a["metafields"])
	fail := func(i int, field, msg, code string) (any, error) {
		return obj("MetafieldsSetPayload", "metafields", nil,
			"userErrors", []any{uerr(et, path("metafields", i, field), msg, code)}), nil
	}
	if len(list) > 25 {
		return fail(0, "ownerId", "Exceeded the maximum metafields input limit of 25.", "LESS_THAN_OR_EQUAL_TO")
	}
	type set struct {
		m        *map[string]string
		k, value string
	}
	var sets []set
	for i, it := range list { // atomic: check every input before writing any
		in := asMap(it)
		m, owner := metafieldsOf(ec.sh.metafieldOwner(str(in["ownerId"])))
		if m == nil {
			return fail(i, "ownerId", "Owner does not exist.", "INVALID")
		}
		ns, key, value := str(in["namespace"]), str(in["key"]), str(in["value"])
		typ := str(in["type"])
		if d := ec.sh.cat.mfDef(owner, ns, key); d != nil {
			if typ != "" && typ != d.def.Type {
				return fail(i, "type", "Type must be "+d.def.Type+".", "INVALID_TYPE")
			}
			typ = d.def.Type
		} else if typ == "" {
			return fail(i, "type", "Type can't be blank.", "BLANK")
		}
		if err := checkMetafieldValue(typ, value); err != nil {
			return fail(i, "value", err.Error(), "INVALID_VALUE")
		}
		sets = append(sets, set{m, ns + "." + key, value})
	}
	out := make([]any, 0, len(sets))
	for _, s := range sets {
		if *s.m == nil {
			*s.m = map[string]string{}
		}
		(*s.m)[s.k] = s.value
		ns, key, _ := strings.Cut(s.k, ".")
		out = append(out, obj("Metafield", "id", gid("Metafield", ec.sh.cat.newID()), "namespace", ns, "key", key, "value", s.value))
	}
	return obj("MetafieldsSetPayload", "metafields", out, "userErrors", []any{}), nil
}

func mutMetafieldsDelete(ec *execCtx, _ any, a map[string]any) (any, error) {
	var out []any
	for _, it := range asList(a["metafields"]) {
		in := asMap(it)
		m, _ := metafieldsOf(ec.sh.metafieldOwner(str(in["ownerId"])))
		k := str(in["namespace"]) + "." + str(in["key"])
		if m == nil || *m == nil {
			out = append(out, nil)
			continue
		}
		if _, ok := (*m)[k]; !ok {
			out = append(out, nil) // "null if the metafield didn't exist"
			continue
		}
		delete(*m, k)
		out = append(out, obj("MetafieldIdentifier", "ownerId", str(in["ownerId"]), "namespace", str(in["namespace"]), "key", str(in["key"])))
	}
	return obj("MetafieldsDeletePayload", "deletedMetafields", out, "userErrors", []any{}), nil
}

// applyInputMetafields sets the metafields of a productSet product or
// variant input (used on create; as a list field productSet would also
// delete the ones left out, which the simulator does too).
func applyInputMetafields(c *catalog, owner any, in map[string]any) {
	list, ok := in["metafields"]
	if !ok {
		return
	}
	m, _ := metafieldsOf(owner)
	*m = map[string]string{}
	for _, it := range asList(list) {
		mf := asMap(it)
		(*m)[str(mf["namespace"])+"."+str(mf["key"])] = str(mf["value"])
	}
}

var (
	colorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	dateRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// checkMetafieldValue refuses a value that does not fit typ.
func checkMetafieldValue(typ, v string) error {
	if inner, ok := strings.CutPrefix(typ, "list."); ok {
		var items []any
		if err := json.Unmarshal([]byte(v), &items); err != nil {
			return fmt.Errorf("Value must be a JSON array for %s.", typ)
		}
		for _, it := range items {
			s, isStr := it.(string)
			if !isStr {
				b, _ := json.Marshal(it)
				s = string(b)
			}
			if err := checkMetafieldValue(inner, s); err != nil {
				return err
			}
		}
		return nil
	}
	bad := func() error { return fmt.Errorf("Value %q is invalid for type %s.", v, typ) }
	switch typ {
	case "single_line_text_field":
		if strings.ContainsAny(v, "\r\n") {
			return bad()
		}
	case "number_integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return bad()
		}
	case "number_decimal":
		if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "eE") {
			return bad()
		}
	case "boolean":
		if v != "true" && v != "false" {
			return bad()
		}
	case "color":
		if !colorRE.MatchString(v) {
			return bad()
		}
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil || !dateRE.MatchString(v) {
			return bad()
		}
	case "date_time":
		if _, err := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(v, "Z")); err != nil {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return bad()
			}
		}
	case "url":
		if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
			return bad()
		}
	case "json", "rating", "weight", "dimension", "volume", "money":
		if !json.Valid([]byte(v)) {
			return bad()
		}
	}
	return nil
}

// publicMetafields copies a metafield map.
func publicMetafields(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
