package app

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// Backend is what the window needs of the engine. *workspace.Workspace
// implements it; tests pass a fake. Every method may block on the network or
// the keychain, so views call it from a goroutine, never from a callback.
type Backend interface {
	Stores(ctx context.Context) ([]workspace.StoreSummary, error)
	TokenStatus(ctx context.Context, storeID string, check bool) (workspace.TokenStatus, error)
	ConnectToken(ctx context.Context, req workspace.TokenRequest) (workspace.StoreSummary, error)
	ConnectOAuth(ctx context.Context, req workspace.OAuthRequest) (workspace.StoreSummary, error)
	ConnectClientCredentials(ctx context.Context, req workspace.ClientCredentialsRequest) (workspace.StoreSummary, error)
	ConnectDemo(ctx context.Context, progress func(step string)) (workspace.StoreSummary, error)
	Disconnect(ctx context.Context, storeID string) error
	RedirectURL(port int) string
}
