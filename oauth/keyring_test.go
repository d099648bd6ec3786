package oauth_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestKeyringAdapter is the one test that goes through go-keyring, with its
// in-memory mock (a process-wide switch, so only this test uses it).
func TestKeyringAdapter(t *testing.T) {
	ctx := context.Background()
	k := oauth.NewKeyring()

	// Given a working keychain
	keyring.MockInit()
	// When a secret is saved
	if err := k.Set(ctx, storeID, oauth.SecretRefresh, "shprt_secret_value"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	// Then it is one entry: service = app ID, user = <uuid>/<kind>
	if v, err := keyring.Get("io.shelfsync.app", storeID+"/refresh"); err != nil || v != "shprt_secret_value" {
		t.Fatalf("entry = %q, %v", v, err)
	}
	if v, err := k.Get(ctx, storeID, oauth.SecretRefresh); err != nil || v != "shprt_secret_value" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := k.Probe(ctx); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	// And it can be deleted, twice without error, and is then not found
	for range 2 {
		if err := k.Delete(ctx, storeID, oauth.SecretRefresh); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if _, err := k.Get(ctx, storeID, oauth.SecretRefresh); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	// Unknown kinds and empty IDs never reach the keychain
	if err := k.Set(ctx, storeID, "password", "x"); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if err := k.Set(ctx, "", oauth.SecretAccess, "x"); err == nil {
		t.Fatal("empty store ID accepted")
	}
}

// TestKeyringAdapterUnavailable: go-keyring's mock set to fail, as a locked
// or missing keychain does.
func TestKeyringAdapterUnavailable(t *testing.T) {
	ctx := context.Background()
	k := oauth.NewKeyring()
	defer keyring.MockInit()
	// Given a keychain that is locked or missing
	keyring.MockInitWithError(errors.New("the name org.freedesktop.secrets was not provided by any .service files"))
	// When a secret is read or saved
	_, getErr := k.Get(ctx, storeID, oauth.SecretAccess)
	setErr := k.Set(ctx, storeID, oauth.SecretAccess, "shpat_secret_value")
	// Then the error says plainly what to do, and holds no secret
	for _, err := range []error{getErr, setErr, k.Probe(ctx)} {
		if !errors.Is(err, oauth.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
		if !strings.Contains(err.Error(), oauth.KeychainAdvice(runtime.GOOS)) || strings.Contains(err.Error(), "shpat_secret_value") {
			t.Fatalf("unhelpful or leaking error: %v", err)
		}
	}
	// And an oversized secret is refused before the keychain is asked
	err := k.Set(ctx, storeID, oauth.SecretAccess, strings.Repeat("x", oauth.MaxSecretSize+1))
	if !errors.Is(err, oauth.ErrSecretTooBig) || !strings.Contains(err.Error(), "2560") {
		t.Fatalf("oversized: %v", err)
	}
}

// TestKeyringAdapterLocked: a keychain that is there but refused (a
// dismissed unlock prompt) is ErrLocked, for the probe too: only a missing
// keychain is ErrUnavailable, which keeps secrets for the session only.
func TestKeyringAdapterLocked(t *testing.T) {
	ctx := context.Background()
	k := oauth.NewKeyring()
	defer keyring.MockInit()
	// Given a Secret Service whose unlock prompt was dismissed
	keyring.MockInitWithError(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	// When a secret is read or saved, or the keychain probed
	_, getErr := k.Get(ctx, storeID, oauth.SecretAccess)
	setErr := k.Set(ctx, storeID, oauth.SecretRefresh, "shprt_secret_value")
	// Then each says the keychain is locked, not missing, and what to do
	for _, err := range []error{getErr, setErr, k.Probe(ctx)} {
		if !errors.Is(err, oauth.ErrLocked) || errors.Is(err, oauth.ErrUnavailable) || errors.Is(err, oauth.ErrNotFound) {
			t.Fatalf("err = %v, want ErrLocked only", err)
		}
		if !strings.Contains(err.Error(), oauth.LockedAdvice(runtime.GOOS)) || strings.Contains(err.Error(), "shprt_secret_value") {
			t.Fatalf("unhelpful or leaking error: %v", err)
		}
	}
}

func TestMemorySecrets(t *testing.T) {
	ctx := context.Background()
	m := oauth.NewMemorySecrets()
	if _, err := m.Get(ctx, storeID, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatal(err)
	}
	if err := m.Set(ctx, storeID, oauth.SecretAccess, strings.Repeat("x", oauth.MaxSecretSize)); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
	if err := m.Set(ctx, storeID, oauth.SecretClientSecret, strings.Repeat("x", oauth.MaxSecretSize+1)); !errors.Is(err, oauth.ErrSecretTooBig) {
		t.Fatalf("over the limit: %v", err)
	}
	if err := oauth.DeleteStore(ctx, m, storeID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Get(ctx, storeID, oauth.SecretAccess); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatal("DeleteStore left a secret")
	}
}

func TestEnvSecrets(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{
		"SHELFSYNC_ACCESS_TOKEN_MY_STORE":                  "shpat_for_my_store",
		"SHELFSYNC_ACCESS_TOKEN":                           "shpat_any_store",
		"SHELFSYNC_CLIENT_SECRET_" + oauth.EnvKey(storeID): "shpss_by_uuid",
		"SHELFSYNC_REFRESH_TOKEN":                          "shprt_never_read",
	}
	fallback := oauth.NewMemorySecrets()
	e := &oauth.EnvSecrets{Fallback: fallback, Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	e.Alias(storeID, "my-store.myshopify.com")

	if v, _ := e.Get(ctx, storeID, oauth.SecretAccess); v != "shpat_for_my_store" {
		t.Fatalf("shop-named variable: %q", v)
	}
	if v, _ := e.Get(ctx, "other-id", oauth.SecretAccess); v != "shpat_any_store" {
		t.Fatalf("unscoped variable: %q", v)
	}
	if v, _ := e.Get(ctx, storeID, oauth.SecretClientSecret); v != "shpss_by_uuid" {
		t.Fatalf("uuid-named variable: %q", v)
	}
	if _, err := e.Get(ctx, storeID, oauth.SecretRefresh); !errors.Is(err, oauth.ErrNotFound) {
		t.Fatalf("refresh token read from the environment: %v", err)
	}
	// A renewed token is saved to the keychain and wins over the variable.
	if err := e.Set(ctx, storeID, oauth.SecretAccess, "shpat_renewed"); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.Get(ctx, storeID, oauth.SecretAccess); v != "shpat_renewed" {
		t.Fatalf("after Set: %q", v)
	}
	if v, _ := fallback.Get(ctx, storeID, oauth.SecretAccess); v != "shpat_renewed" {
		t.Fatalf("fallback not written: %q", v)
	}
	names := oauth.EnvVarNames(storeID, "my-store.myshopify.com", oauth.SecretAccess)
	if len(names) != 3 || names[0] != "SHELFSYNC_ACCESS_TOKEN_MY_STORE" || names[2] != "SHELFSYNC_ACCESS_TOKEN" {
		t.Fatalf("EnvVarNames = %v", names)
	}
}

// TestUnscopedEnvTokenOnlyForOneStore: SHELFSYNC_ACCESS_TOKEN names no
// store. With one store connected it is that store's; with several it is
// refused, naming the variable to use instead, and never handed to another
// store in place of its own token. A store's own variable still applies.
func TestUnscopedEnvTokenOnlyForOneStore(t *testing.T) {
	ctx := context.Background()
	const storeB = "11111111-2222-3333-4444-555555555555"
	keychain := oauth.NewMemorySecrets()
	if err := keychain.Set(ctx, storeB, oauth.SecretAccess, "shpat_store_b_in_keychain"); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"SHELFSYNC_ACCESS_TOKEN": "shpat_store_a_from_env"}
	stores := 2
	e := &oauth.EnvSecrets{Fallback: keychain, Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	e.CountStores(func(context.Context) (int, error) { return stores, nil })
	e.Alias(storeB, "store-b.myshopify.com")

	got, err := e.Get(ctx, storeB, oauth.SecretAccess)
	if !errors.Is(err, oauth.ErrEnvNamesNoStore) || got != "" || !strings.Contains(err.Error(), "SHELFSYNC_ACCESS_TOKEN_STORE_B") {
		t.Fatalf("two stores: %q, %v", got, err)
	}
	vars["SHELFSYNC_ACCESS_TOKEN_STORE_B"] = "shpat_store_b_from_env"
	if got, err := e.Get(ctx, storeB, oauth.SecretAccess); err != nil || got != "shpat_store_b_from_env" {
		t.Fatalf("the store's own variable: %q, %v", got, err)
	}
	delete(vars, "SHELFSYNC_ACCESS_TOKEN_STORE_B")
	stores = 1
	if got, err := e.Get(ctx, storeB, oauth.SecretAccess); err != nil || got != "shpat_store_a_from_env" {
		t.Fatalf("one store: %q, %v", got, err)
	}
}
