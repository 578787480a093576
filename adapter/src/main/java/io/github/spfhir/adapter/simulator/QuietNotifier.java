package io.github.spfhir.adapter.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.tomakehurst.wiremock.common.Notifier;

/**
 * WireMock's messages to our log, without request details: its report of an unmatched request quotes the
 * request body, and bodies hold patient data. Only the first line of a message is kept.
 */
final class QuietNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(SimulatedPlatformServer.class);
    private static final int MAX_CHARS = 200;

    @Override
    public void info(String message) {
        log.debug("WireMock: {}", firstLine(message));
    }

    @Override
    public void error(String message) {
        log.warn("WireMock: {} (details left out: they may quote a request)", firstLine(message));
    }

    @Override
    public void error(String message, Throwable t) {
        log.warn("WireMock: {} ({}; details left out: they may quote a request)", firstLine(message),
                t == null ? "no exception" : t.getClass().getName());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS) + "...";
    }
}
