package fakeshop

import (
	"slices"
	"strings"
	"testing"
)

// linkedShop is a shop with the standard color metafield linked to a
// metaobject type with three entries; it returns the entries' GIDs by name.
func linkedShop(t *testing.T, scopes ...string) (*Shop, string, map[string]string) {
	t.Helper()
	_, sh, _ := newTestShop(t, PlanGrow)
	tok := sh.Install("linked-app", append(slices.Clone(allScopes), scopes...))
	def := sh.AddMetaobjectDefinition("shopify--color-pattern", "Color")
	sh.AddMetafieldDefinition(MetafieldDefinition{OwnerType: "PRODUCT", Namespace: "shopify", Key: "color-pattern", Name: "Color",
		Type: metaobjectListType, Validations: map[string]string{"metaobject_definition_id": def}})
	ids := map[string]string{}
	for _, n := range []string{"Red", "Blue", "Green"} {
		ids[n] = sh.AddMetaobject("shopify--color-pattern", strings.ToLower(n), n)
	}
	sh.AddMetaobjectDefinition("custom--fabric", "Fabric")
	ids["Silk"] = sh.AddMetaobject("custom--fabric", "silk", "Silk")
	return sh, tok, ids
}

const linkedProductSet = `mutation S($input: ProductSetInput!) { productSet(input: $input, synchronous: true) {
  product { id options { name linkedMetafield { namespace key } optionValues { name linkedMetafieldValue } } variants(first: 10) { nodes { selectedOptions { name value } } } }
  userErrors { field message code } } }`

func linkedInput(values []string, variants ...map[string]any) map[string]any {
	return map[string]any{"title": "Tee", "handle": "tee",
		"productOptions": []any{map[string]any{"name": "Color", "linkedMetafield": map[string]any{"namespace": "shopify", "key": "color-pattern", "values": values}}},
		"variants":       variants}
}

func linkedVariant(entry string) map[string]any {
	return map[string]any{"price": "1.00", "optionValues": []any{map[string]any{"optionName": "Color", "linkedMetafieldValue": entry}}}
}

// TestLinkedOptions: productSet links an option to a metaobject-list
// metafield; its values are the entries' display names, read back with
// their entries; entries of another type, names for linked values and
// unlinked metafields are refused; productVariantsBulkCreate adds a value by
// its entry; the definitions and entries read with their scopes.
func TestLinkedOptions(t *testing.T) {
	sh, tok, ids := linkedShop(t, "read_metaobjects", "read_metaobject_definitions")
	code := func(d map[string]any) string {
		errs, _ := dig(d, "productSet", "userErrors").([]any)
		if len(errs) == 0 {
			return ""
		}
		return dig(errs[0], "code").(string)
	}
	for name, in := range map[string]map[string]any{
		"INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION": linkedInput([]string{ids["Red"], ids["Silk"]}, linkedVariant(ids["Red"])),
		"LINKED_METAFIELD_DEFINITION_NOT_FOUND": {"title": "Tee", "productOptions": []any{map[string]any{"name": "Color",
			"linkedMetafield": map[string]any{"namespace": "custom", "key": "nothing", "values": []string{ids["Red"]}}}}},
		"CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE": linkedInput([]string{ids["Red"]},
			map[string]any{"optionValues": []any{map[string]any{"optionName": "Color", "name": "Red"}}}),
	} {
		if got := code(gql(t, sh, tok, linkedProductSet, map[string]any{"input": in})); got != name {
			t.Errorf("want %s, got %q", name, got)
		}
	}
	d := gql(t, sh, tok, linkedProductSet, map[string]any{"input": linkedInput([]string{ids["Red"], ids["Blue"]},
		linkedVariant(ids["Red"]), linkedVariant(ids["Blue"]))})
	if c := code(d); c != "" {
		t.Fatalf("productSet refused: %v", d)
	}
	opt := dig(d, "productSet", "product", "options", 0)
	if dig(opt, "linkedMetafield", "key") != "color-pattern" || dig(opt, "optionValues", 1, "name") != "Blue" ||
		dig(opt, "optionValues", 1, "linkedMetafieldValue") != ids["Blue"] ||
		dig(d, "productSet", "product", "variants", "nodes", 0, "selectedOptions", 0, "value") != "Red" {
		t.Fatalf("read back %v", d)
	}
	pid := dig(d, "productSet", "product", "id").(string)
	const create = `mutation C($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkCreate(productId: $p, variants: $v) {
  product { options { optionValues { name linkedMetafieldValue } } } userErrors { field message code } } }`
	d = gql(t, sh, tok, create, map[string]any{"p": pid, "v": []any{map[string]any{"optionValues": []any{map[string]any{"optionName": "Color", "name": "Green"}}}}})
	if dig(d, "productVariantsBulkCreate", "userErrors", 0, "code") != "CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE" {
		t.Errorf("a name for a linked value: %v", d)
	}
	d = gql(t, sh, tok, create, map[string]any{"p": pid, "v": []any{linkedVariant(ids["Green"])}})
	if v := dig(d, "productVariantsBulkCreate", "product", "options", 0, "optionValues", 2); dig(v, "name") != "Green" || dig(v, "linkedMetafieldValue") != ids["Green"] {
		t.Errorf("created by entry: %v", d)
	}

	const defs = `query D($id: MetafieldDefinitionIdentifierInput!) { metafieldDefinition(identifier: $id) { type { name } validations { name value } } }`
	d = gql(t, sh, tok, defs, map[string]any{"id": map[string]any{"ownerType": "PRODUCT", "namespace": "shopify", "key": "color-pattern"}})
	moDef := dig(d, "metafieldDefinition", "validations", 0, "value").(string)
	const entries = `query E($id: ID!) { metaobjectDefinition(id: $id) { type metaobjects(first: 2) { nodes { id handle displayName } pageInfo { hasNextPage } } } }`
	d = gql(t, sh, tok, entries, map[string]any{"id": moDef})
	if dig(d, "metaobjectDefinition", "type") != "shopify--color-pattern" || dig(d, "metaobjectDefinition", "metaobjects", "nodes", 1, "displayName") != "Blue" ||
		dig(d, "metaobjectDefinition", "metaobjects", "pageInfo", "hasNextPage") != true {
		t.Errorf("entries: %v", d)
	}
	other := sh.Install("plain-app", allScopes)
	if r := post(t, sh, other, "2026-04", entries, map[string]any{"id": moDef}); !strings.Contains(r.Raw, "ACCESS_DENIED") {
		t.Errorf("entries without read_metaobject_definitions: %s", r.Raw)
	}
}
