package io.github.spfhir.adapter.inbound.http;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.lifecycle.HandledEvents;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.InboundMessage;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.referral.InboundMessage.TargetIdentifier;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.referral.ResponseMessageBuilder;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.observability.AdapterMetrics;
import io.github.spfhir.adapter.observability.SafeErrors;
import io.github.spfhir.adapter.route.EventsFromLinkWorkerRoute;
import io.github.spfhir.adapter.route.ProcessMessageRoute;
import io.github.spfhir.adapter.route.ReferralToLinkWorkerRoute;
import io.github.spfhir.adapter.store.MessageStore;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /fhir/$process-message}: NHS BaRS messages. Checks what HTTP carries (size, media type, BaRS headers),
 * hands the message to the {@code process-message} route, and answers synchronously. A referral
 * ({@code servicerequest-request}) from a GP system goes to {@code referral-to-link-worker} and is answered with a BaRS
 * response message once stored; a referral response ({@code servicerequest-response}) from the link-worker platform
 * a referral was sent to goes to {@code events-from-link-worker} and is answered with an informational
 * OperationOutcome once applied. Any refusal is an OperationOutcome with a precise status, and is stored. Logs carry
 * request and correlation ids only.
 */
@RestController
@RequestMapping("/fhir")
public class ProcessMessageController {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMessageController.class);
    static final String REQUEST_ID = "X-Request-ID";
    static final String CORRELATION_ID = "X-Correlation-ID";
    static final String TARGET_IDENTIFIER = "NHSD-Target-Identifier";
    /** Headers kept with a stored message; Authorization and cookies never are. */
    private static final List<String> AUDITED_HEADERS = List.of("Content-Type", "Accept", REQUEST_ID, CORRELATION_ID,
            TARGET_IDENTIFIER, "NHSD-End-User-Organisation", "NHSD-Requesting-Software", "NHSD-Requesting-Practitioner",
            "use-context", "User-Agent");

    private final ProducerTemplate producer;
    private final CamelContext camelContext;
    private final FhirFormats formats;
    private final ResponseMessageBuilder responses;
    private final MessageStore store;
    private final AdapterMetrics metrics;
    private final Clock clock;
    private final long maxBodySize;
    private final ObjectMapper json = new ObjectMapper();

    public ProcessMessageController(ProducerTemplate producer, CamelContext camelContext, FhirFormats formats, ResponseMessageBuilder responses,
            MessageStore store, AdapterMetrics metrics, Clock clock, AdapterProperties properties) {
        this.producer = producer;
        this.camelContext = camelContext;
        this.formats = formats;
        this.responses = responses;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodySize = properties.intake().maxBodySize();
    }

    @PostMapping("/$process-message")
    public ResponseEntity<String> processMessage(HttpServletRequest request,
            @RequestParam(name = "_format", required = false) String formatParameter) {
        Map<String, String> headers = InboundRequests.auditedHeaders(request, AUDITED_HEADERS);
        String requestId = request.getHeader(REQUEST_ID);
        String correlationId = request.getHeader(CORRELATION_ID);
        String contentType = request.getContentType();
        Optional<FhirFormat> requestFormat = formats.ofContentType(contentType);
        FhirFormat responseFormat = formats.responseFormat(formatParameter, request.getHeader(HttpHeaders.ACCEPT),
                requestFormat.orElse(null));
        String body = null;
        InboundMessage inbound = null;
        try {
            body = InboundRequests.readBody(request, maxBodySize, "a BaRS message Bundle");
            if (requestFormat.isEmpty()) {
                throw new RejectedMessageException(RejectionReason.UNSUPPORTED_MEDIA_TYPE, Problem.error(
                        IssueType.NOTSUPPORTED, "Content-Type '" + (contentType == null ? "" : contentType)
                                + "' is not accepted: send application/fhir+json or application/fhir+xml"));
            }
            TargetIdentifier target = checkHeaders(requestId, correlationId, request.getHeader(TARGET_IDENTIFIER));
            if (!camelContext.isStarted()) {
                throw new RejectedMessageException(RejectionReason.UNAVAILABLE, Problem.error(IssueType.TRANSIENT,
                        "The adapter is starting and not yet taking messages; retry with the same X-Request-ID"));
            }
            inbound = new InboundMessage(UUID.randomUUID().toString(), requestId, correlationId, target,
                    requestFormat.get(), contentType, headers, body, clock.instant());
            Object result = producer.requestBodyAndHeader(ProcessMessageRoute.INTAKE_ENDPOINT, inbound, Caller.HEADER,
                    request.getAttribute(Caller.REQUEST_ATTRIBUTE));
            if (result instanceof HandledEvents handled) {
                return referralResponseAnswer(handled, inbound, headers, requestId, correlationId, contentType, body,
                        responseFormat);
            }
            AcceptedReferral accepted = (AcceptedReferral) result;
            metrics.messageIn(ReferralToLinkWorkerRoute.ROUTE_ID);
            LOG.info("Accepted referral {} (request {}, correlation {}) for {}",
                    accepted.mapped().serviceRequest().getIdElement().getIdPart(), requestId, correlationId,
                    accepted.mapped().routed().destinationId());
            HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
            mirrorIds(responseHeaders, requestId, correlationId);
            // the ServiceRequest and Task as validated and stored, not encoded a second time
            return new ResponseEntity<>(formats.encode(responses.accepted(accepted), responseFormat,
                    accepted.mapped().validatedJsonByResource()), responseHeaders, HttpStatus.OK);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RejectedMessageException rejected) {
                return refuse(rejected, inbound, headers, requestId, correlationId, contentType, body, responseFormat);
            }
            if (FhirErrorAdvice.storeFailureIn(cause) != null) { // a transaction that could not begin or end too
                return storeUnavailable(cause, requestId, correlationId, responseFormat);
            }
            return internalError(cause, inbound, headers, requestId, correlationId, contentType, body, responseFormat);
        } catch (RejectedMessageException rejected) {
            return refuse(rejected, inbound, headers, requestId, correlationId, contentType, body, responseFormat);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(e, requestId, correlationId, responseFormat);
        } catch (RuntimeException e) {
            return internalError(e, inbound, headers, requestId, correlationId, contentType, body, responseFormat);
        }
    }

    /**
     * A platform's referral response, stored: 200 with an informational OperationOutcome saying what it came to
     * (applied, or recorded as stale). The same response again (its MessageHeader.id received before) is, as BaRS
     * has it for any message processed before, 409 with issue code {@code duplicate}, stored as a refusal.
     */
    private ResponseEntity<String> referralResponseAnswer(HandledEvents handled, InboundMessage inbound,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body,
            FhirFormat responseFormat) {
        if (handled.allDuplicates()) {
            return refuse(new RejectedMessageException(RejectionReason.DUPLICATE, Problem.error(IssueType.DUPLICATE,
                    handled.summary(), "Bundle.entry[0].resource.ofType(MessageHeader).id")), inbound, headers,
                    requestId, correlationId, contentType, body, responseFormat);
        }
        metrics.messageIn(EventsFromLinkWorkerRoute.ROUTE_ID);
        LOG.info("Took referral response for referral {} (request {}, correlation {}): {} event(s)",
                handled.referralId(), requestId, correlationId, handled.events().size());
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(handled.summary());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        mirrorIds(responseHeaders, requestId, correlationId);
        return new ResponseEntity<>(formats.encode(outcome, responseFormat), responseHeaders, HttpStatus.OK);
    }

    /**
     * The store cannot be reached: nothing was stored, so nothing is acknowledged. 503 tells the sender to retry
     * the same message later; recording the refusal would need the store, so it is only logged and counted.
     */
    private ResponseEntity<String> storeUnavailable(Throwable error, String requestId, String correlationId,
            FhirFormat responseFormat) {
        metrics.messageFailed(ReferralToLinkWorkerRoute.ROUTE_ID);
        LOG.error("Message store unavailable; refused message with 503 (request {}, correlation {}): {}",
                InboundRequests.safeUuid(requestId), InboundRequests.safeUuid(correlationId), error.getClass().getName());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        mirrorIds(responseHeaders, requestId, correlationId);
        responseHeaders.set(HttpHeaders.RETRY_AFTER, "30");
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(HttpStatus.SERVICE_UNAVAILABLE,
                List.of(Problem.error(IssueType.TRANSIENT, "The adapter cannot store messages at the moment, so it "
                        + "accepts none; retry with the same X-Request-ID"))), responseFormat),
                responseHeaders, HttpStatus.SERVICE_UNAVAILABLE);
    }

    private ResponseEntity<String> refuse(RejectedMessageException rejected, InboundMessage inbound,
            Map<String, String> headers, String requestId, String correlationId, String contentType, String body,
            FhirFormat responseFormat) {
        HttpStatus status = OperationOutcomes.status(rejected.reason());
        String outcomeJson = formats.encode(OperationOutcomes.of(status, rejected.problems()), FhirFormat.JSON);
        try {
            store.storeRejected(inbound, requestId, correlationId, headers, contentType, body, status.value(),
                    rejected.reason(), outcomeJson);
        } catch (DataAccessException | CannotCreateTransactionException | TransactionSystemException e) {
            return storeUnavailable(e, requestId, correlationId, responseFormat);
        }
        metrics.messageFailed(ReferralToLinkWorkerRoute.ROUTE_ID);
        LOG.warn("Refused message (request {}, correlation {}): HTTP {} {} with {} issue(s)",
                InboundRequests.safeUuid(requestId), InboundRequests.safeUuid(correlationId), status.value(), rejected.reason(), rejected.problems().size());
        HttpHeaders responseHeaders = formats.contentTypeHeaders(responseFormat);
        mirrorIds(responseHeaders, requestId, correlationId);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return new ResponseEntity<>(formats.encode(OperationOutcomes.of(status, rejected.problems()), responseFormat),
                responseHeaders, status);
    }

    private ResponseEntity<String> internalError(Throwable error, InboundMessage inbound, Map<String, String> headers,
            String requestId, String correlationId, String contentType, String body, FhirFormat responseFormat) {
        // The exception's message may quote content: only its types and where they were thrown are logged
        LOG.error("Failed to process message (request {}, correlation {}): {}", InboundRequests.safeUuid(requestId),
                InboundRequests.safeUuid(correlationId), SafeErrors.describe(error));
        RejectedMessageException asRejection = new RejectedMessageException(RejectionReason.PROCESSING_ERROR,
                Problem.error(IssueType.EXCEPTION, "The adapter could not process this message; it has been stored "
                        + "for investigation. Retrying with the same X-Request-ID is safe."));
        return refuse(asRejection, inbound, headers, requestId, correlationId, contentType, body, responseFormat);
    }

    private TargetIdentifier checkHeaders(String requestId, String correlationId, String targetHeader) {
        List<Problem> problems = new ArrayList<>();
        requireUuid(REQUEST_ID, requestId, problems);
        requireUuid(CORRELATION_ID, correlationId, problems);
        TargetIdentifier target = null;
        if (targetHeader != null) {
            target = decodeTarget(targetHeader, problems);
        }
        if (!problems.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_HEADERS, problems);
        }
        return target;
    }

    private static void requireUuid(String name, String value, List<Problem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(Problem.error(IssueType.REQUIRED, "The " + name + " header is required (a UUID)"));
        } else if (!InboundRequests.UUID.matcher(value).matches()) {
            problems.add(Problem.error(IssueType.VALUE, "The " + name + " header must be a UUID"));
        }
    }

    /** NHSD-Target-Identifier: Base64 of {@code {"system": "...", "value": "..."}} (standards.md §4). */
    private TargetIdentifier decodeTarget(String header, List<Problem> problems) {
        try {
            byte[] decoded = header.contains("-") || header.contains("_")
                    ? Base64.getUrlDecoder().decode(header.trim())
                    : Base64.getDecoder().decode(header.trim());
            JsonNode node = json.readTree(decoded);
            JsonNode system = node == null ? null : node.get("system");
            JsonNode value = node == null ? null : node.get("value");
            if (system == null || !system.isTextual() || system.asText().isBlank() || value == null
                    || !value.isTextual() || value.asText().isBlank()) {
                problems.add(Problem.error(IssueType.VALUE, "The " + TARGET_IDENTIFIER
                        + " header must be Base64 JSON with text 'system' and 'value'"));
                return null;
            }
            return new TargetIdentifier(system.asText(), value.asText());
        } catch (IllegalArgumentException | IOException e) {
            problems.add(Problem.error(IssueType.VALUE, "The " + TARGET_IDENTIFIER
                    + " header is not Base64-encoded JSON"));
            return null;
        }
    }

    /** BaRS mirrors both ids back; only well-formed ones, so nothing a sender injects is echoed. */
    private static void mirrorIds(HttpHeaders headers, String requestId, String correlationId) {
        if (requestId != null && InboundRequests.UUID.matcher(requestId).matches()) {
            headers.set(REQUEST_ID, requestId);
        }
        if (correlationId != null && InboundRequests.UUID.matcher(correlationId).matches()) {
            headers.set(CORRELATION_ID, correlationId);
        }
    }

}
