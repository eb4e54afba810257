package io.github.cancellablesoap.autoconfigure.server;

import java.util.Collections;
import java.util.Map;

import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.HostProperties;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one {@code cancellable-soap.hosts.<name>} is configured, so that
 * an application that only calls services gets no host machinery (and no polling thread).
 *
 * @author Cancellable SOAP
 */
class OnServiceHostsConfiguredCondition extends SpringBootCondition {

	private static final String HOSTS = CancellableSoapProperties.PREFIX + ".hosts";

	private static final Bindable<Map<String, HostProperties>> HOSTS_MAP = Bindable.mapOf(String.class,
			HostProperties.class);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, HostProperties> hosts = Binder.get(context.getEnvironment())
			.bind(HOSTS, HOSTS_MAP)
			.orElse(Collections.emptyMap());
		if (hosts.isEmpty()) {
			return ConditionOutcome.noMatch("no service host is configured under " + HOSTS);
		}
		return ConditionOutcome.match("service hosts configured under " + HOSTS + ": " + hosts.keySet());
	}

}
