-- 0014 officers' photos, shown on the printable certificate and by the
-- public certificate check (亮证执法). One photo per officer, replaced as a
-- whole; kept in the database (base64) so that it is backed up with it and
-- every server of a deployment sees it.
CREATE TABLE officer_photos (
  officer_id INTEGER PRIMARY KEY REFERENCES officers (id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  data_base64 TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
