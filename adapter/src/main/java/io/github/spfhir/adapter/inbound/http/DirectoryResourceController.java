package io.github.spfhir.adapter.inbound.http;


import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.store.DirectoryStore;

/**
 * Reads of the directory's Organizations and Locations ({@code GET /fhir/Organization/{id}},
 * {@code /fhir/Location/{id}}), the resources a HealthcareService points to and {@code _include} returns.
 */
@RestController
@RequestMapping("/fhir")
public class DirectoryResourceController {

    private final DirectoryStore store;
    private final FhirFormats formats;

    public DirectoryResourceController(DirectoryStore store, FhirFormats formats) {
        this.store = store;
        this.formats = formats;
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
                .map(stored -> new ResponseEntity<>(formats.encode(formats.withVersionMeta(stored), format),
                        formats.readHeaders(stored, format), HttpStatus.OK))
                .orElseGet(() -> formats.notKnown(type, id, format));
    }

}
