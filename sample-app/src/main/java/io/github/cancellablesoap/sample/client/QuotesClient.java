package io.github.cancellablesoap.sample.client;

import java.math.BigDecimal;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.CurrentCall;
import io.github.cancellablesoap.client.PendingCall;
import io.github.cancellablesoap.client.ServiceCallException;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.sample.quotes.QuotesXml;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.client.core.SourceExtractor;
import org.springframework.ws.client.core.WebServiceMessageCallback;

/**
 * A client of the quotes service that makes every call through the {@code quotes} service
 * proxy: quotes synchronously, reports asynchronously so that their call id is known
 * while they run.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class QuotesClient implements AutoCloseable {

	private final ServiceProxy proxy;

	private final ThreadPoolExecutor executor;

	/**
	 * Create a client.
	 * @param proxy the proxy that carries the calls
	 * @param maxCalls how many asynchronous calls may run at once; match the proxy's
	 * {@code max-pending-calls}
	 */
	public QuotesClient(ServiceProxy proxy, int maxCalls) {
		this.proxy = proxy;
		// One thread per call in flight and no queue, so that a submitted call never
		// waits for a thread while its timeout runs.
		this.executor = new ThreadPoolExecutor(0, maxCalls, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				new CustomizableThreadFactory("quotes-call-"));
	}

	/**
	 * The proxy that carries this client's calls.
	 * @return the proxy
	 */
	public ServiceProxy proxy() {
		return this.proxy;
	}

	/**
	 * Ask for the price of a symbol, waiting for the answer.
	 * @param symbol the symbol
	 * @return the quote
	 * @throws io.github.cancellablesoap.client.ServiceCallException when the call is
	 * rejected, abandoned, aborted or times out
	 * @throws QuotesServiceException when the service answers a fault, the exchange fails
	 * or the answer cannot be read
	 */
	public Quote quote(String symbol) {
		Element request = QuotesXml.newMessage(QuotesXml.GET_QUOTE_REQUEST);
		QuotesXml.append(request, "symbol", symbol);
		AtomicReference<@Nullable String> callId = new AtomicReference<>();
		// The callback runs on the calling thread while the proxy call is current, so
		// the call id is known even when no answer comes.
		WebServiceMessageCallback rememberCall = (message) -> {
			CarriedCall call = CurrentCall.get();
			callId.set((call != null) ? call.callId() : null);
		};
		SourceExtractor<Quote> extractor = (payload) -> {
			Element response = QuotesXml.element(payload);
			return new Quote(callId.get(), QuotesXml.text(response, "symbol"),
					new BigDecimal(QuotesXml.text(response, "price")), QuotesXml.text(response, "currency"));
		};
		try {
			return this.proxy.sendSourceAndReceive(QuotesXml.source(request), rememberCall, extractor);
		}
		catch (ServiceCallException ex) {
			throw ex;
		}
		catch (WebServiceClientException | IllegalArgumentException ex) {
			throw new QuotesServiceException(callId.get(), ex);
		}
	}

	/**
	 * Start a report and hand back its call at once.
	 * @param delayMs how long the service should work on the report
	 * @return the pending call; its result completes with the report, or with the
	 * exception that ended the call
	 * @throws io.github.cancellablesoap.client.CallRejectedException when the proxy is
	 * not open or its quota is full
	 */
	public PendingCall<Report> submitReport(long delayMs) {
		return this.proxy.submit((operations) -> {
			Element request = QuotesXml.newMessage(QuotesXml.GET_REPORT_REQUEST);
			QuotesXml.append(request, "delayMs", delayMs);
			return operations.sendSourceAndReceive(QuotesXml.source(request), (payload) -> {
				Element response = QuotesXml.element(payload);
				return new Report(Long.parseLong(QuotesXml.text(response, "delayMs")),
						QuotesXml.text(response, "summary"));
			});
		}, this.executor);
	}

	/**
	 * Stop the threads of asynchronous calls; calls still running are interrupted.
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
