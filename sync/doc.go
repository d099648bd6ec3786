// Package sync is Shelfsync's catalog sync engine: it plans, applies, resumes
// and undoes the changes that bring a Shopify store in line with a catalog
// read from a spreadsheet, and exports a store back to a Shopify CSV.
//
// The package name collides with the standard library's sync, so importers
// alias it: catalogsync "github.com/shelfsync/shelfsync/sync".
//
// The flow of one run:
//
//  1. Plan reads what the store has now for the items the source mentions
//     (Store.Products, or Store.AllProducts for large sources) and diffs it
//     against the catalog. A Plan lists per product and variant what will be
//     created or updated (field by field, old → new), what is unchanged,
//     skipped or in error, and the guards it tripped. It is JSON-serialisable
//     and prints as text (WriteText).
//  2. Apply sends only the changes, batched, through the store's shared rate
//     limit, with progress events, and records every change in the run's
//     journal (sync/state) before and after its request, so a run killed at
//     any point resumes (Resume) without duplicates and a finished run can be
//     undone (PlanUndo, then Apply).
//  3. A report CSV per run lists the outcome of every source row.
//
// The engine talks to a store through the small Store interface; NewShopStore
// adapts a *shopify.Client to it.
package sync
