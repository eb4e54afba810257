package io.github.cancellablesoap.sample.demo;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * What the front end knows about one report it started: running, or how it ended.
 *
 * @param callId the id of the proxy call that carries the report
 * @param status {@code RUNNING}, or the call's outcome ({@code COMPLETED}, {@code FAULT},
 * {@code FAILED}, {@code ABANDONED}, {@code ABORTED}, {@code TIMED_OUT})
 * @param delayMs the delay the report asked for
 * @param startedAt when the report was started
 * @param endedAt when its caller was released, {@code null} while running
 * @param summary the report's summary when it completed
 * @param error why it did not complete
 * @author Cancellable SOAP
 */
@JsonInclude(Include.NON_NULL)
public record ReportStatus(String callId, String status, long delayMs, Instant startedAt, Instant endedAt,
		String summary, String error) {

	static final String RUNNING = "RUNNING";

	static ReportStatus running(String callId, long delayMs) {
		return new ReportStatus(callId, RUNNING, delayMs, Instant.now(), null, null, null);
	}

	ReportStatus ended(String status, String summary, String error) {
		return new ReportStatus(this.callId, status, this.delayMs, this.startedAt, Instant.now(), summary, error);
	}

}
