package io.github.cancellablesoap.sample.service;

import org.springframework.ws.soap.server.endpoint.annotation.FaultCode;
import org.springframework.ws.soap.server.endpoint.annotation.SoapFault;

/**
 * Answered as a server SOAP fault when a report stops before its delay is over, because
 * the application is stopping or the serving thread was interrupted.
 *
 * @author Cancellable SOAP
 */
@SoapFault(faultCode = FaultCode.SERVER)
public class ReportInterruptedException extends RuntimeException {

	public ReportInterruptedException(String message) {
		super(message);
	}

}
