package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS server (the JDK's {@code HttpsServer}) on a loopback port with a self-signed
 * certificate for {@code 127.0.0.1} and {@code localhost} that {@code keytool} generates
 * for the test; it answers every POST with a fixed body and records the request headers.
 * {@link #trustedByDefault()} makes the JVM's default trust (which HttpClient's default
 * TLS strategy reads) accept the certificate until it is closed.
 * <p>
 * Thread-safe.
 */
public final class TlsEchoServer implements AutoCloseable {

	private static final String PASSWORD = "changeit";

	private final HttpsServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Path keyStore;

	private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();

	private TlsEchoServer(Path dir, String contentType, String body) throws Exception {
		this.keyStore = dir.resolve("server.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", this.keyStore.toString(),
				"-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("keytool.log").toFile())
			.start();
		assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).as("keytool ends").isTrue();
		assertThat(keytool.exitValue()).as("keytool's exit status (see keytool.log)").isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = java.nio.file.Files.newInputStream(this.keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
		this.server.setHttpsConfigurator(new HttpsConfigurator(context));
		this.server.setExecutor(this.threads);
		byte[] answer = body.getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				this.requests.add(Map.copyOf(exchange.getRequestHeaders()));
				exchange.getRequestBody().readAllBytes();
				exchange.getResponseHeaders().set("Content-Type", contentType);
				exchange.sendResponseHeaders(200, answer.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			}
		});
		this.server.start();
	}

	/**
	 * Start a server.
	 * @param dir where its key store goes
	 * @param contentType the content type of its answers
	 * @param body the body of its answers
	 * @return the running server
	 */
	public static TlsEchoServer start(Path dir, String contentType, String body) {
		try {
			return new TlsEchoServer(dir, contentType, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the TLS server", ex);
		}
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public URI uri(String path) {
		return URI.create("https://127.0.0.1:" + port() + path);
	}

	/**
	 * The headers of the requests received so far (names as the JDK normalises them:
	 * first letter upper case, the rest lower case).
	 * @return one map per request
	 */
	public List<Map<String, List<String>>> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Make the JVM's default trust store this server's key store until the returned
	 * handle is closed; set it before the client that must trust it creates its SSL
	 * context.
	 * @return the handle that restores the previous trust settings
	 */
	public AutoCloseable trustedByDefault() {
		String store = System.getProperty("javax.net.ssl.trustStore");
		String type = System.getProperty("javax.net.ssl.trustStoreType");
		String password = System.getProperty("javax.net.ssl.trustStorePassword");
		System.setProperty("javax.net.ssl.trustStore", this.keyStore.toString());
		System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
		System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
		return () -> {
			restore("javax.net.ssl.trustStore", store);
			restore("javax.net.ssl.trustStoreType", type);
			restore("javax.net.ssl.trustStorePassword", password);
		};
	}

	private static void restore(String key, String value) {
		if (value == null) {
			System.clearProperty(key);
		}
		else {
			System.setProperty(key, value);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
	}

	@Override
	public String toString() {
		return "TlsEchoServer(127.0.0.1:" + port() + ")";
	}

}
