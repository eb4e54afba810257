package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.github.cancellablesoap.core.XmlStructureGuard;

/**
 * JMH benchmark of the structure check every proxy response passes before it is parsed:
 * an {@link XmlStructureGuard} following the whole of a response that
 * {@link LoopbackServer} gives to the 0.5 KB and the 10 KB payloads.
 * <p>
 * Public and not final because JMH's generated code extends it; each state is used by one
 * benchmark thread.
 *
 * @author Cancellable SOAP
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class XmlGuardJmh {

	/** The request payload whose response is checked, in bytes. */
	@Param({ "512", "10240" })
	public int payloadBytes;

	private byte[] response;

	/**
	 * Build the response.
	 */
	@Setup
	public void setUp() {
		this.response = EchoResponse.body(Payload.ofSize(this.payloadBytes).request().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Follow the whole response with a fresh guard, as the transport does.
	 * @return the depth at the end (0), so that the work is not optimised away
	 * @throws IOException never: the response is well-formed
	 */
	@Benchmark
	public int guardResponse() throws IOException {
		XmlStructureGuard guard = new XmlStructureGuard(XmlStructureGuard.DEFAULT_MAX_DEPTH);
		guard.feed(this.response, 0, this.response.length);
		return guard.depth();
	}

}
