package io.github.cancellablesoap.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Settings that every service host shares unless it sets its own, under
 * {@code cancellable-soap.host-defaults}; unset values take the built-in defaults.
 * <p>
 * Not thread-safe: bound once, while the context starts, and only read afterwards.
 *
 * @author Cancellable SOAP
 */
public class HostDefaultsProperties {

	/**
	 * How long a graceful close lets running operations finish before cancelling them
	 * (default 5s).
	 */
	private @Nullable Duration closeTimeout;

	/**
	 * How long an abort, or a close that ran out of time, waits for cancelled operations
	 * to return before interrupting their threads (default 5s).
	 */
	private @Nullable Duration abortGrace;

	/**
	 * How many operations may run at once; more requests are refused with HTTP 503
	 * (default 200).
	 */
	private @Nullable Integer maxConcurrentOperations;

	/**
	 * Largest request body accepted; larger ones are refused with HTTP 413 before or
	 * while they arrive (default 10MB).
	 */
	private @Nullable DataSize maxRequestSize;

	/**
	 * How many request bodies may be arriving at once; more requests are refused with
	 * HTTP 503 (default 500).
	 */
	private @Nullable Integer maxReceivingRequests;

	/**
	 * How long a request body may take to arrive in full; a slower one is refused with
	 * HTTP 408 and its connection closed (default 30s).
	 */
	private @Nullable Duration requestBodyTimeout;

	/**
	 * Longest deadline a caller's time budget header can give an operation; longer
	 * budgets are cut to it (default 1h).
	 */
	private @Nullable Duration maxCallTimeout;

	/**
	 * Deepest element nesting a request may have; deeper ones are refused with HTTP 400
	 * while they arrive (default 256).
	 */
	private @Nullable Integer maxXmlDepth;

	/**
	 * HTTP status of the fault that rejects a request when the host is full or not open:
	 * 503 (with Retry-After, what load balancers understand) or 500 (what WS-I Basic
	 * Profile R1126 requires of every fault; default 503).
	 */
	private @Nullable Integer rejectionStatus;

	/**
	 * Retry-After sent with a 503 rejection, in whole seconds, rounded up (default 1s).
	 */
	private @Nullable Duration retryAfter;

	public @Nullable Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(@Nullable Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public @Nullable Duration getAbortGrace() {
		return this.abortGrace;
	}

	public void setAbortGrace(@Nullable Duration abortGrace) {
		this.abortGrace = abortGrace;
	}

	public @Nullable Integer getMaxConcurrentOperations() {
		return this.maxConcurrentOperations;
	}

	public void setMaxConcurrentOperations(@Nullable Integer maxConcurrentOperations) {
		this.maxConcurrentOperations = maxConcurrentOperations;
	}

	public @Nullable DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(@Nullable DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	public @Nullable Integer getMaxReceivingRequests() {
		return this.maxReceivingRequests;
	}

	public void setMaxReceivingRequests(@Nullable Integer maxReceivingRequests) {
		this.maxReceivingRequests = maxReceivingRequests;
	}

	public @Nullable Duration getRequestBodyTimeout() {
		return this.requestBodyTimeout;
	}

	public void setRequestBodyTimeout(@Nullable Duration requestBodyTimeout) {
		this.requestBodyTimeout = requestBodyTimeout;
	}

	public @Nullable Duration getMaxCallTimeout() {
		return this.maxCallTimeout;
	}

	public void setMaxCallTimeout(@Nullable Duration maxCallTimeout) {
		this.maxCallTimeout = maxCallTimeout;
	}

	public @Nullable Integer getMaxXmlDepth() {
		return this.maxXmlDepth;
	}

	public void setMaxXmlDepth(@Nullable Integer maxXmlDepth) {
		this.maxXmlDepth = maxXmlDepth;
	}

	public @Nullable Integer getRejectionStatus() {
		return this.rejectionStatus;
	}

	public void setRejectionStatus(@Nullable Integer rejectionStatus) {
		this.rejectionStatus = rejectionStatus;
	}

	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(@Nullable Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

}
