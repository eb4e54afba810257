package io.github.cancellablesoap.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the errors Spring MVC raises before {@link SoapCallsController} runs (malformed
 * JSON, a limit that is not a number, an unsupported method or media type) into RFC 9457
 * problem details, for the controller only.
 * <p>
 * Thread-safe: it keeps no state; every method may be called from any request thread.
 *
 * @author Cancellable SOAP
 */
@RestControllerAdvice(assignableTypes = SoapCallsController.class)
public class SoapCallsControllerAdvice extends ResponseEntityExceptionHandler {

}
