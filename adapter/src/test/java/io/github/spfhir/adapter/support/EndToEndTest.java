package io.github.spfhir.adapter.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.spfhir.adapter.store.MessageStore;

/**
 * Base of the tests that drive the whole adapter over HTTP: the shared application context, the store to look
 * into, a client for the adapter, and the partners' WireMock reset to its shared stubs before each test.
 */
@AdapterIntegrationTest
public abstract class EndToEndTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected MessageStore store;

    protected AdapterHttp http;

    @BeforeEach
    void resetPartnersAndConnect() {
        TestPartners.reset();
        http = new AdapterHttp(port);
    }
}
