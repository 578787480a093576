package io.github.spfhir.adapter.inbound.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Role;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.inbound.http.FhirFormats;

/**
 * DEVELOPMENT MODE ONLY: {@code POST /dev/token?role=&organisation=&platform=&client=} mints a token of the
 * development issuer ({@link DevTokenIssuer}); {@code GET /dev/jwks} publishes its public key. Open to anyone, which is
 * why dev mode exists only beside the simulator. The answer is an OAuth 2.0 token response (JSON), or the bare token
 * with {@code Accept: text/plain} (for a shell: {@code TOKEN=$(curl ...)}).
 */
@RestController
@RequestMapping("/dev")
@ConditionalOnProperty(prefix = "adapter.security.dev-mode", name = "enabled", havingValue = "true")
public class DevTokenController {

    private static final Pattern ODS_CODE = Pattern.compile("[A-Za-z0-9]{3,10}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,100}");

    private final DevTokenIssuer issuer;
    private final FhirFormats formats;
    private final AdapterProperties properties;

    public DevTokenController(DevTokenIssuer issuer, FhirFormats formats, AdapterProperties properties) {
        this.issuer = issuer;
        this.formats = formats;
        this.properties = properties;
    }

    @PostMapping("/token")
    public ResponseEntity<?> token(@RequestParam(required = false) String role,
            @RequestParam(required = false) String organisation, @RequestParam(required = false) String platform,
            @RequestParam(required = false) String client,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        Optional<Role> parsed = role == null ? Optional.empty() : Role.ofId(role);
        if (parsed.isEmpty()) {
            return refuse("role must be one of gp-system, link-worker-platform, data-platform, operator");
        }
        if (organisation != null && !ODS_CODE.matcher(organisation).matches()) {
            return refuse("organisation must be an ODS code (3 to 10 letters and digits)");
        }
        if (parsed.get() == Role.GP_SYSTEM && organisation == null) {
            return refuse("a gp-system token needs organisation, its practice's ODS code (e.g. A81001)");
        }
        if (parsed.get() == Role.LINK_WORKER_PLATFORM
                && (platform == null || !properties.destinations().containsKey(platform))) {
            return refuse("a link-worker-platform token needs platform, one of the configured destinations "
                    + properties.destinations().keySet());
        }
        if (client != null && !CLIENT_ID.matcher(client).matches()) {
            return refuse("client must be 1 to 100 letters, digits or . _ : -");
        }
        String clientId = client != null ? client : "dev-" + parsed.get().id();
        String token = issuer.mint(clientId, parsed.get(), organisation,
                parsed.get() == Role.LINK_WORKER_PLATFORM ? platform : null);
        if (accept != null && accept.contains(MediaType.TEXT_PLAIN_VALUE)) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(token);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issuer.lifetime().toSeconds());
        answer.put("issuer", DevTokenIssuer.ISSUER);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    @GetMapping("/jwks")
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jwk-set+json")).body(issuer.jwks());
    }

    private ResponseEntity<String> refuse(String diagnostics) {
        return formats.outcome(HttpStatus.BAD_REQUEST, Problem.error(IssueType.INVALID, diagnostics), FhirFormat.JSON);
    }
}
