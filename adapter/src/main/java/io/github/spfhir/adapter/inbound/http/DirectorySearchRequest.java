package io.github.spfhir.adapter.inbound.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;

/**
 * The common part of a directory search request (Location, Organization): only the type's search parameters and
 * {@code _format}, {@code _count}, {@code _offset} are accepted, each once (anything else is refused, never
 * ignored); {@code _count} is 20 by default and at most 100; the searchset's {@code self} and {@code next} links.
 *
 * @param given  the parameters given, with a value, trimmed
 * @param count  the page size
 * @param offset where the page starts
 */
record DirectorySearchRequest(Map<String, String> given, int count, int offset) {

    private static final Set<String> RESULT_PARAMETERS = Set.of("_format", "_count", "_offset");

    /** A search refused with this status and issue type; the message quotes no search value. */
    static final class Refused extends RuntimeException {

        final HttpStatus status;
        final IssueType type;

        Refused(HttpStatus status, IssueType type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        static Refused badRequest(IssueType type, String message) {
            return new Refused(HttpStatus.BAD_REQUEST, type, message);
        }
    }

    /** Reads the request of a search of this type; {@link Refused} (400) when it asks for what is not supported. */
    static DirectorySearchRequest read(String resourceType, MultiValueMap<String, String> parameters,
            Set<String> searchParameters) {
        List<String> unsupported = parameters.keySet().stream()
                .filter(p -> !searchParameters.contains(p) && !RESULT_PARAMETERS.contains(p)).sorted().toList();
        if (!unsupported.isEmpty()) {
            throw Refused.badRequest(IssueType.NOTSUPPORTED, "Unsupported search parameter(s) " + unsupported + "; "
                    + resourceType + " supports " + new TreeSet<>(searchParameters) + ", _count and _offset");
        }
        List<String> repeated = parameters.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).sorted().toList();
        if (!repeated.isEmpty()) {
            throw Refused.badRequest(IssueType.NOTSUPPORTED, "Repeated search parameter(s) " + repeated
                    + " are not supported; give each once");
        }
        Map<String, String> given = new TreeMap<>();
        parameters.forEach((k, v) -> {
            if (v.get(0) != null && !v.get(0).isBlank()) {
                given.put(k, v.get(0).trim());
            }
        });
        int count;
        int offset;
        try {
            count = Math.min(HealthcareServiceController.MAX_COUNT, Integer.parseInt(
                    given.getOrDefault("_count", String.valueOf(HealthcareServiceController.DEFAULT_COUNT))));
            offset = Integer.parseInt(given.getOrDefault("_offset", "0"));
        } catch (NumberFormatException e) {
            throw Refused.badRequest(IssueType.INVALID, "_count and _offset must be whole numbers");
        }
        if (count < 1 || offset < 0) {
            throw Refused.badRequest(IssueType.INVALID, "_count must be at least 1 and _offset at least 0");
        }
        return new DirectorySearchRequest(given, count, offset);
    }

    /** A searchset Bundle with the total and the {@code self} and (while more match) {@code next} links. */
    Bundle searchset(String baseUrl, String resourceType, int total) {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(total);
        bundle.addLink().setRelation("self").setUrl(pageUrl(baseUrl, resourceType, offset));
        if (offset + count < total) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(baseUrl, resourceType, offset + count));
        }
        return bundle;
    }

    private String pageUrl(String baseUrl, String resourceType, int pageOffset) {
        String query = given.entrySet().stream()
                .filter(e -> !e.getKey().equals("_count") && !e.getKey().equals("_offset"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return baseUrl + "/" + resourceType + "?" + (query.isEmpty() ? "" : query + "&") + "_count=" + count
                + (pageOffset > 0 ? "&_offset=" + pageOffset : "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
