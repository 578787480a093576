package io.github.spfhir.adapter.domain.lifecycle;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.client.linkworker.EventPage;
import io.github.spfhir.adapter.client.linkworker.EventPollSpec;
import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.client.linkworker.PlatformEventPollClient;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.platformevent.PlatformEventMappings;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Polling of a platform's event feed, for platforms that cannot call our webhook. Each poll reads pages from the
 * persisted cursor; the events of a page go through the same flow as webhook events, and the cursor is saved only
 * once every event of the page is stored (applied, stale, duplicate or refused-and-recorded). A crash before the
 * cursor is saved reads the page again, and its events are recognised as duplicates by their ids: a restart neither
 * misses nor repeats events.
 */
@Component
public class PlatformEventPoller {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformEventPoller.class);
    /** Pages read in one poll at most, so one busy feed cannot hold its poller forever. */
    static final int MAX_PAGES_PER_POLL = 100;

    private final PlatformEventPollClient client;
    private final PartnerCredentials credentials;
    private final PlatformEventMappings mappings;
    private final AdapterProperties properties;
    private final MessageStore store;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public PlatformEventPoller(PlatformEventPollClient client, PartnerCredentials credentials,
            PlatformEventMappings mappings, AdapterProperties properties, MessageStore store, Clock clock) {
        this.client = client;
        this.credentials = credentials;
        this.mappings = mappings;
        this.properties = properties;
        this.store = store;
        this.clock = clock;
    }

    /** Where one poll of a platform stands: the cursor, the page just read, and whether to read another. */
    public record PollState(String platformId, String cursor, List<InboundEvent> events, String nextCursor, int pages) {

        public PollState {
            events = List.copyOf(events);
        }

        /** Read another page: this one had events, moved the cursor, and the per-poll cap is not reached. */
        public boolean more() {
            return pages == 0 || (!events.isEmpty() && !Objects.equals(cursor, nextCursor) && pages < MAX_PAGES_PER_POLL);
        }
    }

    public PollState start(String platformId) {
        return new PollState(platformId, store.pollCursor(cursorKey(platformId)).orElse(null), List.of(), null, 0);
    }

    /** Reads the page after the saved cursor (after {@link #commit} of the previous page). */
    public PollState nextPage(PollState state) {
        String platformId = state.platformId();
        String cursor = state.pages() == 0 ? state.cursor() : state.nextCursor();
        AdapterProperties.EventPolling polling = properties.destinations().get(platformId).eventPolling();
        EventPollSpec spec = mappings.get(platformId).polling();
        EventPage page = client.poll(polling.url(), spec, cursor, credentials.headersFor(platformId), properties.destinations().get(platformId).timeout(),
                credentials.sslContext(platformId).orElse(null));
        List<InboundEvent> events = page.events().stream().map(body -> new InboundEvent(UUID.randomUUID().toString(),
                platformId, InboundEvent.Shape.PLATFORM_JSON, null, null, "application/json",
                Map.of("Source", "poll"), body, clock.instant())).toList();
        return new PollState(platformId, cursor, events, page.nextCursor(), state.pages() + 1);
    }

    /** Every event of the page is stored: the cursor moves past it. */
    public PollState commit(PollState state) {
        if (state.nextCursor() != null && !Objects.equals(state.cursor(), state.nextCursor())) {
            store.savePollCursor(cursorKey(state.platformId()), state.nextCursor());
        }
        if (!state.events().isEmpty()) {
            LOG.info("Polled {} event(s) from {} (page {})", state.events().size(), state.platformId(), state.pages());
        }
        return state;
    }

    /**
     * A polled event that was refused is recorded like a refused webhook event, so the feed moves on and the
     * refusal stays visible and replayable ({@code GET /ops/rejections}).
     */
    public void refused(InboundEvent event, Exception cause) {
        RejectedMessageException rejected = cause instanceof RejectedMessageException r ? r
                : new RejectedMessageException(RejectionReason.PROCESSING_ERROR, Problem.error(IssueType.EXCEPTION,
                        "The adapter could not process this polled event; it is stored for investigation"));
        store.storeRejected("poll:" + event.platformId(), event.messageId(), null, null, event.headers(),
                event.contentType(), event.body(), 0, rejected.reason(), outcomeJson(rejected.problems()));
        LOG.warn("Refused polled event from {} (message {}): {} with {} issue(s)", event.platformId(),
                event.messageId(), rejected.reason(), rejected.problems().size());
    }

    private String outcomeJson(List<Problem> problems) {
        try {
            return json.writeValueAsString(problems.stream().map(p -> Map.of("severity", p.severity().toCode(),
                    "code", p.code().toCode(), "diagnostics", String.valueOf(p.diagnostics()),
                    "expression", String.valueOf(p.expression()))).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cursorKey(String platformId) {
        return "platform-events:" + platformId;
    }
}
