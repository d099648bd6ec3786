//go:build race

package shopify_test

// raceEnabled: the race detector slows the client down so much that timing
// assertions measure the CPU, not the pacer.
const raceEnabled = true
