package io.github.spfhir.adapter.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The partners' HTTP servers for tests: one real WireMock server on a dynamic loopback port, shared by every
 * Spring test context of the JVM, loaded with the same stubs as the run command's simulated platform
 * ({@code test-fixtures/wiremock}). Tests add their own stubs on top (outages, refusals) and reset after.
 */
public final class TestPartners {

    private static WireMockServer server;

    private TestPartners() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                    .usingFilesUnderDirectory(Fixtures.path("wiremock").toString()));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    public static String baseUrl() {
        return server().baseUrl();
    }

    /** Back to the shared stubs, with the request journal emptied. */
    public static void reset() {
        server().resetToDefaultMappings();
        server().resetRequests();
    }
}
