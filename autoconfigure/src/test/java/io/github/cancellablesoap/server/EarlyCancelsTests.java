package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.testsupport.Racers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancels kept for requests not yet arrived: claimed once, only with their token, within
 * their time, at most {@value EarlyCancels#MAX_KEPT} of them.
 */
class EarlyCancelsTests {

	private final AtomicLong now = new AtomicLong();

	private final EarlyCancels cancels = new EarlyCancels(this.now::get);

	@AutoClose("shutdownNow")
	private final ExecutorService threads = Executors.newFixedThreadPool(16);

	@Test
	void aKeptCancelIsClaimedOnceAndOnlyWithItsToken() {
		this.cancels.remember("c-1", "token-1");
		assertThat(this.cancels.claim("c-1", "token-2")).as("another token").isFalse();
		assertThat(this.cancels.claim("c-2", "token-1")).as("another call").isFalse();
		assertThat(this.cancels.claim("c-1", null)).as("no token").isFalse();
		assertThat(this.cancels.claim("c-1", "token-1")).isTrue();
		assertThat(this.cancels.claim("c-1", "token-1")).as("used up").isFalse();
		assertThat(this.cancels.size()).isZero();
	}

	@Test
	void aKeptCancelIsForgottenAfterItsTime() {
		this.cancels.remember("c-1", "token-1");
		this.now.addAndGet(EarlyCancels.TTL.toNanos() - 1);
		this.cancels.remember("c-2", "token-2");
		this.now.addAndGet(1);
		assertThat(this.cancels.claim("c-1", "token-1")).isFalse();
		assertThat(this.cancels.size()).isEqualTo(1);
		assertThat(this.cancels.claim("c-2", "token-2")).isTrue();
	}

	@Test
	void aFloodOfCancelsKeepsOnlyTheNewest() {
		for (int i = 0; i < EarlyCancels.MAX_KEPT + 100; i++) {
			this.cancels.remember("c-" + i, "token-" + i);
		}
		assertThat(this.cancels.size()).isEqualTo(EarlyCancels.MAX_KEPT);
		assertThat(this.cancels.claim("c-0", "token-0")).as("pushed out").isFalse();
		assertThat(this.cancels.claim("c-99", "token-99")).as("pushed out").isFalse();
		assertThat(this.cancels.claim("c-100", "token-100")).isTrue();
		int last = EarlyCancels.MAX_KEPT + 99;
		assertThat(this.cancels.claim("c-" + last, "token-" + last)).isTrue();
	}

	@Test
	void racingClaimsOfOneCancelHaveOneWinner() throws Exception {
		for (int round = 0; round < 200; round++) {
			this.cancels.remember("c-" + round, "token");
			AtomicInteger winners = new AtomicInteger();
			String callId = "c-" + round;
			Racers.race(this.threads, 16, Duration.ofSeconds(10), (racer) -> {
				if (this.cancels.claim(callId, "token")) {
					winners.incrementAndGet();
				}
			});
			assertThat(winners.get()).as("round %d", round).isEqualTo(1);
		}
	}

	@Test
	void aCallersCancelRacingItsRequestsAdmissionCancelsTheOperationEitherWay() throws Exception {
		CancellationTimer timer = new CancellationTimer("early-cancels");
		DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("orders", "/orders"), timer);
		try {
			host.open();
			for (int round = 0; round < 300; round++) {
				String callId = "c-" + round;
				String token = "token-" + round;
				AtomicReference<Operation> admitted = new AtomicReference<>();
				Racers.race(this.threads, 2, Duration.ofSeconds(10), (racer) -> {
					if (racer == 0) {
						host.cancelFromCaller(callId, token);
					}
					else {
						admitted
							.set(host.admit("127.0.0.1:1", callId, null, token, OperationListener.RequestHeaders.NONE)
								.operation());
					}
				});
				Operation operation = admitted.get();
				assertThat(operation.cancelReason()).as("round %d", round).contains(CancelReason.CALLER_CANCELLED);
				host.finish(operation);
			}
			assertThat(host.operations()).isEmpty();
		}
		finally {
			host.abort("test over");
			timer.shutdown();
		}
	}

}
