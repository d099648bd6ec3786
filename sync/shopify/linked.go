package shopify

import (
	"context"
	"fmt"
)

// Metafield-linked product options
// (https://shopify.dev/docs/apps/build/product-merchandising/products-and-collections/metafield-linked):
// an option linked to a product metafield of type list.metaobject_reference takes
// metaobject entries as its values, and "The metaobject's display name becomes what
// customers see". To create one from a sheet that names values ("Red"), Shelfsync reads
// the metafield's definition, the metaobject definition it references (validation
// "metaobject_definition_id") and that type's entries.

// MetaobjectListType is the metafield type an option can be linked to.
const MetaobjectListType = "list.metaobject_reference"

// docLinkDefinition reads a product metafield's definition with its validations.
const docLinkDefinition = `query LinkDefinition($identifier: MetafieldDefinitionIdentifierInput!) {
  metafieldDefinition(identifier: $identifier) { namespace key type { name } validations { name value } }
}`

// docMetaobjectEntries reads a metaobject definition's type and entries
// (needs read_metaobject_definitions and read_metaobjects).
const docMetaobjectEntries = `query MetaobjectEntries($id: ID!, $first: Int!, $after: String) {
  metaobjectDefinition(id: $id) {
    type
    metaobjects(first: $first, after: $after) { nodes { id handle displayName } pageInfo { hasNextPage endCursor } }
  }
}`

func linkedDocuments() map[string]string {
	return map[string]string{"LinkDefinition": docLinkDefinition, "MetaobjectEntries": docMetaobjectEntries}
}

// LinkTarget is what an option linked to a product metafield can take.
type LinkTarget struct {
	Metafield string // "namespace.key"
	Type      string // the referenced metaobject type, e.g. "shopify--color-pattern"
	Entries   []MetaobjectEntry
}

// MetaobjectEntry is one metaobject: its GID, handle and display name.
type MetaobjectEntry struct {
	ID          string
	Handle      string
	DisplayName string
}

// NotLinkableError says why an option can't be linked to a metafield: it has
// no definition, or the definition is not a list of metaobject references.
type NotLinkableError struct {
	Metafield string
	Why       string
}

func (e *NotLinkableError) Error() string {
	return fmt.Sprintf("an option can't be linked to product metafield %s: %s", e.Metafield, e.Why)
}

// LinkTarget reads the metaobject entries an option linked to the product
// metafield namespace.key can take. A metafield that can't be linked is a
// *NotLinkableError; a token without the metaobject scopes is ErrForbidden.
func (c *Client) LinkTarget(ctx context.Context, namespace, key string) (*LinkTarget, error) {
	mf := namespace + "." + key
	var d struct {
		MetafieldDefinition *struct {
			Type        struct{ Name string }
			Validations []struct{ Name, Value string }
		}
	}
	id := map[string]any{"ownerType": OwnerProduct, "namespace": namespace, "key": key}
	if err := c.Do(ctx, docLinkDefinition, map[string]any{"identifier": id}, &d); err != nil {
		return nil, err
	}
	def := d.MetafieldDefinition
	switch {
	case def == nil:
		return nil, &NotLinkableError{Metafield: mf, Why: "the store has no product metafield definition of that name"}
	case def.Type.Name != MetaobjectListType:
		return nil, &NotLinkableError{Metafield: mf, Why: "its type is " + def.Type.Name + ", not a list of metaobject references"}
	}
	defID := ""
	for _, v := range def.Validations {
		switch v.Name {
		case "metaobject_definition_id":
			defID = v.Value
		case "list.min", "list.max":
			// "Validation options do not include list.min or list.max" (metafield-linked guide).
			return nil, &NotLinkableError{Metafield: mf, Why: "its definition limits how many entries it holds (" + v.Name + ")"}
		}
	}
	if defID == "" {
		return nil, &NotLinkableError{Metafield: mf, Why: "its definition names no metaobject definition"}
	}
	out := &LinkTarget{Metafield: mf}
	type page struct {
		MetaobjectDefinition *struct {
			Type        string
			Metaobjects struct {
				Nodes    []MetaobjectEntry
				PageInfo PageInfo
			}
		}
	}
	err := Paginate(ctx, c, docMetaobjectEntries, map[string]any{"id": defID, "first": 250}, func(p *page) (PageInfo, error) {
		if p.MetaobjectDefinition == nil {
			return PageInfo{}, &NotLinkableError{Metafield: mf, Why: "the metaobject definition it references is gone"}
		}
		out.Type = p.MetaobjectDefinition.Type
		out.Entries = append(out.Entries, p.MetaobjectDefinition.Metaobjects.Nodes...)
		return p.MetaobjectDefinition.Metaobjects.PageInfo, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
