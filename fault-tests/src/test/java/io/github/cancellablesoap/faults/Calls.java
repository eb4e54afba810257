package io.github.cancellablesoap.faults;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Waits for the end of calls and checks what they leave behind.
 * <p>
 * Thread-safe: stateless.
 */
final class Calls {

	/**
	 * How long a test waits for an outcome before it fails (longer than any bound it
	 * asserts).
	 */
	static final Duration PATIENCE = Duration.ofSeconds(60);

	private Calls() {
	}

	/**
	 * Wait for a call to fail, and return why.
	 * @param call the call
	 * @return the exception it failed with
	 */
	static Throwable failure(PendingCall<?> call) {
		try {
			Object result = call.result().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
			return fail("Call %s answered instead of failing: %s", call.callId(), result);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			return fail("Call %s still runs after %s", call.callId(), PATIENCE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail("interrupted");
		}
	}

	/**
	 * Assert that nothing is left of a proxy's calls: none pending, and no socket of this
	 * JVM towards the port (within two seconds: a closed socket leaves the table at once,
	 * but the verb that closes it may run on another thread).
	 * @param proxy the proxy
	 * @param port the remote port of its connections
	 */
	static void assertNothingLeft(ServiceProxy proxy, int port) {
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			assertThat(proxy.pendingCalls()).as("pending calls of %s", proxy.name()).isZero();
			assertThat(OwnSockets.towards(port)).as("sockets of this JVM towards port %d", port).isZero();
		});
	}

}
