package oauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
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
// not exist. nil means secrets can be saved; ErrUnavailable means there is
// no keychain at all, and only then does the app keep tokens for the
// session only (NotSaved). ErrLocked or ErrTimeout mean a keychain is there
// but did not answer this time: secrets stay in it.
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

// ProbeSecrets probes s once: with its own Probe when it has one, otherwise
// by reading a secret that does not exist. See Keyring.Probe.
func ProbeSecrets(ctx context.Context, s SecretStore) error {
	if p, ok := s.(interface{ Probe(context.Context) error }); ok {
		return p.Probe(ctx)
	}
	_, err := s.Get(ctx, "probe", SecretAccess)
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
// Only an error that shows there is no keychain at all becomes
// ErrUnavailable; anything else (a dismissed unlock prompt, "Deny", a
// Credential Manager hiccup) is ErrLocked, which never means "not connected".
func mapKeyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrSecretTooBig
	case noKeychain(err):
		return fmt.Errorf("%w (%s): %s", ErrUnavailable, oneLine(err.Error(), 200), KeychainAdvice(runtime.GOOS))
	}
	return fmt.Errorf("%w (%s): %s", ErrLocked, oneLine(err.Error(), 200), LockedAdvice(runtime.GOOS))
}

// noKeychain tells the errors that mean this computer has no keychain to
// ask: no D-Bus session bus or no Secret Service on it (Linux), no keychain
// tool (macOS), no logon session for Credential Manager (Windows services).
func noKeychain(err error) bool {
	var ee *exec.Error
	var oe *net.OpError
	if errors.As(err, &ee) || (errors.As(err, &oe) && oe.Op == "dial") {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{
		"org.freedesktop.dbus.error.serviceunknown", "was not provided by any .service files",
		"not activatable", "couldn't determine address of session bus", "dbus_session_bus_address",
		"logon session does not exist",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// LockedAdvice says, for people, what to do when the keychain refused a
// call: nothing is wrong with the store's connection.
func LockedAdvice(goos string) string {
	switch goos {
	case "darwin":
		return "unlock the login keychain and click Allow (or Always Allow) when macOS asks whether Shelfsync may use it, then try again"
	case "windows":
		return "sign in to Windows with the account that connected the store and make sure Credential Manager is running, then try again"
	}
	return "unlock the keychain (gnome-keyring or KWallet) when it asks, then try again; on a server without a keychain, set the store's SHELFSYNC_* variables instead"
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
