package io.github.cancellablesoap.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one body on many threads released together by a barrier, for tests that make
 * threads race, and waits for all of them, rethrowing the first failure.
 * <p>
 * Thread-safe: {@link #race} may be called from any thread; the bodies run on the given
 * executor, which needs at least as many threads as there are racers.
 *
 * @author Cancellable SOAP
 */
public final class Racers {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private Racers() {
	}

	/**
	 * Run the body on {@code racers} threads that start together, and wait for all.
	 * @param threads where the racers run
	 * @param racers how many threads race
	 * @param timeout how long to wait for each racer to finish
	 * @param body what each racer does, given its number from zero
	 * @throws Exception what a racer threw (wrapped in an
	 * {@link java.util.concurrent.ExecutionException}), or a timeout
	 */
	public static void race(ExecutorService threads, int racers, Duration timeout, Racer body) throws Exception {
		CyclicBarrier start = new CyclicBarrier(racers);
		List<Future<?>> runs = new ArrayList<>();
		for (int racer = 0; racer < racers; racer++) {
			int number = racer;
			runs.add(threads.submit(() -> {
				start.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				body.run(number);
				return null;
			}));
		}
		for (Future<?> run : runs) {
			run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * What one racer does.
	 */
	@FunctionalInterface
	public interface Racer {

		/**
		 * Race.
		 * @param racer this racer's number, from zero
		 * @throws Exception anything; it fails the race
		 */
		void run(int racer) throws Exception;

	}

}
