package sync

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/shopify"
)

// Changing the image files of existing products (alt text, taking an image
// off a product: fileUpdate; deleting an image Shopify could not process:
// fileDelete) needs the write_files access scope, not write_products:
// "Requires write_files access scope"
// (https://shopify.dev/docs/api/admin-graphql/2025-10/mutations/fileDelete);
// without it Shopify answers "access denied"
// (https://community.shopify.com/c/shopify-apis-and-sdks/file-upload-graphql-api-gives-an-error/m-p/1317379).
// Adding images (productSet files, productUpdate media) needs only
// write_products. A store connected without write_files still syncs: the
// planner leaves the file changes out and says why, rather than letting
// them fail after the run's other writes went through.

// FileScopeStore is implemented by stores that can say whether the app may
// change image files (NewShopStore's does). A store that does not is taken
// to allow it.
type FileScopeStore interface {
	CanWriteFiles(ctx context.Context) (bool, error)
}

// msgNoWriteFiles says why image changes are left out.
const msgNoWriteFiles = "changing or removing images of existing products needs the write_files permission: reconnect the store to grant it"

// canWriteFiles asks st whether file changes are allowed.
func canWriteFiles(ctx context.Context, st Store) (bool, error) {
	fs, ok := st.(FileScopeStore)
	if !ok {
		return true, nil
	}
	return fs.CanWriteFiles(ctx)
}

// needsFiles reports whether an image change is made with fileUpdate or
// fileDelete.
func needsFiles(change string) bool {
	switch change {
	case ImageAlt, ImageRemove, ImageRestore, ImageDelete:
		return true
	}
	return false
}

// CanWriteFiles implements FileScopeStore from the scopes Shopify says the
// app holds.
func (s *shopStore) CanWriteFiles(ctx context.Context) (bool, error) {
	info, err := s.c.ShopInfo(ctx)
	if err != nil {
		return false, err
	}
	return info.HasScope(shopify.FilesScope), nil
}

var _ FileScopeStore = (*shopStore)(nil)
