package io.github.spfhir.adapter.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The size of the database connection pool ({@value #SETTING}, {@code ADAPTER_DB_POOL_SIZE}): the operator's number,
 * or by store when it is 0 (the default): {@value #EMBEDDED_H2} for the embedded H2 file, {@value #SERVER} for a
 * database server such as PostgreSQL.
 *
 * <p>Why two defaults: an embedded H2 connection is a session inside the adapter's own process, not a server process,
 * and the adapter's request and delivery threads do the database's work on their own CPU whatever the pool's size.
 * A pool smaller than the threads that want it only makes them queue for a connection (threads parked and woken on
 * every hand-over) and makes fewer commits share one write to the file. Under load (32 senders, 16 deliveries) a pool
 * of 48 instead of 10 took 10-13 % off the CPU per referral, measured side by side (docs/benchmarks.md §1, sixteenth
 * session). A PostgreSQL server, on the other hand, runs a process per connection and refuses more than its
 * {@code max_connections} (100 by default) across every instance, so the pool stays at Hikari's 10 there unless the
 * operator says otherwise.
 *
 * <p>An operator's {@code spring.datasource.hikari.maximum-pool-size} is left alone when {@value #SETTING} is 0.
 */
@Component
public class DatabasePoolSize implements BeanPostProcessor, EnvironmentAware {

    static final String SETTING = "adapter.store.pool-size";
    static final int EMBEDDED_H2 = 48;
    static final int SERVER = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePoolSize.class);
    private static final String SPRING_SETTING = "spring.datasource.hikari.maximum-pool-size";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            int configured = Binder.get(environment).bind(SETTING, Integer.class).orElse(0);
            if (configured < 0) {
                throw new IllegalStateException(SETTING + " (ADAPTER_DB_POOL_SIZE) must be 0 (by store) or a positive "
                        + "number of connections, not " + configured);
            }
            if (configured > 0) {
                pool.setMaximumPoolSize(configured);
            } else if (!environment.containsProperty(SPRING_SETTING)) {
                pool.setMaximumPoolSize(byStore(pool.getJdbcUrl()));
            }
            LOG.info("Database connection pool: at most {} connections", pool.getMaximumPoolSize());
        }
        return bean;
    }

    /** The default for a JDBC URL: {@value #EMBEDDED_H2} for an embedded H2 database, {@value #SERVER} otherwise. */
    static int byStore(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:tcp:")
                && !jdbcUrl.startsWith("jdbc:h2:ssl:") ? EMBEDDED_H2 : SERVER;
    }
}
