package io.github.spfhir.adapter.inbound.http;

import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Search of the directory's organisations (the providers of its services): {@code GET
 * /fhir/Organization?name=&identifier=&_count=&_offset=}, in name then id order, as HealthcareService's search: a
 * parameter we do not support is a 400 OperationOutcome, never ignored; pages linked by {@code next}. Reads are
 * {@link DirectoryResourceController}'s.
 */
@RestController
public class OrganizationSearchController {

    static final String NAME = "name";
    static final String IDENTIFIER = "identifier";
    static final Set<String> SEARCH_PARAMETERS = Set.of(NAME, IDENTIFIER);

    private final DirectoryStore store;
    private final FhirFormats formats;
    private final String baseUrl;

    public OrganizationSearchController(DirectoryStore store, FhirFormats formats, AdapterProperties properties) {
        this.store = store;
        this.formats = formats;
        this.baseUrl = properties.fhir().baseUrl();
    }

    @GetMapping("/fhir/Organization")
    public ResponseEntity<String> search(@RequestParam MultiValueMap<String, String> parameters,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(parameters.getFirst("_format"), accept, null);
        DirectorySearchRequest request;
        try {
            request = DirectorySearchRequest.read("Organization", parameters, SEARCH_PARAMETERS);
        } catch (DirectorySearchRequest.Refused e) {
            return formats.outcome(e.status, Problem.error(e.type, e.getMessage()), responseFormat);
        }
        DirectoryStore.SearchResult result = store.searchOrganizations(request.given().get(NAME),
                request.given().get(IDENTIFIER), request.offset(), request.count());
        Bundle bundle = request.searchset(baseUrl, "Organization", result.total());
        for (StoredResource stored : result.matches()) {
            bundle.addEntry().setFullUrl(baseUrl + "/Organization/" + stored.id())
                    .setResource(formats.withVersionMeta(stored)).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), formats.contentTypeHeaders(responseFormat),
                HttpStatus.OK);
    }
}
