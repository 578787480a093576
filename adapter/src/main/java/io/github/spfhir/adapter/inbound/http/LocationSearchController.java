package io.github.spfhir.adapter.inbound.http;

import java.util.Map;
import java.util.Set;

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
        DirectorySearchRequest request;
        NearSearch near;
        String postalCode;
        try {
            request = DirectorySearchRequest.read("Location", parameters, SEARCH_PARAMETERS);
            Map<String, String> given = request.given();
            if (given.containsKey(NEAR) && given.containsKey(NEAR_POSTCODE)) {
                throw DirectorySearchRequest.Refused.badRequest(IssueType.INVALID, "Give near or near-postcode, not both");
            }
            near = given.containsKey(NEAR) ? NearSearchParameters.near(NEAR, given.get(NEAR))
                    : given.containsKey(NEAR_POSTCODE)
                            ? NearSearchParameters.nearPostcode(NEAR_POSTCODE, given.get(NEAR_POSTCODE), postcodes)
                            : null;
            postalCode = given.containsKey(POSTAL_CODE)
                    ? NearSearchParameters.postalCode(POSTAL_CODE, given.get(POSTAL_CODE))
                    : null;
        } catch (DirectorySearchRequest.Refused e) {
            return formats.outcome(e.status, Problem.error(e.type, e.getMessage()), responseFormat);
        } catch (IllegalArgumentException e) {
            return badRequest(IssueType.INVALID, e.getMessage(), responseFormat);
        }
        DirectoryStore.SearchResult result = store.searchLocations(new LocationSearch(near, postalCode),
                request.offset(), request.count());

        Bundle bundle = request.searchset(baseUrl, "Location", result.total());
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

    private ResponseEntity<String> badRequest(IssueType type, String message, FhirFormat format) {
        return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(type, message), format);
    }
}
