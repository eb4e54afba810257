package io.github.cancellablesoap.client;

import java.time.Duration;

import io.github.cancellablesoap.test.http.ServerConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection pool's settings against a server that watches its connections: idle
 * connections are closed after the idle timeout (and kept without one), and a connection
 * past its time to live is not reused.
 */
class ProxyPoolTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void anIdleConnectionIsClosedAfterTheIdleTimeout() {
		DefaultServiceProxy proxy = open(new PoolSettings(Duration.ofMillis(300), null, null));
		ProxyFixture.echo(proxy);
		long answered = System.nanoTime();
		ServerConnection connection = this.fixture.awaitRequest(0);

		assertThat(connection.awaitClosedByPeer(Duration.ofSeconds(5))).as("closed by the pool").isTrue();
		assertThat(connection.closedByPeerNanos() - answered).isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());

		ProxyFixture.echo(proxy);
		assertThat(this.fixture.server().connections()).hasSize(2);
	}

	@Test
	void withoutAnIdleTimeoutAnIdleConnectionIsKeptAndReused() {
		DefaultServiceProxy proxy = open(new PoolSettings(Duration.ZERO, null, null));
		ProxyFixture.echo(proxy);
		ServerConnection connection = this.fixture.awaitRequest(0);

		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(connection::isOpen);
		ProxyFixture.echo(proxy);
		assertThat(this.fixture.server().connections()).hasSize(1);
		assertThat(connection.requestCount()).isEqualTo(2);
	}

	@Test
	void theDefaultsKeepAConnectionForAMinuteAndReuseIt() {
		DefaultServiceProxy proxy = open(PoolSettings.DEFAULTS);
		for (int i = 0; i < 5; i++) {
			ProxyFixture.echo(proxy);
		}
		assertThat(this.fixture.server().connections()).hasSize(1);
		assertThat(this.fixture.server().connections().get(0).isOpen()).isTrue();
	}

	@Test
	void aConnectionPastItsTimeToLiveIsClosedInsteadOfReused() {
		DefaultServiceProxy proxy = open(new PoolSettings(Duration.ZERO, Duration.ofMillis(300), null));
		long opened = System.nanoTime();
		ProxyFixture.echo(proxy);
		ServerConnection first = this.fixture.awaitRequest(0);
		ProxyFixture.echo(proxy);
		assertThat(this.fixture.server().connections()).as("reused while young").hasSize(1);

		// the next call must come after the connection's time to live
		await().atMost(Duration.ofSeconds(5))
			.until(() -> System.nanoTime() - opened > Duration.ofMillis(400).toNanos());
		ProxyFixture.echo(proxy);

		assertThat(this.fixture.server().connections()).hasSize(2);
		assertThat(first.awaitClosedByPeer(Duration.ofSeconds(5))).isTrue();
		assertThat(first.requestCount()).isEqualTo(2);
	}

	@Test
	void manyCallersWithAShortIdleTimeoutAllSucceed() throws Exception {
		DefaultServiceProxy proxy = open(
				new PoolSettings(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ZERO));
		ProxyFixture.awaitAll(this.fixture.repeatOnThreads(8, 25, () -> ProxyFixture.echo(proxy)));
		assertThat(this.fixture.server().requestCount()).isEqualTo(200);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	private DefaultServiceProxy open(PoolSettings pool) {
		return this.fixture.open((settings) -> settings.connection(new ConnectionSettings(null, null, false, pool)));
	}

}
