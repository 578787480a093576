package io.github.spfhir.adapter.inbound.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What every endpoint that takes a message does with the HTTP request the same way: read the body within the size
 * limit, keep the headers worth auditing, and tell a well-formed id from anything a sender could inject.
 */
final class InboundRequests {

    static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final int MAX_HEADER_LENGTH = 2000;

    private InboundRequests() {
    }

    /**
     * The body as UTF-8 text.
     *
     * @param whatToSend what the sender should have sent, for the refusal of an empty body ("a BaRS message Bundle")
     * @throws RejectedMessageException TOO_LARGE beyond {@code maxBodySize} bytes (the declared length is checked
     *                                  before anything is read), UNPARSEABLE when empty or unreadable
     */
    static String readBody(HttpServletRequest request, long maxBodySize, String whatToSend) {
        if (request.getContentLengthLong() > maxBodySize) {
            throw tooLarge(maxBodySize);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
            if (bytes.length > maxBodySize) {
                throw tooLarge(maxBodySize);
            }
            if (bytes.length == 0) {
                throw new RejectedMessageException(RejectionReason.UNPARSEABLE,
                        Problem.error(IssueType.REQUIRED, "The request has no body: send " + whatToSend));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RejectedMessageException(RejectionReason.UNPARSEABLE,
                    Problem.error(IssueType.STRUCTURE, "The request body could not be read"));
        }
    }

    private static RejectedMessageException tooLarge(long maxBodySize) {
        return new RejectedMessageException(RejectionReason.TOO_LARGE, Problem.error(IssueType.TOOCOSTLY,
                "The body is larger than the " + maxBodySize + " bytes this adapter accepts"));
    }

    /** The headers kept with a stored message (never Authorization or cookies), each cut to a sane length. */
    static Map<String, String> auditedHeaders(HttpServletRequest request, List<String> names) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : names) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value.length() > MAX_HEADER_LENGTH ? value.substring(0, MAX_HEADER_LENGTH) : value);
            }
        }
        return headers;
    }

    /** A request or correlation id for a log line: the id when it is a UUID, never what else a sender put there. */
    /** An optional id header: when sent (not empty), it must be a UUID; the problem never quotes the value. */
    static void checkUuidIfSent(String header, String value, List<Problem> problems) {
        if (value != null && !value.isEmpty() && !UUID.matcher(value).matches()) {
            problems.add(Problem.error(IssueType.VALUE,
                    "The " + header + " header, when sent, must be a UUID"));
        }
    }

    static String safeUuid(String id) {
        return id != null && UUID.matcher(id).matches() ? id : "(invalid)";
    }

    /**
     * The X-Request-ID a FHIR write must carry: it is the event's id, so the same write sent again is recognised.
     *
     * @param why why it is required, for the refusal
     */
    static void requireRequestId(String requestId, String why) {
        if (requestId == null || requestId.isBlank()) {
            throw new RejectedMessageException(RejectionReason.INVALID_HEADERS, Problem.error(IssueType.REQUIRED,
                    "The X-Request-ID header is required (a UUID): " + why));
        }
        if (!UUID.matcher(requestId).matches()) {
            throw new RejectedMessageException(RejectionReason.INVALID_HEADERS, Problem.error(IssueType.VALUE,
                    "The X-Request-ID header must be a UUID"));
        }
    }
}
