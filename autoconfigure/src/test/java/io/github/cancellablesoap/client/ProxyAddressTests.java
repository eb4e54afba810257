package io.github.cancellablesoap.client;

import java.net.URI;
import java.util.List;

import io.github.cancellablesoap.actuate.health.ServiceProxyHealthIndicator;
import io.github.cancellablesoap.operator.Descriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ws.client.WebServiceIOException;
import org.springframework.xml.transform.StringResult;
import org.springframework.xml.transform.StringSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Credentials never travel in a proxy address, and addresses are shown without their
 * secrets wherever they are displayed.
 */
class ProxyAddressTests {

	@RegisterExtension
	final ProxyFixture fixture = ProxyFixture.echoing();

	@Test
	void settingsRefuseAnAddressWithUserInfoWithoutRepeatingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProxySettings.builder("quotes", URI.create("http://alice:s3cret@127.0.0.1:1/ws")))
			.withMessageContaining("user info")
			.withMessageContaining("credentials.username")
			.withMessageContaining("ServiceProxyRequestCustomizer")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void aCallToAnExplicitUriWithUserInfoIsRefusedBeforeAnyIo() {
		DefaultServiceProxy proxy = this.fixture.open();
		String target = "http://alice:s3cret@127.0.0.1:" + this.fixture.server().port() + "/ws";
		assertThatExceptionOfType(WebServiceIOException.class)
			.isThrownBy(() -> proxy.sendSourceAndReceiveToResult(target, new StringSource(ProxyFixture.REQUEST),
					new StringResult()))
			.withMessageContaining("user info")
			.withMessageNotContaining("s3cret");
		assertThat(this.fixture.server().requestCount()).isZero();
		assertThat(proxy.state()).isEqualTo(ProxyState.OPEN);
		assertThat(proxy.pendingCalls()).isZero();
	}

	@Test
	void healthAndOperatorDescriptorsShowTheAddressWithoutQueryValues() {
		URI address = URI.create(this.fixture.server().uri("/ws") + "?apikey=s3cret");
		DefaultServiceProxy proxy = this.fixture.open(address, (settings) -> settings);
		String shown = "http://127.0.0.1:" + this.fixture.server().port() + "/ws?apikey=***";
		assertThat(new ServiceProxyHealthIndicator(proxy).health().getDetails()).containsEntry("address", shown);
		assertThat(new Descriptors.ProxySummary(proxy.name(), proxy.address().toString(), "OPEN", 0, 0).address())
			.isEqualTo(shown);
		assertThat(new Descriptors.ProxyDescriptor(proxy.name(), proxy.address().toString(), "OPEN", 0, 0, 0, 100,
				false, List.of())
			.address()).isEqualTo(shown);
		assertThat(proxy.settings().toString()).contains(shown).doesNotContain("s3cret");
		// The address itself keeps its query: it is what the proxy calls.
		assertThat(ProxyFixture.echo(proxy)).contains("echoResponse");
		assertThat(this.fixture.server().connections().get(0).requests().get(0).target())
			.isEqualTo("/ws?apikey=s3cret");
	}

}
