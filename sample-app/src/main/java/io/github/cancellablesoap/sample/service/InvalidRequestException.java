package io.github.cancellablesoap.sample.service;

import org.springframework.ws.soap.server.endpoint.annotation.FaultCode;
import org.springframework.ws.soap.server.endpoint.annotation.SoapFault;

/**
 * Answered as a client SOAP fault when a request breaks the service's rules.
 *
 * @author Cancellable SOAP
 */
@SoapFault(faultCode = FaultCode.CLIENT)
public class InvalidRequestException extends RuntimeException {

	public InvalidRequestException(String message) {
		super(message);
	}

}
