package keyringtest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shelfsync/shelfsync/oauth"
)

func TestRealKeychain(t *testing.T) {
	if os.Getenv("KEYRING_REAL") != "1" {
		t.Skip("set KEYRING_REAL=1 with an unlocked keychain to run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A service name of its own, so a developer's real secrets are never touched.
	k := &oauth.Keyring{Service: "io.shelfsync.app.test"}
	id := uuid.NewString()
	secret := "shpat_" + uuid.NewString()

	if err := k.Probe(ctx); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if err := k.Set(ctx, id, oauth.SecretAccess, secret); err != nil {
		t.Fatalf("Set: %v", err)
	}
	t.Cleanup(func() { _ = k.Delete(context.Background(), id, oauth.SecretAccess) })
	got, err := k.Get(ctx, id, oauth.SecretAccess)
	if err != nil || got != secret {
		t.Fatalf("Get = %d chars, %v", len(got), err)
	}
	if err := k.Delete(ctx, id, oauth.SecretAccess); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(ctx, id, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}
