package io.github.cancellablesoap.benchmarks;

import java.io.PrintStream;
import java.util.Locale;
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

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final AtomicReference<String> firstFailure = new AtomicReference<>();

	Contender(String name, WebServiceOperations operations) {
		this.name = name;
		this.operations = operations;
	}

	long succeeded() {
		return this.succeeded.sum();
	}

	/**
	 * Print this client's check line (and its first failure, if any).
	 * @param out the report
	 * @return whether every call was verified
	 */
	boolean printCheck(PrintStream out) {
		long failures = this.failed.sum();
		out.printf(Locale.ROOT, "checks      %s: %d calls verified, %d failed%n", this.name, this.succeeded.sum(),
				failures);
		if (failures > 0) {
			out.printf(Locale.ROOT, "            first failure: %s%n", this.firstFailure.get());
		}
		return failures == 0;
	}

	/**
	 * Make one call and check its response.
	 * @return {@code true} when the call returned the expected response
	 */
	boolean call() {
		try {
			StringResult result = new StringResult();
			boolean received = this.operations
				.sendSourceAndReceiveToResult(new StringSource(ProxyCostBenchmark.REQUEST), result);
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
