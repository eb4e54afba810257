package io.github.cancellablesoap.sample.service;

import java.math.BigDecimal;
import java.time.Duration;

import io.github.cancellablesoap.sample.quotes.QuotesXml;
import io.github.cancellablesoap.server.OperationContext;
import org.w3c.dom.Element;

import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * The quotes SOAP service: {@code GetQuote} answers at once, {@code GetReport} takes as
 * long as the caller asks, so that there is a call in flight to watch, abandon or abort.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
@Endpoint
public class QuotesEndpoint {

	private final QuoteBook book;

	private final ReportDesk desk;

	public QuotesEndpoint(QuoteBook book, ReportDesk desk) {
		this.book = book;
		this.desk = desk;
	}

	/**
	 * Answer the price of a symbol.
	 * @param request a {@code GetQuoteRequest}
	 * @return a {@code GetQuoteResponse}
	 */
	@PayloadRoot(namespace = QuotesXml.NAMESPACE, localPart = QuotesXml.GET_QUOTE_REQUEST)
	@ResponsePayload
	public Element getQuote(@RequestPayload Element request) {
		String symbol = QuotesXml.text(request, "symbol");
		BigDecimal price = this.book.price(symbol);
		Element response = QuotesXml.newMessage(QuotesXml.GET_QUOTE_RESPONSE);
		QuotesXml.append(response, "symbol", symbol);
		QuotesXml.append(response, "price", price.toPlainString());
		QuotesXml.append(response, "currency", "USD");
		return response;
	}

	/**
	 * Produce a report after the requested delay, unless the operation is cancelled first
	 * (its caller aborted the call, the host was aborted, ...): the host then answers a
	 * cancellation fault saying why.
	 * @param request a {@code GetReportRequest}
	 * @param operation the operation, injected by the service host
	 * @return a {@code GetReportResponse}
	 */
	@PayloadRoot(namespace = QuotesXml.NAMESPACE, localPart = QuotesXml.GET_REPORT_REQUEST)
	@ResponsePayload
	public Element getReport(@RequestPayload Element request, OperationContext operation) {
		long delayMs = parseDelay(QuotesXml.text(request, "delayMs"));
		Duration took = this.desk.work(Duration.ofMillis(delayMs), operation);
		Element response = QuotesXml.newMessage(QuotesXml.GET_REPORT_RESPONSE);
		QuotesXml.append(response, "delayMs", delayMs);
		QuotesXml.append(response, "summary", "Report ready after " + took.toMillis() + " ms");
		return response;
	}

	private long parseDelay(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidRequestException("delayMs must be a number of milliseconds, not '" + text + "'");
		}
	}

}
