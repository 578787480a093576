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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.directory.NearSearch;
import io.github.spfhir.adapter.domain.directory.PostcodeLookup;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.LocationSearch;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Search of the directory's Locations: {@code GET /fhir/Location?near=lat|lon|distance|units} (nearest first,
 * each match with its distance) and {@code address-postalcode=}, with {@code _count} / {@code _offset} paging. As
 * elsewhere, a parameter we do not support is a 400 OperationOutcome, never ignored. Reads are
 * {@link DirectoryResourceController}'s.
 */
@RestController
public class LocationSearchController {

    static final String NEAR = "near";
    static final String POSTAL_CODE = "address-postalcode";
    static final String NEAR_POSTCODE = "near-postcode";
    static final Set<String> SEARCH_PARAMETERS = Set.of(NEAR, NEAR_POSTCODE, POSTAL_CODE);
    private static final Set<String> RESULT_PARAMETERS = Set.of("_format", "_count", "_offset");

    private final DirectoryStore store;
    private final FhirFormats formats;
    private final String baseUrl;
    private final PostcodeLookup postcodes;

    public LocationSearchController(DirectoryStore store, FhirFormats formats, AdapterProperties properties,
            PostcodeLookup postcodes) {
        this.postcodes = postcodes;
        this.store = store;
        this.formats = formats;
        this.baseUrl = properties.fhir().baseUrl();
    }

    @GetMapping("/fhir/Location")
    public ResponseEntity<String> search(@RequestParam MultiValueMap<String, String> parameters,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(parameters.getFirst("_format"), accept, null);
        List<String> unsupported = parameters.keySet().stream()
                .filter(p -> !SEARCH_PARAMETERS.contains(p) && !RESULT_PARAMETERS.contains(p)).sorted().toList();
        if (!unsupported.isEmpty()) {
            return badRequest(IssueType.NOTSUPPORTED, "Unsupported search parameter(s) " + unsupported
                    + "; Location supports " + new TreeSet<>(SEARCH_PARAMETERS) + ", _count and _offset", responseFormat);
        }
        List<String> repeated = parameters.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).sorted().toList();
        if (!repeated.isEmpty()) {
            return badRequest(IssueType.NOTSUPPORTED, "Repeated search parameter(s) " + repeated
                    + " are not supported; give each once", responseFormat);
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
            count = Math.min(HealthcareServiceController.MAX_COUNT,
                    Integer.parseInt(given.getOrDefault("_count", String.valueOf(HealthcareServiceController.DEFAULT_COUNT))));
            offset = Integer.parseInt(given.getOrDefault("_offset", "0"));
        } catch (NumberFormatException e) {
            return badRequest(IssueType.INVALID, "_count and _offset must be whole numbers", responseFormat);
        }
        if (count < 1 || offset < 0) {
            return badRequest(IssueType.INVALID, "_count must be at least 1 and _offset at least 0", responseFormat);
        }
        if (given.containsKey(NEAR) && given.containsKey(NEAR_POSTCODE)) {
            return badRequest(IssueType.INVALID, "Give near or near-postcode, not both", responseFormat);
        }
        NearSearch near;
        String postalCode;
        try {
            near = given.containsKey(NEAR) ? NearSearchParameters.near(NEAR, given.get(NEAR))
                    : given.containsKey(NEAR_POSTCODE)
                            ? NearSearchParameters.nearPostcode(NEAR_POSTCODE, given.get(NEAR_POSTCODE), postcodes)
                            : null;
            postalCode = given.containsKey(POSTAL_CODE)
                    ? NearSearchParameters.postalCode(POSTAL_CODE, given.get(POSTAL_CODE))
                    : null;
        } catch (NearSearchParameters.Refused e) {
            return formats.outcome(e.status, Problem.error(e.type, e.getMessage()), responseFormat);
        } catch (IllegalArgumentException e) {
            return badRequest(IssueType.INVALID, e.getMessage(), responseFormat);
        }
        DirectoryStore.SearchResult result = store.searchLocations(new LocationSearch(near, postalCode), offset, count);

        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(result.total());
        bundle.addLink().setRelation("self").setUrl(pageUrl(given, count, offset));
        if (offset + count < result.total()) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(given, count, offset + count));
        }
        for (StoredResource stored : result.matches()) {
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(baseUrl + "/Location/" + stored.id())
                    .setResource(formats.withVersionMeta(stored));
            entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH);
            Double km = result.distancesKm().get(stored.id());
            if (near != null && km != null) {
                NearSearchParameters.addDistance(entry, near, km);
            }
        }
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), formats.contentTypeHeaders(responseFormat),
                HttpStatus.OK);
    }

    private String pageUrl(Map<String, String> given, int count, int offset) {
        String query = given.entrySet().stream()
                .filter(e -> !e.getKey().equals("_count") && !e.getKey().equals("_offset"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return baseUrl + "/Location?" + (query.isEmpty() ? "" : query + "&") + "_count=" + count
                + (offset > 0 ? "&_offset=" + offset : "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private ResponseEntity<String> badRequest(IssueType type, String message, FhirFormat format) {
        return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(type, message), format);
    }
}
