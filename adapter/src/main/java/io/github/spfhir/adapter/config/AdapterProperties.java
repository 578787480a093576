package io.github.spfhir.adapter.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the adapter, bound from {@code adapter.*} in {@code application.yml}. The operations guide
 * ({@code docs/operations.md}) lists each key with its environment variable and default.
 */
@ConfigurationProperties("adapter")
public record AdapterProperties(
        @DefaultValue Fhir fhir,
        @DefaultValue Intake intake,
        Map<String, Destination> destinations,
        @DefaultValue Simulator simulator,
        Map<String, DirectorySource> directories,
        Map<String, GpSystem> gpSystems,
        Map<String, DataPlatform> dataPlatforms,
        @DefaultValue Retention retention,
        @DefaultValue Store store) {

    public AdapterProperties {
        destinations = destinations == null ? Map.of() : Map.copyOf(destinations);
        directories = directories == null ? Map.of() : Map.copyOf(directories);
        gpSystems = gpSystems == null ? Map.of() : Map.copyOf(gpSystems);
        dataPlatforms = dataPlatforms == null ? Map.of() : Map.copyOf(dataPlatforms);
    }

    /**
     * @param baseUrl            the public base of our FHIR API, used in fullUrls and the CapabilityStatement
     * @param warmUpValidator    validate one example at start-up so the first referral does not pay HAPI's ~4 s
     * @param validatorEarlyStart start building and warming the validator before Spring creates any bean (read by
     *                           {@link EarlyValidatorStart} from the environment; bound here to be documented and
     *                           listed): shortens the cold start with a JDK 25 AOT cache, lengthens it without one
     */
    public record Fhir(
            @DefaultValue("http://localhost:8080/fhir") String baseUrl,
            @DefaultValue("true") boolean warmUpValidator,
            @DefaultValue("false") boolean validatorEarlyStart) {
    }

    /** @param maxBodySize largest inbound body accepted, in bytes (larger gets 413) */
    public record Intake(@DefaultValue("5242880") long maxBodySize) {
    }

    /** The kinds of link-worker platform we deliver to. */
    public enum DestinationKind {
        /** the platform's own JSON REST API; the payload comes from a field mapping in {@code mappings/platforms/} */
        JSON_REST,
        /** a FHIR server: ServiceRequest, Task and Patient as one transaction Bundle */
        FHIR
    }

    /**
     * One link-worker platform (or service on it) that referrals can be delivered to.
     *
     * @param kind                 how it is spoken to
     * @param endpoint             the URL referrals are POSTed to
     * @param mapping              for JSON_REST: the mapping file name under {@code mappings/platforms/}, without {@code .yaml}
     * @param serviceName          the link-worker service's name (ServiceRequest.performer.display)
     * @param serviceIdentifiers   target identifiers ({@code system|value}) that route here, as carried by
     *                             NHSD-Target-Identifier or MessageHeader.destination
     * @param practices            referring practices' ODS codes routed here when the message names no known target
     * @param organisationOdsCode  the link-worker organisation (Task.owner)
     * @param organisationName     its name
     * @param timeout              per-attempt HTTP timeout
     * @param retry                redelivery policy for 408, 429, 5xx and network errors
     * @param eventPolling         polling of the platform's event feed, for platforms without webhooks
     * @param concurrentDeliveries how many referrals may be on their way to it at once (each waits for its answer);
     *                             referrals to one platform are independent, so they may overtake each other
     */
    public record Destination(
            DestinationKind kind,
            URI endpoint,
            String mapping,
            String serviceName,
            List<String> serviceIdentifiers,
            List<String> practices,
            String organisationOdsCode,
            String organisationName,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue Retry retry,
            @DefaultValue EventPolling eventPolling,
            @DefaultValue("4") int concurrentDeliveries) {

        public Destination {
            if (concurrentDeliveries < 1) {
                throw new IllegalArgumentException("concurrent-deliveries must be at least 1, not " + concurrentDeliveries);
            }
            serviceIdentifiers = serviceIdentifiers == null ? List.of() : List.copyOf(serviceIdentifiers);
            practices = practices == null ? List.of() : List.copyOf(practices);
        }
    }

    /**
     * Polling of a platform's event feed, for platforms that cannot call our webhook. The request and response
     * shapes are in the platform's events mapping ({@code mappings/platforms/<mapping>.events.yaml}); the cursor is
     * persisted, so a restart neither misses nor repeats events.
     *
     * @param enabled  poll on a schedule
     * @param url      the platform's event feed
     * @param interval the wait between two polls
     */
    public record EventPolling(@DefaultValue("false") boolean enabled, URI url, @DefaultValue("1m") Duration interval) {
    }

    /**
     * A GP system that referrals come from and that gets the updates back, as BaRS does it: a {@code $process-message}
     * POST of a response message. Only configured endpoints are ever called (never a URL taken from a message).
     *
     * @param endpoint      the GP system's {@code $process-message} URL
     * @param practices     the ODS codes of the practices it serves: an update goes to the system of the practice
     *                      that sent the referral
     * @param sendOnOutcome also send a message for each outcome measure (always on accepted, declined, completed,
     *                      cancelled)
     * @param timeout       per-attempt HTTP timeout
     * @param retry         redelivery policy for 408, 429, 5xx and network errors
     */
    public record GpSystem(
            URI endpoint,
            List<String> practices,
            @DefaultValue("false") boolean sendOnOutcome,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue Retry retry) {

        public GpSystem {
            practices = practices == null ? List.of() : List.copyOf(practices);
        }
    }

    /**
     * A regional data platform (a FHIR server) that gets every change to a referral's resources as a transaction of
     * conditional updates.
     *
     * @param endpoint       the FHIR server's base URL (the transaction is POSTed to it)
     * @param enabled        publish to it
     * @param pseudonymise   replace the NHS number by a keyed pseudonym and strip names, addresses, contacts and
     *                       free text
     * @param pseudonymKey   the HMAC key of the pseudonyms: a secret, from the environment or a file; when blank an
     *                       ephemeral key is made at start-up, which only the embedded demo (simulator on) allows
     * @param timeout        per-attempt HTTP timeout
     * @param retry          redelivery policy for 408, 429, 5xx and network errors
     */
    public record DataPlatform(
            URI endpoint,
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean pseudonymise,
            String pseudonymKey,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue Retry retry) {

        @Override
        public String toString() {
            // the key is a secret: never printed
            return "DataPlatform[endpoint=" + endpoint + ", enabled=" + enabled + ", pseudonymise=" + pseudonymise + "]";
        }
    }

    /**
     * Exponential backoff with jitter ("collision avoidance" in Camel's redelivery policy).
     *
     * @param maxAttempts  attempts in all, the first included
     * @param initialDelay wait before the second attempt
     * @param multiplier   backoff multiplier per attempt
     * @param maxDelay     cap on one wait
     */
    public record Retry(
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("5s") Duration initialDelay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10m") Duration maxDelay) {
    }

    /**
     * Pruning of what is no longer needed once delivered. Only the copies of patient data made for partners go:
     * the payloads and attempt details of DELIVERED deliveries, and the raw bodies of applied or stale platform
     * events. FAILED and PENDING deliveries, refused messages, the inbound referral messages and the FHIR resources
     * (the referral's record) are never pruned automatically.
     *
     * @param enabled        run the pruning
     * @param deliveredAfter how long after its delivery a payload is kept
     * @param schedule       the period between two prunings (one instance at a time)
     * @param auditAfter     how long an audit trail entry ({@code audit_event}) is kept
     */
    public record Retention(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30d") Duration deliveredAfter,
            @DefaultValue("1h") Duration schedule,
            @DefaultValue("2190d") Duration auditAfter) {
    }

    /**
     * The message store's own upkeep.
     *
     * @param auditWriteDelay how long an audit trail entry may wait to be written with the entries that follow it, in
     *                        one commit ({@code AuditTrailWriter}); zero writes each on its request's thread before the
     *                        request ends
     */
    public record Store(@DefaultValue H2Compaction h2Compaction, @DefaultValue("100ms") Duration auditWriteDelay) {

        public Store {
            if (auditWriteDelay == null || auditWriteDelay.isNegative()) {
                throw new IllegalStateException("adapter.store.audit-write-delay must be zero or a positive duration");
            }
        }
    }

    /**
     * Compaction of an embedded H2 file while the adapter runs ({@code H2FileCompaction}): with {@code WRITE_DELAY=0}
     * H2 does none itself, and its file keeps most of what was ever written.
     *
     * @param interval          time between two runs
     * @param targetFillRate    chunks at most this full (percent of their bytes still live) are rewritten
     * @param maxRewritePerRun  at most this much live data is rewritten in one run
     */
    public record H2Compaction(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") Duration interval,
            @DefaultValue("50") int targetFillRate,
            @DefaultValue("16MB") DataSize maxRewritePerRun) {

        public H2Compaction {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new IllegalStateException("adapter.store.h2-compaction.interval must be a positive duration");
            }
            if (targetFillRate < 1 || targetFillRate > 100) {
                throw new IllegalStateException("adapter.store.h2-compaction.target-fill-rate must be a percentage from 1 "
                        + "to 100, not " + targetFillRate);
            }
            if (maxRewritePerRun == null || maxRewritePerRun.toBytes() < 1) {
                throw new IllegalStateException("adapter.store.h2-compaction.max-rewrite-per-run must be a positive size");
            }
        }
    }

    /**
     * The simulated link-worker platform of the embedded run: a WireMock server loaded with the stubs in
     * {@code test-fixtures/wiremock}. Off in production.
     */
    public record Simulator(@DefaultValue("false") boolean enabled, @DefaultValue("8089") int port) {
    }

    /** The kinds of directory source we read. */
    public enum DirectorySourceKind {
        /** an Open Referral UK v3 API (HSDS 3.0 UK profile): paged {@code GET /services}, v3 page envelope */
        ORUK_V3,
        /** a legacy Open Referral UK v1 API: paged {@code GET /services}, {@code totalElements}/{@code content} envelope */
        ORUK_V1,
        /** a DEWIS Cymru export file (JSON or CSV), read with {@code mappings/directories/dewis.yaml} (an assumed shape) */
        DEWIS_EXPORT
    }

    /**
     * One service directory synchronised into HealthcareService, Organization and Location
     * ({@code adapter.directories.<source-id>}; the source id is part of every resource id and identifier system
     * made from it, so do not rename a source).
     *
     * @param kind         how it is read
     * @param baseUrl      the API stub; {@code /services} is appended (ORUK kinds)
     * @param exportFile   the export file read at each sync (DEWIS_EXPORT)
     * @param enabled      run the scheduled sync (a source that is not enabled is never called on a schedule)
     * @param schedule     the period between two full syncs (a Camel timer period)
     * @param initialDelay wait after start-up before the first sync
     * @param timeout      per-request timeout
     * @param pageSize     {@code per_page} asked of the source
     * @param incremental  ask only for the services modified since the last successful sync ({@code modified_after},
     *                     an HSDS 3.0 parameter of {@code /services}) between full syncs; ORUK kinds only
     * @param fullSyncEvery with {@code incremental}: a run is a full sync when this long has passed since the start
     *                     of the last successful full sync (only a full sync can make services gone from the
     *                     source inactive)
     * @param mappingFile  {@code dewis-export} only: a field mapping of the operator's (the shape of
     *                     {@code mappings/directories/dewis.yaml}, JSON or CSV) read at start-up instead of the
     *                     bundled one; null: the bundled one
     */
    /**
     * When an ORUK v3 sync reads a service's own {@code /services/{id}}: an ORUK v3 {@code /services} page lists
     * one-to-one fields only (no locations, taxonomy, schedules...), which only {@code /services/{id}} nests.
     * {@code auto}: for a listed record that has none of the nested collections; {@code always}; {@code never}
     * (a feed whose list already nests everything).
     */
    public enum ServiceDetails { AUTO, ALWAYS, NEVER }

    public record DirectorySource(
            DirectorySourceKind kind,
            URI baseUrl,
            java.nio.file.Path exportFile,
            @DefaultValue("false") boolean enabled,
            @DefaultValue("6h") SyncSchedule schedule,
            @DefaultValue("1m") Duration initialDelay,
            @DefaultValue("30s") Duration timeout,
            @DefaultValue("100") int pageSize,
            @DefaultValue("false") boolean incremental,
            @DefaultValue("24h") Duration fullSyncEvery,
            java.nio.file.Path mappingFile,
            @DefaultValue("auto") ServiceDetails serviceDetails) {

        public DirectorySource {
            serviceDetails = serviceDetails == null ? ServiceDetails.AUTO : serviceDetails;
            if (incremental && kind == DirectorySourceKind.DEWIS_EXPORT) {
                throw new IllegalArgumentException("incremental sync is not possible for kind dewis-export: an export"
                        + " file is read whole (set incremental: false)");
            }
            if (mappingFile != null && kind != DirectorySourceKind.DEWIS_EXPORT) {
                throw new IllegalArgumentException("mapping-file is for dewis-export sources only");
            }
            fullSyncEvery = fullSyncEvery == null ? Duration.ofHours(24) : fullSyncEvery;
            if (fullSyncEvery.isNegative()) {
                throw new IllegalArgumentException("full-sync-every must be a duration of zero or more");
            }
        }
    }
}
