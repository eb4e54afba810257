package io.github.cancellablesoap.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.github.cancellablesoap.test.http.RecordedRequest;
import io.github.cancellablesoap.test.http.ServerConnection;
import io.github.cancellablesoap.testsupport.GzipBomb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Compression on the wire: requests offer gzip and deflate, deflate and chunked gzip
 * answers are decoded, a bomb fails at the decoded-size bound while it streams and closes
 * its connection, and request bodies are gzip-compressed when asked.
 */
class ProxyCompressionTests {

	private static final String HEAD_200 = "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n";

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void requestsOfferGzipAndDeflateAndAreNotCompressedByDefault() {
		DefaultServiceProxy proxy = this.fixture.open();
		ProxyFixture.echo(proxy);
		RecordedRequest request = this.fixture.awaitRequest(0).lastRequest();
		assertThat(request.header("Accept-Encoding")).isEqualTo("gzip, deflate");
		assertThat(request.header("Content-Encoding")).isNull();
		assertThat(request.body()).contains(ProxyFixture.REQUEST);
	}

	@Test
	void aDeflateAnswerIsDecoded() {
		byte[] body = deflate(ProxyFixture.echoResponse().getBytes(StandardCharsets.UTF_8));
		this.fixture.server().setScript((request, out) -> {
			out.write((HEAD_200 + "Content-Encoding: deflate\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
		});
		assertThat(ProxyFixture.echo(this.fixture.open())).contains("echoResponse");
	}

	@Test
	void aChunkedGzipAnswerIsDecodedAcrossChunks() {
		byte[] body = gzip(ProxyFixture.echoResponse().getBytes(StandardCharsets.UTF_8));
		this.fixture.server().setScript((request, out) -> {
			out.write((HEAD_200 + "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			for (int at = 0; at < body.length; at += 7) {
				int length = Math.min(7, body.length - at);
				out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(body, at, length);
				out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		});
		DefaultServiceProxy proxy = this.fixture.open();
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
	}

	@Test
	void aBombFailsAtTheDecodedBoundWhileStreamingAndItsConnectionIsClosed() throws Exception {
		GzipBomb bomb = GzipBomb.of(
				"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">" + "<soapenv:Body><a>",
				1024, (byte) 'a', "</a></soapenv:Body></soapenv:Envelope>");
		this.fixture.server().setScript((request, out) -> {
			// no length: the compressed bytes stay under the bound, the decoded ones do
			// not
			out.write((HEAD_200 + "Content-Encoding: gzip\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			bomb.writeTo(out);
		});
		DefaultServiceProxy proxy = this.fixture.open((settings) -> settings.maxResponseBytes(64 * 1024));
		PendingCall<String> call = this.fixture.submit(proxy);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.result().get(10, TimeUnit.SECONDS))
			.satisfies((ex) -> assertThat(ForwardProxyIntegrationTests.stackTrace(ex))
				.contains("larger than max-response-size (65536 bytes) once decompressed")
				.contains("refused while being inflated"));
		ServerConnection connection = this.fixture.server().awaitConnection(0, ProxyFixture.seconds(5));
		assertThat(connection.awaitClosedByPeer(ProxyFixture.seconds(5))).isTrue();
		ProxyFixture.awaitNothingInFlight(proxy);
		this.fixture.server()
			.setBehaviour(io.github.cancellablesoap.test.http.Behaviour.respond(200, ProxyFixture.SOAP_CONTENT_TYPE,
					ProxyFixture.echoResponse()));
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
	}

	@Test
	void requestCompressionSendsAGzipBodyWithItsContentEncoding() throws IOException {
		DefaultServiceProxy proxy = this.fixture
			.open((settings) -> settings.connection(new ConnectionSettings(null, null, true, PoolSettings.DEFAULTS)));

		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");

		List<RecordedRequest> requests = this.fixture.server()
			.connections()
			.stream()
			.flatMap((connection) -> connection.requests().stream())
			.toList();
		assertThat(requests).extracting((request) -> request.header("Content-Encoding"))
			.containsExactly("gzip", "gzip");
		for (RecordedRequest request : requests) {
			assertThat(gunzip(request.bodyBytes())).contains(ProxyFixture.REQUEST);
		}
	}

	private static byte[] gzip(byte[] content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (OutputStream out = new GZIPOutputStream(bytes)) {
			out.write(content);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	private static byte[] deflate(byte[] content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (OutputStream out = new DeflaterOutputStream(bytes, new Deflater())) {
			out.write(content);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	static String gunzip(byte[] body) throws IOException {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
