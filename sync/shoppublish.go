package sync

import "context"

// publishScopes are the access scopes publishing needs
// (https://shopify.dev/docs/apps/build/sales-channels/product-publishing).
var publishScopes = []string{"read_publications", "write_publications"}

// Publications implements Publisher: it asks Shopify which scopes the app
// holds (an old connection may lack the publishing ones), then lists the
// publications.
func (s *shopStore) Publications(ctx context.Context) ([]Publication, []string, error) {
	info, err := s.c.ShopInfo(ctx)
	if err != nil {
		return nil, nil, err
	}
	var missing []string
	for _, sc := range publishScopes {
		if !info.HasScope(sc) {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		return nil, missing, nil
	}
	pubs, err := s.c.Publications(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Publication, len(pubs))
	for i, p := range pubs {
		out[i] = Publication{ID: p.ID, Name: p.Name}
	}
	return out, nil, nil
}

// Publish implements Publisher with publishablePublish.
func (s *shopStore) Publish(ctx context.Context, productID string, publicationIDs []string) error {
	return itemErrs(s.c.Publish(ctx, productID, publicationIDs), "input")
}

var _ Publisher = (*shopStore)(nil)
