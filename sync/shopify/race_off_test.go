//go:build !race

package shopify_test

const raceEnabled = false
