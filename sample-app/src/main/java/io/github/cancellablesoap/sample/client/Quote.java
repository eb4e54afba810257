package io.github.cancellablesoap.sample.client;

import java.math.BigDecimal;

/**
 * A price answered by the quotes service.
 *
 * @param callId the id of the proxy call that fetched it
 * @param symbol the symbol
 * @param price the price
 * @param currency the currency of the price
 * @author Cancellable SOAP
 */
public record Quote(String callId, String symbol, BigDecimal price, String currency) {

}
