package io.github.cancellablesoap.test.docker;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.github.cancellablesoap.test.LocalMisbehavingSoapService;
import io.github.cancellablesoap.test.MisbehavingSoapService;
import io.github.cancellablesoap.test.MisbehavingSoapServiceExtension;
import io.github.cancellablesoap.test.MisbehavingSoapServiceMain;
import io.github.cancellablesoap.test.RemoteMisbehavingSoapService;
import io.github.cancellablesoap.test.RequestMatcher;
import io.github.cancellablesoap.test.SoapBehaviour;
import io.github.cancellablesoap.test.SoapConnection;
import io.github.cancellablesoap.test.SoapRequest;
import org.apache.hc.core5.http.HttpException;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A {@link MisbehavingSoapService} in a Docker container, for the faults an in-process
 * service cannot show: a paused process ({@code docker pause}), a killed one, a cut
 * network. The image is built locally by {@link JavaImage} from this module's own classes
 * (its jar, or {@code target/classes} in a build) and HttpCore's jar, found through their
 * code sources, on a {@code FROM scratch} runtime of the running JDK with only
 * {@code java.base}: no registry is needed, only a Docker engine. The container runs
 * {@link MisbehavingSoapServiceMain} with the SOAP port {@value #SOAP_PORT} and the
 * control port {@value #CONTROL_PORT}, both published on ports Docker chooses, and is
 * ready once the program writes its ready line.
 * <p>
 * It <em>is</em> the service: every {@link MisbehavingSoapService} method goes to a
 * {@link RemoteMisbehavingSoapService} on the mapped ports, and {@link #close()} stops
 * and removes the container. That is why it owns a Testcontainers
 * {@link GenericContainer} instead of extending one (a class cannot be both, their
 * {@code close()} and {@code start()} mean different things): it plugs into
 * {@link MisbehavingSoapServiceExtension} as it is, <pre class="code">
 * static final MisbehavingSoapServiceContainer soap = new MisbehavingSoapServiceContainer();
 *
 * &#64;RegisterExtension
 * static final MisbehavingSoapServiceExtension extension = new MisbehavingSoapServiceExtension(soap::start);
 * </pre> and the test pauses, kills or cuts it off through {@link #pause()},
 * {@link #kill()} and {@link #disconnectNetwork()}; anything else Docker does goes
 * through {@link #container()} and Testcontainers' Docker client.
 * <p>
 * While the container is paused, its control port does not answer either: script the
 * service before pausing it, and ask it what it saw after unpausing it.
 * <p>
 * Longer than most classes here because it delegates the whole service interface and
 * carries its settings' builder; the logic is in {@link #start()}, {@link #close()} and
 * the network verbs.
 * <p>
 * Thread-safe: every method may be called from any thread; {@link #start()} and
 * {@link #close()} are serialized.
 *
 * @author Cancellable SOAP
 */
public final class MisbehavingSoapServiceContainer implements MisbehavingSoapService {

	/** The SOAP port inside the container. */
	public static final int SOAP_PORT = 8080;

	/** The control port inside the container. */
	public static final int CONTROL_PORT = 8081;

	/** The default repository of the service's image. */
	public static final String DEFAULT_REPOSITORY = "cancellable-soap-misbehaving-soap-service";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Builder settings;

	private @Nullable GenericContainer<?> container;

	private volatile @Nullable RemoteMisbehavingSoapService service;

	/** The networks cut off, with the container's aliases on each. Guarded by this. */
	private final Map<String, List<String>> disconnected = new LinkedHashMap<>();

	/**
	 * A container with the default settings, not started yet.
	 */
	public MisbehavingSoapServiceContainer() {
		this(new Builder());
	}

	private MisbehavingSoapServiceContainer(Builder settings) {
		this.settings = settings;
	}

	/**
	 * Start configuring a container.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Build the image (or find it built), start the container and wait until the service
	 * is ready; nothing when it runs already.
	 * @return this container, the running service
	 * @throws IllegalStateException when the image cannot be built or the container does
	 * not start
	 */
	public synchronized MisbehavingSoapServiceContainer start() {
		if (this.container != null) {
			return this;
		}
		JavaImage image = JavaImage.builder(this.settings.repository)
			.runtimeRepository(this.settings.runtimeRepository)
			.modules(Set.of("java.base"))
			.classPath(classPath(), MisbehavingSoapServiceMain.class.getName())
			.jvmArguments(this.settings.jvmArguments().toArray(String[]::new))
			.build();
		GenericContainer<?> started = new GenericContainer<>(image.dockerImageName())
			.withExposedPorts(SOAP_PORT, CONTROL_PORT)
			// Published on the loopback interface only, never on every interface.
			.withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(SOAP_PORT)),
						new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(CONTROL_PORT))))
			.withCommand("--soap-port=" + SOAP_PORT, "--control-port=" + CONTROL_PORT, "--bind=0.0.0.0",
					"--max-request-body-bytes=" + this.settings.maxRequestBodyBytes,
					"--max-recorded-requests=" + this.settings.maxRecordedRequests,
					"--max-recorded-body-bytes=" + this.settings.maxRecordedBodyBytes)
			.waitingFor(Wait.forLogMessage(".*" + MisbehavingSoapServiceMain.READY + ".*\\n", 1)
				.withStartupTimeout(STARTUP_TIMEOUT));
		String name = this.settings.name;
		if (name != null) {
			started.withCreateContainerCmdModifier((cmd) -> cmd.withName(name));
		}
		this.settings.customizer.accept(started);
		try {
			started.start();
		}
		catch (RuntimeException ex) {
			started.stop();
			throw new IllegalStateException("The misbehaving SOAP service's container did not start", ex);
		}
		this.container = started;
		this.service = new RemoteMisbehavingSoapService(started.getHost(), started.getMappedPort(SOAP_PORT),
				started.getMappedPort(CONTROL_PORT));
		return this;
	}

	/**
	 * The client of the service in the container, on the mapped ports.
	 * @return the remote service
	 * @throws IllegalStateException before {@link #start()} or after {@link #close()}
	 */
	public RemoteMisbehavingSoapService service() {
		RemoteMisbehavingSoapService running = this.service;
		if (running == null) {
			throw new IllegalStateException("The misbehaving SOAP service's container is not running: start it first");
		}
		return running;
	}

	/**
	 * The Testcontainers container, for what this type does not offer (its id, its
	 * network, its logs).
	 * @return the started container
	 * @throws IllegalStateException before {@link #start()} or after {@link #close()}
	 */
	public synchronized GenericContainer<?> container() {
		GenericContainer<?> running = this.container;
		if (running == null) {
			throw new IllegalStateException("The misbehaving SOAP service's container is not running: start it first");
		}
		return running;
	}

	/**
	 * Freeze the service's processes ({@code docker pause}): the kernel still accepts
	 * connections (docker-proxy does, in front of a published port) and buffers requests,
	 * and nothing answers, the control port included.
	 */
	public void pause() {
		client().pauseContainerCmd(containerId()).exec();
	}

	/**
	 * Let a paused service run again ({@code docker unpause}); it then reads what came
	 * meanwhile, and sees the connections their clients closed meanwhile as closed by the
	 * client.
	 */
	public void unpause() {
		client().unpauseContainerCmd(containerId()).exec();
	}

	/**
	 * Whether the container is paused.
	 * @return {@code true} when paused
	 */
	public boolean isPaused() {
		return Boolean.TRUE.equals(client().inspectContainerCmd(containerId()).exec().getState().getPaused());
	}

	/**
	 * Kill the service ({@code docker kill}, {@code SIGKILL}): its connections end
	 * (through docker-proxy, clients see them closed), and its control port answers no
	 * more, so nothing it recorded can be asked afterwards. {@link #close()} still
	 * removes the container.
	 */
	public void kill() {
		client().killContainerCmd(containerId()).exec();
	}

	/**
	 * Cut the container off every network it is on ({@code docker network disconnect}):
	 * its published ports go, and with them docker-proxy, which closes the connections
	 * clients had through them, at both ends (the service sees them closed by the
	 * client). Connections that did not go through docker-proxy (from another container
	 * on its network) are cut silently: no FIN or RST reaches either end. The control
	 * port is unreachable until {@link #reconnectNetwork()}; the service runs on
	 * meanwhile.
	 */
	public synchronized void disconnectNetwork() {
		String id = containerId();
		Map<String, ContainerNetwork> networks = client().inspectContainerCmd(id)
			.exec()
			.getNetworkSettings()
			.getNetworks();
		for (Map.Entry<String, ContainerNetwork> network : networks.entrySet()) {
			client().disconnectFromNetworkCmd().withNetworkId(network.getKey()).withContainerId(id).exec();
			List<String> aliases = network.getValue().getAliases();
			this.disconnected.put(network.getKey(), (aliases != null) ? List.copyOf(aliases) : List.of());
		}
	}

	/**
	 * Connect the container again to the networks {@link #disconnectNetwork()} cut it off
	 * (with their aliases) and wait until its control port answers. Docker publishes the
	 * ports again on new host ports, so {@link #port()} and {@link #uri(String)} change:
	 * take them again (or bind fixed host ports through {@link Builder#customize}).
	 * @throws IllegalStateException when the service does not answer within a minute
	 */
	public synchronized void reconnectNetwork() {
		String id = containerId();
		for (Map.Entry<String, List<String>> network : this.disconnected.entrySet()) {
			client().connectToNetworkCmd()
				.withNetworkId(network.getKey())
				.withContainerId(id)
				.withContainerNetwork(new ContainerNetwork().withAliases(network.getValue()))
				.exec();
		}
		this.disconnected.clear();
		Ports ports = client().inspectContainerCmd(id).exec().getNetworkSettings().getPorts();
		RemoteMisbehavingSoapService reconnected = new RemoteMisbehavingSoapService(container().getHost(),
				hostPort(ports, SOAP_PORT), hostPort(ports, CONTROL_PORT));
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!reconnected.isReady()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(reconnected + " did not answer within " + STARTUP_TIMEOUT
						+ " after its networks were connected again");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
		}
		this.service = reconnected;
	}

	/**
	 * The IPv4 host port Docker published for a container port (Docker 20.10 publishes
	 * IPv6 on other port numbers).
	 */
	private static int hostPort(Ports ports, int containerPort) {
		Ports.Binding[] bindings = ports.getBindings().get(ExposedPort.tcp(containerPort));
		if (bindings == null || bindings.length == 0) {
			throw new IllegalStateException("Docker published no host port for " + containerPort);
		}
		Ports.Binding chosen = Arrays.stream(bindings)
			.filter((binding) -> binding.getHostIp() == null || !binding.getHostIp().contains(":"))
			.findFirst()
			.orElse(bindings[0]);
		return Integer.parseInt(chosen.getHostPortSpec());
	}

	/**
	 * Stop and remove the container (unpaused first, when paused); nothing when it does
	 * not run.
	 */
	@Override
	public synchronized void close() {
		GenericContainer<?> running = this.container;
		this.container = null;
		this.service = null;
		this.disconnected.clear();
		if (running == null) {
			return;
		}
		try {
			if (running.isRunning() && Boolean.TRUE
				.equals(client().inspectContainerCmd(running.getContainerId()).exec().getState().getPaused())) {
				client().unpauseContainerCmd(running.getContainerId()).exec();
			}
		}
		finally {
			running.stop();
		}
	}

	private String containerId() {
		return container().getContainerId();
	}

	private static DockerClient client() {
		return DockerClientFactory.instance().client();
	}

	/**
	 * The service's class path on this machine: where this module's classes and
	 * HttpCore's were loaded from (each a jar or a directory of classes).
	 * @return the entries, in order
	 * @throws IllegalStateException when one was not loaded from a file (a jar nested in
	 * another one, say)
	 */
	static List<Path> classPath() {
		List<Path> entries = new ArrayList<>();
		for (Class<?> root : List.of(MisbehavingSoapServiceMain.class, HttpException.class)) {
			Path entry = codeSource(root);
			if (!entries.contains(entry)) {
				entries.add(entry);
			}
		}
		return List.copyOf(entries);
	}

	static Path codeSource(Class<?> type) {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		if (source == null || source.getLocation() == null) {
			throw new IllegalStateException("Cannot tell where " + type.getName()
					+ " was loaded from (no code source): the container's image needs its jar or class directory");
		}
		URI location;
		try {
			location = source.getLocation().toURI();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Cannot read where " + type.getName() + " was loaded from", ex);
		}
		if (!"file".equals(location.getScheme())) {
			throw new IllegalStateException(type.getName() + " was loaded from " + location
					+ ", not from a jar or a directory of this machine: the container's image is made of the files of "
					+ "the test class path (a jar nested in another one cannot be copied)");
		}
		Path path = Path.of(location);
		if (!Files.exists(path)) {
			throw new IllegalStateException(type.getName() + " was loaded from " + path + ", which does not exist");
		}
		return path;
	}

	@Override
	public String host() {
		return service().host();
	}

	@Override
	public int port() {
		return service().port();
	}

	@Override
	public void enqueue(SoapBehaviour... behaviours) {
		service().enqueue(behaviours);
	}

	@Override
	public void enqueue(RequestMatcher matcher, SoapBehaviour behaviour) {
		service().enqueue(matcher, behaviour);
	}

	@Override
	public void setDefaultBehaviour(SoapBehaviour behaviour) {
		service().setDefaultBehaviour(behaviour);
	}

	@Override
	public void setAccepting(boolean accepting) {
		service().setAccepting(accepting);
	}

	@Override
	public List<SoapRequest> requests() {
		return service().requests();
	}

	@Override
	public SoapRequest awaitRequest(int index, Duration timeout) {
		return service().awaitRequest(index, timeout);
	}

	@Override
	public List<SoapConnection> connections() {
		return service().connections();
	}

	@Override
	public SoapConnection awaitConnection(int index, Duration timeout) {
		return service().awaitConnection(index, timeout);
	}

	@Override
	public SoapConnection awaitClosedByClient(int index, Duration timeout) {
		return service().awaitClosedByClient(index, timeout);
	}

	@Override
	public void awaitNoOpenConnection(Duration timeout) {
		service().awaitNoOpenConnection(timeout);
	}

	@Override
	public void reset() {
		service().reset();
	}

	@Override
	public String toString() {
		RemoteMisbehavingSoapService running = this.service;
		return "MisbehavingSoapServiceContainer(" + ((running != null) ? running : "not running") + ")";
	}

	/**
	 * Settings of a {@link MisbehavingSoapServiceContainer}. Not thread-safe; the
	 * container it builds is.
	 */
	public static final class Builder {

		private String repository = DEFAULT_REPOSITORY;

		private String runtimeRepository = JavaImage.DEFAULT_RUNTIME_REPOSITORY;

		private @Nullable String name;

		private int maxRequestBodyBytes = 1024 * 1024;

		private int maxRecordedRequests = 1000;

		private long maxRecordedBodyBytes = LocalMisbehavingSoapService.Builder.DEFAULT_MAX_RECORDED_BODY_BYTES;

		private final List<String> jvmArguments = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));

		private Consumer<GenericContainer<?>> customizer = (container) -> {
		};

		private Builder() {
		}

		/**
		 * The repository of the service's image (default {@value #DEFAULT_REPOSITORY});
		 * the tag is a hash of its content.
		 * @param repository a lower-case repository name
		 * @return this builder
		 */
		public Builder repository(String repository) {
			this.repository = JavaImage.checkRepository(repository);
			return this;
		}

		/**
		 * The repository of the runtime image under it (default
		 * {@value JavaImage#DEFAULT_RUNTIME_REPOSITORY}).
		 * @param repository a lower-case repository name
		 * @return this builder
		 */
		public Builder runtimeRepository(String repository) {
			this.runtimeRepository = JavaImage.checkRepository(repository);
			return this;
		}

		/**
		 * The container's name (default: one Docker chooses).
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = Objects.requireNonNull(name, "name");
			return this;
		}

		/**
		 * The largest request body the service reads (default 1 MiB).
		 * @param bytes at least 1
		 * @return this builder
		 */
		public Builder maxRequestBodyBytes(int bytes) {
			this.maxRequestBodyBytes = positive("maxRequestBodyBytes", bytes);
			return this;
		}

		/**
		 * How many requests the service keeps in its record (default 1,000).
		 * @param requests at least 1
		 * @return this builder
		 */
		public Builder maxRecordedRequests(int requests) {
			this.maxRecordedRequests = positive("maxRecordedRequests", requests);
			return this;
		}

		/**
		 * How many body bytes the service keeps in its record in all (default 32 MiB);
		 * the default heap grows with it.
		 * @param bytes zero or more
		 * @return this builder
		 */
		public Builder maxRecordedBodyBytes(long bytes) {
			if (bytes < 0) {
				throw new IllegalArgumentException("maxRecordedBodyBytes must not be negative, got " + bytes);
			}
			this.maxRecordedBodyBytes = bytes;
			return this;
		}

		/**
		 * The JVM arguments: the given ones, and a heap bound that holds the limits
		 * unless they set {@code -Xmx}: 96 MiB, plus the recorded body bytes, plus
		 * sixteen request bodies being read or paged out at once (144 MiB by default).
		 */
		List<String> jvmArguments() {
			List<String> arguments = new ArrayList<>(this.jvmArguments);
			if (arguments.stream().noneMatch((argument) -> argument.startsWith("-Xmx"))) {
				long mib = 1024 * 1024;
				long heap = 96 + (this.maxRecordedBodyBytes + mib - 1) / mib
						+ 16 * ((this.maxRequestBodyBytes + mib - 1) / mib);
				arguments.add(0, "-Xmx" + heap + "m");
			}
			return arguments;
		}

		/**
		 * The service's JVM arguments (default {@code -XX:TieredStopAtLevel=1}),
		 * replacing the default; a heap bound that holds the service's limits is added
		 * unless they set {@code -Xmx}.
		 * @param arguments the arguments
		 * @return this builder
		 */
		public Builder jvmArguments(String... arguments) {
			this.jvmArguments.clear();
			this.jvmArguments.addAll(List.of(arguments));
			return this;
		}

		/**
		 * More settings of the Testcontainers container before it starts (a network,
		 * network aliases, fixed port bindings).
		 * @param customizer changes the container
		 * @return this builder
		 */
		public Builder customize(Consumer<GenericContainer<?>> customizer) {
			this.customizer = Objects.requireNonNull(customizer, "customizer");
			return this;
		}

		/**
		 * A container with these settings, not started yet.
		 * @return the container
		 */
		public MisbehavingSoapServiceContainer build() {
			Builder copy = new Builder();
			copy.repository = this.repository;
			copy.runtimeRepository = this.runtimeRepository;
			copy.name = this.name;
			copy.maxRequestBodyBytes = this.maxRequestBodyBytes;
			copy.maxRecordedRequests = this.maxRecordedRequests;
			copy.maxRecordedBodyBytes = this.maxRecordedBodyBytes;
			copy.jvmArguments.clear();
			copy.jvmArguments.addAll(this.jvmArguments);
			copy.customizer = this.customizer;
			return new MisbehavingSoapServiceContainer(copy);
		}

		private static int positive(String name, int value) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, got " + value);
			}
			return value;
		}

	}

}
