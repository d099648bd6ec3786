package oauth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
)

// EnvSecrets is a SecretStore for headless runs (cron, CI) that reads
// secrets from environment variables before it asks the keychain.
//
// Variables, most specific first:
//
//	SHELFSYNC_ACCESS_TOKEN_<STOREKEY>    access token of one store
//	SHELFSYNC_CLIENT_SECRET_<STOREKEY>   client secret of one store
//	SHELFSYNC_ACCESS_TOKEN               access token of the one store (one-store setups)
//	SHELFSYNC_CLIENT_SECRET              client secret of the one store (one-store setups)
//
// STOREKEY is EnvKey of the shop domain ("my-store.myshopify.com" gives
// "MY_STORE") once the store is registered with Alias, or EnvKey of the
// store's UUID. A pasted custom-app token needs only the access token; a
// client-credentials store needs only the client secret (its client ID is
// not secret and lives in the database), and the 24-hour token it obtains is
// kept in memory for the run.
//
// Refresh tokens are never read from the environment: Shopify rotates them on
// every refresh, so they must live where the rotated one can be saved (the
// keychain). Set and Delete go to Fallback; without one, Set keeps the secret
// in memory for this process only and Delete forgets it.
type EnvSecrets struct {
	// Fallback is consulted when no variable is set (usually a Keyring);
	// may be nil.
	Fallback SecretStore
	// Lookup reads a variable; nil means os.LookupEnv.
	Lookup func(name string) (string, bool)

	mu      sync.Mutex
	aliases map[string]string // storeID -> shop domain
	stores  func(context.Context) (int, error)
	memory  MemorySecrets
}

// ErrEnvNamesNoStore is returned for a store without variables of its own
// while an unscoped variable is set and several stores are connected: the
// variable names no store, and one store's token must never be sent to
// another's shop.
var ErrEnvNamesNoStore = errors.New("an unscoped SHELFSYNC_ variable is set but several stores are connected")

// CountStores tells EnvSecrets how many stores there are. With more than
// one, the unscoped variables are refused (ErrEnvNamesNoStore) instead of
// applying to every store; without CountStores they apply as before.
func (e *EnvSecrets) CountStores(count func(context.Context) (int, error)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stores = count
}

// EnvPrefix starts every Shelfsync environment variable.
const EnvPrefix = "SHELFSYNC_"

// EnvKey turns a shop domain or store ID into the upper-case suffix used in
// variable names: ".myshopify.com" is dropped and every character other than
// a letter or digit becomes "_".
func EnvKey(s string) string {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), shopSuffix)
	b := []byte(strings.ToUpper(s))
	for i, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

// EnvVarNames returns, most specific first, the variables consulted for a
// secret kind of the given store (shop may be ""). The command line uses it
// in its help text and error messages.
func EnvVarNames(storeID, shop, kind string) []string {
	base := EnvPrefix + envKind(kind)
	if envKind(kind) == "" {
		return nil
	}
	var names []string
	if shop != "" {
		names = append(names, base+"_"+EnvKey(shop))
	}
	if storeID != "" {
		names = append(names, base+"_"+EnvKey(storeID))
	}
	return append(names, base)
}

func envKind(kind string) string {
	switch kind {
	case SecretAccess:
		return "ACCESS_TOKEN"
	case SecretClientSecret:
		return "CLIENT_SECRET"
	}
	return "" // refresh tokens: never from the environment
}

// Alias registers the shop domain of a store so that its shop-named
// variables apply.
func (e *EnvSecrets) Alias(storeID, shop string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.aliases == nil {
		e.aliases = map[string]string{}
	}
	e.aliases[storeID] = shop
}

func (e *EnvSecrets) lookup(name string) (string, bool) {
	if e.Lookup != nil {
		return e.Lookup(name)
	}
	return os.LookupEnv(name)
}

// fromEnv returns the variable's value for the secret, if one is set.
func (e *EnvSecrets) fromEnv(ctx context.Context, storeID, kind string) (string, bool, error) {
	e.mu.Lock()
	shop, count := e.aliases[storeID], e.stores
	e.mu.Unlock()
	names := EnvVarNames(storeID, shop, kind)
	for i, name := range names {
		v, ok := e.lookup(name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if i == len(names)-1 && count != nil { // the unscoped one
			n, err := count(ctx)
			if err != nil {
				return "", false, err
			}
			if n > 1 {
				return "", false, fmt.Errorf("%w: %s names no store, and %d stores are connected; give this store its own variable, %s, instead",
					ErrEnvNamesNoStore, name, n, names[0])
			}
		}
		return strings.TrimSpace(v), true, nil
	}
	return "", false, nil
}

// Get implements SecretStore: a secret saved during this run, then the
// environment, then Fallback.
func (e *EnvSecrets) Get(ctx context.Context, storeID, kind string) (string, error) {
	if err := checkKey(storeID, kind); err != nil {
		return "", err
	}
	if v, err := e.memory.Get(ctx, storeID, kind); err == nil {
		return v, nil
	}
	if v, ok, err := e.fromEnv(ctx, storeID, kind); err != nil || ok {
		return v, err
	}
	if e.Fallback == nil {
		return "", ErrNotFound
	}
	return e.Fallback.Get(ctx, storeID, kind)
}

// Probe probes Fallback (see ProbeSecrets); without one the environment is
// all there is, which is no keychain.
func (e *EnvSecrets) Probe(ctx context.Context) error {
	if e.Fallback == nil {
		return ErrUnavailable
	}
	return ProbeSecrets(ctx, e.Fallback)
}

// Set implements SecretStore: to Fallback when there is one, and in memory
// for this process, so that a renewed token wins over the variable it
// replaced.
func (e *EnvSecrets) Set(ctx context.Context, storeID, kind, secret string) error {
	if e.Fallback != nil {
		if err := e.Fallback.Set(ctx, storeID, kind, secret); err != nil {
			return err
		}
	}
	return e.memory.Set(ctx, storeID, kind, secret)
}

// Delete implements SecretStore. A variable cannot be unset from here; the
// memory copy and the Fallback entry are removed.
func (e *EnvSecrets) Delete(ctx context.Context, storeID, kind string) error {
	if err := e.memory.Delete(ctx, storeID, kind); err != nil {
		return err
	}
	if e.Fallback == nil {
		return nil
	}
	if err := e.Fallback.Delete(ctx, storeID, kind); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}
