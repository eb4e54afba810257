package io.github.cancellablesoap.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.ServiceCallException;
import io.github.cancellablesoap.sample.client.QuotesServiceException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.ws.client.WebServiceClientException;

/**
 * Turns the errors of the front end's calls into short JSON answers, never a stack trace
 * and never text that the remote service chose (see {@link RemoteFailure}).
 *
 * @author Cancellable SOAP
 */
@RestControllerAdvice(assignableTypes = DemoController.class)
public class DemoExceptionHandler {

	/**
	 * A call that a proxy ended without a response: rejected, abandoned, aborted or timed
	 * out. Its message is the proxy's own.
	 * @param ex the exception
	 * @return 503, or 504 for a timeout
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> callEnded(ServiceCallException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", ex.getMessage());
		body.put("outcome", ex.getOutcome());
		body.put("callId", ex.getCallId());
		body.put("proxy", ex.getProxyName());
		HttpStatus status = (ex.getOutcome() == CallOutcome.TIMED_OUT) ? HttpStatus.GATEWAY_TIMEOUT
				: HttpStatus.SERVICE_UNAVAILABLE;
		return ResponseEntity.status(status).body(body);
	}

	/**
	 * The service answered a SOAP fault, the exchange failed, or the answer could not be
	 * read.
	 * @param ex the exception
	 * @return 400 for a client fault, 502 otherwise
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> serviceFailed(QuotesServiceException ex) {
		return remoteFailure(ex.getCallId(), (ex.getCause() != null) ? ex.getCause() : ex);
	}

	/**
	 * Any other failure of the client side of Spring WS.
	 * @param ex the exception
	 * @return 400 for a client fault, 502 otherwise
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> failed(WebServiceClientException ex) {
		return remoteFailure(null, ex);
	}

	/**
	 * The request to the front end was malformed.
	 * @param ex the exception
	 * @return 400
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(ex.getMessage())));
	}

	private static ResponseEntity<Map<String, Object>> remoteFailure(@Nullable String callId, Throwable failure) {
		RemoteFailure described = RemoteFailure.of(callId, failure);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", described.message());
		body.put("outcome", described.outcome());
		if (callId != null) {
			body.put("callId", callId);
		}
		return ResponseEntity.status(described.status()).body(body);
	}

}
