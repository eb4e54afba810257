package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.testsupport.Racers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens drawn from many threads at once are well formed and never repeat.
 */
class TokensTests {

	@Test
	void tokensFromSixteenThreadsAreUrlSafeAndAllDifferent() throws Exception {
		Set<String> tokens = ConcurrentHashMap.newKeySet();
		ExecutorService threads = Executors.newFixedThreadPool(16);
		try {
			Racers.race(threads, 16, Duration.ofSeconds(30), (racer) -> {
				for (int i = 0; i < 10_000; i++) {
					tokens.add(Tokens.next());
				}
			});
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(tokens).hasSize(160_000).allMatch((token) -> token.matches("[A-Za-z0-9_-]{22}"));
	}

}
