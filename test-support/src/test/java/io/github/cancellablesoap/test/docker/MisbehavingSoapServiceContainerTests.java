package io.github.cancellablesoap.test.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.github.cancellablesoap.test.MisbehavingSoapService;
import io.github.cancellablesoap.test.MisbehavingSoapServiceExtension;
import io.github.cancellablesoap.test.RequestMatcher;
import io.github.cancellablesoap.test.SoapBehaviour;
import io.github.cancellablesoap.test.SoapConnection;
import io.github.cancellablesoap.test.SoapRequest;
import io.github.cancellablesoap.test.SoapVersion;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MisbehavingSoapServiceContainer}: the service in a container, driven
 * through its mapped ports, paused and killed; and one scenario run against the
 * in-process service and the container alike.
 */
@EnabledIfDocker
class MisbehavingSoapServiceContainerTests {

	private static final String REPOSITORY = "mssc-misbehaving-soap-service";

	private static final String PREFIX = "mssc-" + ProcessHandle.current().pid() + "-";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PAYLOAD = "<m:order xmlns:m=\"urn:test\">héllo</m:order>";

	static final MisbehavingSoapServiceContainer container = settings("shared").build();

	/**
	 * Removes the image once no container uses it: the container first (closing it again
	 * when the extension has closed it already is harmless).
	 */
	@RegisterExtension
	static final AfterAllCallback removeTheImages = (context) -> {
		container.close();
		DockerClientFactory.instance()
			.client()
			.listImagesCmd()
			.withImageNameFilter(REPOSITORY)
			.exec()
			.forEach((image) -> DockerClientFactory.instance().client().removeImageCmd(image.getId()).exec());
	};

	@RegisterExtension
	static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension(container::start);

	@RegisterExtension
	static final MisbehavingSoapServiceExtension local = new MisbehavingSoapServiceExtension();

	@AutoClose
	private final CloseableHttpClient http = HttpClients.createDefault();

	private static MisbehavingSoapServiceContainer.Builder settings(String name) {
		// the runtime image is the one the other Docker tests of the build share
		return MisbehavingSoapServiceContainer.builder()
			.repository(REPOSITORY)
			.runtimeRepository("faults-java-runtime")
			.name(PREFIX + name);
	}

	@Test
	void bothPortsArePublishedOnTheLoopbackInterfaceOnly() {
		Ports ports = DockerClientFactory.instance()
			.client()
			.inspectContainerCmd(container.container().getContainerId())
			.exec()
			.getHostConfig()
			.getPortBindings();
		assertThat(ports.getBindings()).containsOnlyKeys(ExposedPort.tcp(8080), ExposedPort.tcp(8081));
		assertThat(ports.getBindings().values()).allSatisfy((bindings) -> assertThat(bindings)
			.allSatisfy((binding) -> assertThat(binding.getHostIp()).isEqualTo("127.0.0.1")));
	}

	/**
	 * Forty bodies of a megabyte, beyond the 32 MiB of the record, in the heap the
	 * container derives from its limits: the service still answers, and its record reads.
	 */
	@Test
	void moreBodyBytesThanTheRecordKeepsStillGetAnswersAndARecord() throws IOException {
		String body = "b".repeat(1_000_000);
		for (int i = 0; i < 40; i++) {
			HttpPost post = new HttpPost(container.uri("/ws"));
			post.setEntity(new StringEntity(body, ContentType.TEXT_XML));
			String answer = this.http.execute(post, (response) -> EntityUtils.toString(response.getEntity()));
			assertThat(answer).as("answer #" + i).hasSize(1_000_000);
		}
		List<SoapRequest> requests = container.requests();
		assertThat(requests).hasSize(40);
		assertThat(requests.get(32).bodyTruncated()).isFalse();
		assertThat(requests.get(33).bodyTruncated()).isTrue();
		assertThat(requests.get(39).bodyLength()).isZero();
	}

