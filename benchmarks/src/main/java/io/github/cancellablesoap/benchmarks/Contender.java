package io.github.cancellablesoap.benchmarks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * One client under test in {@link ProxyCostBenchmark}, with its own tally of verified and
 * failed calls (warm-up included).
 * <p>
 * Thread-safe: many caller threads call {@link #call()} at once.
 */
final class Contender {

	private final String name;

	private final WebServiceOperations operations;

	private final String request;

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final AtomicReference<String> firstFailure = new AtomicReference<>();

	Contender(String name, WebServiceOperations operations, String request) {
		this.name = name;
		this.operations = operations;
		this.request = request;
	}

	String name() {
		return this.name;
	}

	long succeeded() {
		return this.succeeded.sum();
	}

	long failed() {
		return this.failed.sum();
	}

	String firstFailure() {
		return this.firstFailure.get();
	}

	/**
	 * Make one call and check its response.
	 * @return {@code true} when the call returned the expected response
	 */
	boolean call() {
		try {
			StringResult result = new StringResult();
			boolean received = this.operations.sendSourceAndReceiveToResult(new StringSource(this.request), result);
			String body = result.toString();
			if (received && body.contains("EchoResponse") && body.contains(">ok<") && body.contains("9f2c61d0")) {
				this.succeeded.increment();
				return true;
			}
			fail("unexpected response (received=" + received + "): " + body);
		}
		catch (RuntimeException ex) {
			fail(ex.toString());
		}
		return false;
	}

	private void fail(String why) {
		this.failed.increment();
		this.firstFailure.compareAndSet(null, why);
	}

}
