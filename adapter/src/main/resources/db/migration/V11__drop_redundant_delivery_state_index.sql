-- ix_delivery_pending_hand_off (state, handed_off_at), added in V9, serves every lookup by state that
-- ix_delivery_state served (its leading column), so the older index only cost a write on every delivery's insert
-- and state change. Dropped for write throughput; the same on H2 and PostgreSQL.
drop index ix_delivery_state;
