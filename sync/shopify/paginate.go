package shopify

import (
	"context"
	"errors"
	"maps"
)

// Paginate runs a connection query page by page. Each round it sets
// vars["after"] to the previous page's end cursor, decodes the answer's data
// into a fresh D and hands it to page, which consumes the nodes and returns
// the connection's pageInfo. It stops when hasNextPage is false, page
// returns an error, or ctx ends.
func Paginate[D any](ctx context.Context, c *Client, query string, vars map[string]any, page func(*D) (PageInfo, error)) error {
	v := maps.Clone(vars)
	if v == nil {
		v = map[string]any{}
	}
	seen := map[string]bool{}
	for {
		var data D
		if err := c.Do(ctx, query, v, &data); err != nil {
			return err
		}
		pi, err := page(&data)
		if err != nil {
			return err
		}
		if !pi.HasNextPage {
			return nil
		}
		if pi.EndCursor == "" || seen[pi.EndCursor] {
			return errors.New("shopify: the store returned a page cursor twice; stopping to avoid a loop (please report this)")
		}
		seen[pi.EndCursor] = true
		v["after"] = pi.EndCursor
	}
}

// shrinkOnMaxCost runs fn with n, halving n and retrying while Shopify says
// the query costs more than its single-query limit.
func shrinkOnMaxCost(n int, fn func(n int) error) error {
	for {
		err := fn(n)
		var ge *GraphQLError
		if errors.As(err, &ge) && ge.Has("MAX_COST_EXCEEDED") && n > 1 {
			n /= 2
			continue
		}
		return err
	}
}
