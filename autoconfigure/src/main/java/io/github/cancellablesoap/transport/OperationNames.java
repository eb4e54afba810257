package io.github.cancellablesoap.transport;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.soap.SoapMessage;

/**
 * Names the operation a proxy's request calls by the rule the hosts use as well
 * ({@link io.github.cancellablesoap.core.OperationNames}).
 */
final class OperationNames {

	private OperationNames() {
	}

	static @Nullable String of(WebServiceMessage message) {
		return io.github.cancellablesoap.core.OperationNames.of(message.getPayloadSource(),
				(message instanceof SoapMessage soap) ? soap.getSoapAction() : null);
	}

}
