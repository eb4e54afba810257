package io.github.cancellablesoap.benchmarks;

import java.util.concurrent.TimeUnit;

import javax.xml.transform.Source;

import io.github.cancellablesoap.benchmarks.PeerRecords.Record;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;
import io.github.cancellablesoap.server.HostedBy;
import io.github.cancellablesoap.server.OperationContext;
import org.w3c.dom.Element;

import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

/**
 * The endpoints of {@link SoapPeers}: {@code Ping} (hosts b and c) answers at once;
 * {@code Hang} (host c) registers its cancel callback and waits until it runs;
 * {@code Relay} (host b) registers its cancel callback and calls {@code Hang} (or
 * {@code Ping}) on c through the proxy {@code c}, on its serving thread, so that the
 * downstream call inherits the operation's cancellation.
 * <p>
 * Thread-safe: each request is served on its own container thread.
 */
@Endpoint
class PeerEndpoints {

	static final String NAMESPACE = "urn:cancellable-soap:bench:propagation";

	private static final long WAIT_SECONDS = 60;

	private final PeerRecords records;

	private final ServiceProxies proxies;

	PeerEndpoints(PeerRecords records, ServiceProxies proxies) {
		this.records = records;
		this.proxies = proxies;
	}

	static String request(String operation, String id) {
		return "<p:" + operation + " xmlns:p=\"" + NAMESPACE + "\"><p:id>" + id + "</p:id></p:" + operation + ">";
	}

	@PayloadRoot(namespace = NAMESPACE, localPart = "Ping")
	@ResponsePayload
	@HostedBy({ "b", "c" })
	Source ping(@RequestPayload Element request) {
		return answer("PingResponse", id(request));
	}

	@PayloadRoot(namespace = NAMESPACE, localPart = "Hang")
	@ResponsePayload
	@HostedBy("c")
	Source hang(@RequestPayload Element request, OperationContext context) throws InterruptedException {
		String id = id(request);
		Record record = this.records.of("c:" + id);
		context.onCancel((reason) -> record.cancelled(reason.name()));
		record.running();
		record.awaitCancelled(WAIT_SECONDS, TimeUnit.SECONDS);
		return answer("HangResponse", id);
	}

	@PayloadRoot(namespace = NAMESPACE, localPart = "Relay")
	@ResponsePayload
	@HostedBy("b")
	Source relay(@RequestPayload Element request, OperationContext context) {
		String id = id(request);
		boolean ping = id.startsWith("ping");
		if (!ping) {
			Record record = this.records.of("b:" + id);
			context.onCancel((reason) -> record.cancelled(reason.name()));
			record.running();
		}
		ServiceProxy downstream = this.proxies.find("c").orElseThrow();
		try {
			downstream.sendSourceAndReceiveToResult(new StringSource(request(ping ? "Ping" : "Hang", id)),
					new StringResult());
		}
		catch (WebServiceClientException ex) {
			// the downstream call is aborted when this operation is cancelled: expected
		}
		return answer("RelayResponse", id);
	}

	private static String id(Element request) {
		return request.getElementsByTagNameNS(NAMESPACE, "id").item(0).getTextContent();
	}

	private static Source answer(String name, String id) {
		return new StringSource(request(name, id));
	}

}
