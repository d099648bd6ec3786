// Package fakeshop is a simulated Shopify store for Shelfsync's tests, benchmarks and demo.
//
// A Server holds the registered apps (the Dev Dashboard) and any number of shops; every shop is
// a real HTTP server on its own 127.0.0.1 listener answering Shopify's paths:
//
//   - GET /admin/oauth/authorize: the install page (buttons #install and #cancel). Install
//     redirects to redirect_uri with code, hmac, host, shop, state and timestamp signed as
//     Shopify signs them (see Sign); Cancel redirects with error=access_denied.
//   - POST /admin/oauth/access_token (form or JSON): authorization code (non-expiring offline,
//     expiring=1 with a rotating shprt_ refresh token, or per-user online), grant_type
//     refresh_token with the 2026-08-28 retry window, and client_credentials for
//     OwnOrganization apps installed on the shop.
//   - GET /admin/oauth/access_scopes.json.
//   - POST /admin/api/{version}/graphql.json for 2025-10, 2026-01, 2026-04 and 2026-07: a
//     generic executor over a subset of the 2026-04 Admin schema (same type and field names;
//     the tests check them against the real schema file), Shopify's calculated query costs,
//     the single-query limit of 1000 points, the 250-item input array limit, a leaky bucket per
//     app with the plan's restore rate, ACCESS_DENIED for missing scopes, @idempotent, and
//     bulk operations whose results and staged uploads live on the same listener.
//
// Time: the simulator runs on a simulated clock (Options.TimeScale simulated seconds per real
// second; Server.Advance jumps ahead). Bucket refills, token and code lifetimes and Retry-After
// values are all simulated seconds, so a client that sleeps on Retry-After or on
// throttleStatus must use the same TimeScale to convert them into real time.
//
// Faults (Shop.Faults) either answer instead of the request, which then never runs, or — with
// Fault.After — replace the answer of a request that was already applied ("crash after
// write"). They never change stored state themselves.
//
// Where Shopify's behaviour is documented the code cites the source; where the simulator had to
// choose, the comment says so (marked UNCONFIRMED or "simulator choice").
package fakeshop
