package io.github.cancellablesoap.autoconfigure.operator;

import io.github.cancellablesoap.autoconfigure.operator.OperatorTestApplication.AuditCollector;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the operator integration tests over real HTTP share: the proxy {@code remote}
 * pointing at a service that never answers (one per test class, so calls stay in flight
 * until an operator ends them), the server's random port and the audit events.
 */
abstract class OperatorIntegrationTests {

	private static ScriptedHttpServer hanging;

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("remote")
	ServiceProxy proxy;

	@Autowired
	AuditCollector audit;

	@BeforeAll
	static void startHangingRemote() {
		hanging = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());
	}

	@DynamicPropertySource
	static void remoteAddress(DynamicPropertyRegistry registry) {
		registry.add("cancellable-soap.proxies.remote.address", () -> hanging.uri("/ws").toString());
	}

	@AfterAll
	static void stopHangingRemote() {
		hanging.close();
	}

}
