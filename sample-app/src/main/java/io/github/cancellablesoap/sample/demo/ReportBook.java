package io.github.cancellablesoap.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import io.github.cancellablesoap.client.ServiceCallException;
import io.github.cancellablesoap.sample.client.Report;

import org.springframework.stereotype.Component;

/**
 * Remembers the reports the front end started, the most recent ones only, so that their
 * outcome can be read after their callers were released.
 * <p>
 * Thread-safe: calls complete on other threads than the ones that read.
 *
 * @author Cancellable SOAP
 */
@Component
public class ReportBook {

	/** How many reports are remembered. */
	static final int CAPACITY = 100;

	private final Map<String, ReportStatus> reports = new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, ReportStatus> eldest) {
			return size() > CAPACITY;
		}

	};

	/**
	 * Record a report that has just started.
	 * @param callId the call that carries it
	 * @param delayMs the delay it asked for
	 */
	public synchronized void started(String callId, long delayMs) {
		this.reports.put(callId, ReportStatus.running(callId, delayMs));
	}

	/**
	 * Record how a report ended.
	 * @param callId the call that carried it
	 * @param report the report, when it completed
	 * @param failure what ended it otherwise
	 */
	public void ended(String callId, Report report, Throwable failure) {
		String status;
		String summary = null;
		String error = null;
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (failure == null) {
			status = "COMPLETED";
			summary = report.summary();
		}
		else if (cause instanceof ServiceCallException ended) {
			// The proxy's own words: rejected, abandoned, aborted or timed out.
			status = ended.getOutcome().name();
			error = ended.getMessage();
		}
		else {
			// Described (and logged) outside the lock; the service's words stay in the
			// log.
			RemoteFailure described = RemoteFailure.of(callId, cause);
			status = described.outcome().name();
			error = described.message();
		}
		synchronized (this) {
			ReportStatus current = this.reports.get(callId);
			if (current != null) {
				this.reports.put(callId, current.ended(status, summary, error));
			}
		}
	}

	/**
	 * The status of a report.
	 * @param callId the call that carries it
	 * @return the status, or empty when the report is unknown or forgotten
	 */
	public synchronized Optional<ReportStatus> find(String callId) {
		return Optional.ofNullable(this.reports.get(callId));
	}

}
