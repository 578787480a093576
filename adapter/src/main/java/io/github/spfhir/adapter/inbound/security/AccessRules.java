package io.github.spfhir.adapter.inbound.security;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UrlPathHelper;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.Role;
import io.github.spfhir.adapter.store.ReferralAccessStore;
import io.github.spfhir.adapter.store.ReferralScope;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may do what, by URL, method and caller: the adapter's least-privilege rules at the HTTP door, in one place
 * (docs/operations.md, "Security"). The rules that need what a message says are {@code domain/access/MessageAccess}.
 *
 * <ul>
 * <li>Open: {@code GET /fhir/metadata} (FHIR clients discover what a server does, and how to authenticate, before
 * they have a token), {@code /actuator/health/**} (probes carry no token; the health shows no patient data), and,
 * in development mode only, {@code POST /dev/token} and {@code GET /dev/jwks}.</li>
 * <li>Everything else needs a verified bearer token (401 otherwise) with one usable role (403 otherwise).</li>
 * <li>{@code /ops/**} and the rest of {@code /actuator}: operator.</li>
 * <li>{@code /platforms/{id}/events}: the link-worker platform {@code id} itself.</li>
 * <li>{@code POST /fhir/$process-message}: a GP system (a referral, for its own practice) or a link-worker platform
 * (a BaRS response, about its own referral): checked when the message is read.</li>
 * <li>{@code PUT /fhir/Task/{id}}: a link-worker platform, for a Task of a referral addressed to it (else 404).</li>
 * <li>{@code POST /fhir/Observation}: a link-worker platform, about a referral addressed to it (checked when the
 * Observation is read; else 404).</li>
 * <li>Reads and searches of the referral resources (ServiceRequest, Task, Patient, Observation,
 * QuestionnaireResponse): a GP system sees its practice's referrals, a platform those addressed to it (someone
 * else's is 404, as if not held; searches count only what the caller may see), a data platform the types it is
 * configured for ({@code adapter.security.data-platform-reads}), an operator none.</li>
 * <li>Directory reads (HealthcareService, Organization, Location): any caller with a role.</li>
 * </ul>
 *
 * <p>Puts the {@link Caller} in the request (attribute {@link Caller#REQUEST_ATTRIBUTE}) for the endpoints and the
 * audit trail, and the caller's {@link ReferralScope} for searches ({@link #SCOPE_ATTRIBUTE}).
 */
@Component
public class AccessRules implements AuthorizationManager<RequestAuthorizationContext> {

    /** The request attribute holding the {@link ReferralScope} searches are restricted to. */
    public static final String SCOPE_ATTRIBUTE = ReferralScope.REQUEST_ATTRIBUTE;
    /** The request attribute holding the verified token's reading, for the audit trail. */
    public static final String AUTHENTICATION_ATTRIBUTE = CallerAuthentication.class.getName();
    /** The request attribute holding the decision, for the audit trail. */
    public static final String DECISION_ATTRIBUTE = AccessDecision.class.getName();

    static final Set<String> REFERRAL_TYPES = Set.of("ServiceRequest", "Task", "Patient", "Observation",
            "QuestionnaireResponse");
    private static final Set<String> DIRECTORY_TYPES = Set.of("HealthcareService", "Organization", "Location");
    /** {@code /fhir/{type}}, {@code /fhir/{type}/{id}}, {@code .../_history}, {@code .../_history/{version}}. */
    private static final Pattern FHIR_PATH = Pattern.compile(
            "^/fhir/([A-Za-z]+)(?:/([^/]+)(?:/(_history)(?:/([^/]+))?)?)?/?$");
    private static final Pattern EVENTS_PATH = Pattern.compile("^/platforms/([^/]+)/events/?$");
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final ReferralAccessStore access;
    private final Set<String> dataPlatformReads;
    private final boolean devMode;

    public AccessRules(ReferralAccessStore access, SecurityProperties properties) {
        this.access = access;
        this.dataPlatformReads = Set.copyOf(properties.dataPlatformReads());
        this.devMode = properties.devMode().enabled();
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        HttpServletRequest request = context.getRequest();
        AccessDecision decision = decide(request, authentication.get());
        request.setAttribute(DECISION_ATTRIBUTE, decision);
        return decision;
    }

    AccessDecision decide(HttpServletRequest request, Authentication authentication) {
        String path = path(request);
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        boolean reading = method.equals("GET") || method.equals("HEAD");
        if (isOpen(path, method, reading)) {
            return AccessDecision.GRANTED;
        }
        if (!(authentication instanceof CallerAuthentication authenticated)) {
            return AccessDecision.unauthenticated();
        }
        request.setAttribute(AUTHENTICATION_ATTRIBUTE, authenticated);
        Caller caller = authenticated.caller();
        if (caller == null) {
            return AccessDecision.forbidden(authenticated.problem());
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);

        if (path.equals("/ops") || path.startsWith("/ops/") || path.startsWith("/actuator")) {
            return caller.is(Role.OPERATOR) ? AccessDecision.GRANTED
                    : AccessDecision.forbidden("Only an operator may use " + (path.startsWith("/ops") ? "/ops" : "/actuator"));
        }
        Matcher events = EVENTS_PATH.matcher(path);
        if (events.matches()) {
            if (!caller.is(Role.LINK_WORKER_PLATFORM)) {
                return AccessDecision.forbidden("Only a link-worker platform posts events");
            }
            return caller.isPlatform(events.group(1)) ? AccessDecision.GRANTED
                    : AccessDecision.forbidden("This client posts events to /platforms/" + caller.platformId()
                            + "/events only");
        }
        if (path.equals("/fhir/$process-message")) {
            return caller.is(Role.GP_SYSTEM) || caller.is(Role.LINK_WORKER_PLATFORM) ? AccessDecision.GRANTED
                    : AccessDecision.forbidden("Only GP systems and link-worker platforms send messages; this "
                            + "client's role is " + caller.role().id());
        }
        Matcher fhir = FHIR_PATH.matcher(path);
        if (fhir.matches() && REFERRAL_TYPES.contains(fhir.group(1))) {
            return referralResource(request, caller, method, reading, fhir);
        }
        if (fhir.matches() && DIRECTORY_TYPES.contains(fhir.group(1))) {
            return AccessDecision.GRANTED; // community services: not patient data
        }
        // anything else (an unknown path, an unsupported method) is answered by the endpoints: 404 or 405
        return AccessDecision.GRANTED;
    }

    private AccessDecision referralResource(HttpServletRequest request, Caller caller, String method, boolean reading,
            Matcher fhir) {
        String type = fhir.group(1);
        String id = fhir.group(2);
        if (method.equals("PUT") && type.equals("Task") && id != null && fhir.group(3) == null) {
            if (!caller.is(Role.LINK_WORKER_PLATFORM)) {
                return AccessDecision.forbidden("Only a link-worker platform updates Tasks");
            }
            // another platform's Task is refused here, before the update is read (its version, in a 412, would tell
            // the Task exists); a Task not held at all goes on to the endpoint, which answers the same 404 and keeps
            // the refusal in rejected_message
            boolean othersTask = !visible("Task", id, ReferralScope.addressedTo(caller.platformId()))
                    && visible("Task", id, ReferralScope.ALL);
            return othersTask ? AccessDecision.notVisible("Task/" + id + " is not known") : AccessDecision.GRANTED;
        }
        if (method.equals("POST") && type.equals("Observation") && id == null) {
            // an outcome measure; whose referral it is about is checked once it is read (MessageAccess)
            return caller.is(Role.LINK_WORKER_PLATFORM) ? AccessDecision.GRANTED
                    : AccessDecision.forbidden("Only a link-worker platform records outcome measures");
        }
        if (!reading) {
            return AccessDecision.GRANTED; // not served: the endpoints answer 405
        }
        ReferralScope scope = switch (caller.role()) {
            case GP_SYSTEM -> ReferralScope.sentBy(caller.organisation());
            case LINK_WORKER_PLATFORM -> ReferralScope.addressedTo(caller.platformId());
            case DATA_PLATFORM -> dataPlatformReads.contains(type) ? ReferralScope.ALL : null;
            case OPERATOR -> null;
        };
        if (scope == null) {
            return AccessDecision.forbidden(caller.role() == Role.OPERATOR
                    ? "An operator does not read patient data; use /ops"
                    : "This data platform is not configured to read " + type
                            + " (adapter.security.data-platform-reads)");
        }
        request.setAttribute(SCOPE_ATTRIBUTE, scope);
        if (id == null || visible(type, id, scope)) {
            return AccessDecision.GRANTED;
        }
        // the endpoint's own words for a resource (or version) not held
        return AccessDecision.notVisible(type + "/" + id + (fhir.group(4) == null ? "" : "/_history/" + fhir.group(4))
                + " is not known");
    }

    private boolean visible(String type, String id, ReferralScope scope) {
        return access.isVisible(type, id, scope);
    }

    private boolean isOpen(String path, String method, boolean reading) {
        if (reading && (path.equals("/fhir/metadata") || path.equals("/actuator/health")
                || path.startsWith("/actuator/health/"))) {
            return true;
        }
        return devMode && ((method.equals("POST") && path.equals("/dev/token")) || (reading && path.equals("/dev/jwks")));
    }

    static String path(HttpServletRequest request) {
        return PATHS.getPathWithinApplication(request);
    }
}
