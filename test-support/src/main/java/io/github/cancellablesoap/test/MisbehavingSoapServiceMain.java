package io.github.cancellablesoap.test;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link MisbehavingSoapService} as a program, for a container or another process:
 * the SOAP port and the control port that a {@link RemoteMisbehavingSoapService} drives.
 * <p>
 * Arguments, all optional: {@code --soap-port=8080}, {@code --control-port=8081} (zero
 * for a free port), {@code --bind=127.0.0.1} (a container passes {@code 0.0.0.0}),
 * {@code --max-request-body-bytes=1048576}, {@code --max-recorded-requests=1000},
 * {@code --max-recorded-body-bytes=33554432}. Once both ports listen it writes one line
 * to standard output, {@code misbehaving-soap-service ready soap-port=<port>
 * control-port=<port>} (a container's log wait strategy can wait for it), then serves
 * until the process is stopped (its sockets are closed by a shutdown hook). A failure
 * inside the service (a connection that then shows
 * {@link SoapConnection.State#SERVICE_FAILED}) is written to standard error with its
 * stack trace. Bad arguments end it with a message on standard error and exit status 2.
 *
 * @author Cancellable SOAP
 */
public final class MisbehavingSoapServiceMain {

	/** The start of the line written once the service is ready. */
	public static final String READY = "misbehaving-soap-service ready";

	private MisbehavingSoapServiceMain() {
	}

	/**
	 * Start the service and serve until the process ends.
	 * @param args the arguments (see the class documentation)
	 * @throws InterruptedException if the main thread is interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		Running running;
		try {
			running = start(args);
		}
		catch (IllegalArgumentException ex) {
			PrintWriter err = writer(FileDescriptor.err);
			err.println("misbehaving-soap-service: " + ex.getMessage());
			err.flush();
			System.exit(2);
			return;
		}
		PrintWriter out = writer(FileDescriptor.out);
		out.println(READY + " soap-port=" + running.service().port() + " control-port=" + running.control().port());
		out.flush();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			running.close();
			stopped.countDown();
		}, "misbehaving-soap-service-shutdown"));
		stopped.await();
	}

	/**
	 * Start the service and its control port in this JVM, as {@link #main} does.
	 * @param args the arguments (see the class documentation)
	 * @return the running service and control port; close it to stop both
	 * @throws IllegalArgumentException naming a bad argument
	 */
	public static Running start(String... args) {
		int soapPort = 8080;
		int controlPort = 8081;
		String bind = "127.0.0.1";
		LocalMisbehavingSoapService.Builder builder = LocalMisbehavingSoapService.builder()
			.failureListener(MisbehavingSoapServiceMain::reportFailure);
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Arguments are --name=value, got '" + arg + "'");
			}
			String name = arg.substring(2, equals);
			String value = arg.substring(equals + 1);
			switch (name) {
				case "soap-port" -> soapPort = number(name, value);
				case "control-port" -> controlPort = number(name, value);
				case "bind" -> bind = value;
				case "max-request-body-bytes" -> builder.maxRequestBodyBytes(number(name, value));
				case "max-recorded-requests" -> builder.maxRecordedRequests(number(name, value));
				case "max-recorded-body-bytes" -> builder.maxRecordedBodyBytes(longNumber(name, value));
				default -> throw new IllegalArgumentException("Unknown argument --" + name
						+ " (known: --soap-port, --control-port, --bind, --max-request-body-bytes, --max-recorded-requests,"
						+ " --max-recorded-body-bytes)");
			}
		}
		InetAddress address;
		try {
			address = InetAddress.getByName(bind);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("--bind=" + bind + " is not an address: " + ex.getMessage(), ex);
		}
		LocalMisbehavingSoapService service = builder.bindAddress(address).port(soapPort).start();
		try {
			return new Running(service, new ControlServer(service, address, controlPort));
		}
		catch (RuntimeException ex) {
			service.close();
			throw ex;
		}
	}

	private static int number(String name, String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " takes a number, got '" + value + "'", ex);
		}
	}

	private static long longNumber(String name, String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " takes a number, got '" + value + "'", ex);
		}
	}

	private static void reportFailure(int connection, Throwable failure) {
		PrintWriter err = writer(FileDescriptor.err);
		err.println("misbehaving-soap-service: connection #" + connection + " failed inside the service: " + failure);
		failure.printStackTrace(err);
		err.flush();
	}

	private static PrintWriter writer(FileDescriptor descriptor) {
		// A program's own output, the contract a container's log wait reads: not logging.
		return new PrintWriter(new OutputStreamWriter(new FileOutputStream(descriptor), StandardCharsets.UTF_8));
	}

	/**
	 * A service and its control port, running in this JVM. Thread-safe.
	 */
	public static final class Running implements AutoCloseable {

		private final LocalMisbehavingSoapService service;

		private final ControlServer control;

		Running(LocalMisbehavingSoapService service, ControlServer control) {
			this.service = service;
			this.control = control;
		}

		/**
		 * The service itself.
		 * @return the in-process service
		 */
		public LocalMisbehavingSoapService service() {
			return this.service;
		}

		/**
		 * The control port.
		 * @return the port
		 */
		public int controlPort() {
			return this.control.port();
		}

		ControlServer control() {
			return this.control;
		}

		/**
		 * Stop both ports.
		 */
		@Override
		public void close() {
			try {
				this.control.close();
			}
			finally {
				this.service.close();
			}
		}

	}

}
