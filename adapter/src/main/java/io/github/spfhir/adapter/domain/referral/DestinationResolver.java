package io.github.spfhir.adapter.domain.referral;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Chooses the link-worker destination of a referral from configuration.
 *
 * <ol>
 *   <li>The target the sender named: NHSD-Target-Identifier, else MessageHeader.destination (endpoint as
 *       {@code system|value}, or receiver identifier). A named target no destination serves is refused (404)
 *       rather than guessed at: sending a referral somewhere the GP did not choose is a misrouting hazard
 *       (docs/clinical-safety.md).</li>
 *   <li>When no target is named, the referring practice's ODS code, if a destination lists it.</li>
 * </ol>
 */
@Component
public class DestinationResolver {

    private final Map<String, AdapterProperties.Destination> destinations;

    public DestinationResolver(AdapterProperties properties) {
        this.destinations = properties.destinations();
    }

    public RoutedReferral resolve(ReferralMessage message) {
        Set<String> named = namedTargets(message);
        if (!named.isEmpty()) {
            for (String token : named) {
                Optional<Map.Entry<String, AdapterProperties.Destination>> match = destinations.entrySet().stream()
                        .filter(d -> d.getValue().serviceIdentifiers().stream().anyMatch(token::equalsIgnoreCase))
                        .sorted(Map.Entry.comparingByKey())
                        .findFirst();
                if (match.isPresent()) {
                    return new RoutedReferral(message, match.get().getKey(), match.get().getValue(), token);
                }
            }
            throw new RejectedMessageException(RejectionReason.UNKNOWN_DESTINATION, Problem.error(IssueType.NOTFOUND,
                    "No link-worker service is configured for the target " + String.join(", ", named),
                    message.inbound().targetIdentifier() != null ? null
                            : "Bundle.entry[0].resource.ofType(MessageHeader).destination"));
        }
        String practice = message.senderOdsCode();
        Optional<Map.Entry<String, AdapterProperties.Destination>> byPractice = destinations.entrySet().stream()
                .filter(d -> d.getValue().practices().stream().anyMatch(p -> p.equalsIgnoreCase(practice)))
                .sorted(Map.Entry.comparingByKey())
                .findFirst();
        if (byPractice.isPresent()) {
            return new RoutedReferral(message, byPractice.get().getKey(), byPractice.get().getValue(),
                    "practice:" + practice);
        }
        throw new RejectedMessageException(RejectionReason.UNKNOWN_DESTINATION, Problem.error(IssueType.NOTFOUND,
                "The message names no target service (NHSD-Target-Identifier or MessageHeader.destination) and no "
                        + "link-worker service is configured for the referring practice " + practice));
    }

    private static Set<String> namedTargets(ReferralMessage message) {
        Set<String> tokens = new LinkedHashSet<>();
        if (message.inbound().targetIdentifier() != null) {
            tokens.add(message.inbound().targetIdentifier().token());
            return tokens;
        }
        List<String> fromHeader = new ArrayList<>();
        for (MessageHeader.MessageDestinationComponent destination : message.header().getDestination()) {
            if (destination.hasEndpoint() && destination.getEndpoint().contains("|")) {
                fromHeader.add(destination.getEndpoint());
            }
            if (destination.hasReceiver() && destination.getReceiver().hasIdentifier()
                    && destination.getReceiver().getIdentifier().hasValue()) {
                fromHeader.add(destination.getReceiver().getIdentifier().getSystem() + "|"
                        + destination.getReceiver().getIdentifier().getValue());
            }
        }
        tokens.addAll(fromHeader);
        return tokens;
    }
}
