package io.github.cancellablesoap.server.detect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.mock.web.MockHttpServletRequest;

import io.github.cancellablesoap.testsupport.SharedSourcePortSockets;

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

	@Test
	void tellsApartTwoCallersThatShareTheirSourcePort() throws Exception {
		assumeTrue(ProcNetTcpDetector.isSupported(), "needs /proc/net/tcp");
		try (ProcNetTcpDetector detector = new ProcNetTcpDetector();
				ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			List<Socket> clients = SharedSourcePortSockets
				.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
			try (Socket first = clients.get(0);
					Socket second = clients.get(1);
					Socket firstAccepted = server.accept();
					Socket secondAccepted = server.accept()) {
				assertThat(firstAccepted.getPort()).isEqualTo(secondAccepted.getPort());
				CountDownLatch firstGone = new CountDownLatch(1);
				CountDownLatch secondGone = new CountDownLatch(1);
				detector.watch(request(firstAccepted), firstGone::countDown);
				detector.watch(request(secondAccepted), secondGone::countDown);
				assertThat(detector.watched()).isEqualTo(2);

				first.close();
				assertThat(firstGone.await(5, TimeUnit.SECONDS)).as("the first caller's departure").isTrue();
				assertThat(secondGone.getCount()).as("the second caller is still there").isEqualTo(1);
				assertThat(detector.watched()).isEqualTo(1);

				second.close();
				assertThat(secondGone.await(5, TimeUnit.SECONDS)).as("the second caller's departure").isTrue();
				assertThat(detector.watched()).isZero();
			}
		}
	}

	private static Socket connect(ServerSocket server) throws Exception {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
		return socket;
	}

	private static MockHttpServletRequest request(Socket accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/hosts/main");
		request.setLocalAddr(accepted.getLocalAddress().getHostAddress());
		request.setLocalPort(accepted.getLocalPort());
		request.setRemoteAddr(accepted.getInetAddress().getHostAddress());
		request.setRemotePort(accepted.getPort());
		return request;
	}

}
