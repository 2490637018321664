-- Local store, version 9: a shop's address and opening hours, which the storefront
-- shows (docs/sync-protocol.md, `shop`). Append-only: never edit this file once shipped.

-- As the shop writes it, lines and all; '' when not given. Written only after the
-- protocol's `parse_address` accepted it.
ALTER TABLE shops ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- The JSON list of periods ({"day": "mon", "opens": "09:30", "closes": "19:00"}),
-- sorted, as the protocol's `parse_opening_hours` returns it; '[]' when not given.
ALTER TABLE shops ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(opening_hours));

-- An older app kept the clock stamps of these fields when they came from the feed, but
-- had nowhere to keep their values. With the stamps forgotten, the next change of
-- either field applies here, and Verify sees the shops scope differ and fetches it again.
DELETE FROM field_clocks WHERE entity = 'shop' AND field IN ('address', 'opening_hours');
