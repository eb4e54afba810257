package io.github.cancellablesoap.autoconfigure.operator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.actuate.audit.AuditEventOperatorActionListener;
import io.github.cancellablesoap.server.OperationContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.w3c.dom.Element;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.ws.server.endpoint.annotation.Endpoint;
import org.springframework.ws.server.endpoint.annotation.PayloadRoot;
import org.springframework.ws.server.endpoint.annotation.RequestPayload;
import org.springframework.ws.server.endpoint.annotation.ResponsePayload;

/**
 * The application under test: one host serving a slow endpoint that runs until it is
 * cancelled, an audit event collector and a meter registry.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ OperatorTestApplication.AuditCollector.class, SimpleMeterRegistry.class })
public class OperatorTestApplication {

	static final String NAMESPACE = "urn:slow";

	/**
	 * Runs until its operation is cancelled (or 30 s pass), then answers; registered as a
	 * member component of this configuration.
	 */
	@Endpoint
	public static class SlowEndpoint {

		@PayloadRoot(namespace = NAMESPACE, localPart = "Slow")
		@ResponsePayload
		Element slow(@RequestPayload Element request, OperationContext context) throws InterruptedException {
			CountDownLatch cancelled = new CountDownLatch(1);
			context.onCancel((reason) -> cancelled.countDown());
			cancelled.await(30, TimeUnit.SECONDS);
			return request.getOwnerDocument().createElementNS(NAMESPACE, "s:SlowResponse");
		}

	}

	/**
	 * Collects the operator audit events.
	 */
	public static class AuditCollector {

		private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onAudit(AuditApplicationEvent event) {
			if (AuditEventOperatorActionListener.TYPE.equals(event.getAuditEvent().getType())) {
				this.events.add(event.getAuditEvent());
			}
		}

		List<AuditEvent> events() {
			return List.copyOf(this.events);
		}

		void clear() {
			this.events.clear();
		}

	}

}
