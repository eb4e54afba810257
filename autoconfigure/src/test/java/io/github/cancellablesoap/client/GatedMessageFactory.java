package io.github.cancellablesoap.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.WebServiceMessageFactory;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;

/**
 * A message factory that holds the thread that reads a response between the arrival of
 * the response and its parsing, as a slow parse of a large response would, until the test
 * opens the gate; call {@code delegate.afterPropertiesSet()} before use.
 * <p>
 * Thread-safe.
 */
final class GatedMessageFactory implements WebServiceMessageFactory {

	final SaajSoapMessageFactory delegate = new SaajSoapMessageFactory();

	final CountDownLatch reached = new CountDownLatch(1);

	final CountDownLatch gate = new CountDownLatch(1);

	@Override
	public WebServiceMessage createWebServiceMessage() {
		return this.delegate.createWebServiceMessage();
	}

	@Override
	public WebServiceMessage createWebServiceMessage(InputStream input) throws IOException {
		this.reached.countDown();
		try {
			if (!this.gate.await(20, TimeUnit.SECONDS)) {
				throw new IOException("The test never opened the gate");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted at the gate", ex);
		}
		return this.delegate.createWebServiceMessage(input);
	}

}
