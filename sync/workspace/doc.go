// Package workspace composes Shelfsync's parts into the one object both
// front ends drive: the database of stores and runs, the keychain, a token
// source and an Admin API client per store, and the sync engine. The window
// (app/) and the command line (app/cli) hold a *Workspace and nothing else.
package workspace
