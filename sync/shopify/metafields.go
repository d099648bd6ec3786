package shopify

import (
	"context"
	"slices"
	"strings"
)

// Metafields: their definitions (which type a value must have), their
// values on products and variants, and writing them with metafieldsSet
// (upsert, at most 25 per call, atomic) and metafieldsDelete
// (admin-2026-04.graphql, mutations metafieldsSet and metafieldsDelete).

// Owner types of the metafields Shelfsync syncs (enum MetafieldOwnerType).
const (
	OwnerProduct = "PRODUCT"
	OwnerVariant = "PRODUCTVARIANT"
)

// maxMetafieldsSet is metafieldsSet's limit ("Allows a maximum of 25
// metafields to be set at a time").
const maxMetafieldsSet = 25

// MetafieldDefinition is one definition: its owner type, namespace, key and
// type name (e.g. "single_line_text_field", "list.color").
type MetafieldDefinition struct {
	OwnerType string
	Namespace string
	Key       string
	Name      string
	Type      string
}

// Metafield is one value to set or delete (Value "" deletes).
type Metafield struct {
	OwnerID   string
	Namespace string
	Key       string
	Value     string
}

const docMetafieldDefinitions = `query MetafieldDefinitions($ownerType: MetafieldOwnerType!, $first: Int!, $after: String) {
  metafieldDefinitions(ownerType: $ownerType, first: $first, after: $after) {
    nodes { namespace key name type { name } }
    pageInfo { hasNextPage endCursor }
  }
}`

// docMetafieldsOf reads some metafields of products and variants by ID.
const docMetafieldsOf = `query MetafieldsOf($ids: [ID!]!, $keys: [String!], $first: Int!) {
  nodes(ids: $ids) {
    ... on Product { id metafields(first: $first, keys: $keys) { nodes { namespace key value } } }
    ... on ProductVariant { id metafields(first: $first, keys: $keys) { nodes { namespace key value } } }
  }
}`

const docMetafieldsSet = `mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id namespace key } userErrors { field message code } }
}`

const docMetafieldsDelete = `mutation MetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) { deletedMetafields { ownerId namespace key } userErrors { field message } }
}`

func metafieldDocuments() map[string]string {
	return map[string]string{
		"TaxonomySearch":       docTaxonomySearch,
		"MetafieldDefinitions": docMetafieldDefinitions,
		"MetafieldsOf":         docMetafieldsOf,
		"MetafieldsSet":        docMetafieldsSet,
		"MetafieldsDelete":     docMetafieldsDelete,
	}
}

// MetafieldDefinitions lists the definitions for an owner type.
func (c *Client) MetafieldDefinitions(ctx context.Context, ownerType string) ([]MetafieldDefinition, error) {
	type data struct {
		MetafieldDefinitions struct {
			Nodes []struct {
				Namespace, Key, Name string
				Type                 struct{ Name string }
			}
			PageInfo PageInfo
		}
	}
	var out []MetafieldDefinition
	err := Paginate(ctx, c, docMetafieldDefinitions, map[string]any{"ownerType": ownerType, "first": 250}, func(d *data) (PageInfo, error) {
		for _, n := range d.MetafieldDefinitions.Nodes {
			out = append(out, MetafieldDefinition{OwnerType: ownerType, Namespace: n.Namespace, Key: n.Key, Name: n.Name, Type: n.Type.Name})
		}
		return d.MetafieldDefinitions.PageInfo, nil
	})
	return out, err
}

// MetafieldsOf reads the metafields keys ("namespace.key") of the products
// and variants ids: owner ID → key → value; a metafield not set is absent.
func (c *Client) MetafieldsOf(ctx context.Context, ids, keys []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if len(ids) == 0 || len(keys) == 0 {
		return out, nil
	}
	// Each node costs 1, its metafields connection 2 + one per key.
	per := max(1, min(250, (MaxQueryCost-1)/(3+len(keys))))
	for chunk := range slices.Chunk(ids, per) {
		var d struct {
			Nodes []*struct {
				ID         string
				Metafields struct {
					Nodes []struct{ Namespace, Key, Value string }
				}
			}
		}
		if err := c.Do(ctx, docMetafieldsOf, map[string]any{"ids": chunk, "keys": keys, "first": len(keys)}, &d); err != nil {
			return nil, err
		}
		for _, n := range d.Nodes {
			if n == nil {
				continue
			}
			m := map[string]string{}
			for _, mf := range n.Metafields.Nodes {
				m[mf.Namespace+"."+mf.Key] = mf.Value
			}
			out[n.ID] = m
		}
	}
	return out, nil
}

// SetMetafields sets the metafields with a value (metafieldsSet, 25 at a
// time) and deletes those whose Value is "" (metafieldsDelete). A defined
// metafield needs no type (MetafieldsSetInput.type: "Required when there
// is no corresponding definition").
func (c *Client) SetMetafields(ctx context.Context, mfs []Metafield) error {
	var set, del []map[string]any
	for _, m := range mfs {
		in := map[string]any{"ownerId": m.OwnerID, "namespace": m.Namespace, "key": m.Key}
		if strings.TrimSpace(m.Value) == "" {
			del = append(del, in)
			continue
		}
		in["value"] = m.Value
		set = append(set, in)
	}
	for chunk := range slices.Chunk(set, maxMetafieldsSet) {
		if err := c.mutate(ctx, docMetafieldsSet, "metafieldsSet", map[string]any{"metafields": chunk}); err != nil {
			return err
		}
	}
	if len(del) == 0 {
		return nil
	}
	return c.mutate(ctx, docMetafieldsDelete, "metafieldsDelete", map[string]any{"metafields": del})
}

// docTaxonomySearch searches Shopify's product taxonomy by name.
const docTaxonomySearch = `query TaxonomySearch($search: String!) {
  taxonomy { categories(search: $search, first: 50) { nodes { id fullName } } }
}`

// TaxonomyCategory is a category of Shopify's product taxonomy.
type TaxonomyCategory struct {
	ID       string // gid://shopify/TaxonomyCategory/aa-1-13-8
	FullName string // "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"
}

// SearchTaxonomy returns the taxonomy categories matching search.
func (c *Client) SearchTaxonomy(ctx context.Context, search string) ([]TaxonomyCategory, error) {
	var d struct {
		Taxonomy struct {
			Categories struct {
				Nodes []struct{ ID, FullName string }
			}
		}
	}
	if err := c.Do(ctx, docTaxonomySearch, map[string]any{"search": search}, &d); err != nil {
		return nil, err
	}
	out := make([]TaxonomyCategory, 0, len(d.Taxonomy.Categories.Nodes))
	for _, n := range d.Taxonomy.Categories.Nodes {
		out = append(out, TaxonomyCategory{ID: n.ID, FullName: n.FullName})
	}
	return out, nil
}
