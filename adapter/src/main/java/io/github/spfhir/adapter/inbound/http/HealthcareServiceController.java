package io.github.spfhir.adapter.inbound.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.directory.NearSearch;
import io.github.spfhir.adapter.domain.directory.PostcodeLookup;
import io.github.spfhir.adapter.domain.directory.Translations;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.DirectorySearch;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * The directory's community services: {@code GET /fhir/HealthcareService/{id}} and
 * {@code GET /fhir/HealthcareService?name=&service-category=&service-type=&organization=&location=&active=&_count=}
 * (a searchset Bundle, pages linked by {@code next}). A parameter we do not support is a 400 OperationOutcome,
 * never silently ignored. {@code _include=HealthcareService:organization} and {@code HealthcareService:location}
 * add the referenced resources to the page (search mode {@code include}). {@code Accept-Language: cy} gives name and comment in Welsh where a Welsh translation
 * is held (FHIR translation extension). Through the services' locations, the chains {@code location.near}
 * (nearest first, each match with its distance), {@code location.near-postcode} (the same from a postcode's
 * position) and {@code location.address-postalcode}.
 */
@RestController
@RequestMapping("/fhir/HealthcareService")
public class HealthcareServiceController {

    static final String LOCATION_NEAR = "location.near";
    static final String LOCATION_NEAR_POSTCODE = "location.near-postcode";
    static final String LOCATION_POSTAL_CODE = "location.address-postalcode";
    static final Set<String> SEARCH_PARAMETERS = Set.of("name", "service-category", "service-type", "organization",
            "location", "active", LOCATION_NEAR, LOCATION_NEAR_POSTCODE, LOCATION_POSTAL_CODE);
    private static final Set<String> RESULT_PARAMETERS = Set.of("_format", "_count", "_offset", "_include");
    static final List<String> INCLUDES = List.of("HealthcareService:location", "HealthcareService:organization");
    static final int DEFAULT_COUNT = 20;
    static final int MAX_COUNT = 100;

    private final DirectoryStore store;
    private final FhirFormats formats;
    private final String baseUrl;
    private final PostcodeLookup postcodes;

    public HealthcareServiceController(DirectoryStore store, FhirFormats formats,
            AdapterProperties properties, PostcodeLookup postcodes) {
        this.postcodes = postcodes;
        this.store = store;
        this.formats = formats;
        this.baseUrl = properties.fhir().baseUrl();
    }

    @GetMapping("/{id}")
    public ResponseEntity<String> read(@PathVariable String id,
            @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        FhirFormat responseFormat = formats.responseFormat(format, accept, null);
        boolean welsh = wantsWelsh(acceptLanguage);
        return store.read(DirectoryStore.HEALTHCARE_SERVICE, id)
                .map(stored -> {
                    HttpHeaders headers = formats.readHeaders(stored, responseFormat);
                    headers.setVary(List.of(HttpHeaders.ACCEPT_LANGUAGE));
                    Resource resource = formats.withVersionMeta(stored);
                    if (welsh && Translations.localise((HealthcareService) resource, Translations.WELSH, Translations.ENGLISH)) {
                        headers.set(HttpHeaders.CONTENT_LANGUAGE, Translations.WELSH);
                    }
                    return new ResponseEntity<>(formats.encode(resource, responseFormat), headers, HttpStatus.OK);
                })
                .orElseGet(() -> formats.notKnown(DirectoryStore.HEALTHCARE_SERVICE, id, responseFormat));
    }

