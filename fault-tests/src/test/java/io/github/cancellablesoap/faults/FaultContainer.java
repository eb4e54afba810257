package io.github.cancellablesoap.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.github.cancellablesoap.test.docker.JavaImage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.WaitStrategy;

import static org.awaitility.Awaitility.await;

/**
 * A container of the fault tests, named {@code faults-<role>-<pid>}, with its port
 * published on a fixed free loopback port (so it stays the same after a kill and a
 * restart), and the faults applied to it through Testcontainers' Docker client: pause,
 * kill, restart, network disconnect and reconnect.
 * <p>
 * Thread-safe for the fault verbs; start and close from one thread.
 */
final class FaultContainer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(FaultContainer.class);

	private final String name;

	private final int containerPort;

	private final int hostPort;

	private final GenericContainer<?> container;

	private final WaitStrategy ready;

	private FaultContainer(String name, int containerPort, int hostPort, GenericContainer<?> container,
			WaitStrategy ready) {
		this.name = name;
		this.containerPort = containerPort;
		this.hostPort = hostPort;
		this.container = container;
		this.ready = ready;
	}

	/**
	 * Create (not start) a container.
	 * @param role the role in its name ({@code faults-<role>-<pid>})
	 * @param image the image
	 * @param containerPort the port the application listens on
	 * @param ready when it is ready
	 * @param customizer more settings (command, extra hosts)
	 * @return the container, to {@link #start()}
	 */
	static FaultContainer create(String role, JavaImage image, int containerPort, WaitStrategy ready,
			Consumer<GenericContainer<?>> customizer) {
		String name = "faults-" + role + "-" + ProcessHandle.current().pid();
		int hostPort = freeLoopbackPort();
		GenericContainer<?> container = new GenericContainer<>(image.dockerImageName()).withExposedPorts(containerPort)
			.withCreateContainerCmdModifier((cmd) -> cmd.withName(name)
				.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
						ExposedPort.tcp(containerPort))))
			.waitingFor(ready);
		customizer.accept(container);
		return new FaultContainer(name, containerPort, hostPort, container, ready);
	}

	/**
	 * Start containers at once (each start waits for its application).
	 * @param containers the containers
	 */
	static void startAll(FaultContainer... containers) {
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		for (FaultContainer container : containers) {
			starts.add(CompletableFuture.runAsync(container::start));
		}
		CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
	}

	void start() {
		long start = System.nanoTime();
		this.container.start();
		logger.info("Started " + this.name + " (" + this.container.getDockerImageName() + ") on 127.0.0.1:"
				+ this.hostPort + " in " + Measured.since(start).toMillis() + " ms");
	}

	String name() {
		return this.name;
	}

	/**
	 * The loopback port published for the application's port, fixed for the container's
	 * life.
	 */
	int port() {
		return this.hostPort;
	}

	String id() {
		return this.container.getContainerId();
	}

	/**
	 * The container's address on Docker's bridge network, reachable from this machine
	 * without docker-proxy.
	 */
	String bridgeAddress() {
		return client().inspectContainerCmd(id())
			.exec()
			.getNetworkSettings()
			.getNetworks()
			.get("bridge")
			.getIpAddress();
	}

	/**
	 * This machine's address on Docker's bridge network (the gateway containers reach it
	 * through): the network's gateway, or the first address of its subnet where the
	 * engine does not list one (Docker 20.10 on the default bridge).
	 * @return an IPv4 address
	 */
	static String bridgeGateway() {
		Network.Ipam.Config config = client().inspectNetworkCmd()
			.withNetworkId("bridge")
			.exec()
			.getIpam()
			.getConfig()
			.get(0);
		if (config.getGateway() != null && !config.getGateway().isEmpty()) {
			return config.getGateway();
		}
		String network = config.getSubnet().substring(0, config.getSubnet().indexOf('/'));
		String[] octets = network.split("\\.");
		return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
	}

	void pause() {
		client().pauseContainerCmd(id()).exec();
	}

	void unpause() {
		client().unpauseContainerCmd(id()).exec();
	}

	boolean isPaused() {
		return Boolean.TRUE.equals(client().inspectContainerCmd(id()).exec().getState().getPaused());
	}

	void kill() {
		client().killContainerCmd(id()).exec();
	}

	/**
	 * Start the container again after a kill, and wait until its application is ready.
	 */
	void startAgain() {
		client().startContainerCmd(id()).exec();
		awaitReady();
	}

	void disconnect() {
		client().disconnectFromNetworkCmd().withNetworkId("bridge").withContainerId(id()).exec();
	}

	/**
	 * Connect the container to the bridge network again; its published port comes back.
	 */
	void reconnect() {
		client().connectToNetworkCmd().withNetworkId("bridge").withContainerId(id()).exec();
		awaitReady();
	}

	void awaitReady() {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> accepts(this.hostPort) && this.container.isRunning());
		this.ready.waitUntilReady(this.container);
	}

	String logs() {
		return this.container.getLogs();
	}

	@Override
	public void close() {
		try {
			if (this.container.getContainerId() != null) {
				if (isPaused()) {
					unpause();
				}
				Files.writeString(Path.of("target", this.name + ".log"), logs(), StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not save the log of " + this.name + ": " + ex.getMessage());
		}
		finally {
			this.container.stop();
		}
	}

	private static DockerClient client() {
		return DockerClientFactory.instance().client();
	}

	static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
