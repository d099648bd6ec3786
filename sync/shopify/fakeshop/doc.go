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
// throttleStatus must use the same TimeScale to convert them into real time. Answers come as
// fast as the process makes them unless Shop.SetLatency gives them a network time (simulated,
// half before the request runs, half after): only then does the number of requests a client
// keeps in flight matter as it does against Shopify. A request is parsed, validated and priced
// outside the shop's lock; only its execution is one at a time.
//
// Faults (Shop.Faults) either answer instead of the request, which then never runs, or — with
// Fault.After — replace the answer of a request that was already applied ("crash after
// write"). They never change stored state themselves.
//
// Where Shopify's behaviour is documented the code cites the source; where the simulator had to
// choose, the comment says so (marked UNCONFIRMED or "simulator choice").
//
// # Where fakeshop still differs from Shopify
//
// Known deviations, with the source of the real behaviour. Add to this list when you find or
// leave one.
//
//   - Search index lag (search.go). Real search is eventually consistent with no documented
//     bound (fidelity review F1; UNCONFIRMED as documented behaviour). The simulator keeps a
//     product created by a mutation out of every products/productVariants search for a fixed
//     DefaultSearchLag (Shop.SetSearchLag); seeded products are indexed at once. An edited
//     product is searched by its new values at once, where Shopify would go on matching its
//     old indexed values (and miss the new ones) until it is reindexed.
//   - Search matching (search.go). Real search tokenises terms, so sku:2001 may also match 200
//     (a community.shopify.dev POS search thread, cited in the fidelity review F1). It matches
//     whole values case-insensitively (plus trailing * prefixes) and returns no such false
//     positives, so the client's exact post-filtering is not exercised by it.
//   - Status default (queries.go). The schema documents the products query's status filter
//     with default_value "active" (admin-2026-04.graphql, QueryRoot.products); the simulator
//     applies it to every products request, with or without a query string. Whether the live
//     API does is UNCONFIRMED (apps commonly add the filter explicitly). It also accepts
//     "unlisted" in the list, which the filter table does not name (ProductStatus.UNLISTED
//     exists since 2025-10). productVariants has no status default (none documented).
//   - productSet with synchronous: false completes at once; Shopify runs it in the background
//     and productOperation reports CREATED/ACTIVE first (schema productSet description).
//   - productSet applies variants' inventoryQuantities only to variants it creates (simulator
//     choice); Shopify's schema does not say what it does for existing variants.
//   - productCreate ignores media and the other inputs the simulator has no model for; its
//     initial variant takes each option's first value (Shelfsync creates with productSet).
//   - Query costs (cost.go): nodes(ids:) is charged per id and a plain list of objects as one
//     object (simulator choices; Shopify's rate-limits page does not price them).
//   - Transient errors (faults.go). Shopify answers failures on its side with HTTP 200 and
//     extensions.code INTERNAL_SERVER_ERROR (Shopify/shopify-api-js#1256) at times of its own
//     choosing; the simulator only when told to (FaultInternal, by queue or probability).
//   - Concurrent writes to one product (writes.go). Shopify applies them one after the other
//     and may refuse the second with INTERNAL_SERVER_ERROR (Shopify/shopify-api-js#1256); how
//     long a write holds its product, and whether Shopify queues or refuses, is UNCONFIRMED.
//     The simulator applies every request at once unless Shop.SetProductWriteTime gives writes
//     a duration (then it counts, and optionally refuses, overlapping ones).
//   - IDEMPOTENCY_CONCURRENT_REQUEST (faults.go) only comes from FaultIdempotencyBusy; the
//     simulator never sees two requests with one key in flight. For a payload whose userErrors
//     have no code (UserError, e.g. inventoryActivate) it answers with a top-level error of that
//     code instead (UNCONFIRMED shape).
//   - Failed bulk operations: Faults.FailBulk fails one before it runs a line (nothing applied,
//     no partialDataUrl); Faults.FailBulkAfter fails one after N lines, which stay applied, with
//     their results at partialDataUrl; Faults.FailBulkLines gives single lines a top-level
//     INTERNAL_SERVER_ERROR (the error shape of a failed line is UNCONFIRMED).
//   - Bulk speed (bulkrun.go): operations run at DefaultBulkQueryRate / DefaultBulkMutationRate
//     lines per simulated second, an ASSUMPTION (Shopify publishes no rate); Shop.SetBulkRate.
//   - Partner apps (App.Partner) are denied bulk operations of a kind not allowed for them with
//     a top-level ACCESS_DENIED error (the changelog names "an access denied error", not its text).
//   - Concurrent bulk operations (bulk.go): five per type and app from 2026-01 (FACTS §8), one
//     before; the 2026-04 schema text still says one bulk query and one bulk mutation at a time
//     per shop (bulkOperationRunQuery). Shop.SetBulkLimit(1) applies the stricter reading.
//   - Dynamic input complexity (cost.go). requestedQueryCost is reported as a whole number,
//     fractions dropped (Shopify's rounding is not documented). The weight-2 owner type of the
//     metafieldsSet changelog's table (2026-09-15) lost its name and is read as ProductVariant
//     (UNCONFIRMED). Connections in a mutation
//     payload cost as in a query (UNCONFIRMED), and each line of a bulk mutation is held to the
//     single-query limit of 1,000 points (UNCONFIRMED; the stricter reading).
//   - API version headers (graphql.go, shop.go). X-Shopify-API-Version follows the simulator's
//     SupportedVersions or Shop.ServeVersion; X-Shopify-API-Deprecated-Reason lists only fields
//     marked with Shop.DeprecateField, where Shopify lists every deprecated field a request uses
//     (https://shopify.dev/changelog/graphql-return-actual-deprecation-reasons).
//   - Publications (publications.go). Every shop has exactly two, Online Store and Point of
//     Sale, and neither auto-publishes: whether a real shop's Online Store publication has
//     autoPublish on is shop-specific and UNCONFIRMED (the API never publishes by itself:
//     ProductStatus.ACTIVE, 2026-04 schema). publishablePublish ignores publishDate (Shopify
//     schedules future dates on online stores), its user error messages are UNCONFIRMED, and
//     publications ignores catalogType; resourcePublications and publishableUnpublish are not
//     served.
//   - Daily variant-creation limit (daylimit.go). Non-Plus stores past DefaultVariantThreshold
//     variants create at most DefaultDailyVariants a day (schema productCreate; 2019 changelog
//     api-call-limits-will-be-applied-to-variant-creation); Shop.SetVariantLimit lowers both for
//     tests. UNCONFIRMED: the GraphQL answer (no code in the 2026-04 schema; the simulator sends a
//     top-level VARIANT_THROTTLE_EXCEEDED error with REST's text "Daily variant creation limit
//     reached. Please try again later.", as public importers expect, with HTTP 200 where REST
//     sends 429); that creations below the threshold count towards the day; and the reset, a
//     UTC calendar day of the simulated clock where Shopify says "per day" and "per 24-hour
//     period".
//   - Inventory quantities (inventory_levels.go). Unavailable stock is one bucket, reported as
//     "reserved"; damaged, quality_control, safety_stock and incoming are always 0 (Shopify
//     splits unavailable into these four, quantities-states page). Committed stock changes only
//     by Seed: there are no orders.
//   - Inventory tracking (catalog.go newVariant). A variant created without
//     inventoryItem.tracked is untracked; the 2026-04 schema documents no default for
//     InventoryItemInput.tracked, so this is the simulator's choice (it shows a client that
//     forgets to send it). Seeded variants are tracked unless Variant.Untracked says not.
//   - Fulfillment-service locations (locations.go). inventoryActivate at or away from one
//     ignores stockAtLegacyLocation and SKU sharing (schema: "Allow activation at or away from
//     fulfillment service location with sku sharing off. This will deactivate inventory at all
//     other locations"); inventorySetQuantities there is accepted like anywhere else, and no
//     service ever reports its own stock back.
//   - Markets and price lists (markets.go). Only fixed prices exist: the percentage adjustment
//     of a price list is not computed, so prices(originType: RELATIVE) is empty and a deleted
//     fixed price simply disappears. Catalog publications (which products a market includes)
//     are not modelled. priceListFixedPricesAdd and priceListFixedPricesDelete apply nothing
//     when one item is refused (Shopify documents no partial behaviour; UNCONFIRMED).
//   - Metafield-linked options (metaobjects.go). Linking an option does not fill the product's
//     linked metafield with the option's entries (the guide doesn't say when Shopify does);
//     productOptionUpdate (changing a link) and metaobject mutations are not served; whether
//     a linked value may also be given by name beside linkedMetafieldValue is refused as the
//     stricter reading (CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE); refusal messages are
//     UNCONFIRMED (the codes are the schema's).
package fakeshop
