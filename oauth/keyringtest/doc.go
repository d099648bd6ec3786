// Package keyringtest holds the one test that talks to the real system
// keychain through oauth.Keyring. It runs only when KEYRING_REAL=1, because
// it needs an unlocked keychain; CI provides one on Linux with
//
//	dbus-run-session -- sh -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets && KEYRING_REAL=1 go test ./oauth/keyringtest'
//
// as go-keyring's own CI does.
package keyringtest
