package oauth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultKeyringTimeout bounds one keychain call. It is longer than gh's 3 s
// (cli/cli#11005) because Secret Service may be showing an unlock prompt.
const DefaultKeyringTimeout = 20 * time.Second

// Keyring is a SecretStore over the operating system's keychain (macOS
// Keychain, Windows Credential Manager, Secret Service on Linux) through
// github.com/zalando/go-keyring. Each secret is one entry: service
// ServiceName, user "<storeID>/<kind>".
//
// As in cli/cli's internal/keyring, every call runs on its own goroutine and
// reports through a channel with a buffer of one, so a keychain stuck behind
// an unlock prompt cannot block the caller past its context or Timeout. Call
// it off the UI goroutine. It never falls back to a file.
type Keyring struct {
	// Service overrides ServiceName (tests use their own).
	Service string
	// Timeout bounds each call; 0 means DefaultKeyringTimeout.
	Timeout time.Duration
}

// NewKeyring returns a Keyring with the default service and timeout.
func NewKeyring() *Keyring { return &Keyring{} }

func (k *Keyring) service() string {
	if k.Service != "" {
		return k.Service
	}
	return ServiceName
}

// user is the keychain entry's user field.
func user(storeID, kind string) string { return storeID + "/" + kind }

// Get implements SecretStore.
func (k *Keyring) Get(ctx context.Context, storeID, kind string) (string, error) {
	if err := checkKey(storeID, kind); err != nil {
		return "", err
	}
	var secret string
	err := k.run(ctx, func() (err error) {
		secret, err = keyring.Get(k.service(), user(storeID, kind))
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Set implements SecretStore. It refuses a secret over MaxSecretSize before
// touching the keychain.
func (k *Keyring) Set(ctx context.Context, storeID, kind, secret string) error {
	if err := checkKey(storeID, kind); err != nil {
		return err
	}
	if err := checkSize(kind, secret); err != nil {
		return err
	}
	err := k.run(ctx, func() error { return keyring.Set(k.service(), user(storeID, kind), secret) })
	if errors.Is(err, ErrSecretTooBig) {
		return fmt.Errorf("%w: the system keychain refused the %s as too large", ErrSecretTooBig, kindLabel(kind))
	}
	return err
}

// Delete implements SecretStore; a missing entry is not an error.
func (k *Keyring) Delete(ctx context.Context, storeID, kind string) error {
	if err := checkKey(storeID, kind); err != nil {
		return err
	}
	err := k.run(ctx, func() error { return keyring.Delete(k.service(), user(storeID, kind)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Probe checks that the keychain answers, by looking up an entry that does
// not exist. A nil error means secrets can be saved; otherwise the app keeps
// tokens for this session only and shows NotSaved.
func (k *Keyring) Probe(ctx context.Context) error {
	err := k.run(ctx, func() error {
		_, err := keyring.Get(k.service(), "probe/"+SecretAccess)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// run calls fn on its own goroutine and waits for it, the context or the
// timeout, whichever comes first. A late answer lands in the buffered channel
// and is dropped, so the goroutine never leaks blocked on a send.
func (k *Keyring) run(ctx context.Context, fn func() error) error {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return mapKeyringError(err)
	case <-t.C:
		return ErrTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

// mapKeyringError turns go-keyring's errors into this package's sentinels.
// Errors from go-keyring and D-Bus describe the service, never the secret.
func mapKeyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrSecretTooBig
	}
	return fmt.Errorf("%w (%s): %s", ErrUnavailable, oneLine(err.Error(), 200), KeychainAdvice(runtime.GOOS))
}

// KeychainAdvice says, for people, what to install or unlock so that
// Shelfsync can save secrets on the given GOOS.
func KeychainAdvice(goos string) string {
	switch goos {
	case "darwin":
		return "unlock the login keychain in Keychain Access, then try again"
	case "windows":
		return "make sure the Windows Credential Manager service is running, then try again"
	}
	return "install and unlock a Secret Service keychain (gnome-keyring or KWallet) in a desktop session with D-Bus, then try again; until then the connection is kept for this session only"
}

// oneLine trims s to one line of at most n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// goosForAdvice is the GOOS whose keychain advice the UI shows.
func goosForAdvice() string { return runtime.GOOS }
