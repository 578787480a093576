package io.github.spfhir.adapter.config;

import java.util.Properties;

/**
 * Turns H2's value cache off ({@value #PROPERTY}{@code =false}) unless the JVM's command line names the property.
 * <p>
 * Why: before H2 decides whether a string is small enough to keep in that cache, it hashes the whole of it, and a
 * fresh string's hash is not known yet. The embedded store reads and writes long strings (raw messages, resource
 * bodies, tens of kilobytes each), and H2 rebuilds each one, hashing it again, whenever it reads a page back from
 * the file. Under load that hashing was 2.5 % of the adapter's CPU (fourteenth session's profile), and turning the
 * cache off took 3 % off the CPU per referral, measured side by side (docs/benchmarks.md §1, fifteenth session).
 * The cache only shares equal short values between rows to save memory; what H2 stores and answers is the same.
 * <p>
 * H2 reads the property once, when its classes are first used, so this must run before the store opens:
 * {@link io.github.spfhir.adapter.AdapterApplication#application()} applies it. Harmless with PostgreSQL.
 */
public final class H2ValueCache {

    /** H2's system property (org.h2.engine.SysProperties.OBJECT_CACHE, default true). */
    public static final String PROPERTY = "h2.objectCache";

    private H2ValueCache() {
    }

    /** Sets {@value #PROPERTY} to false in these (the JVM's) system properties, unless they already name it. */
    public static void turnOffUnlessSet(Properties systemProperties) {
        systemProperties.putIfAbsent(PROPERTY, "false");
    }
}
