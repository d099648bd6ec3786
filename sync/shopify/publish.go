package shopify

import (
	"context"
	"slices"
)

// Publications and publishing (https://shopify.dev/docs/apps/build/sales-channels/product-publishing).
// Shopify publishes nothing by itself: "Products with an active status aren't
// automatically published to sales channels, such as the online store, or
// apps" (enum ProductStatus, ACTIVE, 2026-04 Admin schema), so a product
// created through the API is invisible until it is published.

// docPublications lists the shop's publications. Publication.name is
// deprecated in favour of the catalog's title (2026-04 schema; a publication
// without a catalog has a null one, https://community.shopify.dev/t/24290).
const docPublications = `query Publications($first: Int!, $after: String) {
  publications(first: $first, after: $after) { nodes { id autoPublish catalog { title } } pageInfo { hasNextPage endCursor } }
}`

// docPublish publishes a product to publications (publishablePublish; the
// deprecated productPublish is not used).
const docPublish = `mutation Publish($id: ID!, $input: [PublicationInput!]!) {
  publishablePublish(id: $id, input: $input) { userErrors { field message } }
}`

// Publication is one of the shop's publications: the products a sales
// channel (Online Store, Point of Sale, …) shows.
type Publication struct {
	ID          string
	Name        string // the title of its catalog, e.g. "Online Store"; "" without one
	AutoPublish bool   // new products are added to it by Shopify
}

// OnlineStoreName is the catalog title of the Online Store's publication.
const OnlineStoreName = "Online Store"

// Publications lists the shop's publications (needs read_publications).
func (c *Client) Publications(ctx context.Context) ([]Publication, error) {
	type data struct {
		Publications struct {
			Nodes []struct {
				ID          string
				AutoPublish bool
				Catalog     *struct{ Title string }
			}
			PageInfo PageInfo
		}
	}
	var out []Publication
	err := Paginate(ctx, c, docPublications, map[string]any{"first": 50}, func(d *data) (PageInfo, error) {
		for _, n := range d.Publications.Nodes {
			p := Publication{ID: n.ID, AutoPublish: n.AutoPublish}
			if n.Catalog != nil {
				p.Name = n.Catalog.Title
			}
			out = append(out, p)
		}
		return d.Publications.PageInfo, nil
	})
	return out, err
}

// Publish publishes a product (or any publishable) to the publications
// (publishablePublish, needs write_publications). Publishing to a
// publication it is already on changes nothing.
func (c *Client) Publish(ctx context.Context, id string, publicationIDs []string) error {
	in := make([]map[string]any, 0, len(publicationIDs))
	for _, p := range slices.Compact(slices.Sorted(slices.Values(publicationIDs))) {
		in = append(in, map[string]any{"publicationId": p})
	}
	return c.mutate(ctx, docPublish, "publishablePublish", map[string]any{"id": id, "input": in})
}
