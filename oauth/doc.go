// Package oauth gets, keeps, renews and inspects Shopify Admin API tokens for
// Shelfsync.
//
// It is plain Go with no UI and no database: the window, the command line and
// the sync engine compose it. Everything that waits on the network or on the
// system keychain takes a context.Context.
//
// The pieces:
//   - NormalizeShop and ResolveBaseURL turn what a merchant types into a shop
//     domain and the base URL to talk to (a loopback override is allowed only
//     for the simulator).
//   - SecretStore keeps secrets, one keychain entry per secret (Keyring), in
//     memory for this session only (MemorySecrets), or read-only from the
//     environment for headless runs (EnvSecrets). There is no plain-text
//     fallback.
//   - Authorize runs Shopify's authorization-code grant through a loopback
//     listener on 127.0.0.1; ClientCredentials runs the client-credentials
//     grant.
//   - Source hands out a valid access token per store and renews it: pasted
//     and offline tokens as they are, expiring tokens through their rotating
//     refresh token, client-credentials tokens before their 24 hours run out.
//   - Inspect and Verify read the shop name, plan and granted scopes; Check
//     turns the outcome into a Status that says what to do.
//
// No function in this package puts a token, refresh token, client secret or
// OAuth state into an error, a log line or a page.
package oauth
