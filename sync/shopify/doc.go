// Package shopify is Shelfsync's one client for the Shopify Admin GraphQL API.
//
// A [Client] talks to one store. It paces itself from the cost information
// Shopify returns with every answer (extensions.cost.throttleStatus), so a long
// run spends nearly the whole rate-limit allowance and is almost never
// throttled; it retries what is safe to retry and reports everything else as a
// typed error that says what to do. Every GraphQL document it sends is a
// constant in this package, listed by [Documents], and validated against the
// real Admin schema by the contract test.
//
// The access token is only ever sent to the shop's own host
// (https://{shop}.myshopify.com) or, for a simulated shop, to a loopback
// address; it never appears in an error message or a log line.
package shopify
