-- ShedLock's lock table: scheduled work (platform event polling, directory sync) runs on one adapter instance at
-- a time when several share this database. The layout is ShedLock's own (net.javacrumbs.shedlock, JDBC provider).
create table shedlock (
    name       varchar(64)  not null primary key,
    lock_until timestamp    not null,
    locked_at  timestamp    not null,
    locked_by  varchar(255) not null
);
