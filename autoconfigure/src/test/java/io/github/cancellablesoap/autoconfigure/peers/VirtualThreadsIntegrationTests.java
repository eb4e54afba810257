package io.github.cancellablesoap.autoconfigure.peers;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.cancellablesoap.client.CallAbandonedException;
import io.github.cancellablesoap.client.CallAbortedException;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ScriptedHttpServer;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.FreePorts;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.ws.client.core.WebServiceOperations;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The product on virtual threads, with {@code spring.threads.virtual.enabled=true} (Java
 * 21 or later; on Java 17 the class is skipped, saying so): the host serves its
 * operations on Tomcat's virtual threads, callers on virtual threads call through
 * proxies, and calls are answered, abandoned, aborted and cancelled in cascade, while a
 * JFR recording takes every {@code jdk.VirtualThreadPinned} event (no threshold): none
 * may come from the call path. A virtual thread that parks in a class initialiser, which
 * pins on every JDK, proves the recording sees pinning.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "spring.threads.virtual.enabled=true", "cancellable-soap.hosts.vt.path=/vt",
				"cancellable-soap.hosts.vt.abort-grace=1s",
				"cancellable-soap.proxies.self.address=http://127.0.0.1:${server.port}/vt",
				"cancellable-soap.proxies.self.call-timeout=20s", "cancellable-soap.proxies.self.max-pending-calls=300",
				"cancellable-soap.proxies.hung.address=http://127.0.0.1:${test.hung.port}/ws",
				"cancellable-soap.proxies.hung.call-timeout=20s" })
@EnabledForJreRange(min = JRE.JAVA_21,
		disabledReason = "virtual threads need Java 21 or later: .ci/run runs the suite on Java 25 too")
class VirtualThreadsIntegrationTests {

	private static final String NAMESPACE = "urn:vt";

	private static final int PORT = FreePorts.loopback();

	private static final int ANSWERED = 200;

	private static final int HUNG_CALLS = 40;

	private static final int CASCADES = 20;

	private static final Duration WAIT = Duration.ofSeconds(10);

	@AutoClose
	private static final ScriptedHttpServer HUNG = ScriptedHttpServer.start(Behaviour.hangBeforeHeaders());

	@Autowired
	@Qualifier("self")
	private ServiceProxy self;

	@Autowired
	@Qualifier("hung")
	private ServiceProxy hung;

