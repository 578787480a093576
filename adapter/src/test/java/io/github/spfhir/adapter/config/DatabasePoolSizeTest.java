package io.github.spfhir.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import com.zaxxer.hikari.HikariDataSource;

/** {@link DatabasePoolSize}: 48 for the embedded H2 file, 10 for a server, the operator's number as it is. */
class DatabasePoolSizeTest {

    private static final String EMBEDDED = "jdbc:h2:file:./data/adapter;AUTO_SERVER=FALSE;WRITE_DELAY=0";
    private static final String POSTGRES = "jdbc:postgresql://db:5432/adapter";

    private static int poolSize(String jdbcUrl, Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        DatabasePoolSize poolSize = new DatabasePoolSize();
        poolSize.setEnvironment(environment);
        try (HikariDataSource pool = new HikariDataSource()) { // not started: no connection is made
            pool.setJdbcUrl(jdbcUrl);
            assertThat(poolSize.postProcessBeforeInitialization(pool, "dataSource")).isSameAs(pool);
            return pool.getMaximumPoolSize();
        }
    }

    @Test
    void byStoreTheEmbeddedH2FileGets48AndADatabaseServer10() {
        assertThat(poolSize(EMBEDDED, Map.of("adapter.store.pool-size", "0"))).isEqualTo(48);
        assertThat(poolSize("jdbc:h2:mem:test", Map.of())).isEqualTo(48);
        assertThat(poolSize(POSTGRES, Map.of("adapter.store.pool-size", "0"))).isEqualTo(10);
        assertThat(poolSize("jdbc:h2:tcp://db:9092/adapter", Map.of())).as("an H2 server").isEqualTo(10);
    }

    @Test
    void theOperatorsNumberIsUsedWhateverTheStore() {
        assertThat(poolSize(EMBEDDED, Map.of("adapter.store.pool-size", "12"))).isEqualTo(12);
        assertThat(poolSize(POSTGRES, Map.of("adapter.store.pool-size", "30"))).isEqualTo(30);
    }

    @Test
    void springsOwnSettingIsLeftAloneWhenTheAdaptersIsByStore() {
        HikariDataSource bound = new HikariDataSource();
        bound.setJdbcUrl(EMBEDDED);
        bound.setMaximumPoolSize(7); // as Spring Boot binds spring.datasource.hikari.maximum-pool-size
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("spring.datasource.hikari.maximum-pool-size", "7")));
        DatabasePoolSize poolSize = new DatabasePoolSize();
        poolSize.setEnvironment(environment);

        poolSize.postProcessBeforeInitialization(bound, "dataSource");

        assertThat(bound.getMaximumPoolSize()).isEqualTo(7);
        bound.close();
    }

    @Test
    void aNegativeNumberStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> poolSize(EMBEDDED, Map.of("adapter.store.pool-size", "-1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("adapter.store.pool-size (ADAPTER_DB_POOL_SIZE)");
    }

    @Test
    void otherBeansPassThroughUntouched() {
        DatabasePoolSize poolSize = new DatabasePoolSize();
        poolSize.setEnvironment(new StandardEnvironment());
        Object other = new Object();
        assertThat(poolSize.postProcessBeforeInitialization(other, "other")).isSameAs(other);
    }
}