	@Test
	void theContainerServesAScriptedAnswer() throws IOException {
		assertThat(soap.service()).isSameAs(container);
		assertThat(container.service().isReady()).isTrue();
		assertThat(container.port()).isEqualTo(container.container().getMappedPort(8080));
		container.enqueue(
				SoapBehaviour.answer("<q:quote xmlns:q=\"urn:q\">42</q:quote>").withHeader("Soap-Cancel", "supported"));

		Answer answer = this.http.execute(post(container, SoapVersion.SOAP_11, "Soap-Call-Id", "c-1"), Answer::read);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).contains("<q:quote xmlns:q=\"urn:q\">42</q:quote>")
			.contains(SoapVersion.SOAP_11.namespace());
		assertThat(answer.soapCancel()).isEqualTo("supported");
		SoapRequest request = container.awaitRequest(0, WAIT);
		assertThat(request.callId()).hasValue("c-1");
		assertThat(request.bodyText()).isEqualTo(SoapVersion.SOAP_11.envelope(PAYLOAD));
	}

	@Test
	void aHangAbortedByTheClientIsSeenClosedThroughTheRemoteApi() {
		container.enqueue(SoapBehaviour.hang());
		HttpPost post = post(container, SoapVersion.SOAP_12);
		CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> execute(post));
		SoapRequest request = container.awaitRequest(0, WAIT);

		post.cancel();

		SoapConnection closed = container.awaitClosedByClient(request, WAIT);
		assertThat(closed.closedByClient()).isTrue();
		assertThat(closed.closedAt()).isNotNull();
		assertThat(call).failsWithin(WAIT);
		container.awaitNoOpenConnection(WAIT);
	}

	@Test
	void aCallToThePausedContainerHangsUntilAbortedAndTheServiceSeesTheCloseOnceUnpaused() throws Exception {
		container.enqueue(SoapBehaviour.hang());
		container.pause();
		long aborted;
		try {
			assertThat(container.isPaused()).isTrue();
			HttpPost post = post(container, SoapVersion.SOAP_11, "Soap-Call-Id", "paused-1");
			CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> execute(post));
			assertThatExceptionOfType(TimeoutException.class).as("a paused service answers nothing")
				.isThrownBy(() -> call.get(1, TimeUnit.SECONDS));

			aborted = System.nanoTime();
			post.cancel();

			assertThat(call).failsWithin(WAIT);
			assertThat(Duration.ofNanos(System.nanoTime() - aborted)).as("the abort released the caller")
				.isLessThan(Duration.ofSeconds(2));
		}
		finally {
			container.unpause();
		}
		assertThat(container.isPaused()).isFalse();
		SoapRequest request = container.awaitRequest(0, WAIT);
		assertThat(request.callId()).hasValue("paused-1");
		SoapConnection closed = container.awaitClosedByClient(request, WAIT);
		assertThat(closed.closedByClient()).isTrue();
		assertThat(closed.closedAt()).isNotNull();
	}

	@Test
	void aKilledContainerEndsTheCallItHeldAndAnswersNoMore() {
		try (MisbehavingSoapServiceContainer killed = settings("killed").build().start()) {
			killed.enqueue(SoapBehaviour.hang());
			HttpPost post = post(killed, SoapVersion.SOAP_11);
			CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> execute(post));
			killed.awaitRequest(0, WAIT);

			killed.kill();

			assertThat(call).failsWithin(WAIT);
			await().atMost(WAIT).until(() -> !killed.container().isRunning());
			assertThatIllegalStateException().isThrownBy(killed::requests).withMessageContaining("did not answer");
		}
	}

	@Test
	void aCutNetworkEndsTheConnectionsThroughDockerProxyAndTheServiceRunsOnAfterwards() throws IOException {
		try (MisbehavingSoapServiceContainer cut = settings("cut").build().start()) {
			cut.enqueue(SoapBehaviour.hang());
			HttpPost post = post(cut, SoapVersion.SOAP_11, "Soap-Call-Id", "cut-1");
			CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> execute(post));
			SoapRequest request = cut.awaitRequest(0, WAIT);

			cut.disconnectNetwork();

			assertThat(call).as("docker-proxy closes the client's connection").failsWithin(WAIT);
			assertThat(cut.service().isReady()).as("the control port is cut off too").isFalse();

			cut.reconnectNetwork();

			assertThat(cut.service().isReady()).isTrue();
			SoapConnection afterwards = cut.awaitConnection(request.connection(), WAIT);
			assertThat(afterwards.closedByClient())
				.as("docker-proxy closed its connection to the service before the network went: %s", afterwards)
				.isTrue();
			assertThat(cut.requests()).singleElement()
				.satisfies((kept) -> assertThat(kept.callId()).as("the record survived the cut").hasValue("cut-1"));
			assertThat(this.http.execute(post(cut, SoapVersion.SOAP_11), Answer::read).status())
				.as("served again, on the ports published anew")
				.isEqualTo(200);
			assertThat(cut.requests()).hasSize(2);
		}
	}

	@ParameterizedTest
	@EnumSource(Where.class)
	void theSameScenarioRunsInProcessAndInTheContainer(Where where) throws IOException {
		MisbehavingSoapService service = where.service();
		service.setDefaultBehaviour(SoapBehaviour.answer("<default/>"));
		service.enqueue(RequestMatcher.soapAction("urn:refuse"), SoapBehaviour.senderFault("bad order"));
		service.enqueue(SoapBehaviour.echo().withHeader("Soap-Cancel", "supported"));

		Answer echoed = this.http.execute(post(service, SoapVersion.SOAP_11, "Soap-Call-Id", "s-1"), Answer::read);
		Answer refused = this.http.execute(post(service, SoapVersion.SOAP_11, "SOAPAction", "\"urn:refuse\""),
				Answer::read);
		Answer byDefault = this.http.execute(post(service, SoapVersion.SOAP_12), Answer::read);

		assertThat(echoed.status()).isEqualTo(200);
		assertThat(echoed.body()).isEqualTo(SoapVersion.SOAP_11.envelope(PAYLOAD));
		assertThat(echoed.soapCancel()).isEqualTo("supported");
		assertThat(refused.status()).isEqualTo(500);
		assertThat(refused.body()).contains("Client</faultcode>").contains("bad order");
		assertThat(byDefault.status()).isEqualTo(200);
		assertThat(byDefault.body()).contains("<default/>").contains(SoapVersion.SOAP_12.namespace());
		assertThat(service.requests()).hasSize(3);
		assertThat(service.requests().get(0).callId()).hasValue("s-1");
		assertThat(service.requests().get(1).soapAction()).hasValue("urn:refuse");
		assertThat(service.requests().get(2).soapVersion()).isEqualTo(SoapVersion.SOAP_12);

		service.enqueue(SoapBehaviour.hang());
		HttpPost post = post(service, SoapVersion.SOAP_11);
		CompletableFuture<Answer> call = CompletableFuture.supplyAsync(() -> execute(post));
		SoapRequest hanging = service.awaitRequest(3, WAIT);
		post.cancel();
		assertThat(service.awaitClosedByClient(hanging, WAIT).closedByClient()).isTrue();
		assertThat(call).failsWithin(WAIT);

		service.reset();

		assertThat(service.requests()).isEmpty();
		assertThat(this.http.execute(post(service, SoapVersion.SOAP_11), Answer::read).body())
			.as("echo again after a reset")
			.isEqualTo(SoapVersion.SOAP_11.envelope(PAYLOAD));
		assertThat(service.awaitRequest(0, WAIT).soapVersion()).isEqualTo(SoapVersion.SOAP_11);
	}

	private static HttpPost post(MisbehavingSoapService service, SoapVersion version, String... headers) {
		HttpPost post = new HttpPost(service.uri("/ws/orders"));
		post.setEntity(new StringEntity(version.envelope(PAYLOAD), ContentType.parse(version.contentType())));
		for (int i = 0; i < headers.length; i += 2) {
			post.setHeader(headers[i], headers[i + 1]);
		}
		return post;
	}

	private Answer execute(HttpPost post) {
		try {
			return this.http.execute(post, Answer::read);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Where the scenario runs. */
	enum Where {

		IN_PROCESS {
			@Override
			MisbehavingSoapService service() {
				return local.service();
			}
		},

		CONTAINER {
			@Override
			MisbehavingSoapService service() {
				return soap.service();
			}
		};

		abstract MisbehavingSoapService service();

	}

	/** What a client got. */
	record Answer(int status, String body, String soapCancel) {

		static Answer read(org.apache.hc.core5.http.ClassicHttpResponse response) throws IOException {
			Header cancel = response.getFirstHeader("Soap-Cancel");
			try {
				return new Answer(response.getCode(), EntityUtils.toString(response.getEntity()),
						(cancel != null) ? cancel.getValue() : null);
			}
			catch (org.apache.hc.core5.http.ParseException ex) {
				throw new IOException(ex);
			}
		}

	}

}
