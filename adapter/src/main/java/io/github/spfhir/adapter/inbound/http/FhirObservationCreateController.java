package io.github.spfhir.adapter.inbound.http;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.lifecycle.HandledEvent;
import io.github.spfhir.adapter.domain.lifecycle.HandledEvents;
import io.github.spfhir.adapter.domain.lifecycle.InboundEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.outcome.OutcomeObservationMapper;
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
 * {@code POST /fhir/Observation}: a link-worker platform that speaks FHIR records an outcome measure (WEMWBS,
 * SWEMWBS, ONS4, UCLA-3, EQ-5D-5L) on a referral it was sent, as a FHIR create. The Observation is read as an
 * OUTCOME_RECORDED event ({@code FhirObservationReader}) and goes through the {@code events-from-link-worker} route
 * like any platform's event: the same range checks, Task.output, GP message (with {@code send-on-outcome}) and
 * data-platform publishing. What is stored is the Observation our mapper builds (our id, our profile), not the one
 * posted. Answers as a FHIR create does: 201 Created with {@code Location: [base]/Observation/{id}/_history/{v}},
 * the ETag and the stored Observation; or an OperationOutcome (400, 404, 409, 413, 415, 422, 500, 503). Every
 * refusal is stored (channel {@value #CHANNEL}).
 *
 * <p>{@code X-Request-ID} (a UUID) is required: it is the event's id, so the same Observation sent again is answered
 * 200 with the Observation stored the first time, and nothing new is stored or sent.
 * The platform is the one the referral was delivered to; that the caller is that platform is not checked here:
 * callers are authenticated with issue #6, and until then this endpoint must be reachable only from the platforms'
 * networks.
 */
@RestController
@RequestMapping("/fhir")
public class FhirObservationCreateController {

    static final String CHANNEL = "fhir:Observation";
    private static final Logger LOG = LoggerFactory.getLogger(FhirObservationCreateController.class);
    private static final String REQUEST_ID = "X-Request-ID";
    private static final String CORRELATION_ID = "X-Correlation-ID";
    /** Headers kept with a stored event or refusal; Authorization and cookies never are. */
    private static final List<String> AUDITED_HEADERS = List.of("Content-Type", "Accept", REQUEST_ID, CORRELATION_ID,
            "User-Agent");

    private final ProducerTemplate producer;
    private final CamelContext camelContext;
    private final FhirFormats formats;
    private final MessageStore store;
    private final AdapterMetrics metrics;
    private final Clock clock;
    private final long maxBodySize;
    private final String baseUrl;

    public FhirObservationCreateController(ProducerTemplate producer, CamelContext camelContext, FhirFormats formats,
            MessageStore store, AdapterMetrics metrics, Clock clock, AdapterProperties properties) {
        this.producer = producer;
        this.camelContext = camelContext;
        this.formats = formats;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodySize = properties.intake().maxBodySize();
        String base = properties.fhir().baseUrl();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @PostMapping("/Observation")
    public ResponseEntity<String> create(HttpServletRequest request,
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
            body = InboundRequests.readBody(request, maxBodySize, "the Observation");
            if (requestFormat.isEmpty()) {
                throw new RejectedMessageException(RejectionReason.UNSUPPORTED_MEDIA_TYPE, Problem.error(
                        IssueType.NOTSUPPORTED, "Content-Type is not accepted: send application/fhir+json or "
                                + "application/fhir+xml"));
            }
            InboundRequests.requireRequestId(requestId, "it is the outcome measure's event id, so the same "
                    + "Observation sent again is recognised and not recorded twice");
            if (!camelContext.isStarted()) {
                throw new RejectedMessageException(RejectionReason.UNAVAILABLE, Problem.error(IssueType.TRANSIENT,
                        "The adapter is starting and not yet taking outcome measures; retry with the same X-Request-ID"));
            }
            InboundEvent inbound = new InboundEvent(messageId, null, InboundEvent.Shape.FHIR_OBSERVATION, requestId,
                    correlationId, contentType, headers, body, clock.instant());
            HandledEvents handled = producer.requestBodyAndHeader(EventsFromLinkWorkerRoute.INTAKE_ENDPOINT, inbound,
                    Caller.HEADER, request.getAttribute(Caller.REQUEST_ATTRIBUTE), HandledEvents.class);
            metrics.messageIn(EventsFromLinkWorkerRoute.ROUTE_ID);
            HandledEvent outcome = handled.events().get(0);
            ReferralEvent event = outcome.event();
            String observationId = OutcomeObservationMapper.observationId(event.platformId(), event.eventId());
            StoredResource observation = store.readResource("Observation", observationId).orElseThrow(
                    () -> new IllegalStateException("Observation/" + observationId + " of event " + event.eventId()
                            + " is not stored"));
            boolean repeat = outcome.outcome() == HandledEvent.Outcome.DUPLICATE;
            LOG.info("Observation create (request {}) for referral {}: Observation/{} {}", requestId,
                    handled.referralId(), observationId, repeat ? "received before, unchanged" : "created");
            HttpHeaders responseHeaders = formats.readHeaders(observation, responseFormat);
            responseHeaders.setLocation(URI.create(baseUrl + "/Observation/" + observation.id() + "/_history/"
                    + observation.versionId()));
            return new ResponseEntity<>(formats.encode(formats.withVersionMeta(observation), responseFormat),
                    responseHeaders, repeat ? HttpStatus.OK : HttpStatus.CREATED);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RejectedMessageException rejected) {
                return refuse(messageId, rejected, headers, requestId, correlationId, contentType, body,
                        responseFormat);
            }
            if (FhirErrorAdvice.storeFailureIn(cause) != null) { // a transaction that could not begin or end too
                return storeUnavailable(cause, responseFormat);
            }
            return internalError(messageId, cause, headers, requestId, correlationId, contentType, body,
                    responseFormat);
        } catch (RejectedMessageException rejected) {
            return refuse(messageId, rejected, headers, requestId, correlationId, contentType, body, responseFormat);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(e, responseFormat);
        } catch (RuntimeException e) {
            return internalError(messageId, e, headers, requestId, correlationId, contentType, body, responseFormat);
        }
    }

    private ResponseEntity<String> refuse(String messageId, RejectedMessageException rejected,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body,
            FhirFormat responseFormat) {
        HttpStatus status = OperationOutcomes.status(rejected.reason());
        String outcomeJson = formats.encode(OperationOutcomes.of(status, rejected.problems()), FhirFormat.JSON);
        try {
            store.storeRejected(CHANNEL, messageId, requestId, correlationId, headers, contentType, body,
                    status.value(), rejected.reason(), outcomeJson);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(e, responseFormat);
        }
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.warn("Refused Observation create (request {}, message {}): HTTP {} {} with {} issue(s)",
                InboundRequests.safeUuid(requestId), messageId, status.value(), rejected.reason(), rejected.problems().size());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(status, rejected.problems()), responseFormat),
                responseHeaders, status);
    }

    private ResponseEntity<String> storeUnavailable(Throwable error, FhirFormat responseFormat) {
        metrics.messageFailed(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.error("Message store unavailable; refused an Observation create with 503: {}", error.getClass().getName());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        responseHeaders.set(HttpHeaders.RETRY_AFTER, "30");
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(HttpStatus.SERVICE_UNAVAILABLE,
                List.of(Problem.error(IssueType.TRANSIENT, "The adapter cannot store outcome measures at the moment, "
                        + "so it accepts none; retry the same Observation with the same X-Request-ID later"))),
                responseFormat), responseHeaders, HttpStatus.SERVICE_UNAVAILABLE);
    }

    private ResponseEntity<String> internalError(String messageId, Throwable error, Map<String, String> headers,
            String requestId, String correlationId, String contentType, String body, FhirFormat responseFormat) {
        // the exception's message may quote content: only its type is logged
        LOG.error("Failed to process an Observation create (message {}): {}", messageId, error.getClass().getName());
        return refuse(messageId, new RejectedMessageException(RejectionReason.PROCESSING_ERROR,
                Problem.error(IssueType.EXCEPTION, "The adapter could not process this Observation; it has been stored "
                        + "for investigation. Sending the same Observation with the same X-Request-ID again is safe.")),
                headers, requestId, correlationId, contentType, body, responseFormat);
    }

}
