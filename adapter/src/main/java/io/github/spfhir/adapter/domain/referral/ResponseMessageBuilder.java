package io.github.spfhir.adapter.domain.referral;

import java.time.Clock;
import java.util.Date;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * The synchronous answer to an accepted referral, as BaRS does it: a message Bundle whose MessageHeader has event
 * {@code servicerequest-response}, {@code response.identifier} the request's MessageHeader id and
 * {@code response.code = ok}, and whose focus and entries are the ServiceRequest and Task we created.
 */
@Component
public class ResponseMessageBuilder {

    private final Clock clock;
    private final String baseUrl;

    public ResponseMessageBuilder(Clock clock, AdapterProperties properties) {
        this.clock = clock;
        this.baseUrl = properties.fhir().baseUrl();
    }

    public Bundle accepted(AcceptedReferral accepted) {
        MappedReferral mapped = accepted.mapped();
        ReferralMessage request = mapped.routed().message();
        String requestId = request.inbound().requestId();

        MessageHeader header = new MessageHeader();
        header.setId(DeterministicIds.of("MessageHeader", requestId));
        header.setEvent(new Coding(BarsReferralReader.BARS_EVENT_SYSTEM, BarsReferralReader.EVENT_REFERRAL_RESPONSE,
                "Referral response"));
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint(baseUrl).setName("sp-fhir-adapter"));
        if (request.header().hasSource() && request.header().getSource().hasEndpoint()) {
            header.addDestination().setEndpoint(request.header().getSource().getEndpoint());
        }
        header.setResponse(new MessageHeader.MessageHeaderResponseComponent()
                .setIdentifier(requestHeaderId(request))
                .setCode(MessageHeader.ResponseType.OK));
        header.addFocus(new Reference("ServiceRequest/" + id(mapped.serviceRequest())));
        header.addFocus(new Reference("Task/" + id(mapped.task())));

        Bundle bundle = new Bundle();
        bundle.setId(DeterministicIds.of("Bundle", requestId));
        bundle.setType(Bundle.BundleType.MESSAGE);
        bundle.setTimestampElement(new InstantType(Date.from(clock.instant()), TemporalPrecisionEnum.MILLI,
                java.util.TimeZone.getTimeZone("UTC")));
        add(bundle, header);
        add(bundle, mapped.serviceRequest());
        add(bundle, mapped.task());
        return bundle;
    }

    /** The request MessageHeader's id, from its resource id or, failing that, its urn:uuid fullUrl. */
    private static String requestHeaderId(ReferralMessage request) {
        String id = request.header().hasIdElement() && request.header().getIdElement().hasIdPart()
                ? request.header().getIdElement().getIdPart()
                : request.bundle().getEntryFirstRep().getFullUrl();
        // HAPI gives an entry's resource its urn:uuid fullUrl as id; the MessageHeader id is the bare UUID
        return id != null && id.startsWith("urn:uuid:") ? id.substring("urn:uuid:".length()) : id;
    }

    private void add(Bundle bundle, Resource resource) {
        bundle.addEntry().setFullUrl(baseUrl + "/" + resource.fhirType() + "/" + id(resource)).setResource(resource);
    }

    private static String id(Resource resource) {
        return resource.getIdElement().getIdPart();
    }
}
