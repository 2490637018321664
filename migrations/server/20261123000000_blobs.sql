-- Content-addressed blobs (product pictures), per business: a device puts the bytes
-- under their SHA-256 before it pushes the record naming them; other devices fetch
-- them when they first show the picture. The name is the content, so a blob is never
-- changed, only added.
CREATE TABLE blobs (
    business_id uuid NOT NULL REFERENCES businesses (id),
    hash text NOT NULL CONSTRAINT blobs_hash_is_sha256 CHECK (hash ~ '^[0-9a-f]{64}$'),
    bytes bytea NOT NULL,
    byte_size integer NOT NULL CONSTRAINT blobs_size_positive CHECK (byte_size > 0),
    -- The device that sent it first.
    device_id uuid NOT NULL REFERENCES devices (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, hash)
);
