package io.github.spfhir.adapter.inbound.http;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.StoredResource;

/** FHIR content negotiation: which encoding a request body is in, and which one the caller wants back. */
@Component
public class FhirFormats {

    /** Reads HAPI's JSON and writes it back unchanged: decimals kept as written, compact as HAPI writes it. */
    private static final ObjectMapper BUNDLE_JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");
    static final MediaType FHIR_XML = MediaType.parseMediaType("application/fhir+xml;charset=UTF-8");

    private final FhirContext fhirContext;

    public FhirFormats(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /**
     * The encoding of a request body from its Content-Type (parameters such as {@code charset} and BaRS's
     * {@code version} are ignored), or empty when it is not a FHIR encoding we read.
     */
    public Optional<FhirFormat> ofContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.empty();
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return Optional.empty();
        }
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        if (!"application".equalsIgnoreCase(type.getType()) && !"text".equalsIgnoreCase(type.getType())) {
            return Optional.empty();
        }
        return switch (subtype) {
            case "fhir+json", "json+fhir", "json" -> Optional.of(FhirFormat.JSON);
            case "fhir+xml", "xml+fhir", "xml" -> Optional.of(FhirFormat.XML);
            default -> Optional.empty();
        };
    }

    /** The encoding to answer in: {@code _format}, else Accept, else the request's own, else JSON. */
    public FhirFormat responseFormat(String formatParameter, String accept, FhirFormat requestFormat) {
        if (formatParameter != null && !formatParameter.isBlank()) {
            String f = formatParameter.toLowerCase(Locale.ROOT);
            return f.contains("xml") ? FhirFormat.XML : FhirFormat.JSON;
        }
        if (accept != null && !accept.isBlank()) {
            try {
                List<MediaType> types = MediaType.parseMediaTypes(accept);
                types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
                for (MediaType type : types) {
                    String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
                    if (subtype.contains("xml")) {
                        return FhirFormat.XML;
                    }
                    if (subtype.contains("json")) {
                        return FhirFormat.JSON;
                    }
                }
            } catch (InvalidMediaTypeException e) {
                // an unreadable Accept falls back to the request's format
            }
        }
        return requestFormat != null ? requestFormat : FhirFormat.JSON;
    }

    public String encode(IBaseResource resource, FhirFormat format) {
        return (format == FhirFormat.XML ? fhirContext.newXmlParser() : fhirContext.newJsonParser())
                .setPrettyPrint(false).encodeResourceToString(resource);
    }

    /**
     * A Bundle as {@link #encode} encodes it, without encoding again the entries' resources whose JSON is given (by
     * resource, as HAPI's JSON parser encoded them, not pretty-printed): those are put in as they are. The referral
     * response carries the ServiceRequest and Task just validated, whose JSON the validator read and the store keeps;
     * encoding them again was about 1.5 % of the CPU per referral (docs/benchmarks.md, sixteenth session). XML, and
     * an entry with more than a {@code fullUrl} and its resource, are encoded by HAPI as before; the answer is the
     * same text either way ({@code FhirFormatsTest}).
     */
    public String encode(Bundle bundle, FhirFormat format, Map<IBaseResource, String> encodedResources) {
        if (format != FhirFormat.JSON || encodedResources.isEmpty()) {
            return encode(bundle, format);
        }
        List<BundleEntryComponent> entries = bundle.getEntry();
        Map<Integer, Resource> takenOut = new LinkedHashMap<>();
        try {
            for (int i = 0; i < entries.size(); i++) {
                BundleEntryComponent entry = entries.get(i);
                if (entry.hasResource() && encodedResources.containsKey(entry.getResource()) && entry.hasFullUrl()
                        && !entry.hasLink() && !entry.hasSearch() && !entry.hasRequest() && !entry.hasResponse()
                        && !entry.hasExtension() && !entry.hasModifierExtension() && !entry.hasId()) {
                    takenOut.put(i, entry.getResource());
                    entry.setResource(null); // HAPI writes {"fullUrl": ...} for it; the resource follows fullUrl
                }
            }
            if (takenOut.isEmpty()) {
                return encode(bundle, format);
            }
            ObjectNode tree = (ObjectNode) BUNDLE_JSON.readTree(encode(bundle, format));
            ArrayNode encodedEntries = (ArrayNode) tree.get("entry");
            takenOut.forEach((index, resource) -> ((ObjectNode) encodedEntries.get(index))
                    .putRawValue("resource", new RawValue(encodedResources.get(resource))));
            return BUNDLE_JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("HAPI's own JSON could not be read back", e);
        } finally {
            takenOut.forEach((index, resource) -> entries.get(index).setResource(resource));
        }
    }

    /** A stored resource as read back: its JSON with meta.versionId and meta.lastUpdated from the store. */
    public Resource withVersionMeta(StoredResource stored) {
        Resource resource = (Resource) fhirContext.newJsonParser().parseResource(stored.json());
        resource.getMeta().setVersionId(String.valueOf(stored.versionId()));
        resource.getMeta().setLastUpdated(Date.from(stored.lastUpdated()));
        return resource;
    }

    /** The headers of a read: content type, a weak ETag of the version, Last-Modified. */
    public HttpHeaders readHeaders(StoredResource stored, FhirFormat format) {
        HttpHeaders headers = contentTypeHeaders(format);
        headers.setETag("W/\"" + stored.versionId() + "\"");
        headers.setLastModified(stored.lastUpdated());
        return headers;
    }

    /** A one-issue OperationOutcome answer. */
    public ResponseEntity<String> outcome(HttpStatus status, Problem problem, FhirFormat format) {
        return new ResponseEntity<>(encode(OperationOutcomes.of(status, List.of(problem)), format),
                contentTypeHeaders(format), status);
    }

    /** The answer to a read of an id the store does not hold. */
    public ResponseEntity<String> notKnown(String resourceType, String id, FhirFormat format) {
        return outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTFOUND, resourceType + "/" + id + " is not known"),
                format);
    }

    public HttpHeaders contentTypeHeaders(FhirFormat format) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(format == FhirFormat.XML ? FHIR_XML : FHIR_JSON);
        return headers;
    }
}
