-- Centres of UK postcode districts ("E8"), for "nearest to my postcode"
-- (package geo). Filled from an outcode file, group centres and imports.
CREATE TABLE postcode_districts (
    district   TEXT PRIMARY KEY,
    latitude   DOUBLE PRECISION NOT NULL,
    longitude  DOUBLE PRECISION NOT NULL,
    source     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
