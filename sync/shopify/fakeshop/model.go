package fakeshop

import "time"

// Plan is a Shopify plan name as shown by ShopPlan.publicDisplayName.
type Plan string

// The plans the simulator knows; they decide the GraphQL restore rate (FACTS §7).
const (
	PlanBasic      Plan = "Basic"
	PlanGrow       Plan = "Grow"
	PlanAdvanced   Plan = "Advanced"
	PlanPlus       Plan = "Plus"
	PlanEnterprise Plan = "Enterprise"
)

// RestoreRate is the plan's GraphQL restore rate in points per second
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
func (p Plan) RestoreRate() float64 {
	switch p {
	case PlanAdvanced:
		return 200
	case PlanPlus:
		return 1000
	case PlanEnterprise:
		return 2000
	default:
		return 100
	}
}

// BucketSize is the plan's bucket (maximumAvailable): 20 × the restore rate, as observed in
// real responses (Standard 2000/100, Plus 20000/1000; FACTS §7).
func (p Plan) BucketSize() float64 { return 20 * p.RestoreRate() }

// App is an app registered in the (simulated) Dev Dashboard.
type App struct {
	ClientID        string
	ClientSecret    string
	RedirectURIs    []string // exact-match allow-list
	Scopes          []string // scopes configured on the app version (client credentials, Shopify-managed install)
	OwnOrganization bool     // may use the client credentials grant on shops it is installed on
	Title           string   // shown on the install page; defaults to the client id
	// AppURL is the app's configured App URL; when set, the authorize page
	// refuses a redirect_uri on another host (see handleAuthorize).
	AppURL string
	// Partner marks an app built by a partner (public, or custom built in the Partner
	// Dashboard). Such an app runs bulk queries or bulk mutations only once that kind is
	// allowed for it (BulkQueries, BulkMutations); otherwise the request is denied. Apps made
	// in the Shopify admin or the Dev Dashboard are not affected
	// (https://shopify.dev/changelog/partner-apps-must-enable-bulk-operations-before-use).
	Partner                    bool
	BulkQueries, BulkMutations bool
}

// Location is a place that stocks inventory.
type Location struct {
	ID       string
	Name     string
	IsActive bool
	// FulfillmentService marks a fulfillment service's legacy location: the locations query
	// lists it only with includeLegacy: true (locations.go).
	FulfillmentService bool
}

// Product is a catalog product as the simulator stores it.
type Product struct {
	ID              string // gid://shopify/Product/N; assigned by Seed when empty
	Handle          string // derived from Title when empty
	Title           string
	DescriptionHTML string
	Vendor          string
	ProductType     string
	Tags            []string
	Status          string // ACTIVE, DRAFT or ARCHIVED; ACTIVE when empty
	Options         []Option
	Variants        []Variant
	SEOTitle        string
	SEODescription  string
	GiftCard        bool
	Media           []Media           // images, in order (Seed makes them READY; Source is required)
	Metafields      map[string]string // "namespace.key" → value
	Category        string            // TaxonomyCategory ID ("" for none)
	// Published puts a seeded product on the Online Store publication
	// (publishedAt then set); products created by mutations start unpublished.
	Published bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Option is a product option such as Size with its values in order.
type Option struct {
	ID       string
	Name     string
	Position int
	Values   []string
	// LinkedMetafield is the product metafield ("namespace.key") a linked option is linked to,
	// and LinkedValues the metaobject entry GID of each of Values (metaobjects.go).
	LinkedMetafield string
	LinkedValues    []string
}

// Variant is a product variant together with its inventory item.
type Variant struct {
	ID              string // gid://shopify/ProductVariant/N
	Title           string // "Default Title" or the option values joined by " / "
	SKU             string // lives on the inventory item in Shopify
	Barcode         string
	Price           string // decimal string, "0.00" when empty
	CompareAtPrice  string // empty = none
	InventoryPolicy string // DENY or CONTINUE
	Position        int
	SelectedOptions []SelectedOption
	InventoryItemID string // gid://shopify/InventoryItem/N
	Tracked         bool   // read back; Seed ignores it (see Untracked)
	// Untracked seeds a variant whose inventory is not tracked: Seed tracks
	// inventory unless told otherwise.
	Untracked bool
	Levels    []InventoryLevel // locations that stock the item
	// Taxable and RequiresShipping are nil for Shopify's default, true.
	Taxable, RequiresShipping *bool
	Weight                    *Weight // nil: none
	Cost                      string  // unit cost, "" for none
	HSCode, CountryOfOrigin   string
	UnitPrice                 *UnitPrice // nil: none
	ShowUnitPrice             bool
	ImageSource               string // originalSource of the variant's image (Seed links it to the product's Media of that Source)
	Metafields                map[string]string
}

// SelectedOption is one option value of a variant.
type SelectedOption struct {
	Name  string
	Value string
}

// InventoryLevel is the stock of one inventory item at one location.
type InventoryLevel struct {
	ID         string // gid://shopify/InventoryLevel/N?inventory_item_id=M
	LocationID string // when seeding, a location ID or a location name
	Available  int
	OnHand     int // at least Available + Committed + Unavailable
	// Committed (in unfulfilled orders) and Unavailable (damaged, quality
	// control, reserved, safety stock) make up on hand with Available.
	Committed   int
	Unavailable int
}

// Stats are counters a test or benchmark can read.
type Stats struct {
	Requests        int            // GraphQL requests that reached the handler (faults answered before it are not counted)
	PointsSpent     float64        // actual query cost charged to buckets
	PointsRequested float64        // requested cost of the queries that ran
	Throttled       int            // requests refused with THROTTLED
	Faults          int            // faults injected
	Mutations       map[string]int // executed mutation fields by name
	Elapsed         time.Duration  // simulated time since the shop was added
	RestoreRate     float64        // points per simulated second
	BucketSize      float64
	BulkStarted     int // bulk operations started (refused ones not counted)
	// WriteOverlaps counts product mutations that arrived while another mutation on the same
	// product was still in flight (see Shop.SetProductWriteTime).
	WriteOverlaps int
	// Replayed counts mutations answered with an earlier request's result because they came
	// again under the same @idempotent key (nothing written the second time), by field name.
	Replayed map[string]int
	// BulkLines counts the lines bulk mutations ran, by mutation field name.
	BulkLines map[string]int
}

// Utilization is the share of the restore capacity actually spent over the elapsed simulated
// time (1 = the bucket's refill was fully used); 0 when no time has passed.
func (s Stats) Utilization() float64 {
	capacity := s.Elapsed.Seconds() * s.RestoreRate
	if capacity <= 0 {
		return 0
	}
	return s.PointsSpent / capacity
}
