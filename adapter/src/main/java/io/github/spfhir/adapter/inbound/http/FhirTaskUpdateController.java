package io.github.spfhir.adapter.inbound.http;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.lifecycle.FhirPlatformEventReader;
import io.github.spfhir.adapter.domain.lifecycle.HandledEvents;
import io.github.spfhir.adapter.domain.lifecycle.InboundEvent;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.observability.AdapterMetrics;
import io.github.spfhir.adapter.route.EventsFromLinkWorkerRoute;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.StoredResource;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code PUT /fhir/Task/{id}}: a link-worker platform that speaks FHIR updates the Task of a referral it was sent
 * (status, businessStatus, output). The update is read as events (what changed against our Task) and goes through
 * the {@code events-from-link-worker} route like any platform's event, under the Task state machine. Answers as a
 * FHIR update does: 200 with the Task as it now is (meta.versionId, ETag), or an OperationOutcome with a precise
 * status (400, 404, 412, 413, 415, 422, 503). Every refusal is stored (channel {@value #CHANNEL}).
 *
 * <p>{@code X-Request-ID} (a UUID) is required: it is the event's id, so the same update sent again changes nothing.
 * {@code If-Match} ({@code W/"n"}, from a read) makes the update conditional on the Task's version (412 when stale).
 * The platform is the one the referral was delivered to; that the caller is that platform is not checked yet:
 * callers are authenticated with issue #6, and until then this endpoint must be reachable only from the platforms'
 * networks.
 */
@RestController
@RequestMapping("/fhir")
public class FhirTaskUpdateController {

    static final String CHANNEL = "fhir:Task";
    private static final Logger LOG = LoggerFactory.getLogger(FhirTaskUpdateController.class);
    private static final Pattern FHIR_ID = Pattern.compile("^[A-Za-z0-9\\-.]{1,64}$");
    private static final String REQUEST_ID = "X-Request-ID";
    private static final String CORRELATION_ID = "X-Correlation-ID";
    /** Headers kept with a stored event or refusal; Authorization and cookies never are. */
    private static final List<String> AUDITED_HEADERS = List.of("Content-Type", "Accept", REQUEST_ID, CORRELATION_ID,
            FhirPlatformEventReader.IF_MATCH, "User-Agent");

    private final ProducerTemplate producer;
    private final CamelContext camelContext;
    private final FhirFormats formats;
    private final MessageStore store;
    private final AdapterMetrics metrics;
    private final Clock clock;
    private final long maxBodySize;

    public FhirTaskUpdateController(ProducerTemplate producer, CamelContext camelContext, FhirFormats formats,
            MessageStore store, AdapterMetrics metrics, Clock clock, AdapterProperties properties) {
        this.producer = producer;
        this.camelContext = camelContext;
        this.formats = formats;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodySize = properties.intake().maxBodySize();
    }

    @PutMapping("/Task/{id}")
    public ResponseEntity<String> update(@PathVariable String id, HttpServletRequest request,
            @RequestParam(name = "_format", required = false) String formatParameter) {
        Map<String, String> headers = InboundRequests.auditedHeaders(request, AUDITED_HEADERS);
        String requestId = request.getHeader(REQUEST_ID);
        String correlationId = request.getHeader(CORRELATION_ID);
        String contentType = request.getContentType();
        Optional<FhirFormat> requestFormat = formats.ofContentType(contentType);
        FhirFormat responseFormat = formats.responseFormat(formatParameter, request.getHeader(HttpHeaders.ACCEPT),
                requestFormat.orElse(null));
        String messageId = UUID.randomUUID().toString();
        String body = null;
        try {
            if (!FHIR_ID.matcher(id).matches()) {
                throw notKnown();
            }
            body = InboundRequests.readBody(request, maxBodySize, "the updated Task");
            if (requestFormat.isEmpty()) {
                throw new RejectedMessageException(RejectionReason.UNSUPPORTED_MEDIA_TYPE, Problem.error(
                        IssueType.NOTSUPPORTED, "Content-Type is not accepted: send application/fhir+json or "
                                + "application/fhir+xml"));
            }
            InboundRequests.requireRequestId(requestId, "it is the update's event id, so the same update sent "
                    + "again is recognised");
            if (!camelContext.isStarted()) {
                throw new RejectedMessageException(RejectionReason.UNAVAILABLE, Problem.error(IssueType.TRANSIENT,
                        "The adapter is starting and not yet taking updates; retry with the same X-Request-ID"));
            }
            InboundEvent inbound = new InboundEvent(messageId, null, InboundEvent.Shape.FHIR_TASK, requestId,
                    correlationId, contentType, headers, body, clock.instant(), id);
            HandledEvents handled = producer.requestBodyAndHeader(EventsFromLinkWorkerRoute.INTAKE_ENDPOINT, inbound,
                    Caller.HEADER, request.getAttribute(Caller.REQUEST_ATTRIBUTE), HandledEvents.class);
            metrics.messageIn(EventsFromLinkWorkerRoute.ROUTE_ID);
            LOG.info("Task/{} update (request {}) for referral {}: {} event(s)", id, requestId, handled.referralId(),
                    handled.events().size());
            StoredResource task = store.readResource("Task", id).orElseThrow(
                    () -> new IllegalStateException("Task/" + id + " vanished after its update"));
            HttpHeaders responseHeaders = formats.readHeaders(task, responseFormat);
            return new ResponseEntity<>(formats.encode(formats.withVersionMeta(task), responseFormat), responseHeaders,
                    HttpStatus.OK);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RejectedMessageException rejected) {
                return refuse(id, messageId, rejected, headers, requestId, correlationId, contentType, body,
                        responseFormat);
            }
            if (FhirErrorAdvice.storeFailureIn(cause) != null) { // a transaction that could not begin or end too
                return storeUnavailable(id, cause, responseFormat);
            }
            return internalError(id, messageId, cause, headers, requestId, correlationId, contentType, body,
                    responseFormat);
        } catch (RejectedMessageException rejected) {
            return refuse(id, messageId, rejected, headers, requestId, correlationId, contentType, body, responseFormat);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(id, e, responseFormat);
        } catch (RuntimeException e) {
            return internalError(id, messageId, e, headers, requestId, correlationId, contentType, body,
                    responseFormat);
        }
    }

    private ResponseEntity<String> refuse(String taskId, String messageId, RejectedMessageException rejected,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body,
            FhirFormat responseFormat) {
        HttpStatus status = OperationOutcomes.status(rejected.reason());
        String outcomeJson = formats.encode(OperationOutcomes.of(status, rejected.problems()), FhirFormat.JSON);
        try {
            store.storeRejected(CHANNEL, messageId, requestId, correlationId, headers, contentType, body,
                    status.value(), rejected.reason(), outcomeJson);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(taskId, e, responseFormat);
        }
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.warn("Refused update of Task/{} (request {}, message {}): HTTP {} {} with {} issue(s)", safeId(taskId),
                InboundRequests.safeUuid(requestId), messageId, status.value(), rejected.reason(), rejected.problems().size());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(status, rejected.problems()), responseFormat),
                responseHeaders, status);
    }

    private ResponseEntity<String> storeUnavailable(String taskId, Throwable error, FhirFormat responseFormat) {
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.error("Message store unavailable; refused update of Task/{} with 503: {}", safeId(taskId),
                error.getClass().getName());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        responseHeaders.set(HttpHeaders.RETRY_AFTER, "30");
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(HttpStatus.SERVICE_UNAVAILABLE,
                List.of(Problem.error(IssueType.TRANSIENT, "The adapter cannot store updates at the moment, so it "
                        + "accepts none; retry the same update with the same X-Request-ID later"))), responseFormat),
                responseHeaders, HttpStatus.SERVICE_UNAVAILABLE);
    }

    private ResponseEntity<String> internalError(String taskId, String messageId, Throwable error,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body,
            FhirFormat responseFormat) {
        // the exception's message may quote content: only its type is logged
        LOG.error("Failed to process update of Task/{} (message {}): {}", safeId(taskId), messageId,
                error.getClass().getName());
        return refuse(taskId, messageId, new RejectedMessageException(RejectionReason.PROCESSING_ERROR,
                Problem.error(IssueType.EXCEPTION, "The adapter could not process this update; it has been stored for "
                        + "investigation. Sending the same update with the same X-Request-ID again is safe.")),
                headers, requestId, correlationId, contentType, body, responseFormat);
    }

    /** An id that cannot be a FHIR id names no Task we hold; it is never quoted back. */
    private static RejectedMessageException notKnown() {
        return new RejectedMessageException(RejectionReason.UNKNOWN_REFERRAL,
                Problem.error(IssueType.NOTFOUND, "No Task with that id is held here"));
    }

    private static String safeId(String id) {
        return id != null && FHIR_ID.matcher(id).matches() ? id : "(invalid)";
    }

}
