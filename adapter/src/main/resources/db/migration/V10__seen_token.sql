-- Bearer tokens already used, for the issuers whose tokens are each accepted once (issue #6:
-- adapter.security.issuers.<name>.require-unique-jti). A token's jti is recorded when it is first accepted; the same
-- issuer and jti again is a replay, refused 401, on whichever instance sharing this database it arrives. The jti is
-- kept as its SHA-256 (hex), never the token. Rows are pruned once the token has expired (RetentionService).
-- Runs unchanged on H2 and PostgreSQL.
create table seen_token (
    issuer      varchar(300) not null,
    jti_sha256  char(64)     not null,
    expires_at  timestamp with time zone not null,
    primary key (issuer, jti_sha256)
);
create index ix_seen_token_expires_at on seen_token (expires_at);
