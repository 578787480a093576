package io.github.spfhir.adapter.store;

import static io.github.spfhir.adapter.store.JdbcValues.ts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The bearer tokens already used ({@code seen_token}), for the issuers whose tokens are each accepted once. Shared by
 * every instance on the database: the first to record an issuer's jti wins, by the table's unique key, and any other
 * use of it, on any instance, is a replay. The jti is stored as its SHA-256.
 */
@Repository
public class SeenTokenStore {

    private final JdbcClient jdbc;

    public SeenTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the first use of this issuer's jti, kept until {@code expiresAt}.
     *
     * @return true when this is its first use, false when it was seen before (a replay)
     */
    public boolean recordFirstUse(String issuer, String jti, Instant expiresAt) {
        try {
            jdbc.sql("insert into seen_token (issuer, jti_sha256, expires_at) values (?, ?, ?)")
                    .params(issuer, sha256(jti), ts(expiresAt))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Forgets the tokens that expired before the cutoff (a replay of them is refused as expired); returns how many. */
    public int pruneExpiredBefore(Instant cutoff) {
        return jdbc.sql("delete from seen_token where expires_at < ?").param(ts(cutoff)).update();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
