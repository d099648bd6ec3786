package shopify

import (
	"encoding/json"
	"strconv"
)

// Product is a store's product as Shelfsync reads it.
type Product struct {
	ID              string
	Handle          string
	Title           string
	DescriptionHTML string
	Vendor          string
	ProductType     string
	Tags            []string
	Status          string // ACTIVE, DRAFT, ARCHIVED
	Options         []ProductOption
	Variants        []Variant
	SEOTitle        string // seo.title; "" when none
	SEODescription  string
	GiftCard        bool // isGiftCard
	// Published says the product is on the Online Store: publishedAt is
	// "The date and time when the product was published to the online
	// store", null when it is not (2026-04 schema, Product.publishedAt).
	Published bool
	// CategoryID and CategoryName are the product's taxonomy category
	// (gid://shopify/TaxonomyCategory/…, its full name); "" when none.
	CategoryID, CategoryName string
	// MediaIDs are the product's images in order, when read (a bulk
	// create's answer: ProductSetBulk).
	MediaIDs []string
}

// ProductOption is one of a product's (at most three) options.
type ProductOption struct {
	ID       string
	Name     string
	Position int
	Values   []string
	// LinkedMetafield is the product metafield ("namespace.key") the option
	// is linked to, "" when it is not; LinkedValues are then the metaobject
	// entry GIDs of Values (ProductOption.linkedMetafield,
	// ProductOptionValue.linkedMetafieldValue).
	LinkedMetafield string
	LinkedValues    []string
}

// Variant is a product variant with its inventory.
type Variant struct {
	ID              string
	ProductID       string
	ProductHandle   string // set by VariantsBySKUs and AllProductsBulk
	Title           string
	SKU             string
	Barcode         string
	Price           string // decimal as Shopify sends it, e.g. "19.99"
	CompareAtPrice  string // "" when none
	InventoryPolicy string // DENY or CONTINUE
	Position        int
	SelectedOptions []SelectedOption
	InventoryItem   InventoryItem
	Taxable         bool
	// UnitPrice is unitPriceMeasurement (nil when the store has none) and
	// ShowUnitPrice showUnitPrice: whether the storefront shows it.
	UnitPrice     *UnitPriceMeasurement
	ShowUnitPrice bool
}

// UnitPriceMeasurement is a variant's unit price measurement (2026-04
// schema: UnitPriceMeasurement and UnitPriceMeasurementInput), units as
// the enum UnitPriceMeasurementMeasuredUnit names them ("ML", "KG").
type UnitPriceMeasurement struct {
	QuantityValue  float64 `json:"quantityValue"`
	QuantityUnit   string  `json:"quantityUnit"`
	ReferenceValue int     `json:"referenceValue"`
	ReferenceUnit  string  `json:"referenceUnit"`
}

// SelectedOption is an option name and the variant's value for it.
type SelectedOption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// LinkedValue is, on input, the metaobject entry GID of a linked
	// option's value: sent as linkedMetafieldValue instead of the name
	// ("Cannot set name for an option value linked to a metafield",
	// ProductVariantsBulkCreateUserErrorCode CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE).
	LinkedValue string `json:"-"`
}

// InventoryItem is a variant's stock-keeping record.
type InventoryItem struct {
	ID      string
	Tracked bool
	Levels  []InventoryLevel // one per location where the item is stocked
	// Weight is measurement.weight (nil when the store has none).
	Weight               *Weight
	UnitCost             string // unitCost.amount; "" when none
	RequiresShipping     bool
	HarmonizedSystemCode string
	CountryCodeOfOrigin  string
}

// Weight is a weight with its unit (enum WeightUnit: GRAMS, KILOGRAMS, OUNCES, POUNDS).
type Weight struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// InventoryLevel is the stock at one location: available, and on hand
// (available + committed + unavailable).
type InventoryLevel struct {
	LocationID string
	Available  int
	OnHand     int
}

// Location is a place that stocks inventory.
type Location struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	IsActive bool   `json:"isActive"`
	// IsFulfillmentService marks a fulfillment service's (3PL's) location.
	IsFulfillmentService bool `json:"isFulfillmentService"`
}

// PageInfo is a connection's paging state.
type PageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

// Wire shapes, as the documents in documents.go select them.

type wireOption struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Position        int    `json:"position"`
	LinkedMetafield *struct {
		Namespace string `json:"namespace"`
		Key       string `json:"key"`
	} `json:"linkedMetafield"`
	OptionValues []struct {
		Name                 string  `json:"name"`
		LinkedMetafieldValue *string `json:"linkedMetafieldValue"`
	} `json:"optionValues"`
}

type wireProduct struct {
	ID              string   `json:"id"`
	Handle          string   `json:"handle"`
	Title           string   `json:"title"`
	DescriptionHTML string   `json:"descriptionHtml"`
	Vendor          string   `json:"vendor"`
	ProductType     string   `json:"productType"`
	Tags            []string `json:"tags"`
	Status          string   `json:"status"`
	PublishedAt     *string  `json:"publishedAt"`
	Seo             *struct {
		Title       *string `json:"title"`
		Description *string `json:"description"`
	} `json:"seo"`
	IsGiftCard bool `json:"isGiftCard"`
	Category   *struct {
		ID       string `json:"id"`
		FullName string `json:"fullName"`
	} `json:"category"`
	Options  []wireOption `json:"options"`
	Variants *struct {
		Nodes    []wireVariant `json:"nodes"`
		PageInfo PageInfo      `json:"pageInfo"`
	} `json:"variants"`
	Media *struct {
		Nodes []struct {
			ID string `json:"id"`
		} `json:"nodes"`
	} `json:"media"`
}

