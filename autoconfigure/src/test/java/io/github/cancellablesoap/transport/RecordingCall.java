package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.client.CallPhase;
import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.Channel;

/**
 * A call for driving an {@link HttpExchange} directly: it has an id and a budget, and
 * records how its exchange ended (the response, the failure, how many times the end was
 * reported).
 * <p>
 * Thread-safe: the exchange reports from any thread; the recorded outcomes are
 * concurrent.
 */
final class RecordingCall implements CarriedCall {

	private static final long REMAINING_MILLIS = 5000;

	private final String callId;

	final CompletableFuture<Object> response = new CompletableFuture<>();

	final CompletableFuture<IOException> failure = new CompletableFuture<>();

	final AtomicInteger ends = new AtomicInteger();

	RecordingCall(String callId) {
		this.callId = callId;
	}

	@Override
	public String callId() {
		return this.callId;
	}

	@Override
	public long remainingMillis() {
		return REMAINING_MILLIS;
	}

	@Override
	public void operation(String operation) {
	}

	@Override
	public void attach(Channel channel) {
	}

	@Override
	public void phase(CallPhase phase) {
	}

	@Override
	public boolean responded(Object response) {
		return this.response.complete(response);
	}

	@Override
	public void failed(IOException failure) {
		this.failure.complete(failure);
	}

	@Override
	public void exchangeEnded() {
		this.ends.incrementAndGet();
	}

	@Override
	public Object awaitResponse() {
		throw new UnsupportedOperationException();
	}

}
