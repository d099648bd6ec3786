package sync

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/shopify"
)

func (s *shopStore) ProductMedia(ctx context.Context, ids, withVariants []string) (map[string]*MediaSet, error) {
	return mediaSets(s.c.ProductMedia(ctx, ids, withVariants))
}

func mediaSets(got map[string]*shopify.ProductMedia, err error) (map[string]*MediaSet, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[string]*MediaSet, len(got))
	for id, pm := range got {
		out[id] = &MediaSet{Media: snapMedia(pm.Media), Variants: pm.Variants}
	}
	return out, nil
}

func snapMedia(ms []shopify.Media) []SnapMedia {
	out := make([]SnapMedia, len(ms))
	for i, m := range ms {
		out[i] = SnapMedia{ID: m.ID, URL: m.URL, Alt: m.Alt, Status: m.Status}
		if len(m.Errors) > 0 {
			out[i].Error = m.Errors[0]
		}
	}
	return out
}

func (s *shopStore) AddMedia(ctx context.Context, productID string, in []FileInput) ([]SnapMedia, error) {
	list := make([]shopify.NewMedia, len(in))
	for i, f := range in {
		list[i] = shopify.NewMedia{Source: f.Source, Alt: f.Alt}
	}
	after, err := s.c.AddMedia(ctx, productID, list)
	err = itemErrs(err, "media") // per input: field ["media", "<index>", …]
	if ie, ok := itemErrors(err); ok {
		ie.Applied = true // the other inputs were added
	}
	return snapMedia(after), err
}

func (s *shopStore) UpdateMedia(ctx context.Context, in []MediaChange) error {
	list := make([]shopify.FileChange, len(in))
	for i, c := range in {
		list[i] = shopify.FileChange{ID: c.ID, Alt: c.Alt}
		if c.AddTo != "" {
			list[i].AddTo = []string{c.AddTo}
		}
		if c.RemoveFrom != "" {
			list[i].RemoveFrom = []string{c.RemoveFrom}
		}
	}
	return itemErrs(s.c.UpdateFiles(ctx, list), "")
}

func (s *shopStore) DeleteMedia(ctx context.Context, ids []string) error {
	return itemErrs(s.c.DeleteFiles(ctx, ids), "")
}

func (s *shopStore) ReorderMedia(ctx context.Context, productID string, ids []string) error {
	return itemErrs(s.c.ReorderMedia(ctx, productID, ids), "")
}

func (s *shopStore) SetVariantMedia(ctx context.Context, productID, variantID, mediaID, current string) error {
	return itemErrs(s.c.SetVariantMedia(ctx, productID, variantID, mediaID, current), "")
}

func (s *shopStore) AllProductMedia(ctx context.Context, withVariants bool) (map[string]*MediaSet, error) {
	return mediaSets(s.c.AllProductMediaBulk(ctx, withVariants))
}
