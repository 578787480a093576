package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * An ActiveMQ Artemis broker inside the test JVM (no Docker), with a persistent NIO journal in a temporary folder
 * and one core-protocol acceptor on a free loopback port: what {@code adapter.hand-off.broker-url} points the
 * adapter (in this JVM or another) at. No security: loopback only.
 */
public final class TestBroker implements AutoCloseable {

    private final Configuration configuration;
    private final int port;
    private EmbeddedActiveMQ server;

    private TestBroker(Configuration configuration, int port) {
        this.configuration = configuration;
        this.port = port;
    }

    public static TestBroker start() {
        try {
            int port = freePort();
            Path journal = Files.createTempDirectory("sp-adapter-artemis");
            Configuration configuration = new ConfigurationImpl()
                    .setPersistenceEnabled(true)
                    .setJournalType(JournalType.NIO)
                    .setJournalDirectory(journal.resolve("journal").toString())
                    .setBindingsDirectory(journal.resolve("bindings").toString())
                    .setLargeMessagesDirectory(journal.resolve("large").toString())
                    .setPagingDirectory(journal.resolve("paging").toString())
                    .setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
            TestBroker broker = new TestBroker(configuration, port);
            broker.restart();
            return broker;
        } catch (Exception e) { // addAcceptorConfiguration declares Exception
            throw new IllegalStateException("could not configure the test Artemis broker", e);
        }
    }

    /** Starts the broker (again, after {@link #close()}) on the same port and journal: what it held is back. */
    public synchronized void restart() {
        try {
            server = new EmbeddedActiveMQ().setConfiguration(configuration);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Artemis broker", e);
        }
    }

    /** For {@code adapter.hand-off.broker-url}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Messages ever sent to a queue (0 if the queue does not exist): evidence that a hand-off went through it. */
    public long messagesAdded(String queueName) {
        Queue queue = server.getActiveMQServer().locateQueue(SimpleString.of(queueName));
        return queue == null ? 0 : queue.getMessagesAdded();
    }

    /** Messages in a queue now, those being delivered to a consumer included (0 if the queue does not exist). */
    public long messagesIn(String queueName) {
        Queue queue = server.getActiveMQServer().locateQueue(SimpleString.of(queueName));
        return queue == null ? 0 : queue.getMessageCount();
    }

    /** Stops the broker: clients see it go down, as when a real one does. */
    @Override
    public synchronized void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the test Artemis broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
