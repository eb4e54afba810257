package io.github.cancellablesoap.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.client.ServiceCallException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * Turns the errors of the front end's calls into short JSON answers, never a stack trace.
 *
 * @author Cancellable SOAP
 */
@RestControllerAdvice(assignableTypes = DemoController.class)
public class DemoExceptionHandler {

	/**
	 * A call that a proxy ended without a response: rejected, abandoned, aborted or timed
	 * out.
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
	 * The service answered a SOAP fault.
	 * @param ex the exception
	 * @return 400 for a client fault, 502 otherwise
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> fault(SoapFaultClientException ex) {
		boolean clientFault = ex.getFaultCode() != null && ex.getFaultCode().getLocalPart().equals("Client");
		return error(clientFault ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY, CallOutcome.FAULT,
				ex.getFaultStringOrReason());
	}

	/**
	 * The exchange with the service failed.
	 * @param ex the exception
	 * @return 502
	 */
	@ExceptionHandler
	public ResponseEntity<Map<String, Object>> failed(WebServiceClientException ex) {
		return error(HttpStatus.BAD_GATEWAY, CallOutcome.FAILED, ex.getMessage());
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

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, CallOutcome outcome, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", String.valueOf(message));
		body.put("outcome", outcome);
		return ResponseEntity.status(status).body(body);
	}

}
