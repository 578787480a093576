package io.github.spfhir.adapter.domain.referral;

import java.util.regex.Pattern;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Parses an inbound message body (FHIR JSON or XML) into a Bundle. Unknown elements are tolerated (senders add
 * things; the raw body is stored as sent), but a body that is not well-formed FHIR is refused with the parser's
 * position. Extensions, known or not, are kept by HAPI as parsed.
 */
@Component
public class ReferralBundleParser {

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE", Pattern.CASE_INSENSITIVE);

    private final FhirContext fhirContext;

    public ReferralBundleParser(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    public ParsedMessage parse(InboundMessage inbound) {
        IBaseResource resource = parseResource(inbound.format(), inbound.body());
        if (!(resource instanceof Bundle bundle)) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT,
                    Problem.error(IssueType.INVALID, "Expected a message Bundle but the body is a "
                            + resource.fhirType(), resource.fhirType()));
        }
        return new ParsedMessage(inbound, bundle);
    }

    /**
     * Parses a FHIR body of any resource type, with the rules above (no DOCTYPE, lenient on unknown elements,
     * strict on unreadable values).
     *
     * @throws RejectedMessageException UNPARSEABLE when the body is not well-formed FHIR
     */
    public IBaseResource parseResource(InboundMessage.FhirFormat format, String body) {
        if (format == InboundMessage.FhirFormat.XML && DOCTYPE.matcher(body).find()) {
            // FHIR XML never needs a DTD; a DOCTYPE is how external entities and entity bombs get in
            throw new RejectedMessageException(RejectionReason.UNPARSEABLE, Problem.error(IssueType.SECURITY,
                    "XML with a DOCTYPE declaration is not accepted (FHIR XML has none); nothing in it was resolved"));
        }
        IParser parser = format == InboundMessage.FhirFormat.XML
                ? fhirContext.newXmlParser()
                : fhirContext.newJsonParser();
        // Lenient on unknown elements, strict on values that cannot be read (a date that is not a date).
        LenientErrorHandler errorHandler = new LenientErrorHandler(false);
        errorHandler.setErrorOnInvalidValue(true);
        parser.setParserErrorHandler(errorHandler);
        try {
            return parser.parseResource(body);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new RejectedMessageException(RejectionReason.UNPARSEABLE,
                    Problem.error(IssueType.STRUCTURE, "The body is not valid FHIR " + format + ": "
                            + ParserMessages.withoutContent(e.getMessage())));
        } catch (RuntimeException e) {
            // HAPI's parser fails on some malformed input with its own errors (an extension that is null, a limit of
            // the JSON reader): still the body's fault, never the adapter's; the message is not quoted
            throw new RejectedMessageException(RejectionReason.UNPARSEABLE, Problem.error(IssueType.STRUCTURE,
                    "The body is not valid FHIR " + format + ": it cannot be read (" + e.getClass().getSimpleName()
                            + ")"));
        }
    }

    /** An inbound message whose body parsed as a Bundle. */
    public record ParsedMessage(InboundMessage inbound, Bundle bundle) {
    }
}
