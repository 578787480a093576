package io.github.spfhir.adapter.simulator;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * A simulated link-worker platform for the embedded run and end-to-end tests: WireMock on loopback, loaded with
 * the stubs of {@code test-fixtures/wiremock} (on the classpath as {@code simulator/}). On only with
 * {@code adapter.simulator.enabled=true}; it must be off in production, since its admin API shows every request
 * it received, patient data included.
 *
 * <p>It starts as soon as the bean is created, before Camel routes can deliver to it, and stops with the
 * application context. Outside Spring, construct it, {@link #start()} it and {@link #close()} it.
 */
@Component
@ConditionalOnProperty(prefix = "adapter.simulator", name = "enabled", havingValue = "true")
public class SimulatedPlatformServer implements InitializingBean, DisposableBean, AutoCloseable {

    /** Where the stubs are: {@code test-fixtures/wiremock/mappings/*.json}, on the classpath as {@code simulator/}. */
    public static final String STUBS_LOCATION = "classpath*:simulator/mappings/*.json";

    private static final Logger log = LoggerFactory.getLogger(SimulatedPlatformServer.class);
    private static final int MAX_JOURNAL_ENTRIES = 1000;

    private final int requestedPort;
    private WireMockServer server;

    @Autowired
    public SimulatedPlatformServer(AdapterProperties properties) {
        this(properties.simulator().port());
    }

    /** @param port the port to listen on; 0 for any free one (see {@link #port()}) */
    public SimulatedPlatformServer(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("adapter.simulator.port must be 0 to 65535, not " + port);
        }
        this.requestedPort = port;
    }

    @Override
    public void afterPropertiesSet() {
        start();
    }

    /** Starts the server, unless it is running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        WireMockConfiguration options = wireMockConfig()
                .bindAddress("127.0.0.1")
                .mappingSource(new ClasspathStubMappings(STUBS_LOCATION))
                .notifier(new QuietNotifier())
                .maxRequestJournalEntries(MAX_JOURNAL_ENTRIES);
        options = requestedPort == 0 ? options.dynamicPort() : options.port(requestedPort);
        WireMockServer starting = new WireMockServer(options);
        starting.start();
        server = starting;
        log.info("Simulated link-worker platform listening on {} with {} stubs; requests received: {}/__admin/requests",
                baseUrl(), server.getStubMappings().size(), baseUrl());
    }

    /** The port it listens on (the actual one when started with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The simulated platform is not running");
        }
        return server.port();
    }

    /** {@code http://localhost:<port>}: endpoints are this plus a stub's path. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** Stops the server; does nothing if it is not running. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
            log.info("Simulated link-worker platform stopped");
        }
    }

    @Override
    public void destroy() {
        close();
    }
}
