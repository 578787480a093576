-- Closing the loop: events from link-worker platforms, resource history, and deliveries that are not referrals
-- (messages back to GP systems, data-platform publishing). Runs unchanged on H2 and PostgreSQL.

-- Every version of every resource we hold: fhir_resource keeps the current one, this keeps them all, so the
-- sender of a referral can see its whole history (GET [type]/[id]/_history).
create table fhir_resource_history (
    resource_type   varchar(40)  not null,
    id              varchar(64)  not null,
    version_id      integer      not null,
    last_updated    timestamp with time zone not null,
    body            text         not null,
    primary key (resource_type, id, version_id)
);
insert into fhir_resource_history (resource_type, id, version_id, last_updated, body)
    select resource_type, id, version_id, last_updated, body from fhir_resource;

-- Every event a link-worker platform sent that we accepted, whatever it came to (APPLIED, or STALE: older than
-- what the Task shows, recorded and not applied). (platform_id, event_id) is unique: a repeat is a duplicate, and
-- is counted here rather than processed again. Refused events go to rejected_message like refused referrals.
create table platform_event (
    id              varchar(36)  not null primary key,
    platform_id     varchar(100) not null,
    event_id        varchar(200) not null,
    referral_id     varchar(64)  not null,
    kind            varchar(40)  not null,
    occurred_at     timestamp with time zone not null,
    received_at     timestamp with time zone not null,
    request_id      varchar(64),
    correlation_id  varchar(64),
    content_type    varchar(200) not null,
    body            text         not null,
    outcome         varchar(20)  not null,
    detail          varchar(2000),
    duplicates      integer      not null,
    last_duplicate_at timestamp with time zone,
    constraint uq_platform_event unique (platform_id, event_id)
);
create index ix_platform_event_referral on platform_event (referral_id, occurred_at);

-- Deliveries now come from referrals (message_id) or from events (event_id), to three kinds of partner; the
-- flow names which (referral-to-link-worker, updates-to-gp, data-platform-publishing).
alter table delivery alter column message_id drop not null;
alter table delivery add column event_id varchar(36);
alter table delivery add column flow varchar(40) default 'referral-to-link-worker' not null;
alter table delivery add column correlation_id varchar(64);
update delivery set correlation_id = (select m.correlation_id from inbound_message m where m.id = delivery.message_id);
create index ix_delivery_referral on delivery (referral_id);

-- Cursors of the scheduled pollers (platform events), persisted so a restart neither misses nor repeats.
create table poll_cursor (
    source_id       varchar(100) not null primary key,
    cursor_value    varchar(2000),
    updated_at      timestamp with time zone not null
);

-- Which door a refused message came through: '$process-message' or 'platform:<id>' (events).
alter table rejected_message add column channel varchar(120) default '$process-message' not null;
