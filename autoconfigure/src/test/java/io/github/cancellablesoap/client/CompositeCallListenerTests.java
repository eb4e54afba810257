package io.github.cancellablesoap.client;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A composite listener hands each listener its own per-call state back, takes the first
 * trace id given, and sends the headers of all its listeners.
 */
class CompositeCallListenerTests {

	private static final CallListener.StartedCall STARTED = new CallListener.StartedCall("test", "c-1");

	@Test
	void theTraceIdIsTheFirstThatAListenerGivesForItsOwnState() {
		CallListener composite = CompositeCallListener
			.of(List.of(new Fixed(null, Map.of()), new Fixed("trace-b", Map.of()), new Fixed("trace-c", Map.of())));
		Object state = composite.callStarted(STARTED);
		assertThat(composite.traceId(state)).isEqualTo("trace-b");
	}

	@Test
	void noListenerThatTracesMeansNoTraceIdAndNoHeaders() {
		CallListener composite = CompositeCallListener
			.of(List.of(new Fixed(null, Map.of()), new Fixed(null, Map.of())));
		Object state = composite.callStarted(STARTED);
		assertThat(composite.traceId(state)).isNull();
		assertThat(composite.requestHeaders(state)).isEmpty();
	}

	@Test
	void theHeadersOfEveryListenerAreSentAndALaterOneWinsOnAName() {
		Map<String, String> only = Map.of("traceparent", "00-a-b-01");
		CallListener single = CompositeCallListener.of(List.of(new Fixed(null, Map.of()), new Fixed(null, only)));
		assertThat(single.requestHeaders(single.callStarted(STARTED))).isSameAs(only);
		CallListener several = CompositeCallListener
			.of(List.of(new Fixed(null, Map.of("traceparent", "first", "b3", "1")), new Fixed(null, Map.of()),
					new Fixed(null, Map.of("traceparent", "last"))));
		assertThat(several.requestHeaders(several.callStarted(STARTED))).containsOnly(Map.entry("traceparent", "last"),
				Map.entry("b3", "1"));
	}

	/**
	 * Answers with a trace id and headers only for the state it gave itself.
	 */
	private static final class Fixed implements CallListener {

		private final Object state = new Object();

		private final @Nullable String traceId;

		private final Map<String, String> headers;

		Fixed(@Nullable String traceId, Map<String, String> headers) {
			this.traceId = traceId;
			this.headers = headers;
		}

		@Override
		public Object callStarted(StartedCall call) {
			return this.state;
		}

		@Override
		public @Nullable String traceId(@Nullable Object state) {
			return (state == this.state) ? this.traceId : null;
		}

		@Override
		public Map<String, String> requestHeaders(@Nullable Object state) {
			return (state == this.state) ? this.headers : Map.of();
		}

	}

}
