-- Location search of the directory (issue #4): near a point (FHIR near) and by postal code, for Locations and,
-- through their locations, HealthcareServices. Runs unchanged on H2 and PostgreSQL; both are tested
-- (DirectoryStoreTest).

-- A Location's position (WGS84 decimal degrees, from Location.position; null when it has none or it is out of
-- range) and its postal code as compared: upper case, spaces removed (null when it has none). Null on other
-- resource types. Rows stored before this version get them when their source is next synced.
alter table directory_resource add column latitude double precision;
alter table directory_resource add column longitude double precision;
alter table directory_resource add column postal_code varchar(20);

-- near: a bounding-box range on latitude (then longitude) narrows the candidates before the exact distance
create index ix_directory_resource_position on directory_resource (resource_type, latitude, longitude);
-- address-postalcode: a prefix match
create index ix_directory_resource_postal_code on directory_resource (resource_type, postal_code);
