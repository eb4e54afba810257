package io.github.cancellablesoap.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.core.WireProtocol;

/**
 * Answers a caller's explicit cancel ({@code Soap-Cancel-Call} with the call's
 * {@code Soap-Call-Token}, no body): 202 when it cancelled the operation with
 * {@link CancelReason#CALLER_CANCELLED}, 404 when no running operation of the host has
 * that caller's call id, 403 when the token is not its caller's, 409 when the operation
 * was already cancelled or answered, 400 for a malformed cancel; each with a short text
 * that says why. Only the 202 changes anything, but for a 404 the host keeps the cancel a
 * few seconds ({@link EarlyCancels}) in case it overtook its request, which it then
 * cancels on arrival when it carries the same token. The cancel takes no operation slot
 * and its body is never read; the token is never logged or echoed.
 * <p>
 * Thread-safe: stateless.
 */
final class CallerCancels {

	private static final Log logger = LogFactory.getLog(CallerCancels.class);

	private CallerCancels() {
	}

	/**
	 * A token fit to keep: 1 to {@link WireProtocol#MAX_CALL_TOKEN_LENGTH} printable
	 * ASCII characters.
	 * @param header the header's value, or {@code null}
	 * @return the token, or {@code null} when there is none fit to keep
	 */
	static @Nullable String token(@Nullable String header) {
		if (header == null || header.isEmpty() || header.length() > WireProtocol.MAX_CALL_TOKEN_LENGTH) {
			return null;
		}
		for (int i = 0; i < header.length(); i++) {
			char ch = header.charAt(i);
			if (ch <= 0x20 || ch >= 0x7F) {
				return null;
			}
		}
		return header;
	}

	static void answer(DefaultServiceHost host, String callId, @Nullable String tokenHeader,
			HttpServletResponse response) throws IOException {
		String token = token(tokenHeader);
		if (!Names.isPeerCallId(callId) || token == null) {
			write(response, HttpServletResponse.SC_BAD_REQUEST, "malformed cancel: " + WireProtocol.CANCEL_CALL_HEADER
					+ " must be a call id and " + WireProtocol.CALL_TOKEN_HEADER + " the call's token");
			return;
		}
		DefaultServiceHost.CallerCancel result = host.cancelFromCaller(callId, token);
		if (logger.isDebugEnabled()) {
			logger.debug("Service host '" + host.name() + "': caller's cancel of call " + callId + ": " + result);
		}
		switch (result) {
			case CANCELLED -> write(response, HttpServletResponse.SC_ACCEPTED,
					"cancelled: the operation of call " + callId + " was cancelled (CALLER_CANCELLED)");
			case UNKNOWN -> write(response, HttpServletResponse.SC_NOT_FOUND,
					"unknown call: service host '" + host.name() + "' runs no operation for call " + callId
							+ " (never seen, or already ended); should its request still be on its way, it is"
							+ " cancelled if it arrives within " + EarlyCancels.TTL.toSeconds() + " s");
			case FORBIDDEN -> write(response, HttpServletResponse.SC_FORBIDDEN,
					"wrong token: the token is not the one call " + callId + " was sent with; nothing was cancelled");
			default -> write(response, HttpServletResponse.SC_CONFLICT, "already ended: the operation of call " + callId
					+ " was already cancelled or answered; nothing changed");
		}
	}

	private static void write(HttpServletResponse response, int status, String text) throws IOException {
		byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType("text/plain;charset=UTF-8");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