type wireLevel struct {
	Location struct {
		ID string `json:"id"`
	} `json:"location"`
	Quantities []struct {
		Name     string `json:"name"`
		Quantity int    `json:"quantity"`
	} `json:"quantities"`
}

type wireVariant struct {
	ID              string           `json:"id"`
	Title           string           `json:"title"`
	SKU             *string          `json:"sku"`
	Barcode         *string          `json:"barcode"`
	Price           string           `json:"price"`
	CompareAtPrice  *string          `json:"compareAtPrice"`
	InventoryPolicy string           `json:"inventoryPolicy"`
	Position        int              `json:"position"`
	SelectedOptions []SelectedOption `json:"selectedOptions"`
	Product         *struct {
		ID     string `json:"id"`
		Handle string `json:"handle"`
	} `json:"product"`
	Taxable       bool                  `json:"taxable"`
	UnitPrice     *UnitPriceMeasurement `json:"unitPriceMeasurement"`
	ShowUnitPrice bool                  `json:"showUnitPrice"`
	InventoryItem wireInventoryItem     `json:"inventoryItem"`
}

type wireInventoryItem struct {
	ID                   string  `json:"id"`
	Tracked              bool    `json:"tracked"`
	RequiresShipping     bool    `json:"requiresShipping"`
	HarmonizedSystemCode *string `json:"harmonizedSystemCode"`
	CountryCodeOfOrigin  *string `json:"countryCodeOfOrigin"`
	UnitCost             *struct {
		Amount string `json:"amount"`
	} `json:"unitCost"`
	Measurement *struct {
		Weight *Weight `json:"weight"`
	} `json:"measurement"`
	InventoryLevels *struct {
		Nodes []wireLevel `json:"nodes"`
	} `json:"inventoryLevels"`
}

// item converts the inventory item, without its levels.
func (w wireInventoryItem) item() InventoryItem {
	it := InventoryItem{ID: w.ID, Tracked: w.Tracked, RequiresShipping: w.RequiresShipping,
		HarmonizedSystemCode: deref(w.HarmonizedSystemCode), CountryCodeOfOrigin: deref(w.CountryCodeOfOrigin)}
	if w.UnitCost != nil {
		it.UnitCost = w.UnitCost.Amount
	}
	if w.Measurement != nil {
		it.Weight = w.Measurement.Weight
	}
	return it
}

func (w wireLevel) level() InventoryLevel {
	l := InventoryLevel{LocationID: w.Location.ID}
	for _, q := range w.Quantities {
		switch q.Name {
		case "available":
			l.Available = q.Quantity
		case "on_hand":
			l.OnHand = q.Quantity
		}
	}
	return l
}

func (w wireProduct) product() Product {
	p := Product{ID: w.ID, Handle: w.Handle, Title: w.Title, DescriptionHTML: w.DescriptionHTML,
		Vendor: w.Vendor, ProductType: w.ProductType, Tags: w.Tags, Status: w.Status, GiftCard: w.IsGiftCard,
		Published: w.PublishedAt != nil}
	if w.Seo != nil {
		p.SEOTitle, p.SEODescription = deref(w.Seo.Title), deref(w.Seo.Description)
	}
	if w.Category != nil {
		p.CategoryID, p.CategoryName = w.Category.ID, w.Category.FullName
	}
	if w.Media != nil {
		for _, m := range w.Media.Nodes {
			p.MediaIDs = append(p.MediaIDs, m.ID)
		}
	}
	for _, o := range w.Options {
		opt := ProductOption{ID: o.ID, Name: o.Name, Position: o.Position}
		if o.LinkedMetafield != nil {
			opt.LinkedMetafield = o.LinkedMetafield.Namespace + "." + o.LinkedMetafield.Key
		}
		for _, v := range o.OptionValues {
			opt.Values = append(opt.Values, v.Name)
			if opt.LinkedMetafield != "" {
				opt.LinkedValues = append(opt.LinkedValues, deref(v.LinkedMetafieldValue))
			}
		}
		p.Options = append(p.Options, opt)
	}
	if w.Variants != nil {
		for _, v := range w.Variants.Nodes {
			vv := v.variant()
			vv.ProductID, vv.ProductHandle = p.ID, p.Handle
			p.Variants = append(p.Variants, vv)
		}
	}
	return p
}

func (w wireVariant) variant() Variant {
	v := Variant{ID: w.ID, Title: w.Title, SKU: deref(w.SKU), Barcode: deref(w.Barcode), Price: w.Price,
		CompareAtPrice: deref(w.CompareAtPrice), InventoryPolicy: w.InventoryPolicy, Position: w.Position,
		SelectedOptions: w.SelectedOptions, InventoryItem: w.InventoryItem.item(), Taxable: w.Taxable,
		UnitPrice: w.UnitPrice, ShowUnitPrice: w.ShowUnitPrice}
	if w.Product != nil {
		v.ProductID, v.ProductHandle = w.Product.ID, w.Product.Handle
	}
	if w.InventoryItem.InventoryLevels != nil {
		for _, l := range w.InventoryItem.InventoryLevels.Nodes {
			v.InventoryItem.Levels = append(v.InventoryItem.Levels, l.level())
		}
	}
	return v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// flexInt decodes Shopify's UnsignedInt64, which arrives as a string, and
// also accepts a plain number.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		n, err := strconv.ParseInt(s, 10, 64)
		*f = flexInt(n)
		return err
	}
	var n int64
	err := json.Unmarshal(b, &n)
	*f = flexInt(n)
	return err
}
