package io.github.spfhir.adapter.inbound.http;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Reads of the directory's Organizations and Locations ({@code GET /fhir/Organization/{id}},
 * {@code /fhir/Location/{id}}), the resources a HealthcareService points to and {@code _include} returns.
 */
@RestController
@RequestMapping("/fhir")
public class DirectoryResourceController {

    private final DirectoryStore store;
    private final FhirFormats formats;
    private final FhirContext fhirContext;

    public DirectoryResourceController(DirectoryStore store, FhirFormats formats, FhirContext fhirContext) {
        this.store = store;
        this.formats = formats;
        this.fhirContext = fhirContext;
    }

    @GetMapping("/Organization/{id}")
    public ResponseEntity<String> organization(@PathVariable String id,
            @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        return read("Organization", id, formats.responseFormat(format, accept, null));
    }

    @GetMapping("/Location/{id}")
    public ResponseEntity<String> location(@PathVariable String id,
            @RequestParam(name = "_format", required = false) String format,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        return read("Location", id, formats.responseFormat(format, accept, null));
    }

    private ResponseEntity<String> read(String type, String id, FhirFormat format) {
        return store.read(type, id)
                .map(stored -> {
                    HttpHeaders headers = formats.contentTypeHeaders(format);
                    headers.setETag("W/\"" + stored.versionId() + "\"");
                    headers.setLastModified(stored.lastUpdated());
                    return new ResponseEntity<>(formats.encode(withMeta(stored), format), headers, HttpStatus.OK);
                })
                .orElseGet(() -> new ResponseEntity<>(formats.encode(OperationOutcomes.of(HttpStatus.NOT_FOUND,
                        List.of(Problem.error(IssueType.NOTFOUND, type + "/" + id + " is not known"))), format),
                        formats.contentTypeHeaders(format), HttpStatus.NOT_FOUND));
    }

    private Resource withMeta(StoredResource stored) {
        Resource resource = (Resource) fhirContext.newJsonParser().parseResource(stored.json());
        resource.getMeta().setVersionId(String.valueOf(stored.versionId()));
        resource.getMeta().setLastUpdated(java.util.Date.from(stored.lastUpdated()));
        return resource;
    }
}
