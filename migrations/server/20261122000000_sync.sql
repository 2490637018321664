-- Sync, protocol version 1 (docs/sync-protocol.md): owner accounts, devices and their
-- credentials, pairing codes, the exactly-once memory of pushed entries, the feed of
-- current states, and what the server derives from it (stock on hand, sale numbers).

-- The last cursor handed out in this business's feed. A push locks this row first and
-- holds the lock until it commits, so cursors become visible in the order they were
-- handed out and a reader never skips a change (sync-protocol.md, Pull).
ALTER TABLE businesses
    ADD COLUMN feed_cursor bigint NOT NULL DEFAULT 0
        CONSTRAINT businesses_feed_cursor_not_negative CHECK (feed_cursor >= 0);

-- The owner's login, for enrolling a device by e-mail and password. One e-mail names
-- one business, so it is unique across businesses, whatever its case.
CREATE TABLE owner_accounts (
    id uuid PRIMARY KEY,
    business_id uuid NOT NULL REFERENCES businesses (id),
    email text NOT NULL
        CONSTRAINT owner_accounts_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    -- argon2id PHC string; the password itself is never stored.
    password_hash text NOT NULL
        CONSTRAINT owner_accounts_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX owner_accounts_email_unique ON owner_accounts (lower(email));
CREATE INDEX owner_accounts_business ON owner_accounts (business_id);

-- One install. The id is the one the device made for itself, so it is not defaulted.
CREATE TABLE devices (
    id uuid PRIMARY KEY,
    business_id uuid NOT NULL REFERENCES businesses (id),
    name text NOT NULL
        CONSTRAINT devices_name_not_blank CHECK (btrim(name) <> ''),
    shop_id uuid,
    -- SHA-256 of the bearer token: a leaked table does not let anyone sync.
    token_hash bytea NOT NULL UNIQUE
        CONSTRAINT devices_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    revoked_at timestamptz,
    -- The highest entry sequence number this device has pushed; its entries are 1..last_seq.
    last_seq bigint NOT NULL DEFAULT 0
        CONSTRAINT devices_last_seq_not_negative CHECK (last_seq >= 0)
);
CREATE INDEX devices_business ON devices (business_id, enrolled_at);

CREATE TABLE pairing_codes (
    -- SHA-256 of the normalised code (12 characters, upper case, no hyphens).
    code_hash bytea PRIMARY KEY
        CONSTRAINT pairing_codes_hash_sha256 CHECK (octet_length(code_hash) = 32),
    business_id uuid NOT NULL REFERENCES businesses (id),
    shop_id uuid,
    -- The owner's device that asked for it; NULL when made with `galla-server pairing-code`.
    created_by_device uuid REFERENCES devices (id),
    created_by_staff uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    used_by uuid REFERENCES devices (id),
    CONSTRAINT pairing_codes_used_together CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX pairing_codes_business ON pairing_codes (business_id);

-- Exactly once: every entry a device pushed, by its sequence number, with the answer it
-- got. Written in the same transaction as the entry's effect, so a replay is answered
-- from here and changes nothing (SYNC.md rule 1). Never deleted.
CREATE TABLE device_entries (
    device_id uuid NOT NULL REFERENCES devices (id),
    seq bigint NOT NULL CONSTRAINT device_entries_seq_positive CHECK (seq > 0),
    entry_id uuid NOT NULL,
    -- As stored in the feed (a shift's close is `shift_closing`), for `current` on replays.
    entity text NOT NULL,
    key text NOT NULL,
    status text NOT NULL
        CONSTRAINT device_entries_status CHECK (status IN ('applied', 'already_applied', 'rejected')),
    code text,
    reason text,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq),
    CONSTRAINT device_entries_rejection_has_code CHECK ((status = 'rejected') = (code IS NOT NULL))
);

-- The feed: the current state of every record and every document of a business, each
-- at the cursor of its latest change. A record's `data` holds its merged fields and
-- `clocks` the stamp of each; a document's `data` is its payload as pushed and `clocks`
-- is NULL. `digest` is the row's digest for verify (sync-protocol.md, Verify).
CREATE TABLE records (
    business_id uuid NOT NULL REFERENCES businesses (id),
    entity text NOT NULL,
    key text NOT NULL,
    cursor bigint NOT NULL CONSTRAINT records_cursor_positive CHECK (cursor > 0),
    scope text NOT NULL,
    data jsonb NOT NULL,
    clocks jsonb,
    digest bigint NOT NULL,
    -- The device whose entry made the row, and the one whose entry changed it last.
    origin_device uuid NOT NULL REFERENCES devices (id),
    changed_by_device uuid NOT NULL REFERENCES devices (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, entity, key),
    CONSTRAINT records_cursor_unique UNIQUE (business_id, cursor)
);
-- Scoped pulls (repairs) and verify's per-scope sums.
CREATE INDEX records_scope_cursor ON records (business_id, scope, cursor);

-- Rejected entries, kept for the owner to see (SYNC.md rule 2).
CREATE TABLE rejections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id uuid NOT NULL REFERENCES businesses (id),
    device_id uuid NOT NULL REFERENCES devices (id),
    seq bigint NOT NULL,
    entry_id uuid NOT NULL,
    entity text NOT NULL,
    key text NOT NULL,
    op text NOT NULL,
    staff_id uuid,
    code text NOT NULL,
    reason text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejections_business ON rejections (business_id, at);

-- On hand per variant and shop: the sum of the stock movements in the feed, kept in the
-- same transaction as each movement (SYNC.md rule 3). Variants and shops are referenced
-- without foreign keys, as on the terminals: a movement may arrive before its variant.
CREATE TABLE stock_levels (
    business_id uuid NOT NULL REFERENCES businesses (id),
    variant_id uuid NOT NULL,
    shop_id uuid NOT NULL,
    on_hand_milli bigint NOT NULL,
    PRIMARY KEY (business_id, variant_id, shop_id)
);

-- Receipt numbers are per-counter series, so two sales with one number mean a restored
-- or cloned store; the second is rejected (`duplicate_number`).
CREATE TABLE sale_numbers (
    business_id uuid NOT NULL REFERENCES businesses (id),
    number text NOT NULL,
    sale_id uuid NOT NULL,
    PRIMARY KEY (business_id, number)
);
