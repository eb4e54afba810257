package io.github.cancellablesoap.autoconfigure.server;

import io.github.cancellablesoap.server.ServiceHost;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The base of integration tests whose application configures one host, {@code main}
 * ({@code cancellable-soap.hosts.main.path=/soap}), on a random port: the port and the
 * host.
 */
abstract class MainHostTests {

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("main")
	ServiceHost host;

}
