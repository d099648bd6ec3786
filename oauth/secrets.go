package oauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Secret kinds: one keychain entry per secret, named "<store uuid>/<kind>".
const (
	SecretAccess       = "access"        // the access token
	SecretRefresh      = "refresh"       // the refresh token of an expiring offline token
	SecretClientSecret = "client_secret" // the app's client secret (OAuth and client credentials)
	SecretWebhook      = "webhook"       // the store's alert webhook URL: chat services embed a secret in it
)

// ServiceName is the keychain service every Shelfsync secret is filed under;
// it is the app ID from FyneApp.toml.
const ServiceName = "io.shelfsync.app"

// MaxSecretSize is the largest secret Set accepts, in bytes: the Windows
// Credential Manager holds at most 2560 bytes per password, and Shelfsync
// keeps the same limit everywhere so that a store moves between systems.
const MaxSecretSize = 2560

// Errors every SecretStore returns (possibly wrapped).
var (
	// ErrNotFound means there is no such secret.
	ErrNotFound = errors.New("secret not found in the system keychain")
	// ErrTimeout means the keychain did not answer in time (it may be
	// waiting behind an unlock prompt).
	ErrTimeout = errors.New("the system keychain did not answer in time; unlock it and try again")
	// ErrUnavailable means there is no keychain on this computer at all (no
	// Secret Service on the bus, no keychain tool). Only a probe when the
	// workspace opens acts on it, by keeping secrets for the session only.
	ErrUnavailable = errors.New("the system keychain is unavailable")
	// ErrLocked means the keychain is there but refused this call: an unlock
	// prompt was dismissed, "Deny" was clicked, Credential Manager had a
	// hiccup. It says nothing about the store's connection: never treat it
	// as "not connected" or "reconnect", and never fall back to memory.
	ErrLocked = errors.New("the system keychain is locked or refused access")
	// ErrSecretTooBig means a secret is larger than MaxSecretSize.
	ErrSecretTooBig = errors.New("secret too big for the system keychain")
)

// SecretStore keeps a store's secrets. storeID is the store's UUID and kind
// one of SecretAccess, SecretRefresh, SecretClientSecret or SecretWebhook. Implementations
// are safe for concurrent use and never put a secret into an error.
type SecretStore interface {
	// Get returns the secret, or an error matching ErrNotFound.
	Get(ctx context.Context, storeID, kind string) (string, error)
	// Set creates or replaces the secret.
	Set(ctx context.Context, storeID, kind, secret string) error
	// Delete removes the secret; deleting a missing secret is not an error.
	Delete(ctx context.Context, storeID, kind string) error
}

// checkKey validates a store ID and kind before they reach a keychain.
func checkKey(storeID, kind string) error {
	if storeID == "" {
		return errors.New("secret store: empty store ID")
	}
	switch kind {
	case SecretAccess, SecretRefresh, SecretClientSecret, SecretWebhook:
		return nil
	}
	return fmt.Errorf("secret store: unknown secret kind %q", kind)
}

// checkSize refuses a secret larger than MaxSecretSize with a clear message.
func checkSize(kind, secret string) error {
	if len(secret) > MaxSecretSize {
		return fmt.Errorf("%w: the %s is %d bytes, more than the %d bytes a keychain entry can hold on Windows; check that the right value was pasted",
			ErrSecretTooBig, kindLabel(kind), len(secret), MaxSecretSize)
	}
	return nil
}

// kindLabel names a secret kind for people.
func kindLabel(kind string) string {
	switch kind {
	case SecretAccess:
		return "access token"
	case SecretRefresh:
		return "refresh token"
	case SecretClientSecret:
		return "client secret"
	case SecretWebhook:
		return "webhook URL"
	}
	return "secret"
}

// MemorySecrets is a SecretStore that keeps secrets in memory only. Tests use
// it as a fake, and the app uses it for the "not saved" mode when the system
// keychain is unavailable: the connection then lasts for this session only.
// The zero value is ready to use.
type MemorySecrets struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemorySecrets returns an empty MemorySecrets.
func NewMemorySecrets() *MemorySecrets { return &MemorySecrets{} }

// Get implements SecretStore.
func (s *MemorySecrets) Get(ctx context.Context, storeID, kind string) (string, error) {
	if err := checkKey(storeID, kind); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[storeID+"/"+kind]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements SecretStore.
func (s *MemorySecrets) Set(ctx context.Context, storeID, kind, secret string) error {
	if err := checkKey(storeID, kind); err != nil {
		return err
	}
	if err := checkSize(kind, secret); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[storeID+"/"+kind] = secret
	return nil
}

// Delete implements SecretStore.
func (s *MemorySecrets) Delete(ctx context.Context, storeID, kind string) error {
	if err := checkKey(storeID, kind); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, storeID+"/"+kind)
	return nil
}

// DeleteStore removes all of a store's secrets from s (used by Disconnect).
func DeleteStore(ctx context.Context, s SecretStore, storeID string) error {
	var errs []error
	for _, kind := range []string{SecretAccess, SecretRefresh, SecretClientSecret, SecretWebhook} {
		if err := s.Delete(ctx, storeID, kind); err != nil && !errors.Is(err, ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
