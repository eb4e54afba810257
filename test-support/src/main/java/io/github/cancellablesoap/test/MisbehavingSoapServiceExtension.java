package io.github.cancellablesoap.test;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link MisbehavingSoapService} for a test class: it
 * starts the service before the first test, resets its script and records after each
 * test, and closes it after the last; test and lifecycle methods can declare a
 * {@link MisbehavingSoapService} parameter to get it.
 * <p>
 * Register it on a static field to share one service (one port) across the class, which
 * is what a Spring test that puts the port in its properties needs: <pre class="code">
 * &#64;RegisterExtension
 * static final MisbehavingSoapServiceExtension soap = new MisbehavingSoapServiceExtension()
 * 	.failOnOpenConnection(Duration.ofSeconds(2));
 * </pre> or with {@code @ExtendWith(MisbehavingSoapServiceExtension.class)} and a
 * parameter. On an instance field, each test gets a service of its own.
 * <p>
 * {@link #failOnOpenConnection(Duration)} (off by default) fails a test after which a
 * connection is still open on the server side once the grace period has passed: for tests
 * whose client must not keep connections (an aborted call, a closed proxy); a client with
 * a keep-alive pool keeps them on purpose, hence opt-in.
 * <p>
 * {@link #MisbehavingSoapServiceExtension(Supplier)} runs the same lifecycle around
 * another service, for example a {@link RemoteMisbehavingSoapService} in a container.
 * <p>
 * Thread-safe for JUnit's use: callbacks of one class run one at a time.
 *
 * @author Cancellable SOAP
 */
public final class MisbehavingSoapServiceExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

	private final Supplier<? extends MisbehavingSoapService> factory;

	private volatile Duration openConnectionGrace;

	private volatile MisbehavingSoapService service;

	/** Whether the service lives for one test (instance field) rather than the class. */
	private volatile boolean perTest;

	/**
	 * An extension around an in-process service on {@code 127.0.0.1} and a free port.
	 */
	public MisbehavingSoapServiceExtension() {
		this(MisbehavingSoapService::start);
	}

	/**
	 * An extension around a service the factory makes (and {@link AutoCloseable#close()
	 * closes} afterwards).
	 * @param factory makes the service
	 */
	public MisbehavingSoapServiceExtension(Supplier<? extends MisbehavingSoapService> factory) {
		this.factory = Objects.requireNonNull(factory, "factory");
	}

	/**
	 * Fail a test after which a connection is still open on the server side once
	 * {@code grace} has passed (each connection has this long to be closed by its
	 * client).
	 * @param grace how long to wait for open connections to close
	 * @return this extension
	 */
	public MisbehavingSoapServiceExtension failOnOpenConnection(Duration grace) {
		if (grace.isNegative()) {
			throw new IllegalArgumentException("The grace period must not be negative, got " + grace);
		}
		this.openConnectionGrace = grace;
		return this;
	}

	/**
	 * The running service.
	 * @return the service
	 * @throws IllegalStateException outside the tests of the class
	 */
	public MisbehavingSoapService service() {
		MisbehavingSoapService running = this.service;
		if (running == null) {
			throw new IllegalStateException("The misbehaving SOAP service runs only while the tests run");
		}
		return running;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.service = this.factory.get();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.service == null) {
			this.perTest = true;
			this.service = this.factory.get();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		MisbehavingSoapService running = this.service;
		if (running == null) {
			return;
		}
		try {
			Duration grace = this.openConnectionGrace;
			if (grace != null && context.getExecutionException().isEmpty()) {
				running.awaitNoOpenConnection(grace);
			}
		}
		finally {
			if (this.perTest) {
				this.service = null;
				running.close();
			}
			else {
				running.reset();
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		MisbehavingSoapService running = this.service;
		this.service = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		// the interface and any implementation of it (local, remote, a container)
		return MisbehavingSoapService.class.isAssignableFrom(type);
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		MisbehavingSoapService running = service();
		Class<?> type = parameterContext.getParameter().getType();
		if (!type.isInstance(running)) {
			throw new IllegalStateException(
					"The service is a " + running.getClass().getSimpleName() + ", not a " + type.getSimpleName());
		}
		return running;
	}

}
