package fakeshop

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// connection is a resolved page of a Relay connection.
type connection struct {
	items   []any
	cursors []string
	hasNext bool
	hasPrev bool
}

type edge struct {
	cursor string
	node   any
}

// cursorFor encodes a cursor the way Shopify's look: base64 JSON with the last id.
func cursorFor(id int64) string {
	b, _ := json.Marshal(map[string]any{"last_id": id, "last_value": fmt.Sprint(id)})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(c string) (int64, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	var m struct {
		LastID int64 `json:"last_id"`
	}
	if json.Unmarshal(b, &m) != nil || m.LastID == 0 {
		return 0, false
	}
	return m.LastID, true
}

// paginate cuts one page out of all (already filtered and sorted). idOf gives each item's id
// for cursors. In bulk mode the whole list is returned.
func paginate(ec *execCtx, all []any, idOf func(any) int64, args map[string]any) (*connection, error) {
	start, end := 0, len(all)
	indexOf := func(cur string) (int, error) {
		id, ok := decodeCursor(cur)
		if !ok {
			return 0, &codedError{code: "argumentLiteralsIncompatible", msg: "Invalid cursor for current pagination sort."}
		}
		for i, it := range all {
			if idOf(it) == id {
				return i, nil
			}
		}
		// The item is gone: continue after the last item with a smaller id.
		for i, it := range all {
			if idOf(it) > id {
				return i - 1, nil
			}
		}
		return len(all) - 1, nil
	}
	if a, ok := args["after"].(string); ok && a != "" {
		i, err := indexOf(a)
		if err != nil {
			return nil, err
		}
		start = i + 1
	}
	if b, ok := args["before"].(string); ok && b != "" {
		i, err := indexOf(b)
		if err != nil {
			return nil, err
		}
		if i < end {
			end = i
		}
	}
	if start > end {
		start = end
	}
	c := &connection{hasPrev: start > 0, hasNext: end < len(all)}
	if !ec.bulk {
		if n, ok := toInt(args["first"]); ok {
			if n < 0 {
				return nil, &codedError{code: "argumentLiteralsIncompatible", msg: "first must be a non-negative integer"}
			}
			if start+n < end {
				end = start + n
				c.hasNext = true
			}
		}
		if n, ok := toInt(args["last"]); ok && end-start > n {
			start = end - n
			c.hasPrev = true
		}
	}
	for _, it := range all[start:end] {
		c.items = append(c.items, it)
		c.cursors = append(c.cursors, cursorFor(idOf(it)))
	}
	return c, nil
}

// addConnection registers XConnection and XEdge types for node type x.
func (sc *schema) addConnection(node string) string {
	conn, edgeName := node+"Connection", node+"Edge"
	if sc.types[conn] != nil {
		return conn
	}
	sc.types[edgeName] = &typeDef{name: edgeName, free: true, fields: map[string]*fieldDef{
		"cursor": {resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*edge).cursor, nil }},
		"node":   {typ: node, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) { return p.(*edge).node, nil }},
	}}
	sc.types[conn] = &typeDef{name: conn, free: true, fields: map[string]*fieldDef{
		"nodes": {typ: node, list: true, sum: true, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			return p.(*connection).items, nil
		}},
		"edges": {typ: edgeName, list: true, sum: true, resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			c := p.(*connection)
			out := make([]any, len(c.items))
			for i := range c.items {
				out[i] = &edge{cursor: c.cursors[i], node: c.items[i]}
			}
			return out, nil
		}},
		"pageInfo": {typ: "PageInfo", resolve: func(_ *execCtx, p any, _ map[string]any) (any, error) {
			c := p.(*connection)
			pi := obj("PageInfo", "hasNextPage", c.hasNext, "hasPreviousPage", c.hasPrev, "startCursor", nil, "endCursor", nil)
			if len(c.cursors) > 0 {
				pi.m["startCursor"] = c.cursors[0]
				pi.m["endCursor"] = c.cursors[len(c.cursors)-1]
			}
			return pi, nil
		}},
	}}
	return conn
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == float64(int(n))
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}
