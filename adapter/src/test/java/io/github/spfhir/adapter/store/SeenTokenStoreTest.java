package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.github.spfhir.adapter.support.TestDatabases;

/**
 * Used token ids on both databases the store runs on: the first use of an issuer's jti is recorded, any other is a
 * replay (the unique key, as instances sharing the database see it), the same jti of another issuer is another
 * token, and expired ones are pruned. The jti is kept hashed.
 */
class SeenTokenStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    static Stream<Arguments> databases() {
        return TestDatabases.both();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aJtiIsAcceptedOncePerIssuerAndForgottenOnceExpired(String name, DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        SeenTokenStore seen = new SeenTokenStore(jdbc);
        // another instance: its own store object over the same database
        SeenTokenStore otherInstance = new SeenTokenStore(JdbcClient.create(dataSource));
        String jti = "jti-" + UUID.randomUUID();

        assertThat(seen.recordFirstUse("https://issuer-a.example", jti, NOW.plusSeconds(3600))).isTrue();
        assertThat(seen.recordFirstUse("https://issuer-a.example", jti, NOW.plusSeconds(3600))).isFalse();
        assertThat(otherInstance.recordFirstUse("https://issuer-a.example", jti, NOW.plusSeconds(3600))).isFalse();
        assertThat(seen.recordFirstUse("https://issuer-b.example", jti, NOW.plusSeconds(3600))).isTrue();
        assertThat(jdbc.sql("select count(*) from seen_token where jti_sha256 = ?").param(jti)
                .query(Integer.class).single()).as("kept hashed").isZero();

        String expired = "jti-" + UUID.randomUUID();
        assertThat(seen.recordFirstUse("https://issuer-a.example", expired, NOW.minusSeconds(1))).isTrue();
        assertThat(seen.pruneExpiredBefore(NOW)).isGreaterThanOrEqualTo(1);
        assertThat(seen.recordFirstUse("https://issuer-a.example", expired, NOW.plusSeconds(60))).isTrue();
        assertThat(seen.recordFirstUse("https://issuer-a.example", jti, NOW.plusSeconds(3600)))
                .as("not expired: kept").isFalse();
    }
}
