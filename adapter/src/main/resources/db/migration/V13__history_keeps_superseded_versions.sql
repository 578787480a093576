-- fhir_resource_history keeps the versions a resource had before its current one; the current version is in
-- fhir_resource only (until now it was in both, byte for byte). GET [type]/[id]/_history and vread read both tables,
-- and an update copies the version it replaces into this one in the same transaction. A new referral's three
-- resources are so written once, not twice (docs/benchmarks.md, fourteenth session). Runs unchanged on H2 and
-- PostgreSQL.
delete from fhir_resource_history h where exists (
    select 1 from fhir_resource r
    where r.resource_type = h.resource_type and r.id = h.id and r.version_id = h.version_id);
