package io.github.cancellablesoap.actuate.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.operator.OperatorAction;
import io.github.cancellablesoap.operator.OperatorActionListener;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every operator write as a Spring Boot {@link AuditApplicationEvent} of type
 * {@value #TYPE}, with data {@code verb}, {@code target}, {@code reason} (when given),
 * {@code result} and {@code status}, so operator actions land in the actuator's audit
 * event repository beside logins and the like.
 * <p>
 * Thread-safe: {@link #actionTaken} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
public final class AuditEventOperatorActionListener implements OperatorActionListener {

	/** The audit event type of operator writes. */
	public static final String TYPE = "SOAP_OPERATOR_ACTION";

	private final ApplicationEventPublisher publisher;

	/**
	 * Create the listener.
	 * @param publisher where the audit events go
	 */
	public AuditEventOperatorActionListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void actionTaken(OperatorAction action) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("verb", action.verb());
		data.put("target", action.target());
		if (action.reason() != null) {
			data.put("reason", action.reason());
		}
		data.put("result", action.result());
		data.put("status", action.answer().status().httpStatus());
		this.publisher.publishEvent(new AuditApplicationEvent(action.principal(), TYPE, data));
	}

}
