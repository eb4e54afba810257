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
 * failed calls (warm-up included); responses are checked against their {@link Payload}.
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

	String name() {
		return this.name;
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
	 * Make one call; {@link #verify} checks its response afterwards, outside the measured
	 * time.
	 * @param payload what to send
	 * @return the response payload as text, or {@code null} when the call failed (the
	 * failure is counted)
	 */
	String call(Payload payload) {
		try {
			StringResult result = new StringResult();
			if (this.operations.sendSourceAndReceiveToResult(new StringSource(payload.request()), result)) {
				return result.toString();
			}
			fail("no response");
		}
		catch (RuntimeException ex) {
			fail(ex.toString());
		}
		return null;
	}

	/**
	 * Check the response of a call and count it as verified or failed.
	 * @param payload what was sent
	 * @param response what {@link #call} returned
	 * @return {@code true} when the call returned the expected response
	 */
	boolean verify(Payload payload, String response) {
		if (response == null) {
			return false;
		}
		String problem = payload.check(response);
		if (problem != null) {
			fail(problem);
			return false;
		}
		this.succeeded.increment();
		return true;
	}

	private void fail(String why) {
		this.failed.increment();
		this.firstFailure.compareAndSet(null, why);
	}

}
