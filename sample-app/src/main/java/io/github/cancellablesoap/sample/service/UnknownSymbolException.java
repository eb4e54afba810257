package io.github.cancellablesoap.sample.service;

import org.springframework.ws.soap.server.endpoint.annotation.FaultCode;
import org.springframework.ws.soap.server.endpoint.annotation.SoapFault;

/**
 * Answered as a client SOAP fault when a quote is asked for a symbol the book does not
 * have.
 *
 * @author Cancellable SOAP
 */
@SoapFault(faultCode = FaultCode.CLIENT)
public class UnknownSymbolException extends RuntimeException {

	public UnknownSymbolException(String symbol) {
		super("Unknown symbol '" + symbol + "'");
	}

}
