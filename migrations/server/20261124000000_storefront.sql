-- The storefront API (read-only, public): what a business shows its customers, kept
-- as a read model in the same transaction as the pushes that change it, so a change is
-- visible on the very next request and no cache needs invalidating.

-- Trigram search for typo tolerance. Trusted since Postgres 13, so a database owner
-- may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE businesses
    -- Origins (scheme://host[:port]) whose web pages may call the storefront from a
    -- browser; empty means none (server-side callers need no CORS).
    ADD COLUMN storefront_origins text[] NOT NULL DEFAULT '{}',
    -- Whether availability shows exact on-hand counts or only in stock / low / out.
    ADD COLUMN storefront_exact_stock boolean NOT NULL DEFAULT false,
    -- At or below this many units (thousandths) across shops, a product is "low".
    ADD COLUMN storefront_low_stock_milli bigint NOT NULL DEFAULT 5000
        CONSTRAINT businesses_low_stock_not_negative CHECK (storefront_low_stock_milli >= 0),
    -- Bumped whenever a storefront setting changes: settings are part of every answer,
    -- so they are part of every ETag, beside the feed cursor.
    ADD COLUMN storefront_version bigint NOT NULL DEFAULT 0;

-- A product's address on the storefront, given the first time it is shown and kept
-- when it is renamed, hidden or shown again, so links to it keep working.
CREATE TABLE storefront_slugs (
    business_id uuid NOT NULL REFERENCES businesses (id),
    product_id uuid NOT NULL,
    slug text NOT NULL CONSTRAINT storefront_slugs_not_blank CHECK (slug <> ''),
    PRIMARY KEY (business_id, product_id),
    CONSTRAINT storefront_slugs_unique UNIQUE (business_id, slug)
);

-- One row per product a customer may see: active, marked for the storefront, with at
-- least one active variant. Cost prices never reach this table.
CREATE TABLE storefront_products (
    business_id uuid NOT NULL REFERENCES businesses (id),
    product_id uuid NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    -- Lower-cased name, for sorting by name and its cursor.
    sort_name text NOT NULL,
    description text NOT NULL,
    category_id uuid,
    currency text NOT NULL,
    min_price_minor bigint NOT NULL,
    max_price_minor bigint NOT NULL,
    -- Every active variant's price, for price-range filters.
    prices bigint[] NOT NULL,
    -- "Name=Value" of every option value an active variant has, for filters and facets.
    options text[] NOT NULL,
    variant_ids uuid[] NOT NULL,
    -- The public part of the product (option names, variants without cost, images),
    -- as the detail endpoint shows it.
    detail jsonb NOT NULL,
    image_hashes text[] NOT NULL,
    -- Name and SKUs, lower-cased: what search looks in.
    search text NOT NULL,
    PRIMARY KEY (business_id, product_id)
);
CREATE UNIQUE INDEX storefront_products_slug ON storefront_products (business_id, slug);
CREATE INDEX storefront_products_name ON storefront_products (business_id, sort_name, product_id);
CREATE INDEX storefront_products_price ON storefront_products (business_id, min_price_minor, product_id);
-- A category's first page in each keyed order is read straight off one of these.
CREATE INDEX storefront_products_category ON storefront_products (business_id, category_id, sort_name, product_id);
CREATE INDEX storefront_products_category_price ON storefront_products (business_id, category_id, min_price_minor, product_id);
CREATE INDEX storefront_products_category_newest ON storefront_products (business_id, category_id, product_id);
CREATE INDEX storefront_products_search ON storefront_products USING gin (search gin_trgm_ops);
CREATE INDEX storefront_products_options ON storefront_products USING gin (options);
CREATE INDEX storefront_products_images ON storefront_products USING gin (image_hashes);

-- Finding a product's variants and pictures when it is refreshed.
CREATE INDEX records_by_product ON records (business_id, entity, (data->>'product_id'))
    WHERE entity IN ('variant', 'product_image');

-- Thumbnails made from the blobs on first request; a blob never changes, so neither
-- does its thumbnail.
CREATE TABLE storefront_thumbnails (
    business_id uuid NOT NULL REFERENCES businesses (id),
    hash text NOT NULL,
    side integer NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (business_id, hash, side)
);
