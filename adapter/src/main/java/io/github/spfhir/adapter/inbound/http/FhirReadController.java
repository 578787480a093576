package io.github.spfhir.adapter.inbound.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.ReferralScope;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Reads what the adapter holds: {@code GET /fhir/metadata}, {@code /fhir/{type}/{id}} and its {@code _history} for
 * the referral resources, and search of ServiceRequest, Task, Observation and QuestionnaireResponse by the
 * parameters of {@link SearchParameters}. Anything else under /fhir gets an
 * OperationOutcome saying it is not supported, never a silent empty result. Who may read what is decided before
 * (inbound/security/AccessRules: another client's resource is 404 there), and searches count only the caller's scope.
 */
@RestController
@RequestMapping("/fhir")
public class FhirReadController {

    static final Set<String> READABLE_TYPES = Set.of("ServiceRequest", "Task", "Patient", "Observation",
            "QuestionnaireResponse");
    private static final Set<String> RESULT_PARAMETERS = Set.of("_format", "_count", "_offset");
    private static final int DEFAULT_COUNT = 20;
    private static final int MAX_COUNT = 100;

    private final MessageStore store;
    private final FhirFormats formats;
    private final CapabilityStatementFactory capabilityStatements;
    private final String baseUrl;

    public FhirReadController(MessageStore store, FhirFormats formats,
            CapabilityStatementFactory capabilityStatements, AdapterProperties properties) {
        this.store = store;
        this.formats = formats;
        this.capabilityStatements = capabilityStatements;
        this.baseUrl = properties.fhir().baseUrl();
    }

    @GetMapping("/metadata")
    public ResponseEntity<String> metadata(@RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(format, accept, null);
        return new ResponseEntity<>(formats.encode(capabilityStatements.capabilityStatement(), responseFormat),
                formats.contentTypeHeaders(responseFormat), HttpStatus.OK);
    }

    @GetMapping("/{resourceType}/{id}")
    public ResponseEntity<String> read(@PathVariable String resourceType, @PathVariable String id,
            @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(format, accept, null);
        if (!READABLE_TYPES.contains(resourceType)) {
            return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTSUPPORTED,
                    "Resource type '" + resourceType + "' is not served here; see /fhir/metadata"), responseFormat);
        }
        return store.readResource(resourceType, id)
                .map(stored -> new ResponseEntity<>(formats.encode(formats.withVersionMeta(stored), responseFormat),
                        formats.readHeaders(stored, responseFormat), HttpStatus.OK))
                .orElseGet(() -> formats.notKnown(resourceType, id, responseFormat));
    }

    /**
     * Search of the referral resources by the parameters in {@link SearchParameters}: every parameter must match
     * (AND), a comma separates alternatives (OR); {@code _count} (default 20, at most 100) and {@code _offset} page
     * through the matches, with next and previous links.
     */
    @GetMapping("/{resourceType:ServiceRequest|Task|Observation|QuestionnaireResponse}")
    public ResponseEntity<String> search(@PathVariable String resourceType,
            @RequestParam MultiValueMap<String, String> parameters,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestAttribute(name = ReferralScope.REQUEST_ATTRIBUTE, required = false) ReferralScope scope) {
        FhirFormat responseFormat = formats.responseFormat(parameters.getFirst("_format"), accept, null);
        List<String> unsupported = parameters.keySet().stream()
                .filter(p -> SearchParameters.find(resourceType, p).isEmpty() && !RESULT_PARAMETERS.contains(p))
                .sorted().toList();
        if (!unsupported.isEmpty()) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.NOTSUPPORTED, "Unsupported search parameter(s) "
                    + unsupported + " for " + resourceType + "; supported: " + SearchParameters.BY_TYPE.get(resourceType)
                    .stream().map(SearchParameters.Parameter::name).toList() + ", _count, _offset, _format"), responseFormat);
        }
        int count;
        int offset;
        try {
            count = parameters.containsKey("_count") ? Integer.parseInt(parameters.getFirst("_count")) : DEFAULT_COUNT;
            offset = parameters.containsKey("_offset") ? Integer.parseInt(parameters.getFirst("_offset")) : 0;
        } catch (NumberFormatException e) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.INVALID,
                    "_count and _offset must be whole numbers"), responseFormat);
        }
        if (count < 0 || offset < 0) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.INVALID,
                    "_count and _offset must not be negative"), responseFormat);
        }
        count = Math.min(count, MAX_COUNT);
        List<String> blank = parameters.entrySet().stream()
                .filter(p -> !RESULT_PARAMETERS.contains(p.getKey()))
                .filter(p -> p.getValue().stream().allMatch(v -> v == null || v.isBlank()))
                .map(Map.Entry::getKey).sorted().toList();
        if (!blank.isEmpty()) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.REQUIRED,
                    "Search parameter(s) " + blank + " have no value"), responseFormat);
        }
        Map<String, List<String>> criteria = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            SearchParameters.find(resourceType, parameter.getKey()).ifPresent(definition -> {
                List<String> values = new ArrayList<>();
                parameter.getValue().forEach(v -> values.addAll(alternatives(definition, v)));
                // a parameter repeated is AND in FHIR; one row per value can only match one of them, so keep each
                // repetition's alternatives together only when it is not repeated
                criteria.merge(parameter.getKey(), values, (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.retainAll(b);
                    return both;
                });
            });
        }
        // only what the caller may see (inbound/security/AccessRules puts its scope in); none without one
        MessageStore.SearchPage page = store.search(resourceType, criteria, offset, count,
                scope == null ? ReferralScope.NONE : scope);
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(page.total());
        String query = queryString(parameters);
        bundle.addLink().setRelation("self").setUrl(pageUrl(resourceType, query, offset, count));
        if (offset + count < page.total() && count > 0) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(resourceType, query, offset + count, count));
        }
        if (offset > 0) {
            bundle.addLink().setRelation("previous").setUrl(pageUrl(resourceType, query, Math.max(0, offset - count), count));
        }
        for (StoredResource stored : page.resources()) {
            bundle.addEntry().setFullUrl(baseUrl + "/" + resourceType + "/" + stored.id())
                    .setResource(formats.withVersionMeta(stored))
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), formats.contentTypeHeaders(responseFormat),
                HttpStatus.OK);
    }

    /** Every version of a resource, newest first, as a history Bundle. */
    @GetMapping("/{resourceType}/{id}/_history")
    public ResponseEntity<String> history(@PathVariable String resourceType, @PathVariable String id,
            @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(format, accept, null);
        if (!READABLE_TYPES.contains(resourceType)) {
            return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTSUPPORTED,
                    "Resource type '" + resourceType + "' is not served here; see /fhir/metadata"), responseFormat);
        }
        List<StoredResource> versions = store.history(resourceType, id);
        if (versions.isEmpty()) {
            return formats.notKnown(resourceType, id, responseFormat);
        }
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.HISTORY);
        bundle.setTotal(versions.size());
        bundle.addLink().setRelation("self").setUrl(baseUrl + "/" + resourceType + "/" + id + "/_history");
        for (StoredResource version : versions) {
            bundle.addEntry().setFullUrl(baseUrl + "/" + resourceType + "/" + id)
                    .setResource(formats.withVersionMeta(version))
                    .getRequest().setMethod(version.versionId() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
                    .setUrl(version.versionId() == 1 ? resourceType : resourceType + "/" + id);
        }
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), formats.contentTypeHeaders(responseFormat),
                HttpStatus.OK);
    }

    /** One version of a resource (vread). */
    @GetMapping("/{resourceType}/{id}/_history/{versionId}")
    public ResponseEntity<String> readVersion(@PathVariable String resourceType, @PathVariable String id,
            @PathVariable String versionId, @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(format, accept, null);
        if (!READABLE_TYPES.contains(resourceType)) {
            return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTSUPPORTED,
                    "Resource type '" + resourceType + "' is not served here; see /fhir/metadata"), responseFormat);
        }
        return store.history(resourceType, id).stream()
                .filter(version -> String.valueOf(version.versionId()).equals(versionId)).findFirst()
                .map(stored -> new ResponseEntity<>(formats.encode(formats.withVersionMeta(stored), responseFormat),
                        formats.readHeaders(stored, responseFormat), HttpStatus.OK))
                .orElseGet(() -> formats.notKnown(resourceType, id + "/_history/" + versionId, responseFormat));
    }

    /** One search value split on commas (FHIR's OR); a bare id of a reference gets its target type. */
    private List<String> alternatives(SearchParameters.Parameter definition, String value) {
        List<String> values = new ArrayList<>();
        for (String alternative : value.split(",")) {
            String v = alternative.trim();
            if (v.isEmpty()) {
                continue;
            }
            if (definition.type() == Enumerations.SearchParamType.REFERENCE) {
                if (v.startsWith(baseUrl + "/")) {
                    v = v.substring(baseUrl.length() + 1);
                }
                if (!v.contains("/") && definition.targetType() != null) {
                    v = definition.targetType() + "/" + v;
                }
            }
            values.add(v);
        }
        return values;
    }

    private static String queryString(MultiValueMap<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, values) -> {
            if (!name.equals("_offset") && !name.equals("_count")) {
                values.forEach(v -> query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            }
        });
        return query.toString();
    }

    private String pageUrl(String resourceType, String query, int offset, int count) {
        return baseUrl + "/" + resourceType + "?" + (query.isEmpty() ? "" : query + "&") + "_count=" + count + "&_offset=" + offset;
    }
}
