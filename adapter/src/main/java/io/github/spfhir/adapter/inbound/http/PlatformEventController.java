package io.github.spfhir.adapter.inbound.http;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.lifecycle.HandledEvents;
import io.github.spfhir.adapter.domain.lifecycle.InboundEvent;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.observability.AdapterMetrics;
import io.github.spfhir.adapter.route.EventsFromLinkWorkerRoute;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * {@code POST /platforms/{platformId}/events}: a link-worker platform's webhook, in the platform's own JSON (read
 * with its events mapping). Answers once the event is stored: 200 with an informational OperationOutcome saying
 * what it came to (applied, stale, duplicate), or a refusal with a precise status. A repeated event id is a
 * success that changes nothing, so a platform retrying after a lost answer is safe. Every refusal is stored.
 */
@RestController
public class PlatformEventController {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformEventController.class);
    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9._:/+ =;-]{1,100}$");
    private static final String REQUEST_ID = "X-Request-ID";
    private static final String CORRELATION_ID = "X-Correlation-ID";
    private static final List<String> AUDITED_HEADERS = List.of("Content-Type", REQUEST_ID, CORRELATION_ID, "User-Agent");

    private final ProducerTemplate producer;
    private final CamelContext camelContext;
    private final FhirFormats formats;
    private final MessageStore store;
    private final AdapterMetrics metrics;
    private final AdapterProperties properties;
    private final Clock clock;

    public PlatformEventController(ProducerTemplate producer, CamelContext camelContext, FhirFormats formats,
            MessageStore store, AdapterMetrics metrics, AdapterProperties properties, Clock clock) {
        this.producer = producer;
        this.camelContext = camelContext;
        this.formats = formats;
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping("/platforms/{platformId}/events")
    public ResponseEntity<String> receive(@PathVariable String platformId,
            jakarta.servlet.http.HttpServletRequest request) {
        Map<String, String> headers = InboundRequests.auditedHeaders(request, AUDITED_HEADERS);
        String requestId = request.getHeader(REQUEST_ID);
        String correlationId = request.getHeader(CORRELATION_ID);
        String contentType = request.getContentType();
        String messageId = UUID.randomUUID().toString();
        String body = null;
        try {
            if (!properties.destinations().containsKey(platformId)) {
                // not stored: an unknown path is not a message from anyone we know
                return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTFOUND,
                        "No link-worker platform '" + safe(platformId) + "' is configured here"), FhirFormat.JSON);
            }
            body = InboundRequests.readBody(request, properties.intake().maxBodySize(), "the event as JSON");
            // optional here, but an id when sent (it is stored and traced): as BaRS has it for $process-message
            List<Problem> badIds = new java.util.ArrayList<>();
            InboundRequests.checkUuidIfSent(REQUEST_ID, requestId, badIds);
            InboundRequests.checkUuidIfSent(CORRELATION_ID, correlationId, badIds);
            if (!badIds.isEmpty()) {
                throw new RejectedMessageException(RejectionReason.INVALID_HEADERS, badIds);
            }
            if (!isJson(contentType)) {
                throw new RejectedMessageException(RejectionReason.UNSUPPORTED_MEDIA_TYPE, Problem.error(
                        IssueType.NOTSUPPORTED, "Content-Type '" + (contentType == null ? "" : safe(contentType))
                                + "' is not accepted: send application/json"));
            }
            if (!camelContext.isStarted()) {
                throw new RejectedMessageException(RejectionReason.UNAVAILABLE, Problem.error(IssueType.TRANSIENT,
                        "The adapter is starting and not yet taking events; retry"));
            }
            InboundEvent inbound = new InboundEvent(messageId, platformId, InboundEvent.Shape.PLATFORM_JSON, requestId,
                    correlationId, contentType, headers, body, clock.instant());
            HandledEvents handled = producer.requestBody(EventsFromLinkWorkerRoute.INTAKE_ENDPOINT, inbound,
                    HandledEvents.class);
            metrics.messageIn(EventsFromLinkWorkerRoute.ROUTE_ID);
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics(handled.summary());
            HttpHeaders responseHeaders = formats.contentTypeHeaders(FhirFormat.JSON);
            return new ResponseEntity<>(formats.encode(outcome, FhirFormat.JSON), responseHeaders, HttpStatus.OK);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RejectedMessageException rejected) {
                return refuse(platformId, messageId, rejected, headers, requestId, correlationId, contentType, body);
            }
            if (FhirErrorAdvice.storeFailureIn(cause) != null) { // a transaction that could not begin or end too
                return storeUnavailable(platformId, cause);
            }
            return internalError(platformId, messageId, cause, headers, requestId, correlationId, contentType, body);
        } catch (RejectedMessageException rejected) {
            return refuse(platformId, messageId, rejected, headers, requestId, correlationId, contentType, body);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(platformId, e);
        } catch (RuntimeException e) {
            return internalError(platformId, messageId, e, headers, requestId, correlationId, contentType, body);
        }
    }

    private ResponseEntity<String> refuse(String platformId, String messageId, RejectedMessageException rejected,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body) {
        HttpStatus status = OperationOutcomes.status(rejected.reason());
        String outcomeJson = formats.encode(OperationOutcomes.of(status, rejected.problems()), FhirFormat.JSON);
        try {
            store.storeRejected("platform:" + platformId, messageId, requestId, correlationId, headers, contentType,
                    body, status.value(), rejected.reason(), outcomeJson);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(platformId, e);
        }
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.warn("Refused event from {} (message {}): HTTP {} {} with {} issue(s)", platformId, messageId,
                status.value(), rejected.reason(), rejected.problems().size());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(FhirFormat.JSON);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return new ResponseEntity<>(outcomeJson, responseHeaders, status);
    }

    private ResponseEntity<String> storeUnavailable(String platformId, Throwable error) {
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.error("Message store unavailable; refused event from {} with 503: {}", platformId, error.getClass().getName());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(FhirFormat.JSON);
        responseHeaders.set(HttpHeaders.RETRY_AFTER, "30");
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(HttpStatus.SERVICE_UNAVAILABLE,
                List.of(Problem.error(IssueType.TRANSIENT, "The adapter cannot store events at the moment, so it "
                        + "accepts none; retry the same event later"))), FhirFormat.JSON),
                responseHeaders, HttpStatus.SERVICE_UNAVAILABLE);
    }

    private ResponseEntity<String> internalError(String platformId, String messageId, Throwable error,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body) {
        LOG.error("Failed to process event from {} (message {}): {}", platformId, messageId, error.getClass().getName());
        return refuse(platformId, messageId, new RejectedMessageException(RejectionReason.PROCESSING_ERROR,
                Problem.error(IssueType.EXCEPTION, "The adapter could not process this event; it has been stored for "
                        + "investigation. Sending the same event again is safe.")),
                headers, requestId, correlationId, contentType, body);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            return false;
        }
    }

    /** Only a short plain token is ever echoed back or logged, never what a sender injected. */
    private static String safe(String value) {
        return value != null && SAFE_ID.matcher(value).matches() ? value : "(not shown)";
    }
}
