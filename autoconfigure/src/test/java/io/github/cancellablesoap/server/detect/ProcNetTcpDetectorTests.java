package io.github.cancellablesoap.server.detect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Linux connection-table detector against real loopback connections.
 */
class ProcNetTcpDetectorTests {

	private static final Logger logger = LoggerFactory.getLogger(ProcNetTcpDetectorTests.class);

	@Test
	void reportsAClientThatClosedItsConnectionAndNotOneThatStays() throws Exception {
		assumeTrue(ProcNetTcpDetector.isSupported(), "needs /proc/net/tcp");
		long[] latencies = new long[20];
		try (ProcNetTcpDetector detector = new ProcNetTcpDetector();
				ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			try (Socket staying = connect(server); Socket stayingAccepted = server.accept()) {
				CountDownLatch stayingGone = new CountDownLatch(1);
				CallerGoneDetector.Watch stayingWatch = detector.watch(request(stayingAccepted),
						stayingGone::countDown);
				for (int i = 0; i < latencies.length; i++) {
					try (Socket client = connect(server); Socket accepted = server.accept()) {
						CountDownLatch gone = new CountDownLatch(1);
						AtomicLong detected = new AtomicLong();
						detector.watch(request(accepted), () -> {
							detected.set(System.nanoTime());
							gone.countDown();
						});
						long closed = System.nanoTime();
						client.close();
						assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
						latencies[i] = detected.get() - closed;
					}
				}
				assertThat(stayingGone.getCount()).isEqualTo(1);
				stayingWatch.cancel();
				assertThat(detector.watched()).isZero();
			}
		}
		Arrays.sort(latencies);
		logger.info("caller gone via /proc/net/tcp: n={} median={} ms max={} ms", latencies.length,
				latencies[latencies.length / 2] / 1_000_000.0, latencies[latencies.length - 1] / 1_000_000.0);
	}

	private static Socket connect(ServerSocket server) throws Exception {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
		return socket;
	}

	private static MockHttpServletRequest request(Socket accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/hosts/main");
		request.setLocalPort(accepted.getLocalPort());
		request.setRemotePort(accepted.getPort());
		return request;
	}

}
