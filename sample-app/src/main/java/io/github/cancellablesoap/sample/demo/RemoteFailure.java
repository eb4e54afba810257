package io.github.cancellablesoap.sample.demo;

import java.util.regex.Pattern;

import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.RemoteOperationCancelledException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * What the front end tells its caller about a call that the quotes service failed: a
 * fixed message with the call id and outcome. The service's own words (fault string,
 * fault code, error text) are chosen by the remote side, so they only go to the log, with
 * control characters replaced and cut to {@value #MAX_LOGGED_LENGTH} characters.
 * <p>
 * Immutable; {@link #of} and {@link #clean} may be called from any thread.
 *
 * @param outcome {@code FAULT} when the service answered a SOAP fault, else
 * {@code FAILED}
 * @param status the front end's HTTP status: 400 for a client fault, else 502
 * @param message the fixed message for the caller
 * @author Cancellable SOAP
 */
record RemoteFailure(CallOutcome outcome, HttpStatus status, String message) {

	/** The most characters of remote text written to the log, per value. */
	static final int MAX_LOGGED_LENGTH = 500;

	private static final Log logger = LogFactory.getLog(RemoteFailure.class);

	/** Cancel reasons are enum names; anything else from the wire is not repeated. */
	private static final Pattern CANCEL_REASON = Pattern.compile("[A-Z][A-Z_]{0,39}");

	/**
	 * Describe a failed call to its caller, and log what the service said.
	 * @param callId the call, or {@code null} when it never started
	 * @param failure what the proxy or the template threw
	 * @return the description
	 */
	static RemoteFailure of(@Nullable String callId, Throwable failure) {
		String call = (callId != null) ? callId : "(not started)";
		String see = "; what it said is in the application log under call " + call;
		RemoteFailure described;
		String remote;
		if (failure instanceof RemoteOperationCancelledException cancelled) {
			String reason = CANCEL_REASON.matcher(cancelled.getReason()).matches() ? " (" + cancelled.getReason() + ")"
					: "";
			described = new RemoteFailure(CallOutcome.FAULT, HttpStatus.BAD_GATEWAY,
					"The quotes service cancelled the operation" + reason + see);
			remote = "reason=\"" + clean(cancelled.getReason()) + "\" faultString=\""
					+ clean(cancelled.getFaultStringOrReason()) + "\"";
		}
		else if (failure instanceof SoapFaultClientException fault) {
			String code = (fault.getFaultCode() != null) ? fault.getFaultCode().getLocalPart() : "";
			boolean clientFault = code.equals("Client") || code.equals("Sender");
			described = clientFault
					? new RemoteFailure(CallOutcome.FAULT, HttpStatus.BAD_REQUEST,
							"The quotes service refused the request with a SOAP client fault" + see)
					: new RemoteFailure(CallOutcome.FAULT, HttpStatus.BAD_GATEWAY,
							"The quotes service answered a SOAP fault" + see);
			remote = "faultCode=\"" + clean(code) + "\" faultString=\"" + clean(fault.getFaultStringOrReason()) + "\"";
		}
		else {
			described = new RemoteFailure(CallOutcome.FAILED, HttpStatus.BAD_GATEWAY,
					"The exchange with the quotes service failed" + see);
			remote = "error=" + failure.getClass().getSimpleName() + " message=\"" + clean(failure.getMessage()) + "\"";
		}
		String line = "Call " + call + " to the quotes service ended with " + described.outcome() + ": " + remote;
		if (described.status() == HttpStatus.BAD_REQUEST) {
			// A refused request is the caller's mistake, not the service's trouble.
			logger.info(line);
		}
		else {
			logger.warn(line);
		}
		return described;
	}

	/**
	 * Make remote text fit for one log line: control, format and line separator
	 * characters replaced by {@code ?}, double quotes by single ones, cut to
	 * {@value #MAX_LOGGED_LENGTH} characters with the full length said.
	 * @param text the text, or {@code null}
	 * @return the cleaned text
	 */
	static String clean(@Nullable String text) {
		if (text == null) {
			return "";
		}
		int kept = Math.min(text.length(), MAX_LOGGED_LENGTH);
		StringBuilder clean = new StringBuilder(kept + 40);
		for (int i = 0; i < kept; i++) {
			char ch = text.charAt(i);
			// A high surrogate cut from its pair would make the line malformed.
			if (unsafe(ch) || (Character.isHighSurrogate(ch) && i == kept - 1)) {
				clean.append('?');
			}
			else {
				clean.append((ch == '"') ? '\'' : ch);
			}
		}
		if (text.length() > kept) {
			clean.append("... (").append(text.length()).append(" characters in all)");
		}
		return clean.toString();
	}

	private static boolean unsafe(char ch) {
		int type = Character.getType(ch);
		return Character.isISOControl(ch) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

}
