package io.github.spfhir.adapter.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;

/**
 * Every log event of the JVM while open, at DEBUG and above for every logger (TRACE for the adapter's own
 * packages), each rendered as an operator would read it: the formatted message, its MDC and key-value pairs, and
 * the whole stack trace of its exception with every cause's message. Levels, appenders and additivity are put back
 * on {@link #close()}.
 *
 * <p>The console appenders are detached while open (DEBUG from every framework is far too much for a build log)
 * and attached again afterwards.
 */
public final class LogCapture implements AutoCloseable {

    /** One rendered log event. */
    public record Line(String logger, Level level, String thread, String text) {
    }

    /** The adapter's own code: covered at TRACE, so a trace statement added later is checked too. */
    private static final String ADAPTER_PACKAGE = "io.github.spfhir";

    private final LoggerContext context;
    private final Queue<Line> lines = new ConcurrentLinkedQueue<>();
    private final Map<Logger, Level> previousLevels = new LinkedHashMap<>();
    private final List<Appender<ILoggingEvent>> detachedFromRoot = new ArrayList<>();
    private final List<Logger> nonAdditive = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            lines.add(new Line(event.getLoggerName(), event.getLevel(), event.getThreadName(), render(event)));
        }
    };

    private LogCapture(LoggerContext context) {
        this.context = context;
    }

    /**
     * Starts capturing. {@code quietLoggers} (and their children) keep their configured level, or get INFO: loggers
     * that are not the adapter's (the test's own stand-in partner servers), and loggers the application pins.
     */
    public static LogCapture everyLevel(List<String> quietLoggers) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogCapture capture = new LogCapture(context);
        capture.start(quietLoggers);
        return capture;
    }

    private void start(List<String> quietLoggers) {
        appender.setContext(context);
        appender.setName("no-patient-data-capture");
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.iteratorForAppenders().forEachRemaining(detachedFromRoot::add);
        detachedFromRoot.forEach(root::detachAppender);
        root.addAppender(appender);
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null && !isQuiet(logger.getName(), quietLoggers)) {
                lower(logger, Level.DEBUG);
            }
            if (!logger.isAdditive() && logger != root) {
                logger.addAppender(appender);
                nonAdditive.add(logger);
            }
        }
        lower(context.getLogger(ADAPTER_PACKAGE), Level.TRACE);
        for (String name : quietLoggers) {
            Logger quiet = context.getLogger(name);
            if (quiet.getLevel() == null) {
                lower(quiet, Level.INFO);
            }
        }
    }

    private static boolean isQuiet(String loggerName, List<String> quietLoggers) {
        return quietLoggers.stream().anyMatch(q -> loggerName.equals(q) || loggerName.startsWith(q + "."));
    }

    private void lower(Logger logger, Level level) {
        previousLevels.putIfAbsent(logger, logger.getLevel());
        logger.setLevel(level);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevels.forEach(Logger::setLevel); // the root's previous level is never null
        nonAdditive.forEach(logger -> logger.detachAppender(appender));
        root.detachAppender(appender);
        detachedFromRoot.forEach(root::addAppender);
        appender.stop();
    }

    private static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
        if (!event.getMDCPropertyMap().isEmpty()) {
            text.append(" MDC").append(event.getMDCPropertyMap());
        }
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair.key).append('=').append(pair.value));
        }
        if (event.getThrowableProxy() != null) {
            // the trace as a log file shows it: every cause's class and message, and suppressed exceptions
            text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        return text.toString();
    }
}