	@Autowired
	private VtEndpoint endpoint;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("test.hung.port", HUNG::port);
	}

	@Test
	void callsAnsweredAbandonedAbortedAndCancelledInCascadeOnVirtualThreadsPinNoCarrier(@TempDir Path dir)
			throws Exception {
		VirtualThreadTaskExecutor callers = new VirtualThreadTaskExecutor("vt-caller-");
		// a first, small round loads the classes of every path: loading a class pins a
		// carrier once per class, not per call
		answered(callers, 4, "warm");
		abandonedAndAborted(callers, 2, "warm");
		cancelledInCascade(callers, 2, "warm");
		List<RecordedEvent> pinned;
		try (Recording recording = new Recording()) {
			recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
			recording.start();
			answered(callers, ANSWERED, "");
			abandonedAndAborted(callers, HUNG_CALLS, "");
			cancelledInCascade(callers, CASCADES, "");
			pinOnPurpose(callers);
			recording.stop();
			pinned = events(recording, dir.resolve("pinned.jfr"));
		}
		assertThat(pinned).as("the deliberate pin is recorded")
			.anySatisfy((event) -> assertThat(frames(event))
				.anyMatch((frame) -> frame.contains(PinsWhenInitialised.class.getSimpleName())));
		List<String> others = pinned.stream()
			.map(VirtualThreadsIntegrationTests::frames)
			.filter((frames) -> frames.stream()
				.noneMatch((frame) -> frame.contains(PinsWhenInitialised.class.getSimpleName())))
			.map((frames) -> String.join("\n    ", frames))
			.collect(Collectors.toList());
		assertThat(others).as("carrier threads pinned by the call path").isEmpty();
	}

	/** Calls answered by this application's host, both sides on virtual threads. */
	private void answered(VirtualThreadTaskExecutor callers, int count, String round) throws Exception {
		int servedBefore = this.endpoint.virtualServingThreads.get();
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = round + "e" + i;
			calls.add(this.self.submit((operations) -> send(operations, "Echo", id), callers));
		}
		for (int i = 0; i < count; i++) {
			assertThat(calls.get(i).result().get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(round + "e" + i);
		}
		assertThat(this.endpoint.virtualServingThreads.get() - servedBefore).as("operations served on virtual threads")
			.isEqualTo(count);
		assertThat(this.self.pendingCalls()).isZero();
	}

	/** Calls to a server that never answers: half abandoned, half aborted. */
	private void abandonedAndAborted(VirtualThreadTaskExecutor callers, int count, String round) throws Exception {
		int first = HUNG.connections().size();
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = round + "h" + i;
			calls.add(this.hung.submit((operations) -> send(operations, "Echo", id), callers));
		}
		for (int i = 0; i < count; i++) {
			assertThat(HUNG.awaitConnection(first + i, WAIT).awaitRequest(WAIT)).isTrue();
		}
		for (int i = 0; i < count; i++) {
			PendingCall<String> call = calls.get(i);
			if (i % 2 == 0) {
				assertThat(this.hung.abandon(call.callId())).isTrue();
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS))
					.withCauseInstanceOf(CallAbandonedException.class);
			}
			else {
				assertThat(this.hung.abortCall(call.callId(), "vt")).isTrue();
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS))
					.withCauseInstanceOf(CallAbortedException.class);
			}
		}
		// the abandoned calls' I/O goes on until it is aborted too
		this.hung.calls().forEach((call) -> this.hung.abortCall(call.id(), "test over"));
		for (int i = 0; i < count; i++) {
			assertThat(HUNG.connections().get(first + i).awaitClosedByPeer(WAIT)).as("socket %d closed", i).isTrue();
		}
	}

	/**
	 * The caller aborts its call to this application's host, whose operation (on a
	 * virtual thread) waits on a call to the server that never answers: the operation is
	 * cancelled once, its downstream call aborted and its socket closed.
	 */
	private void cancelledInCascade(VirtualThreadTaskExecutor callers, int count, String round) throws Exception {
		int first = HUNG.connections().size();
		List<PendingCall<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = round + "r" + i;
			calls.add(this.self.submit((operations) -> send(operations, "Relay", id), callers));
		}
		List<ServerConnection> downstream = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ServerConnection connection = HUNG.awaitConnection(first + i, WAIT);
			assertThat(connection.awaitRequest(WAIT)).isTrue();
			downstream.add(connection);
		}
		for (PendingCall<String> call : calls) {
			assertThat(this.self.abortCall(call.callId(), "vt cascade")).isTrue();
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS))
				.withCauseInstanceOf(CallAbortedException.class);
		}
		for (ServerConnection connection : downstream) {
			assertThat(connection.awaitClosedByPeer(WAIT)).as("the downstream socket").isTrue();
		}
		for (int i = 0; i < count; i++) {
			VtEndpoint.Relayed relayed = this.endpoint.relayed(round + "r" + i);
			assertThat(relayed.completed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(relayed.cancels.get()).as("cancel callback of r%d", i).isEqualTo(1);
			assertThat(relayed.reason).isIn(CancelReason.CALLER_CANCELLED, CancelReason.CALLER_GONE);
			assertThat(relayed.downstreamFailure).isInstanceOf(CallAbortedException.class);
		}
	}

	private static void pinOnPurpose(VirtualThreadTaskExecutor callers) throws Exception {
		callers.submitCompletable(() -> PinsWhenInitialised.VALUE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	private static List<RecordedEvent> events(Recording recording, Path file) throws IOException {
		recording.dump(file);
		try {
			return RecordingFile.readAllEvents(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static List<String> frames(RecordedEvent event) {
		if (event.getStackTrace() == null) {
			return List.of("(no stack trace)");
		}
		return event.getStackTrace()
			.getFrames()
			.stream()
			.map(RecordedFrame::getMethod)
			.map((method) -> method.getType().getName() + "." + method.getName())
			.collect(Collectors.toList());
	}

	private static String send(WebServiceOperations operations, String operation, String id) {
		StringResult result = new StringResult();
		operations.sendSourceAndReceiveToResult(new StringSource(
				"<v:" + operation + " xmlns:v=\"" + NAMESPACE + "\"><v:id>" + id + "</v:id></v:" + operation + ">"),
				result);
		return result.toString();
	}

	private static boolean isVirtual(Thread thread) {
		try {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (Boolean) isVirtual.invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	/**
	 * Parks in its static initialiser: a virtual thread that initialises it pins its
	 * carrier on every JDK (class initialisation runs in a native frame).
	 */
	static final class PinsWhenInitialised {

		static final int VALUE;

		static {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			VALUE = 1;
		}

		private PinsWhenInitialised() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(VtEndpoint.class)
	static class VtApplication {

	}

	/**
	 * {@code Echo} answers with its request, noting whether it ran on a virtual thread;
	 * {@code Relay} calls the server that never answers through the proxy {@code hung},
	 * on its serving thread, and records its cancellation.
	 */
	@Endpoint
	static class VtEndpoint {

		final AtomicInteger virtualServingThreads = new AtomicInteger();

		private final Map<String, Relayed> relayed = new ConcurrentHashMap<>();

		private final ServiceProxies proxies;

		VtEndpoint(ServiceProxies proxies) {
			this.proxies = proxies;
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "Echo")
		@ResponsePayload
		Element echo(@RequestPayload Element request) {
			if (isVirtual(Thread.currentThread())) {
				this.virtualServingThreads.incrementAndGet();
			}
			return request;
		}

		@PayloadRoot(namespace = NAMESPACE, localPart = "Relay")
		@ResponsePayload
		Element relay(@RequestPayload Element request, OperationContext operation) {
			String id = request.getTextContent();
			Relayed record = relayed(id);
			operation.onCancel((reason) -> {
				record.reason = reason;
				record.cancels.incrementAndGet();
			});
			operation.onComplete(record.completed::countDown);
			try {
				send(this.proxies.find("hung").orElseThrow(), "Echo", id);
			}
			catch (RuntimeException ex) {
				record.downstreamFailure = ex;
			}
			return request;
		}

		Relayed relayed(String id) {
			return this.relayed.computeIfAbsent(id, (key) -> new Relayed());
		}

		/**
		 * What one relay operation saw.
		 */
		static final class Relayed {

			final AtomicInteger cancels = new AtomicInteger();

			final CountDownLatch completed = new CountDownLatch(1);

			volatile CancelReason reason;

			volatile RuntimeException downstreamFailure;

		}

	}

}
