package io.github.cancellablesoap.autoconfigure.operator;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.github.cancellablesoap.client.ProxyState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without Spring Security: the endpoint stays read-only until the application grants it
 * write access, and the enabled controller lets anybody act, audited as
 * {@code anonymous}.
 */
@SpringBootTest(classes = OperatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cancellable-soap.hosts.main.path=/soap", "cancellable-soap.controller.enabled=true",
				"cancellable-soap.controller.path=/ops/soap", "management.endpoints.web.exposure.include=soapcalls" })
class SoapCallsUnsecuredIntegrationTests extends OperatorIntegrationTests {

	@Test
	void theEndpointIsReadOnlyByDefault() {
		OperatorHttp http = new OperatorHttp(this.port);
		HttpResponse<String> overview = http.get("/actuator/soapcalls");
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(overview.body(), "$.proxies[0].name")).isEqualTo("remote");
		assertThat(http.get("/actuator/soapcalls/hosts/main").statusCode()).isEqualTo(200);

		assertThat(http.post("/actuator/soapcalls/proxies/remote", "{\"action\":\"abort\"}").statusCode()).isIn(404,
				405);
		assertThat(http.delete("/actuator/soapcalls/calls/c-1").statusCode()).isIn(404, 405);
		assertThat(this.proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	@Test
	void theEnabledControllerActsForAnybodyUnderItsConfiguredPath() {
		OperatorHttp http = new OperatorHttp(this.port);
		this.audit.clear();
		HttpResponse<String> aborted = http.post("/ops/soap/proxies/remote", "{\"action\":\"abort\"}");
		assertThat(aborted.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(aborted.body(), "$.newState")).isEqualTo("FAULTED");
		assertThat(this.audit.events()).extracting(AuditEvent::getPrincipal).containsExactly("anonymous");
		assertThat(http.post("/ops/soap/proxies/remote", "{\"action\":\"reset\"}").statusCode()).isEqualTo(200);
		assertThat(http.post("/ops/soap/proxies/remote", "{\"action\":\"open\"}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.proxy.state() == ProxyState.OPEN);
		assertThat(http.get("/soapcalls").statusCode()).isEqualTo(404);
	}

}