    @GetMapping
    public ResponseEntity<String> search(@RequestParam MultiValueMap<String, String> parameters,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        FhirFormat responseFormat = formats.responseFormat(parameters.getFirst("_format"), accept, null);
        List<String> unsupported = parameters.keySet().stream()
                .filter(p -> !SEARCH_PARAMETERS.contains(p) && !RESULT_PARAMETERS.contains(p)).sorted().toList();
        if (!unsupported.isEmpty()) {
            return badRequest(IssueType.NOTSUPPORTED, "Unsupported search parameter(s) " + unsupported
                    + "; HealthcareService supports " + new java.util.TreeSet<>(SEARCH_PARAMETERS)
                    + ", _count and _include", responseFormat);
        }
        List<String> includes = parameters.getOrDefault("_include", List.of()).stream()
                .filter(v -> v != null && !v.isBlank()).map(String::trim).distinct().sorted().toList();
        List<String> unknownIncludes = includes.stream().filter(i -> !INCLUDES.contains(i)).toList();
        if (!unknownIncludes.isEmpty()) {
            return badRequest(IssueType.NOTSUPPORTED, "Unsupported _include " + unknownIncludes + "; supported: "
                    + INCLUDES, responseFormat);
        }
        List<String> repeated = parameters.entrySet().stream()
                .filter(e -> !e.getKey().equals("_include") && e.getValue().size() > 1)
                .map(Map.Entry::getKey).sorted().toList();
        if (!repeated.isEmpty()) {
            return badRequest(IssueType.NOTSUPPORTED, "Repeated search parameter(s) " + repeated
                    + " are not supported; give each once (comma-separated values are not supported either)", responseFormat);
        }
        Map<String, String> given = new TreeMap<>();
        parameters.forEach((k, v) -> {
            if (!k.equals("_include") && v.get(0) != null && !v.get(0).isBlank()) {
                given.put(k, v.get(0).trim());
            }
        });
        Boolean active = null;
        if (given.containsKey("active")) {
            String value = given.get("active").toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                return badRequest(IssueType.INVALID, "active must be true or false", responseFormat);
            }
            active = Boolean.valueOf(value);
        }
        int count;
        int offset;
        try {
            count = Math.min(MAX_COUNT, Integer.parseInt(given.getOrDefault("_count", String.valueOf(DEFAULT_COUNT))));
            offset = Integer.parseInt(given.getOrDefault("_offset", "0"));
        } catch (NumberFormatException e) {
            return badRequest(IssueType.INVALID, "_count and _offset must be whole numbers", responseFormat);
        }
        if (count < 1 || offset < 0) {
            return badRequest(IssueType.INVALID, "_count must be at least 1 and _offset at least 0", responseFormat);
        }
        if (given.containsKey(LOCATION_NEAR) && given.containsKey(LOCATION_NEAR_POSTCODE)) {
            return badRequest(IssueType.INVALID, "Give " + LOCATION_NEAR + " or " + LOCATION_NEAR_POSTCODE + ", not both",
                    responseFormat);
        }
        NearSearch near;
        String postalCode;
        try {
            near = given.containsKey(LOCATION_NEAR) ? NearSearchParameters.near(LOCATION_NEAR, given.get(LOCATION_NEAR))
                    : given.containsKey(LOCATION_NEAR_POSTCODE) ? NearSearchParameters.nearPostcode(
                            LOCATION_NEAR_POSTCODE, given.get(LOCATION_NEAR_POSTCODE), postcodes)
                    : null;
            postalCode = given.containsKey(LOCATION_POSTAL_CODE)
                    ? NearSearchParameters.postalCode(LOCATION_POSTAL_CODE, given.get(LOCATION_POSTAL_CODE))
                    : null;
        } catch (DirectorySearchRequest.Refused e) {
            return formats.outcome(e.status, Problem.error(e.type, e.getMessage()), responseFormat);
        } catch (IllegalArgumentException e) {
            return badRequest(IssueType.INVALID, e.getMessage(), responseFormat);
        }
        DirectorySearch search = new DirectorySearch(given.get("name"), given.get("service-category"),
                given.get("service-type"), reference("Organization", given.get("organization")),
                reference("Location", given.get("location")), active, near, postalCode);
        DirectoryStore.SearchResult result = store.searchServices(search, offset, count);

        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(result.total());
        bundle.addLink().setRelation("self").setUrl(pageUrl(given, includes, count, offset));
        if (offset + count < result.total()) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(given, includes, count, offset + count));
        }
        Set<String> included = new java.util.LinkedHashSet<>();
        boolean welsh = wantsWelsh(acceptLanguage);
        for (StoredResource stored : result.matches()) {
            Resource resource = formats.withVersionMeta(stored);
            if (welsh) {
                Translations.localise((HealthcareService) resource, Translations.WELSH, Translations.ENGLISH);
            }
            Bundle.BundleEntryComponent entry = bundle.addEntry()
                    .setFullUrl(baseUrl + "/HealthcareService/" + stored.id()).setResource(resource);
            entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH);
            Double km = result.distancesKm().get(stored.id());
            if (near != null && km != null) {
                NearSearchParameters.addDistance(entry, near, km);
            }
            HealthcareService service = (HealthcareService) resource;
            if (includes.contains("HealthcareService:organization") && service.getProvidedBy().hasReference()) {
                included.add(service.getProvidedBy().getReference());
            }
            if (includes.contains("HealthcareService:location")) {
                service.getLocation().stream().filter(r -> r.hasReference()).forEach(r -> included.add(r.getReference()));
            }
        }
        for (String reference : included) {
            String[] typeAndId = reference.split("/", 2);
            if (typeAndId.length == 2) {
                store.read(typeAndId[0], typeAndId[1]).ifPresent(stored -> bundle.addEntry()
                        .setFullUrl(baseUrl + "/" + stored.resourceType() + "/" + stored.id()).setResource(formats.withVersionMeta(stored))
                        .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE));
            }
        }
        HttpHeaders headers = formats.contentTypeHeaders(responseFormat);
        headers.setVary(List.of(HttpHeaders.ACCEPT_LANGUAGE));
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), headers, HttpStatus.OK);
    }

    /**
     * True when the caller prefers Welsh to English ({@code Accept-Language: cy}, {@code cy-GB}, or Welsh weighted
     * above English). Then name and comment are given in Welsh where the service has a Welsh translation, the
     * English kept as a translation. An unreadable header is ignored.
     */
    static boolean wantsWelsh(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return false;
        }
        try {
            return Translations.WELSH.equals(Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage),
                    List.of(Translations.WELSH, Translations.ENGLISH)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A reference search value as {@code Type/id}; a bare id is taken as of that type. */
    private static String reference(String type, String value) {
        if (value == null) {
            return null;
        }
        return value.contains("/") ? value : type + "/" + value;
    }

    private String pageUrl(Map<String, String> given, List<String> includes, int count, int offset) {
        String query = java.util.stream.Stream.concat(
                given.entrySet().stream()
                        .filter(e -> !e.getKey().equals("_count") && !e.getKey().equals("_offset"))
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())),
                includes.stream().map(i -> "_include=" + encode(i)))
                .collect(Collectors.joining("&"));
        return baseUrl + "/HealthcareService?" + (query.isEmpty() ? "" : query + "&") + "_count=" + count
                + (offset > 0 ? "&_offset=" + offset : "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }


    private ResponseEntity<String> badRequest(IssueType type, String message, FhirFormat format) {
        return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(type, message), format);
    }

}
