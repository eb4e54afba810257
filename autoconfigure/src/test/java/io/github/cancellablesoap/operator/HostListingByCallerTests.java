package io.github.cancellablesoap.operator;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.operator.Descriptors.HostDescriptor;
import io.github.cancellablesoap.operator.Descriptors.OperationDescriptor;
import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import io.github.cancellablesoap.server.HostState;
import io.github.cancellablesoap.server.ListenerState;
import io.github.cancellablesoap.server.OperationInfo;
import io.github.cancellablesoap.server.ServiceHost;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host's listing filtered by the call id its callers sent: only the operations of that
 * call, counted and limited like a full listing; a malformed call id, or the filter on
 * anything but a host, is a 400 that says what to send.
 */
class HostListingByCallerTests {

	private final List<OperationInfo> operations = new ArrayList<>();

	private final OperatorService service = new OperatorService(List::of, () -> List.of(fakeHost("orders")),
			OperatorAuthorizer.PERMIT_ALL, List.of());

	@Test
	void onlyTheOperationsOfThatCallerCallAreListed() {
		this.operations.add(operation("o-1", "c-12"));
		this.operations.add(operation("o-2", null));
		this.operations.add(operation("o-3", "c-120"));
		this.operations.add(operation("o-4", "c-12"));

		OperatorAnswer answer = this.service.read("hosts", "orders", null, "c-12");

		assertThat(answer.status()).isEqualTo(Status.OK);
		HostDescriptor host = (HostDescriptor) answer.body();
		assertThat(host.operations()).extracting(OperationDescriptor::id).containsExactly("o-1", "o-4");
		assertThat(host.operations()).extracting(OperationDescriptor::callerCallId).containsOnly("c-12");
		assertThat(host.total()).isEqualTo(2);
		assertThat(host.truncated()).isFalse();
		assertThat(((HostDescriptor) this.service.read("hosts", "orders", null).body()).total()).isEqualTo(4);
	}

	@Test
	void theFilterKeepsTheLimitAndAnUnknownCallListsNothing() {
		for (int i = 0; i < 5; i++) {
			this.operations.add(operation("o-" + (i + 1), "c-7"));
		}
		HostDescriptor limited = (HostDescriptor) this.service.read("hosts", "orders", 2, "c-7").body();
		assertThat(limited.operations()).extracting(OperationDescriptor::id).containsExactly("o-1", "o-2");
		assertThat(limited.total()).isEqualTo(5);
		assertThat(limited.truncated()).isTrue();

		OperatorAnswer none = this.service.read("hosts", "orders", null, "c-8");
		assertThat(none.status()).isEqualTo(Status.OK);
		assertThat(((HostDescriptor) none.body()).operations()).isEmpty();
		assertThat(this.service.read("hosts", "nowhere", null, "c-7").status()).isEqualTo(Status.NOT_FOUND);
	}

	@Test
	void aCallIdOfAnyPeerThatFollowsThePeerRuleIsAccepted() {
		String foreign = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e";
		assertThat(Names.isPeerCallId(foreign)).isTrue();
		this.operations.add(operation("o-1", foreign));
		assertThat(((HostDescriptor) this.service.read("hosts", "orders", null, foreign).body()).operations())
			.extracting(OperationDescriptor::id)
			.containsExactly("o-1");
	}

	@Test
	void aMalformedCallerCallIdIsABadRequestThatSaysWhatToSend() {
		for (String malformed : new String[] { "", "c 12", "c-12<script>",
				"x".repeat(Names.MAX_PEER_CALL_ID_LENGTH + 1), "c-12\r\n" }) {
			OperatorAnswer answer = this.service.read("hosts", "orders", null, malformed);
			assertThat(answer.status()).as(malformed).isEqualTo(Status.BAD_REQUEST);
			assertThat(((OperatorError) answer.body()).detail()).startsWith("Malformed callerCallId")
				.contains("such as c-12")
				.doesNotContain("<script>");
		}
	}

	@Test
	void theFilterOnAnythingButAHostIsABadRequest() {
		for (String collection : new String[] { "proxies", "calls", "operations" }) {
			OperatorAnswer answer = this.service.read(collection, "x", null, "c-12");
			assertThat(answer.status()).as(collection).isEqualTo(Status.BAD_REQUEST);
			assertThat(((OperatorError) answer.body()).detail()).contains("hosts/{name}");
		}
	}

	private static OperationInfo operation(String id, @Nullable String callerCallId) {
		return new OperationInfo(id, "orders", "PlaceOrder", Instant.now(), Duration.ofMillis(5), "127.0.0.1:5000",
				callerCallId, null, false, null);
	}

	private ServiceHost fakeHost(String name) {
		return (ServiceHost) Proxy.newProxyInstance(HostListingByCallerTests.class.getClassLoader(),
				new Class<?>[] { ServiceHost.class }, (self, method, args) -> switch (method.getName()) {
					case "name" -> name;
					case "state" -> HostState.OPEN;
					case "listenerState" -> ListenerState.OPEN;
					case "operations" -> List.copyOf(this.operations);
					case "toString" -> "fake host " + name;
					case "hashCode" -> System.identityHashCode(self);
					case "equals" -> self == args[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
