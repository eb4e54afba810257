package io.github.cancellablesoap.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.CallTimedOutException;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.test.MisbehavingSoapService;
import io.github.cancellablesoap.test.MisbehavingSoapServiceExtension;
import io.github.cancellablesoap.test.SoapBehaviour;
import io.github.cancellablesoap.test.SoapConnection;
import io.github.cancellablesoap.test.SoapRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A configured proxy against the misbehaving SOAP service of the test-support module, as
 * the README's "Testing your application" shows it: an abort closes the socket (seen by
 * the service), a stalled body times out and closes it too, and a fault is a fault.
 */
@SpringBootTest(classes = MisbehavingServiceIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.NONE)
class MisbehavingServiceIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@RegisterExtension
	static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension();

	@DynamicPropertySource
	static void orders(DynamicPropertyRegistry registry) {
		registry.add("cancellable-soap.proxies.orders.address", () -> soap.service().uri("/ws/orders").toString());
	}

	@Autowired
	@Qualifier("orders")
	private ServiceProxy orders;

	@Test
	void anAbortedCallClosesItsSocket(MisbehavingSoapService service) {
		service.enqueue(SoapBehaviour.hang());
		CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> placeOrder(this.orders));
		SoapRequest request = service.awaitRequest(0, WAIT);

		assertThat(this.orders.abortCall(request.callId().orElseThrow(), "test")).isTrue();

		SoapConnection connection = service.awaitClosedByClient(request, WAIT);
		assertThat(connection.closedByClient()).isTrue();
		assertThat(call).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(CallAbortedException.class);
	}

	@Test
	void aCallTimeoutOnAStalledBodyClosesItsSocket(MisbehavingSoapService service) {
		service.enqueue(SoapBehaviour.answer("<placed xmlns=\"urn:orders\"/>").stallAfter(20));

		assertThatExceptionOfType(CallTimedOutException.class)
			.isThrownBy(() -> placeOrder(this.orders.withCallTimeout(Duration.ofMillis(300))));

		SoapRequest request = service.awaitRequest(0, WAIT);
		assertThat(request.callId()).isPresent();
		assertThat(service.awaitClosedByClient(request, WAIT).closedByClient()).isTrue();
	}

	@Test
	void aSoapFaultReachesTheCallerAsAFault(MisbehavingSoapService service) {
		service.enqueue(SoapBehaviour.fault("Out of stock"));

		assertThatExceptionOfType(SoapFaultClientException.class).isThrownBy(() -> placeOrder(this.orders))
			.withMessageContaining("Out of stock");
		assertThat(service.awaitRequest(0, WAIT).path()).isEqualTo("/ws/orders");
	}

	private static String placeOrder(WebServiceOperations operations) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource("<placeOrder xmlns=\"urn:orders\"/>"), result);
		return result.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
