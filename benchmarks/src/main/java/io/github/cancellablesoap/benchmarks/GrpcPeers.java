package io.github.cancellablesoap.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.benchmarks.PeerRecords.Record;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * The grpc-java side of {@link PropagationBenchmark}, the reference: one Netty server on
 * a loopback port with the unary methods {@code Hang} (registers an
 * {@code onCancelHandler} and never answers) and {@code Relay} (registers its handler and
 * calls {@code Hang} on the same server from inside its call context, so grpc's
 * {@code Context} cancels the downstream call with the upstream one), and a plaintext
 * channel for the caller. Messages are the request id's bytes (no protobuf).
 * <p>
 * Not thread-safe to start and close; {@link #hang} and {@link #relay} may be called from
 * any thread.
 */
final class GrpcPeers implements AutoCloseable {

	private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private static final MethodDescriptor<byte[], byte[]> HANG = method("Hang");

	private static final MethodDescriptor<byte[], byte[]> RELAY = method("Relay");

	private final Server server;

	private final InetSocketAddress bound;

	private final ManagedChannel caller;

	private final ManagedChannel downstream;

	private GrpcPeers(PeerRecords records) throws IOException {
		InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
		ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Peer")
			.addMethod(HANG, ServerCalls.asyncUnaryCall((request, observer) -> {
				Record record = records.of("gc:" + id(request));
				((ServerCallStreamObserver<byte[]>) observer)
					.setOnCancelHandler(() -> record.cancelled(Status.Code.CANCELLED.name()));
				record.running();
			}))
			.addMethod(RELAY, ServerCalls.asyncUnaryCall((request, observer) -> {
				Record record = records.of("gb:" + id(request));
				((ServerCallStreamObserver<byte[]>) observer)
					.setOnCancelHandler(() -> record.cancelled(Status.Code.CANCELLED.name()));
				record.running();
				// made in the server call's Context: cancelled with it
				ClientCalls.asyncUnaryCall(downstreamCall(HANG), request, new Ignoring());
			}))
			.build();
		this.server = NettyServerBuilder.forAddress(loopback).addService(service).build().start();
		this.bound = (InetSocketAddress) this.server.getListenSockets().get(0);
		this.caller = newChannel();
		this.downstream = newChannel();
	}

	static GrpcPeers start(PeerRecords records) throws IOException {
		return new GrpcPeers(records);
	}

	/**
	 * Call {@code Hang} with an id; the caller cancels the returned call.
	 * @param id the request id
	 * @return the started call
	 */
	ClientCall<byte[], byte[]> hang(String id) {
		return start(HANG, id);
	}

	/**
	 * Call {@code Relay} with an id; the caller cancels the returned call.
	 * @param id the request id
	 * @return the started call
	 */
	ClientCall<byte[], byte[]> relay(String id) {
		return start(RELAY, id);
	}

	/**
	 * A new plaintext channel to the server, for a caller that shuts it down.
	 * @return the channel
	 */
	ManagedChannel newChannel() {
		return NettyChannelBuilder.forAddress(this.bound).usePlaintext().build();
	}

	/**
	 * Call {@code Hang} with an id on a channel.
	 * @param channel the channel
	 * @param id the request id
	 * @param observer hears how the call ends
	 */
	static void hang(ManagedChannel channel, String id, StreamObserver<byte[]> observer) {
		ClientCalls.asyncUnaryCall(channel.newCall(HANG, CallOptions.DEFAULT), id.getBytes(StandardCharsets.UTF_8),
				observer);
	}

	@Override
	public void close() throws InterruptedException {
		this.caller.shutdownNow();
		this.downstream.shutdownNow();
		this.server.shutdownNow();
		this.server.awaitTermination(10, TimeUnit.SECONDS);
	}

	private ClientCall<byte[], byte[]> start(MethodDescriptor<byte[], byte[]> method, String id) {
		ClientCall<byte[], byte[]> call = this.caller.newCall(method, CallOptions.DEFAULT);
		ClientCalls.asyncUnaryCall(call, id.getBytes(StandardCharsets.UTF_8), new Ignoring());
		return call;
	}

	private ClientCall<byte[], byte[]> downstreamCall(MethodDescriptor<byte[], byte[]> method) {
		return this.downstream.newCall(method, CallOptions.DEFAULT);
	}

	private static MethodDescriptor<byte[], byte[]> method(String name) {
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(MethodType.UNARY)
			.setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Peer", name))
			.setRequestMarshaller(BYTES)
			.setResponseMarshaller(BYTES)
			.build();
	}

	private static String id(byte[] request) {
		return new String(request, StandardCharsets.UTF_8);
	}

	/**
	 * A response observer for calls that end by cancellation: it ignores what it is told.
	 */
	private static final class Ignoring implements StreamObserver<byte[]> {

		@Override
		public void onNext(byte[] value) {
		}

		@Override
		public void onError(Throwable error) {
		}

		@Override
		public void onCompleted() {
		}

	}

}
