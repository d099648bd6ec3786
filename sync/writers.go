package sync

import gosync "sync"

// writesProduct names the product o writes, for one writer per product:
// its ID, or its handle for one being created; "" for inventory ops, which
// write inventory levels, not the product.
func (o *op) writesProduct() string {
	switch o.kind {
	case opCreateProduct:
		return "handle:" + o.product.Handle
	case opUpdateProduct, opDeleteProduct, opImages:
		return o.product.ProductID
	case opUpdateVariants, opCreateVariants, opDeleteVariants:
		return o.productID
	}
	return ""
}

// productLines queues ops behind the op in flight on the same product.
type productLines struct {
	mu      gosync.Mutex
	waiting map[string][]*op // product with an op in flight → ops waiting for it, in order
}

// claim reports whether o may be sent now; if not, it joins its product's line.
func (l *productLines) claim(o *op) bool {
	k := o.writesProduct()
	if k == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w, busy := l.waiting[k]; busy {
		l.waiting[k] = append(w, o)
		return false
	}
	l.waiting[k] = nil
	return true
}

// next is called when o is done: it returns the next op of o's product, or
// nil when its line is empty (and the product free).
func (l *productLines) next(o *op) *op {
	k := o.writesProduct()
	if k == "" {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.waiting[k]
	if len(w) == 0 {
		delete(l.waiting, k)
		return nil
	}
	l.waiting[k] = w[1:]
	return w[0]
}
