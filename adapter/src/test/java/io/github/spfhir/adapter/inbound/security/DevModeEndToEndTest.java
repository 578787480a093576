package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestClockConfiguration;

/**
 * The embedded run's development mode, as the README's walkthrough uses it: the simulator on, the adapter's own
 * issuer minting tokens at {@code POST /dev/token}, and those tokens accepted, with a loud warning at start-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:adapter-dev-mode;DB_CLOSE_DELAY=-1",
        "adapter.simulator.enabled=true",
        "adapter.simulator.port=0",
        "adapter.security.dev-mode.enabled=true",
        "adapter.fhir.warm-up-validator=false",
        "adapter.destinations.example-linkworker.event-polling.enabled=false"
})
@Import(TestClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class DevModeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void devTokensAreMintedOpenlyAndAcceptedAndTheStartUpWarnsOfIt(CapturedOutput output) throws Exception {
        AdapterHttp anonymous = new AdapterHttp(port).anonymous();
        assertThat(output.getOut()).contains("DEVELOPMENT MODE").contains("POST /dev/token");

        HttpResponse<String> minted = anonymous.post("/dev/token?role=gp-system&organisation=A81001", "", null);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(minted.body());
        assertThat(answer.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(answer.get("issuer").asText()).isEqualTo(DevTokenIssuer.ISSUER);
        Map<String, String> gp = Map.of("Authorization", AdapterHttp.bearer(answer.get("access_token").asText()));

        Map<String, String> headers = Referrals.freshHeaders();
        headers.putAll(gp);
        String referralId = Referrals.referralId(anonymous.processMessage(Referrals.freshBody(), "application/fhir+json",
                headers));
        assertThat(anonymous.get("/fhir/ServiceRequest/" + referralId, "application/fhir+json", gp).statusCode())
                .isEqualTo(200);
        assertThat(anonymous.get("/fhir/ServiceRequest/" + referralId).statusCode()).isEqualTo(401);

        // the bare token, for a shell; and the other roles
        HttpResponse<String> operator = anonymous.send("POST", "/dev/token?role=operator", null, null,
                Map.of("Accept", "text/plain"));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).matches("[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+");
        assertThat(anonymous.get("/ops/deliveries", "application/json",
                Map.of("Authorization", AdapterHttp.bearer(operator.body()))).statusCode()).isEqualTo(200);
        HttpResponse<String> platform = anonymous.send("POST",
                "/dev/token?role=link-worker-platform&platform=example-linkworker", null, null, Map.of("Accept", "text/plain"));
        assertThat(anonymous.get("/fhir/ServiceRequest/" + referralId, "application/fhir+json",
                Map.of("Authorization", AdapterHttp.bearer(platform.body()))).statusCode()).isEqualTo(200);

        // what it refuses to mint
        assertThat(anonymous.post("/dev/token?role=gp-system", "", null).statusCode()).isEqualTo(400);
        assertThat(anonymous.post("/dev/token?role=link-worker-platform&platform=nowhere", "", null).statusCode())
                .isEqualTo(400);
        assertThat(anonymous.post("/dev/token?role=superuser", "", null).statusCode()).isEqualTo(400);

        // its public key, as an identity provider publishes one
        JsonNode jwks = JSON.readTree(anonymous.get("/dev/jwks", "application/json").body());
        assertThat(jwks.get("keys").get(0).get("kty").asText()).isEqualTo("EC");
        assertThat(jwks.get("keys").get(0).has("d")).as("never the private key").isFalse();
    }
}
