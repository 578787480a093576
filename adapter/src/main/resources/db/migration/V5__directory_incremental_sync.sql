-- Incremental directory sync (issue #4): a source read with HSDS 3.0 modified_after between full syncs.
-- Runs unchanged on H2 and PostgreSQL; both are tested (DirectoryStoreTest).

-- The modified_after a run asked its source for: null for a full sync (sync_mode FULL), the cursor it started
-- from for an incremental one (sync_mode INCREMENTAL).
alter table directory_sync_run add column modified_after timestamp with time zone;

-- directory_sync_cursor.modified_after is now the start of the last successful sync of either mode (the next
-- incremental sync asks for what changed since then), and last_success_run_id that run. The last successful
-- FULL sync is kept apart: the time since it started decides when the next full sync is due.
alter table directory_sync_cursor add column last_full_success_run_id bigint;

-- Until now every run was a full one, so the last successful run is the last successful full run.
update directory_sync_cursor set last_full_success_run_id = last_success_run_id;
