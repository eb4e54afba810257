package io.github.cancellablesoap.core;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out under the composite listeners: every listener hears every hook in order,
 * one that throws is logged and skipped, one whose start threw hears nothing more of that
 * start, and a hook can stop the round.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenerFanoutTests {

	private final Queue<String> heard = new ConcurrentLinkedQueue<>();

	private final ListenerFanout<Named> fanout = new ListenerFanout<>("Test listener",
			List.of(new Named("a"), new Named("bad"), new Named("c")));

	@Test
	void aThrowingListenerIsLoggedAndTheOthersStillHearTheHook(CapturedOutput output) {
		this.fanout.each("ping", (listener) -> listener.hear("ping"));

		assertThat(this.heard).containsExactly("a:ping", "c:ping");
		assertThat(output.getOut())
			.contains("Test listener " + Named.class.getName() + " failed in ping; it is skipped")
			.contains("IllegalStateException: bad heard ping");
	}

	@Test
	void aListenerWhoseStartThrewHearsNothingMoreOfThatStart() {
		Object state = this.fanout.start("start", (listener) -> {
			listener.hear("start");
			return listener.name + "-state";
		});
		this.fanout.eachStarted(state, "end", (listener, own) -> {
			this.heard.add(listener.name + ":end:" + own);
			return false;
		});

		assertThat(this.heard).containsExactly("a:start", "c:start", "a:end:a-state", "c:end:c-state");
	}

	@Test
	void aHookCanStopTheRoundAndAForeignStateGivesEveryListenerNull() {
		this.fanout.eachStarted("not from start", "first", (listener, own) -> {
			this.heard.add(listener.name + ":" + own);
			return true;
		});

		assertThat(this.heard).containsExactly("a:null");
	}

	private final class Named {

		private final String name;

		Named(String name) {
			this.name = name;
		}

		void hear(String hook) {
			if (this.name.equals("bad")) {
				throw new IllegalStateException("bad heard " + hook);
			}
			ListenerFanoutTests.this.heard.add(this.name + ":" + hook);
		}

	}

}
