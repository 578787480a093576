package io.github.spfhir.adapter.inbound.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
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

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Reads what the adapter holds: {@code GET /fhir/metadata}, {@code /fhir/{type}/{id}} for ServiceRequest, Task
 * and Patient, and {@code GET /fhir/Task?focus=ServiceRequest/{id}}. Anything else under /fhir gets an
 * OperationOutcome saying it is not supported, never a silent empty result.
 */
@RestController
@RequestMapping("/fhir")
public class FhirReadController {

    static final Set<String> READABLE_TYPES = Set.of("ServiceRequest", "Task", "Patient");
    static final Set<String> TASK_SEARCH_PARAMETERS = Set.of("focus");
    private static final Set<String> RESULT_PARAMETERS = Set.of("_format");

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

    @GetMapping("/Task")
    public ResponseEntity<String> searchTasks(@RequestParam Map<String, String> parameters,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        FhirFormat responseFormat = formats.responseFormat(parameters.get("_format"), accept, null);
        List<String> unsupported = parameters.keySet().stream()
                .filter(p -> !TASK_SEARCH_PARAMETERS.contains(p) && !RESULT_PARAMETERS.contains(p)).sorted().toList();
        if (!unsupported.isEmpty()) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.NOTSUPPORTED, "Unsupported search parameter(s) "
                    + unsupported + "; Task supports " + TASK_SEARCH_PARAMETERS), responseFormat);
        }
        String focus = parameters.get("focus");
        if (focus == null || focus.isBlank()) {
            return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.REQUIRED,
                    "Task search needs focus=ServiceRequest/{id}"), responseFormat);
        }
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        List<StoredResource> matches = store.search("Task", "focus", focus);
        bundle.setTotal(matches.size());
        bundle.addLink().setRelation("self").setUrl(baseUrl + "/Task?focus=" + focus);
        for (StoredResource stored : matches) {
            bundle.addEntry().setFullUrl(baseUrl + "/Task/" + stored.id()).setResource(formats.withVersionMeta(stored))
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return new ResponseEntity<>(formats.encode(bundle, responseFormat), formats.contentTypeHeaders(responseFormat),
                HttpStatus.OK);
    }


}
