-- A business is the tenant of the sync server: every device, catalogue and
-- sale that later migrations add belongs to exactly one.
CREATE TABLE businesses (
    -- No default: ids are minted on the devices (offline first), and the
    -- server must store the id a device chose rather than invent its own.
    id uuid PRIMARY KEY,
    -- Appears in storefront URLs, so it is kept URL-safe and lower case here
    -- rather than trusting every writer to normalise it.
    slug text NOT NULL UNIQUE
        CONSTRAINT businesses_slug_format
        CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
    name text NOT NULL
        CONSTRAINT businesses_name_not_blank CHECK (btrim(name) <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
