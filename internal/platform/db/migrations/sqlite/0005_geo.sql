-- Centres of UK postcode districts ("E8"), for "nearest to my postcode"
-- (package geo). Filled from an outcode file, group centres and imports.
CREATE TABLE postcode_districts (
    district   TEXT PRIMARY KEY,
    latitude   REAL NOT NULL,
    longitude  REAL NOT NULL,
    source     TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
