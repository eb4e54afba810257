package io.github.cancellablesoap.autoconfigure.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of a proxy's password that Boot binds is masked in the actuator: the
 * canonical, camel-case and environment-variable names; other keys are left alone.
 */
class CredentialsSanitizingAutoConfigurationTests {

	private final SanitizingFunction sanitizer = new CredentialsSanitizingAutoConfiguration()
		.cancellableSoapCredentialsSanitizer();

	@Test
	void masksThePasswordsOfEveryBindingSpelling() {
		for (String key : new String[] { "cancellable-soap.proxies.orders.credentials.password",
				"cancellableSoap.proxies.orders.credentials.password",
				"CANCELLABLE_SOAP_PROXIES_ORDERS_CREDENTIALS_PASSWORD",
				"cancellable-soap.proxy-defaults.forward-proxy.password",
				"CANCELLABLE_SOAP_PROXYDEFAULTS_FORWARDPROXY_PASSWORD" }) {
			assertThat(sanitized(key)).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
		}
	}

	@Test
	void leavesOtherKeysAlone() {
		for (String key : new String[] { "cancellable-soap.proxies.orders.credentials.username",
				"CANCELLABLE_SOAP_PROXIES_ORDERS_ADDRESS", "spring.datasource.password" }) {
			assertThat(sanitized(key)).as(key).isEqualTo("s3cret");
		}
	}

	private Object sanitized(String key) {
		return this.sanitizer.applyUnlessFiltered(new SanitizableData(null, key, "s3cret")).getValue();
	}

}
