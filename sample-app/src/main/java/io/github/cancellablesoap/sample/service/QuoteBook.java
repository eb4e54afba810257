package io.github.cancellablesoap.sample.service;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The prices the quotes service knows: a fixed book, so that answers are predictable.
 * <p>
 * Thread-safe: immutable.
 *
 * @author Cancellable SOAP
 */
@Component
public class QuoteBook {

	private static final Map<String, BigDecimal> PRICES = Map.of("ACME", new BigDecimal("123.45"), "GLOBEX",
			new BigDecimal("67.80"), "INITECH", new BigDecimal("12.34"), "UMBRELLA", new BigDecimal("250.00"), "HOOLI",
			new BigDecimal("1999.99"));

	/**
	 * The price of a symbol, in USD.
	 * @param symbol the symbol, in any case
	 * @return the price
	 * @throws UnknownSymbolException when the book has no such symbol
	 */
	public BigDecimal price(String symbol) {
		BigDecimal price = PRICES.get(symbol.toUpperCase(Locale.ROOT));
		if (price == null) {
			throw new UnknownSymbolException(symbol);
		}
		return price;
	}

}
