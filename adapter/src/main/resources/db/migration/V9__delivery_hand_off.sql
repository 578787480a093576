-- When a PENDING delivery was last handed off to its delivery queue (a broker queue in artemis mode, an in-memory
-- queue in the embedded mode). Null: no hand-off is known to have reached the queue (a crash between the commit
-- and the hand-off, or a broker that was down), so the periodic sweep hands it off again. A replay clears it.
alter table delivery add column handed_off_at timestamp with time zone;
create index ix_delivery_pending_hand_off on delivery (state, handed_off_at);
