package fakeshop

import (
	"fmt"
	"strings"
)

const (
	maxOptions  = 3    // FACTS §9
	maxVariants = 2048 // https://shopify.dev/changelog/the-product-variant-limit-is-now-2048-for-all-merchants
)

// mutProductSet implements productSet: create or update a product from its full state.
//
//   - List fields are full-replace: "existing entries that are not included in the input are
//     deleted" (schema productSet description, admin-2026-04.graphql ~57245; FACTS §9).
//   - A variant input without id creates a new variant: ProductVariantSetInput.id "Specifies
//     the product variant to update or create a new variant if absent" (schema ~73722). So
//     productSet onto an existing product with id-less variants deletes every old variant and
//     creates new ones with new IDs, inventory items and levels, as Shopify does.
//   - Without an identifier it creates. The input handle is validated for uniqueness since
//     2025-01: a taken handle is refused with HANDLE_NOT_UNIQUE
//     (https://shopify.dev/changelog/new-validation-against-duplicate-handles-in-productcreate-productupdate-and-productset-mutation-inputs).
//   - With identifier {id} or {handle} it upserts the product found (schema
//     ProductSetIdentifiers).
//
// A variant's inventoryQuantities are applied only when the variant is created (simulator
// choice, mirroring productVariantsBulkUpdate where they are create-only); use
// inventorySetQuantities for existing variants.
func mutProductSet(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "ProductSetUserError"
	in := asMap(a["input"])
	ident := asMap(a["identifier"])
	cat := ec.sh.cat
	fail := func(field []string, msg, code string) (any, error) {
		return obj("ProductSetPayload", "product", nil, "productSetOperation", nil,
			"userErrors", []any{uerr(et, field, msg, code)}), nil
	}
	var p *product
	identHandle := ""
	if ident != nil {
		switch {
		case str(ident["id"]) != "":
			if p = cat.productByGID(str(ident["id"])); p == nil {
				return fail(path("identifier", "id"), "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
			}
		case str(ident["handle"]) != "":
			identHandle = str(ident["handle"])
			p = cat.byHandle[identHandle]
		default:
			return fail(path("identifier"), "Only the id and handle identifiers are supported by the simulator", "INVALID_INPUT")
		}
	}
	opts, hasOpts := in["productOptions"]
	vars, hasVars := in["variants"]
	optList, varList := asList(opts), asList(vars)
	if len(optList) > maxOptions {
		return fail(path("input", "productOptions"), fmt.Sprintf("Options count is over the allowed limit of %d.", maxOptions), "OPTIONS_OVER_LIMIT")
	}
	if len(varList) > maxVariants {
		return fail(path("input", "variants"), fmt.Sprintf("Variant count is over the allowed limit of %d.", maxVariants), "VARIANTS_OVER_LIMIT")
	}
	if hasVars && !hasOpts {
		return fail(path("input", "productOptions"), "Product options input is required when updating variants.", "PRODUCT_OPTIONS_INPUT_MISSING")
	}
	if c, ok := in["category"]; ok && c != nil && taxonomyName(str(c)) == "" {
		return fail(path("input", "category"), "Category does not exist", "INVALID_INPUT")
	}
	if p == nil && str(in["title"]) == "" {
		return fail(path("input", "title"), "Title can't be blank", "MISSING_FIELD_REQUIRED")
	}
	handle := str(in["handle"])
	if handle == "" && p == nil {
		handle = identHandle
		if handle == "" {
			handle = cat.uniqueHandle(handleize(str(in["title"])), nil)
		}
	}
	if handle != "" {
		if other := cat.byHandle[handle]; other != nil && other != p {
			return fail(path("input", "handle"), fmt.Sprintf("Handle '%s' already in use. Please provide a new handle.", handle), "HANDLE_NOT_UNIQUE")
		}
	}
	// Option names in input order, and the linked ones (metaobjects.go).
	var optNames []string
	links := map[string]*optionLink{}
	optValues := map[string][]string{}
	for i, o := range optList {
		om := asMap(o)
		name := str(om["name"])
		if name == "" {
			return fail(path("input", "productOptions", i, "name"), "Option name can't be blank", "INVALID_INPUT")
		}
		for _, prev := range optNames {
			if strings.EqualFold(prev, name) {
				return fail(path("input", "productOptions", i, "name"), fmt.Sprintf("Duplicated option name '%s'.", name), "DUPLICATED_OPTION_NAME")
			}
		}
		optNames = append(optNames, name)
		if lm := asMap(om["linkedMetafield"]); lm != nil {
			l, msg, code := cat.parseOptionLink(lm)
			switch {
			case msg != "":
				return fail(path("input", "productOptions", i, "linkedMetafield"), msg, code)
			case len(asList(om["values"])) > 0:
				return fail(path("input", "productOptions", i, "values"), "An option cannot have both metafield linked and nonlinked option values.",
					"CANNOT_COMBINE_LINKED_AND_NONLINKED_OPTION_VALUES")
			}
			for _, other := range links {
				if other.metafield == l.metafield {
					return fail(path("input", "productOptions", i, "linkedMetafield"), "Cannot link multiple options to the same metafield.", "DUPLICATE_LINKED_OPTION")
				}
			}
			links[name] = l
			optValues[name] = l.values
			continue
		}
		for _, v := range asList(om["values"]) {
			optValues[name] = append(optValues[name], str(asMap(v)["name"]))
		}
	}
	namers := map[string]entryNamer{}
	for name, l := range links {
		namers[name] = l.name
	}
	// Validate variants before any write.
	type plannedVariant struct {
		in       map[string]any
		selected []SelectedOption
		existing *variant
	}
	var planned []plannedVariant
	seen := map[string]bool{}
	for i, v := range varList {
		vm := asMap(v)
		sel, msg, code := selectedFromInput(asList(vm["optionValues"]), optNames, p, namers)
		if msg != "" {
			if code == "" {
				code = "OPTION_DOES_NOT_EXIST"
			}
			return fail(path("input", "variants", i, "optionValues"), msg, code)
		}
		pv := plannedVariant{in: vm, selected: sel}
		key := (&variant{selected: sel}).optionKey()
		if seen[key] {
			return fail(path("input", "variants", i), fmt.Sprintf("The variant '%s' already exists.", (&variant{selected: sel}).title()), "INVALID_VARIANT")
		}
		seen[key] = true
		if id := str(vm["id"]); id != "" {
			ev := cat.variantByGID(id)
			if ev == nil || p == nil || ev.product != p {
				return fail(path("input", "variants", i, "id"), "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST")
			}
			pv.existing = ev
		}
		if pr, ok := vm["price"]; ok && pr != nil {
			if m, ok := money(pr); !ok || strings.HasPrefix(m, "-") {
				return fail(path("input", "variants", i, "price"), "Price must be a non-negative number", "INVALID_VARIANT")
			}
		}
		if msg := unitPriceErr(vm); msg != "" {
			return fail(path("input", "variants", i, "unitPriceMeasurement"), msg, "INVALID_VARIANT")
		}
		for j, q := range asList(vm["inventoryQuantities"]) {
			if cat.location(str(asMap(q)["locationId"])) == nil {
				return fail(path("input", "variants", i, "inventoryQuantities", j, "locationId"), "Location does not exist", "INVALID_INPUT")
			}
		}
		planned = append(planned, pv)
	}

	newVariants := 0
	for _, pv := range planned {
		if pv.existing == nil {
			newVariants++
		}
	}
	if newVariants == 0 && (p == nil || hasVars) && len(planned) == 0 {
		newVariants = 1 // the default variant
	}
	if err := ec.sh.takeVariantCreates(ec.now, newVariants); err != nil { // daylimit.go
		return nil, err
	}

	// Apply.
	now := ec.now
	if p == nil {
		p = &product{id: cat.newID(), handle: handle, status: "ACTIVE", createdAt: now}
		cat.addProduct(p)
		applyGiftCard(p, in)
	} else if handle != "" && handle != p.handle {
		cat.setHandle(p, handle)
	}
	applyProductFields(p, in)
	if hasOpts {
		var newOpts []*option
		for _, name := range optNames {
			o := &option{id: cat.newID(), name: name}
			for _, old := range p.options {
				if strings.EqualFold(old.name, name) {
					o.id = old.id
				}
			}
			o.values = append(o.values, optValues[name]...)
			if l := links[name]; l != nil {
				o.link, o.linkVals = l.metafield, l.gids
			}
			newOpts = append(newOpts, o)
		}
		p.options = newOpts
	}
	if hasVars {
		keep := map[*variant]bool{}
		var list []*variant
		for _, pv := range planned {
			v := pv.existing
			if v == nil {
				v = cat.newVariant(p, now, nil)
				for _, q := range asList(pv.in["inventoryQuantities"]) {
					qm := asMap(q)
					lv := cat.stock(v.item, cat.location(str(qm["locationId"])), now)
					n, _ := toInt(qm["quantity"])
					if str(qm["name"]) == "on_hand" {
						lv.setOnHand(n)
					} else {
						lv.setAvailable(n)
					}
				}
				if len(v.item.levels) == 0 && len(cat.locations) > 0 {
					cat.stock(v.item, cat.locations[0], now)
				}
			}
			v.selected = pv.selected
			applyVariantFields(v, pv.in, now)
			keep[v] = true
			list = append(list, v)
		}
		for _, old := range p.variants {
			if !keep[old] {
				cat.dropVariant(old)
			}
		}
		p.variants = list
		for _, v := range list {
			for _, so := range v.selected {
				p.addOptionValue(cat, so.Name, so.Value)
			}
		}
	}
	applyFiles(cat, p, in, varList)
	applyInputMetafields(cat, p, in)
	applyCategory(p, in)
	for i, v := range varList {
		if i < len(p.variants) {
			applyInputMetafields(cat, p.variants[i], asMap(v))
		}
	}
	if len(p.variants) == 0 {
		p.options = []*option{{id: cat.newID(), name: "Title", values: []string{"Default Title"}}}
		v := cat.newVariant(p, now, cat.locations[:1])
		v.selected = []SelectedOption{{Name: "Title", Value: "Default Title"}}
		p.variants = []*variant{v}
	}
	p.renumber()
	p.updatedAt = now
	if a["synchronous"] == false {
		op := obj("ProductSetOperation", "id", gid("ProductSetOperation", cat.newID()), "status", "COMPLETE",
			"product", p, "userErrors", []any{})
		ec.sh.bulk.productOps[str(op.m["id"])] = op
		return obj("ProductSetPayload", "product", nil, "productSetOperation", op, "userErrors", []any{}), nil
	}
	return obj("ProductSetPayload", "product", p, "productSetOperation", nil, "userErrors", []any{}), nil
}

// entryNamer resolves a linked option's VariantOptionValueInput.linkedMetafieldValue to the
// value's name (the entry's display name), or refuses it with a message and a code.
type entryNamer func(entry string) (name, msg, code string)

// selectedFromInput maps optionValues input to selected options in option order. linked
// holds the linked options by name (metaobjects.go): their values come as
// linkedMetafieldValue, never as a name. The code is "" when the caller's default applies.
func selectedFromInput(vals []any, optNames []string, p *product, linked map[string]entryNamer) ([]SelectedOption, string, string) {
	names := optNames
	if names == nil && p != nil {
		for _, o := range p.options {
			names = append(names, o.name)
		}
	}
	byName := map[string]string{}
	for _, v := range vals {
		vm := asMap(v)
		on := str(vm["optionName"])
		if on == "" && p != nil {
			for _, o := range p.options {
				if gid("ProductOption", o.id) == str(vm["optionId"]) {
					on = o.name
				}
			}
		}
		found := ""
		for _, n := range names {
			if strings.EqualFold(n, on) {
				found = n
			}
		}
		if found == "" {
			return nil, fmt.Sprintf("Option '%s' does not exist", on), ""
		}
		entry, hasEntry := vm["linkedMetafieldValue"]
		switch namer := linked[found]; {
		case namer != nil && str(vm["name"]) != "":
			return nil, "Cannot set name for an option value linked to a metafield.", "CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE"
		case namer != nil:
			name, msg, code := namer(str(entry))
			if msg != "" {
				return nil, msg, code
			}
			byName[found] = name
		case hasEntry && entry != nil:
			return nil, "Cannot specify 'linkedMetafieldValue' for an option that is not linked to a metafield.", "LINKED_METAFIELD_VALUE_WITHOUT_LINKED_OPTION"
		default:
			byName[found] = str(vm["name"])
		}
	}
	var out []SelectedOption
	for _, n := range names {
		if v, ok := byName[n]; ok {
			out = append(out, SelectedOption{Name: n, Value: v})
		}
	}
	return out, "", ""
}

// linkedOf are the linked options of an existing product, resolving entries as
// productVariantsBulkCreate/Update take them; a resolved entry is recorded on its option.
func (c *catalog) linkedOf(p *product) map[string]entryNamer {
	var out map[string]entryNamer
	for _, o := range p.options {
		if o.link == "" {
			continue
		}
		if out == nil {
			out = map[string]entryNamer{}
		}
		out[o.name] = func(entry string) (string, string, string) {
			name, msg, code := c.linkedValue(o, entry)
			if msg == "" {
				o.linkValue(name, entry)
			}
			return name, msg, code
		}
	}
	return out
}

func applyProductFields(p *product, in map[string]any) {
	if v, ok := in["title"]; ok && v != nil {
		p.title = str(v)
	}
	if v, ok := in["descriptionHtml"]; ok {
		p.descHTML = str(v)
	}
	if v, ok := in["vendor"]; ok {
		p.vendor = str(v)
	}
	if v, ok := in["productType"]; ok {
		p.productType = str(v)
	}
	if v, ok := in["status"]; ok && v != nil {
		p.status = str(v)
	}
	if v, ok := in["tags"]; ok {
		p.tags = nil
		for _, t := range toAnySliceOfStrings(v) {
			for _, part := range strings.Split(t, ",") {
				if part = strings.TrimSpace(part); part != "" {
					p.tags = append(p.tags, part)
				}
			}
		}
	}
	applyProductExtras(p, in)
}

// mutProductUpdate updates product-level fields.
func mutProductUpdate(ec *execCtx, _ any, a map[string]any) (any, error) {
	in := asMap(a["product"])
	p := ec.sh.lookupProduct(asMap(a["identifier"]))
	if p == nil && str(in["id"]) != "" {
		p = ec.sh.cat.productByGID(str(in["id"]))
	}
	if p == nil {
		return obj("ProductUpdatePayload", "product", nil, "userErrors", []any{uerr("UserError", path("id"), "Product does not exist", "")}), nil
	}
	if h := str(in["handle"]); h != "" && h != p.handle {
		if other := ec.sh.cat.byHandle[h]; other != nil {
			return obj("ProductUpdatePayload", "product", nil, "userErrors", []any{uerr("UserError", path("handle"),
				fmt.Sprintf("Handle '%s' already in use. Please provide a new handle.", h), "")}), nil
		}
		ec.sh.cat.setHandle(p, h)
	}
	if !applyCategory(p, in) { // ProductUpdateInput.category: a TaxonomyCategory ID
		return obj("ProductUpdatePayload", "product", nil, "userErrors", []any{uerr("UserError", path("category"), "Category does not exist", "")}), nil
	}
	applyProductFields(p, in)
	errs := addProductMedia(ec.sh.cat, p, asList(a["media"]))
	ec.touch(p)
	if errs == nil {
		errs = []any{}
	}
	return obj("ProductUpdatePayload", "product", p, "userErrors", errs), nil
}

func mutProductDelete(ec *execCtx, _ any, a map[string]any) (any, error) {
	id := str(asMap(a["input"])["id"])
	p := ec.sh.cat.productByGID(id)
	if p == nil {
		return obj("ProductDeletePayload", "deletedProductId", nil, "shop", ec.sh,
			"userErrors", []any{uerr("UserError", path("id"), "Product does not exist", "")}), nil
	}
	ec.sh.cat.removeProduct(p)
	return obj("ProductDeletePayload", "deletedProductId", gid("Product", p.id), "shop", ec.sh, "userErrors", []any{}), nil
}

// mutProductCreate implements productCreate(product: ProductCreateInput): a new product with its
// options and only its initial variant, made of each option's first value ("The productCreate
// mutation only supports creating a product with its initial product variant", schema
// productCreate description). The handle is validated for uniqueness since 2025-01
// (https://shopify.dev/changelog/new-validation-against-duplicate-handles-in-productcreate-productupdate-and-productset-mutation-inputs);
// the payload's UserError has no code, so the refusal is the message on field handle.
func mutProductCreate(ec *execCtx, _ any, a map[string]any) (any, error) {
	in := asMap(a["product"])
	cat := ec.sh.cat
	fail := func(field, msg string) (any, error) {
		return obj("ProductCreatePayload", "product", nil, "shop", ec.sh,
			"userErrors", []any{uerr("UserError", path(field), msg, "")}), nil
	}
	if str(in["title"]) == "" {
		return fail("title", "Title can't be blank")
	}
	handle := str(in["handle"])
	if handle == "" {
		handle = cat.uniqueHandle(handleize(str(in["title"])), nil)
	} else if cat.byHandle[handle] != nil {
		return fail("handle", fmt.Sprintf("Handle '%s' already in use. Please provide a new handle.", handle))
	}
	opts := asList(in["productOptions"])
	if len(opts) > maxOptions {
		return fail("productOptions", fmt.Sprintf("Options count is over the allowed limit of %d.", maxOptions))
	}
	p := &product{id: cat.newID(), handle: handle, status: "ACTIVE", createdAt: ec.now, updatedAt: ec.now}
	var first []SelectedOption
	for _, o := range opts {
		om := asMap(o)
		op := &option{id: cat.newID(), name: str(om["name"])}
		for _, v := range asList(om["values"]) {
			op.values = append(op.values, str(asMap(v)["name"]))
		}
		if op.name == "" || len(op.values) == 0 {
			return fail("productOptions", "Option name and at least one value are required")
		}
		p.options = append(p.options, op)
		first = append(first, SelectedOption{Name: op.name, Value: op.values[0]})
	}
	if len(p.options) == 0 {
		p.options = []*option{{id: cat.newID(), name: "Title", values: []string{"Default Title"}}}
		first = []SelectedOption{{Name: "Title", Value: "Default Title"}}
	}
	if err := ec.sh.takeVariantCreates(ec.now, 1); err != nil { // daylimit.go: its initial variant
		return nil, err
	}
	cat.addProduct(p)
	applyProductFields(p, in)
	v := cat.newVariant(p, ec.now, cat.locations[:1])
	v.selected = first
	p.variants = []*variant{v}
	p.renumber()
	return obj("ProductCreatePayload", "product", p, "shop", ec.sh, "userErrors", []any{}), nil
}
