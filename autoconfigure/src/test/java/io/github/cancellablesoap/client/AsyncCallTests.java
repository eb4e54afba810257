package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.core.WireProtocol;
import io.github.cancellablesoap.test.http.Behaviour;
import io.github.cancellablesoap.test.http.ServerConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.client.support.interceptor.ClientInterceptorAdapter;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;
import org.springframework.xml.transform.TransformerHelper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-blocking form of a call ({@link AsyncServiceOperations}) against a real server
 * and HttpClient 5: the calling thread sends, the completion executor's thread processes
 * the answer (extractor, interceptors, listener), the call is listed, counted and carries
 * the propagation headers; a fault, a rejecting executor and a direct executor each end
 * only their call, never on an I/O thread.
 */
class AsyncCallTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	private final ExecutorService completion = Executors.newFixedThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "completion-" + System.identityHashCode(task));
		thread.setDaemon(true);
		return thread;
	});

	private final Recorder recorder = new Recorder();

	@AfterEach
	void stopCompletion() {
		this.completion.shutdownNow();
	}

	@Test
	void theCallingThreadSendsAndTheCompletionExecutorProcessesTheAnswer() throws Exception {
		DefaultServiceProxy proxy = openProxy();
		String caller = Thread.currentThread().getName();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), this.completion);
		assertThat(call.result().get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("echoResponse");
		assertThat(this.recorder.threads).containsEntry("handleRequest", caller);
		assertThat(this.recorder.threads.get("extract")).startsWith("completion-");
		assertThat(this.recorder.threads.get("handleResponse")).startsWith("completion-");
		assertThat(this.recorder.threads.get("afterCompletion")).startsWith("completion-");
		assertThat(this.recorder.threads.get("callEnded")).startsWith("completion-");
		assertThat(this.recorder.outcomes).containsExactly(CallOutcome.COMPLETED);
		ServerConnection connection = this.fixture.awaitRequest(0);
		assertThat(connection.requestHeader(WireProtocol.CALL_ID_HEADER)).isEqualTo(call.callId());
		assertThat(Long.parseLong(connection.requestHeader(WireProtocol.CALL_TIMEOUT_HEADER))).isBetween(1L, 30_000L);
		assertThat(connection.requestHeader(WireProtocol.CALL_TOKEN_HEADER)).isNotBlank();
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aSoapFaultFailsTheResultAfterTheFaultInterceptorsRanOnTheExecutor() {
		this.fixture.server()
			.setBehaviour(Behaviour.respond(500, ProxyFixture.SOAP_CONTENT_TYPE,
					ProxyFixture.envelope("<soapenv:Fault><faultcode>soapenv:Client</faultcode>"
							+ "<faultstring>unknown symbol</faultstring></soapenv:Fault>")));
		DefaultServiceProxy proxy = openProxy();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), this.completion);
		assertThat(call.result()).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SoapFaultClientException.class)
			.withMessageContaining("unknown symbol");
		assertThat(this.recorder.threads.get("handleFault")).startsWith("completion-");
		assertThat(this.recorder.threads).doesNotContainKey("extract");
		assertThat(this.recorder.outcomes).containsExactly(CallOutcome.FAULT);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anExecutorThatRefusesTheTaskFailsThatCallOnlyAndFreesItsSlot() throws Exception {
		DefaultServiceProxy proxy = openProxy();
		PendingCall<String> refused = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), (task) -> {
					throw new RejectedExecutionException("saturated");
				});
		assertThat(refused.result()).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RejectedExecutionException.class)
			.withMessage("saturated");
		assertThat(this.recorder.threads.get("afterCompletion")).as("interceptors still complete")
			.startsWith("soap-application-");
		assertThat(this.recorder.outcomes).containsExactly(CallOutcome.FAILED);
		ProxyFixture.awaitNothingInFlight(proxy);
		PendingCall<String> next = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), this.completion);
		assertThat(next.result().get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("echoResponse");
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
	}

	/**
	 * An executor whose {@code execute} blocks (a bounded queue waiting for room) is
	 * application code: it is never called on the I/O reactor, so while it blocks the
	 * proxy's other calls are answered.
	 */
	@Test
	void anExecuteThatBlocksHoldsUpOnlyItsOwnCall() throws Exception {
		DefaultServiceProxy proxy = openProxy();
		CountDownLatch executing = new CountDownLatch(1);
		CountDownLatch unblock = new CountDownLatch(1);
		Map<String, String> executeThreads = new ConcurrentHashMap<>();
		PendingCall<String> blocked = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), (task) -> {
					executeThreads.put("execute", Thread.currentThread().getName());
					executing.countDown();
					try {
						unblock.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					this.completion.execute(task);
				});
		try {
			assertThat(executing.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(executeThreads.get("execute")).as("the thread calling execute()")
				.startsWith("soap-application-");
			for (int i = 0; i < 8; i++) {
				PendingCall<String> other = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
						AsyncCancellationTests::text, this.completion);
				assertThat(other.result().get(5, TimeUnit.SECONDS)).as("call %d while execute() blocks", i)
					.contains("echoResponse");
			}
			assertThat(blocked.result()).isNotDone();
		}
		finally {
			unblock.countDown();
		}
		assertThat(blocked.result().get(10, TimeUnit.SECONDS)).contains("echoResponse");
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aDirectExecutorNeverRunsTheProcessingOnTheIoThread() throws Exception {
		DefaultServiceProxy proxy = openProxy();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), Runnable::run);
		assertThat(call.result().get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("echoResponse");
		// whichever thread handed the task over (the I/O reactor, or this one when the
		// answer was already complete as the call registered for it), it ran elsewhere
		assertThat(this.recorder.threads.get("extract")).startsWith("soap-application-");
		assertThat(this.recorder.threads.get("afterCompletion")).startsWith("soap-application-");
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aDirectExecutorNeverRunsTheProcessingOnTheCallingThreadEither() throws Exception {
		// an interceptor that answers hands the task over on the calling thread itself
		// (as does an answer already complete when the call registers for it)
		WebServiceTemplate template = new WebServiceTemplate();
		template.setInterceptors(new ClientInterceptor[] { this.recorder, new ClientInterceptorAdapter() {
			@Override
			public boolean handleRequest(MessageContext messageContext) {
				return false;
			}
		} });
		DefaultServiceProxy proxy = this.fixture
			.create(ProxySettings.builder("test", this.fixture.server().uri("/ws")).build(), template);
		proxy.setCallListener(this.recorder);
		proxy.open();
		String caller = Thread.currentThread().getName();
		PendingCall<String> call = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), Runnable::run);
		assertThat(call.result().get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
		assertThat(this.recorder.threads.get("handleRequest")).isEqualTo(caller);
		assertThat(this.recorder.threads.get("afterCompletion")).startsWith("soap-application-");
		assertThat(this.recorder.threads.get("callEnded")).startsWith("soap-application-");
		assertThat(this.recorder.outcomes).containsExactly(CallOutcome.COMPLETED);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void anExtractorThatThrowsFailsItsCallOnly() throws Exception {
		DefaultServiceProxy proxy = openProxy();
		SourceExtractor<String> throwing = (source) -> {
			throw new IllegalStateException("extractor broke");
		};
		PendingCall<String> broken = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), throwing,
				this.completion);
		assertThat(broken.result()).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("extractor broke");
		PendingCall<String> next = proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST),
				this.recorder.extractor(), this.completion);
		assertThat(next.result().get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("echoResponse");
		assertThat(this.recorder.outcomes).containsExactly(CallOutcome.FAILED, CallOutcome.COMPLETED);
		ProxyFixture.awaitNothingInFlight(proxy);
	}

	@Test
	void aCallOnAClosedProxyIsRejectedAtOnce() {
		DefaultServiceProxy proxy = openProxy();
		proxy.close();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(CallRejectedException.class)
			.isThrownBy(() -> proxy.sendSourceAsync(new StringSource(ProxyFixture.REQUEST), this.recorder.extractor(),
					this.completion))
			.withMessageContaining("CLOSED");
	}

	private DefaultServiceProxy openProxy() {
		WebServiceTemplate template = new WebServiceTemplate();
		template.setInterceptors(new ClientInterceptor[] { this.recorder });
		DefaultServiceProxy proxy = this.fixture
			.create(ProxySettings.builder("test", this.fixture.server().uri("/ws")).build(), template);
		proxy.setCallListener(this.recorder);
		proxy.open();
		return proxy;
	}

	/**
	 * Records on which thread each step ran, and the outcomes its listener heard.
	 */
	static final class Recorder implements ClientInterceptor, CallListener {

		final Map<String, String> threads = new ConcurrentHashMap<>();

		final List<CallOutcome> outcomes = new CopyOnWriteArrayList<>();

		final AtomicInteger started = new AtomicInteger();

		private void record(String step) {
			this.threads.put(step, Thread.currentThread().getName());
		}

		SourceExtractor<String> extractor() {
			return (source) -> {
				record("extract");
				StringResult result = new StringResult();
				new TransformerHelper().transform(source, result);
				return result.toString();
			};
		}

		@Override
		public boolean handleRequest(MessageContext messageContext) throws WebServiceClientException {
			record("handleRequest");
			return true;
		}

		@Override
		public boolean handleResponse(MessageContext messageContext) throws WebServiceClientException {
			record("handleResponse");
			return true;
		}

		@Override
		public boolean handleFault(MessageContext messageContext) throws WebServiceClientException {
			record("handleFault");
			return true;
		}

		@Override
		public void afterCompletion(MessageContext messageContext, @Nullable Exception ex)
				throws WebServiceClientException {
			record("afterCompletion");
		}

		@Override
		public @Nullable Object callStarted(StartedCall call) {
			this.started.incrementAndGet();
			return null;
		}

		@Override
		public void callEnded(EndedCall call, @Nullable Object state) {
			record("callEnded");
			this.outcomes.add(call.outcome());
		}

	}

}
